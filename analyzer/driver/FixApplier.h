// `--fix` and `--fix-dry-run` (SPEC 4 "Fixes"): every safe fix of the reported findings is
// applied in memory and the fixed text analyzed again, until no fix applies; then the files are
// written atomically (a temp file in the same folder, renamed over the original, permissions
// kept), never over a file whose bytes changed since they were read, or shown as a unified diff.
#pragma once

#include "analyzer/driver/Driver.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mpauth {

struct FileChange {
  std::string absolutePath;
  std::string displayPath;
  std::string before; // the bytes read at analysis time (BOM included)
  std::string after;  // the bytes to write (BOM and line endings kept)
  unsigned fixes = 0; // fixes applied to this file, over every pass
};

struct FixPlan {
  std::vector<FileChange> changes;     // sorted by display path; only files that change
  std::unique_ptr<Analysis> remaining; // the analysis of the fixed text: what is left to report
  unsigned passes = 0;
  unsigned fixes() const;
};

// How each analysis is narrowed before its fixes are taken (the baseline: baselined findings
// are neither reported nor fixed).
using AnalysisFilter = std::function<void(Analysis &)>;

// Applies the safe fixes of the findings `first` reports (not suppressed, not baselined) to the
// files' text, and analyzes the result again with the fixed contents in place of the files,
// until a pass applies nothing (at most 10 passes: a fix may be skipped because it overlaps
// another and applies in the next pass). Nothing is written.
llvm::Expected<FixPlan> planFixes(const AnalysisOptions &options, std::unique_ptr<Analysis> first,
                                  const AnalysisFilter &filter);

// Replaces the file at `path` (through a symlink: its target) with `after`, atomically, keeping
// its permissions — unless its bytes are no longer `before`, which is an error naming the file
// and nothing is written.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef before,
                                llvm::StringRef after);

// Writes every change of the plan; each refused or failed file is a warning notification
// (id "fix-not-applied") naming it. Returns those notifications.
std::vector<Notification> writeFixes(const FixPlan &plan);

// A unified diff (`--- path`, `+++ path`, `@@` hunks with 3 lines of context) of one file;
// empty when the texts are equal.
std::string unifiedDiff(llvm::StringRef path, llvm::StringRef before, llvm::StringRef after);

} // namespace mpauth
