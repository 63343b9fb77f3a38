#include "support/TempDir.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace mpauth::testing {

std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

TempDir::TempDir(llvm::StringRef prefix) {
  llvm::SmallString<128> dir;
  std::error_code error = llvm::sys::fs::createUniqueDirectory(prefix, dir);
  EXPECT_FALSE(error) << error.message();
  // Tests compare absolute paths with the ones mpauth prints, which keep the user's spelling:
  // use the real path so that a symlinked temporary directory (macOS /tmp) compares equal.
  llvm::SmallString<128> real;
  Root = llvm::sys::fs::real_path(dir, real) ? std::string(dir) : std::string(real);
}

TempDir::~TempDir() {
  // In reverse, so that a locked folder opens again before anything locked inside it.
  for (auto it = Locked.rbegin(); it != Locked.rend(); ++it)
    llvm::sys::fs::setPermissions(it->first, it->second);
  llvm::sys::fs::remove_directories(Root);
}

std::string TempDir::path(llvm::StringRef relative) const {
  if (relative.empty())
    return Root;
  llvm::SmallString<256> full(Root);
  llvm::sys::path::append(full, relative);
  llvm::sys::path::native(full);
  return std::string(full);
}

std::string TempDir::write(llvm::StringRef relative, llvm::StringRef content) const {
  std::string full = path(relative);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(full));
  std::error_code error;
  llvm::raw_fd_ostream out(full, error);
  EXPECT_FALSE(error) << full << ": " << error.message();
  out << content;
  return full;
}

void TempDir::copyFixture(llvm::StringRef relative, llvm::StringRef into) const {
  llvm::SmallString<256> from(MPAUTH_SOURCE_DIR);
  llvm::sys::path::append(from, "fixtures", relative);
  std::error_code error;
  unsigned copied = 0;
  for (llvm::sys::fs::recursive_directory_iterator it(from, error), end; it != end && !error;
       it.increment(error)) {
    if (it->type() != llvm::sys::fs::file_type::regular_file)
      continue;
    llvm::StringRef file = it->path();
    llvm::StringRef rest = file.substr(from.size()).ltrim("/\\");
    std::string target = path(into.empty() ? rest.str() : into.str() + "/" + rest.str());
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(target));
    EXPECT_FALSE(llvm::sys::fs::copy_file(file, target)) << file.str();
    ++copied;
  }
  EXPECT_FALSE(error) << from.str().str() << ": " << error.message();
  EXPECT_GT(copied, 0u) << "fixture " << relative.str() << " is empty";
}

std::vector<std::string> TempDir::list(llvm::StringRef relative) const {
  std::vector<std::string> names;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(path(relative), error), end; it != end && !error;
       it.increment(error))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  return names;
}

void TempDir::lock(llvm::StringRef relative) {
  std::string full = path(relative);
  llvm::ErrorOr<llvm::sys::fs::perms> before = llvm::sys::fs::getPermissions(full);
  ASSERT_TRUE(bool(before)) << full << ": " << before.getError().message();
  EXPECT_FALSE(llvm::sys::fs::setPermissions(full, llvm::sys::fs::no_perms));
  Locked.emplace_back(full, *before);
}

} // namespace mpauth::testing
