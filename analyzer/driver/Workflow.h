// What `mpauth check` does around one analysis to fit a team's workflow: linting standard input
// as a file of the project, baselines, --fix and --fix-dry-run. The CLI (Cli.cpp) parses the
// options, calls runWorkflow() and reports what it returns.
#pragma once

#include "analyzer/driver/Driver.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mpauth {

struct WorkflowOptions {
  enum class FixMode { None, Apply, DryRun };
  FixMode fix = FixMode::None;
  std::string baselineFile;      // --baseline: findings it holds are not reported
  std::string writeBaselineFile; // --write-baseline: record every current finding there
  // --stdin-filename: `stdinText` is checked as this file of the project (which need not exist).
  std::string stdinFilename;
  std::optional<std::string> stdinText;
};

struct WorkflowOutcome {
  std::unique_ptr<Analysis> analysis; // what to report: after fixes and baseline
  std::string diff;                   // --fix-dry-run: the unified diff of every file
  unsigned fixes = 0;                 // fixes applied (or, dry run, that would be)
  unsigned filesFixed = 0;
  size_t staleBaselineEntries = 0;
  size_t baselineEntriesWritten = 0;
  // Lines for stderr, without the "mpauth: " prefix (what was fixed, written, pruned...).
  std::vector<std::string> messages;
};

// Errors are usage errors (exit code 2): bad options, targets, configuration or baseline.
llvm::Expected<WorkflowOutcome> runWorkflow(AnalysisOptions options,
                                            const WorkflowOptions &workflow);

} // namespace mpauth
