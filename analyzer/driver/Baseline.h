// Baselines (SPEC 4): the findings a team has accepted for now, so that only new ones fail the
// build. Entries are keyed by (rule, path, fingerprint) — findingFingerprint() hashes the
// whitespace-normalized text of the finding and its enclosing statement, not line numbers — so
// a baseline survives edits elsewhere in the file. The file format is documented in
// docs/configuration.md.
#pragma once

#include "analyzer/driver/Driver.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mpauth {

inline constexpr int kBaselineVersion = 1;

struct BaselineEntry {
  std::string rule;
  std::string path; // relative to %SRCROOT%, '/' separators (as in every output)
  std::string fingerprint;
  // For people reading the file and for the stale-entry list; not part of the key.
  uint32_t line = 0;
  std::string message;
};

struct Baseline {
  std::vector<BaselineEntry> entries;
};

// Errors name the file and what is wrong with it (exit code 2).
llvm::Expected<Baseline> readBaseline(llvm::StringRef path);

// The baseline of a run: one entry per reported finding (suppressed findings are not part of
// it), two identical findings being two entries. Sorted by path, line, rule.
Baseline baselineOf(const RunResult &run);
std::string formatBaseline(const Baseline &baseline);
llvm::Error writeBaseline(llvm::StringRef path, const Baseline &baseline);

struct BaselineMatch {
  size_t baselined = 0;
  // Entries that matched no finding although they could have: their rule ran and their file
  // was analyzed in scope (or no longer exists). They can be pruned.
  std::vector<BaselineEntry> stale;
};

// Removes from the run the findings the baseline holds (each entry absorbs one finding), sets
// RunResult::baselined, and reports the stale entries as note-level notifications.
BaselineMatch applyBaseline(const Baseline &baseline, Analysis &analysis,
                            llvm::StringRef baselineDisplayPath);

} // namespace mpauth
