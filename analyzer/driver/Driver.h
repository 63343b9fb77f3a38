// The driver: runs the pipeline (project -> per-file parse, facts, rule checks -> project-wide
// join -> diagnostics) and hands a RunResult to the reporters.
#pragma once

#include "analyzer/project/Project.h"
#include "analyzer/report/Reporter.h"
#include "analyzer/source/SourceFile.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mpauth {

struct AnalysisOptions {
  std::vector<std::string> targets; // default "."
  std::string srcRoot;              // default: see DiscoveryOptions
  unsigned jobs = 0;                // 0: one per core
  std::vector<std::string> enable;  // when non-empty, only these rules
  std::vector<std::string> disable;
  std::string lang = "en";
  std::vector<std::string> commandLine;
};

struct AnalysisStats {
  size_t filesListed = 0;
  size_t filesParsed = 0;
  size_t bytesParsed = 0;
};

struct Analysis {
  ProjectModel project;
  std::vector<std::unique_ptr<SourceFile>> sources; // index = project file index
  RunResult run;
  AnalysisStats stats;
};

// Errors: unusable targets or rule names (usage errors, exit code 2).
llvm::Expected<std::unique_ptr<Analysis>> analyze(const AnalysisOptions &options);

} // namespace mpauth
