// Temporary folders for tests that write projects, configurations or captured output to disk.
// Shared by the CLI, integration and project suites.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"

#include <string>
#include <utility>
#include <vector>

namespace mpauth::testing {

// The whole file as bytes (no newline conversion); empty when it cannot be read.
std::string readFile(llvm::StringRef path);

// A uniquely named folder under the system's temporary directory, removed with everything in
// it when the object goes. Failures to create or write are reported as test failures.
class TempDir {
public:
  explicit TempDir(llvm::StringRef prefix = "mpauth-test");
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  // The folder itself, or `relative` inside it.
  std::string path(llvm::StringRef relative = "") const;

  // Writes `content` to `relative` (creating the folders on the way); returns the full path.
  std::string write(llvm::StringRef relative, llvm::StringRef content) const;

  // Copies `fixtures/<relative>` of the source tree into this folder (at `into`).
  void copyFixture(llvm::StringRef relative, llvm::StringRef into = "") const;

  // The names in a folder (not recursive), for checking that something cleaned up after itself.
  std::vector<std::string> list(llvm::StringRef relative = "") const;

  // chmod 000; the permissions come back before the folder is removed.
  void lock(llvm::StringRef relative);

private:
  std::string Root;
  std::vector<std::pair<std::string, llvm::sys::fs::perms>> Locked; // with the modes they had
};

} // namespace mpauth::testing
