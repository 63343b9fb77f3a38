#include "analyzer/driver/Workflow.h"

#include "analyzer/driver/Baseline.h"
#include "analyzer/driver/FixApplier.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>

namespace mpauth {

namespace {

llvm::Error usage(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", message.c_str());
}

std::string plural(size_t count, llvm::StringRef one, llvm::StringRef many) {
  return fmt::format("{} {}", count, count == 1 ? one.str() : many.str());
}

} // namespace

llvm::Expected<WorkflowOutcome> runWorkflow(AnalysisOptions options,
                                            const WorkflowOptions &workflow) {
  using FixMode = WorkflowOptions::FixMode;
  if (!workflow.stdinFilename.empty()) {
    if (!options.targets.empty())
      return usage("--stdin-filename names the file that standard input holds; give no PATH "
                   "with it");
    if (workflow.fix == FixMode::Apply)
      return usage("--fix cannot write to standard input; use --fix-dry-run for a diff");
    llvm::SmallString<256> absolute(workflow.stdinFilename);
    llvm::sys::fs::make_absolute(absolute);
    llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
    options.targets = {workflow.stdinFilename};
    options.contents[std::string(absolute.str())] = workflow.stdinText.value_or("");
  }

  // Writing a baseline records every current finding: an old baseline is not applied first.
  std::optional<Baseline> baseline;
  if (!workflow.baselineFile.empty() && workflow.writeBaselineFile.empty()) {
    auto read = readBaseline(workflow.baselineFile);
    if (!read)
      return read.takeError();
    baseline = std::move(*read);
  }
  WorkflowOutcome outcome;
  AnalysisFilter filter = [&](Analysis &analysis) {
    if (baseline)
      outcome.staleBaselineEntries =
          applyBaseline(*baseline, analysis, workflow.baselineFile).stale.size();
  };

  auto first = analyze(options);
  if (!first)
    return first.takeError();
  filter(**first);
  outcome.analysis = std::move(*first);

  if (workflow.fix != FixMode::None) {
    auto plan = planFixes(options, std::move(outcome.analysis), filter);
    if (!plan)
      return plan.takeError();
    outcome.fixes = plan->fixes();
    outcome.filesFixed = static_cast<unsigned>(plan->changes.size());
    if (workflow.fix == FixMode::DryRun) {
      for (const FileChange &change : plan->changes)
        outcome.diff += unifiedDiff(change.displayPath, change.before, change.after);
      outcome.analysis = std::move(plan->remaining);
      outcome.messages.push_back(fmt::format("--fix-dry-run: {} in {} would be applied; nothing "
                                             "was written",
                                             plural(outcome.fixes, "fix", "fixes"),
                                             plural(outcome.filesFixed, "file", "files")));
    } else {
      std::vector<Notification> refused = writeFixes(*plan);
      if (refused.empty()) {
        outcome.analysis = std::move(plan->remaining);
      } else {
        // What is on disk now is partly fixed: report from it.
        auto again = analyze(options);
        if (!again)
          return again.takeError();
        filter(**again);
        outcome.analysis = std::move(*again);
        for (const Notification &n : refused) {
          auto change = llvm::find_if(plan->changes,
                                      [&](const FileChange &c) { return c.displayPath == n.path; });
          if (change != plan->changes.end()) {
            outcome.fixes -= change->fixes;
            --outcome.filesFixed;
          }
          outcome.analysis->run.notifications.push_back(n);
        }
      }
      if (outcome.fixes)
        outcome.messages.push_back(fmt::format("fixed {} in {}",
                                               plural(outcome.fixes, "finding", "findings"),
                                               plural(outcome.filesFixed, "file", "files")));
    }
  }

  if (!workflow.writeBaselineFile.empty()) {
    Analysis &analysis = *outcome.analysis;
    Baseline written = baselineOf(analysis.run);
    if (llvm::Error error = writeBaseline(workflow.writeBaselineFile, written))
      return error;
    applyBaseline(written, analysis, workflow.writeBaselineFile);
    outcome.baselineEntriesWritten = written.entries.size();
    outcome.messages.push_back(fmt::format("wrote {} to the baseline {}",
                                           plural(written.entries.size(), "finding", "findings"),
                                           workflow.writeBaselineFile));
    if (llvm::any_of(analysis.project.files, [](const ProjectFile &f) { return !f.inTarget; }))
      outcome.messages.push_back("the baseline holds only the findings of the files checked; "
                                 "write it from a run over the whole project");
  }
  if (outcome.staleBaselineEntries)
    outcome.messages.push_back(fmt::format(
        "{} of {} no longer {}; remove {} or rewrite the baseline with --write-baseline",
        plural(outcome.staleBaselineEntries, "entry", "entries"), workflow.baselineFile,
        outcome.staleBaselineEntries == 1 ? "matches a finding" : "match a finding",
        outcome.staleBaselineEntries == 1 ? "it" : "them"));
  return outcome;
}

} // namespace mpauth
