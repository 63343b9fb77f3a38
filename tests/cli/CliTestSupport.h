// Runs the real mpauth binary on projects written into temporary folders.
#pragma once

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

extern char **environ;

namespace mpauth::cli_test {

inline std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

// A temporary folder, removed (permissions restored first) when the object goes.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> dir;
    std::error_code error = llvm::sys::fs::createUniqueDirectory("mpauth-cli-test", dir);
    EXPECT_FALSE(error) << error.message();
    llvm::SmallString<128> real;
    Root = llvm::sys::fs::real_path(dir, real) ? std::string(dir) : std::string(real);
  }
  ~TempDir() {
    for (const std::string &p : Locked)
      llvm::sys::fs::setPermissions(p, llvm::sys::fs::all_read | llvm::sys::fs::owner_write);
    llvm::sys::fs::remove_directories(Root);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  std::string path(llvm::StringRef relative = "") const {
    if (relative.empty())
      return Root;
    llvm::SmallString<256> full(Root);
    llvm::sys::path::append(full, relative);
    return std::string(full);
  }

  std::string write(llvm::StringRef relative, llvm::StringRef content) const {
    std::string full = path(relative);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(full));
    std::error_code error;
    llvm::raw_fd_ostream out(full, error);
    EXPECT_FALSE(error) << full << ": " << error.message();
    out << content;
    return full;
  }

  // Copies `fixtures/<relative>` of the source tree into this folder (at `into`).
  void copyFixture(llvm::StringRef relative, llvm::StringRef into = "") const {
    llvm::SmallString<256> from(MPAUTH_SOURCE_DIR);
    llvm::sys::path::append(from, "fixtures", relative);
    std::error_code error;
    unsigned copied = 0;
    for (llvm::sys::fs::recursive_directory_iterator it(from, error), end; it != end && !error;
         it.increment(error)) {
      if (it->type() != llvm::sys::fs::file_type::regular_file)
        continue;
      llvm::StringRef file = it->path();
      llvm::StringRef rest = llvm::StringRef(file).substr(from.size()).ltrim("/\\");
      std::string target = path(into.empty() ? rest.str() : into.str() + "/" + rest.str());
      llvm::sys::fs::create_directories(llvm::sys::path::parent_path(target));
      EXPECT_FALSE(llvm::sys::fs::copy_file(file, target)) << file.str();
      ++copied;
    }
    EXPECT_FALSE(error) << from.str().str() << ": " << error.message();
    EXPECT_GT(copied, 0u) << "fixture " << relative.str() << " is empty";
  }

  // chmod 000; the permissions come back before the folder is removed.
  void lock(llvm::StringRef relative) {
    std::string full = path(relative);
    EXPECT_FALSE(llvm::sys::fs::setPermissions(full, llvm::sys::fs::no_perms));
    Locked.push_back(full);
  }

private:
  std::string Root;
  std::vector<std::string> Locked;
};

struct RunResult {
  int exitCode = -1;
  std::string out;
  std::string err;
  std::string failure; // set when the process could not run or was killed (crash, timeout)
  std::string all() const { return out + err; }
};

// The child's environment: ours, with a fixed message language and no NO_COLOR, and with
// sanitizer exit codes that cannot be mistaken for mpauth's own (1 = findings).
inline std::vector<std::string> childEnvironment() {
  std::vector<std::string> env;
  std::string asan = "ASAN_OPTIONS=exitcode=86";
  std::string ubsan = "UBSAN_OPTIONS=exitcode=87:print_stacktrace=1";
  for (char **e = environ; e && *e; ++e) {
    llvm::StringRef var(*e);
    if (var.startswith("LANG=") || var.startswith("LC_ALL=") || var.startswith("LC_MESSAGES=") ||
        var.startswith("NO_COLOR="))
      continue;
    if (var.startswith("ASAN_OPTIONS=")) {
      asan = var.str() + ":exitcode=86";
      continue;
    }
    if (var.startswith("UBSAN_OPTIONS=")) {
      ubsan = var.str() + ":exitcode=87";
      continue;
    }
    env.push_back(var.str());
  }
  env.push_back("LANG=C");
  env.push_back(asan);
  env.push_back(ubsan);
  return env;
}

// Runs `mpauth args...` with stdin from /dev/null, capturing stdout and stderr.
inline RunResult runMpauth(const std::vector<std::string> &args, unsigned timeoutSeconds = 300) {
  TempDir capture;
  std::string outPath = capture.path("stdout"), errPath = capture.path("stderr");
  std::vector<llvm::StringRef> argv{MPAUTH_BINARY};
  for (const std::string &a : args)
    argv.push_back(a);
  std::vector<std::string> envStrings = childEnvironment();
  std::vector<llvm::StringRef> env(envStrings.begin(), envStrings.end());
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  RunResult result;
  bool executionFailed = false;
  result.exitCode =
      llvm::sys::ExecuteAndWait(MPAUTH_BINARY, argv, llvm::makeArrayRef(env), redirects,
                                timeoutSeconds, 0, &result.failure, &executionFailed);
  if (executionFailed && result.failure.empty())
    result.failure = "could not execute " MPAUTH_BINARY;
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  return result;
}

inline bool contains(llvm::StringRef haystack, llvm::StringRef needle) {
  return haystack.contains(needle);
}

// A run that ended normally with one of mpauth's documented exit codes and no sanitizer report.
inline ::testing::AssertionResult exitedCleanly(const RunResult &r,
                                                std::initializer_list<int> allowed) {
  bool codeOk = false;
  for (int code : allowed)
    codeOk = codeOk || r.exitCode == code;
  bool sanitizer = contains(r.err, "Sanitizer") || contains(r.err, "runtime error:");
  if (codeOk && r.failure.empty() && !sanitizer)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "exit code " << r.exitCode << (r.failure.empty() ? "" : " (" + r.failure + ")")
         << "\n--- stdout ---\n"
         << r.out.substr(0, 4000) << "\n--- stderr ---\n"
         << r.err.substr(0, 8000);
}

} // namespace mpauth::cli_test
