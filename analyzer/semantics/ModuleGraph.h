// The project-wide join of module facts: every analyzed file's exports, so that a value read
// through `require('../config').ENV_ID` in one file resolves to the literal in another.
#pragma once

#include "analyzer/semantics/Value.h"

#include <vector>

namespace mpauth {

class ModuleGraph {
public:
  explicit ModuleGraph(size_t fileCount) : Exports(fileCount) {}

  void setExports(size_t file, ValuePtr exports) { Exports[file] = std::move(exports); }
  bool analyzed(size_t file) const { return file < Exports.size() && Exports[file] != nullptr; }

  // Follows Module values that point at project files through their exports (re-exports
  // included) until the value no longer refers to another project module. Values of files
  // that were not analyzed, and import cycles, resolve to Unknown.
  ValuePtr resolve(const ValuePtr &value) const;

private:
  std::vector<ValuePtr> Exports;
};

} // namespace mpauth
