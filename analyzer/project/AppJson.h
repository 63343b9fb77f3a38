// The mini program app (SPEC 2, entry points): the pages and subpackages app.json declares, and
// the client entry files. An independent subpackage starts without app.js running, so its pages
// are entry points of their own.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mpauth {

struct MiniProgramSubpackage {
  std::string root;               // as written, '/' separators, without "./" and trailing '/'
  std::string absoluteRoot;       // the folder, absolute
  std::vector<std::string> pages; // as written, relative to the root
  std::vector<size_t> pageFiles;  // the page scripts found, indices into ProjectModel::files
  bool independent = false;
  // `entry`: a script, relative to the root, that runs before the subpackage's pages (for an
  // independent subpackage, in place of app.js). Empty when none is declared.
  std::string entry;
  std::optional<size_t> entryFile; // its index into ProjectModel::files, when it was found
};

struct MiniProgramApp {
  std::string appJson;            // absolute path of the app.json read; empty when there is none
  std::vector<std::string> pages; // main package pages, as written
  std::vector<size_t> pageFiles;  // their scripts, indices into ProjectModel::files
  // app.json `subpackages` (or the older `subPackages`), in order.
  std::vector<MiniProgramSubpackage> subpackages;
  // Files that run at launch, indices into ProjectModel::files: app.js/app.ts (and Taro's
  // app.jsx/app.tsx) in the client root, uni-app's App.vue and, beside it, main.js/main.ts.
  std::vector<size_t> entryFiles;

  bool isEntry(size_t file) const;
  // A page script of the main package or of any subpackage.
  bool isPage(size_t file) const;
  // The subpackage whose `entry` script is `file`, or nullptr.
  const MiniProgramSubpackage *subpackageWithEntry(size_t file) const;
  // The subpackage whose root holds `absolutePath`, or nullptr.
  const MiniProgramSubpackage *subpackageOf(llvm::StringRef absolutePath) const;
};

} // namespace mpauth
