// Applying fix edits to a text: the one place that turns TextEdits into new file contents
// (fixture tests now, `--fix` and `--fix-dry-run` in the CLI).
#pragma once

#include "analyzer/diagnostics/Diagnostic.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mpauth {

struct FixApplication {
  std::string text;
  unsigned applied = 0;
  unsigned skipped = 0; // fixes that overlapped an earlier one (left for a second run)
};

// Applies the fixes of `diagnostics` that target `file` to `text`. Whole fixes only: a fix
// whose edits overlap an already accepted edit is skipped entirely.
FixApplication applyFixes(llvm::StringRef text, uint32_t file,
                          const std::vector<const Diagnostic *> &diagnostics);

} // namespace mpauth
