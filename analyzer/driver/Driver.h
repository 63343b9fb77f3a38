// The driver: runs the pipeline (project -> per-file parse, facts, rule checks -> project-wide
// join -> diagnostics) and hands a RunResult to the reporters.
#pragma once

#include "analyzer/config/Config.h"
#include "analyzer/driver/Suppressions.h"
#include "analyzer/project/Project.h"
#include "analyzer/report/Reporter.h"
#include "analyzer/source/SourceFile.h"

#include "llvm/Support/Error.h"

#include <map>
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
  // Configuration (docs/configuration.md): `configFile` when given (--config), else with
  // `findConfig` the nearest .mpauth.json from the project root upward, else none.
  std::string configFile;
  bool findConfig = false;
  // Contents that replace the files on disk, by absolute path: --stdin-filename, and the
  // passes of --fix, which re-analyze fixed text before anything is written. A path here is a
  // file of the project even when it does not exist on disk yet.
  std::map<std::string, std::string> contents;
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
  Config config;                                  // what was read; path empty when none
  std::vector<std::string_view> rulesRun;         // ids of the rules that ran
  std::vector<SuppressionDirective> suppressions; // every directive of the parsed files
};

// Errors: unusable targets, rule names or configuration (usage errors, exit code 2).
llvm::Expected<std::unique_ptr<Analysis>> analyze(const AnalysisOptions &options);

} // namespace mpauth
