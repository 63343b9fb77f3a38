// A hand-built run that exercises every part of a report: a plain finding, a fix, an insertion
// fix in a file with a BOM, related locations and a data flow on a CRLF line after CJK text,
// a suppressed finding in a path with a space and CJK characters, and tool notifications.
#pragma once

#include "analyzer/report/Reporter.h"
#include "analyzer/source/SourceFile.h"

#include <memory>
#include <string>
#include <vector>

namespace mpauth::report_test {

extern const RuleDescriptor kHardcodedEnv; // run.rules[0]
extern const RuleDescriptor kOpenidLeak;   // run.rules[1]

// The fake project root that stands for this machine's paths in golden files.
inline constexpr const char *kFakeSrcRoot = "/home/user/project";

// Owns the files the run points at.
struct SampleRun {
  std::vector<std::unique_ptr<SourceFile>> files;
  RunResult run;

  // Adds a file to the run's file table; returns its index.
  uint32_t addFile(std::string path, std::string text);
  // The byte range of the `occurrence`-th (0-based) `needle` in file `file`; fails the
  // current test when there is no such occurrence.
  Location find(uint32_t file, llvm::StringRef needle, unsigned occurrence = 0) const;
};

// An empty run (two rules, no files) that tests fill in themselves.
std::unique_ptr<SampleRun> makeEmptyRun();
// The full sample described above.
std::unique_ptr<SampleRun> makeSampleRun();

// Renders `run` with `reporter` into a string.
std::string render(Reporter &reporter, const RunResult &run);

} // namespace mpauth::report_test
