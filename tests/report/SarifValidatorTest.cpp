// Runs the SARIF Multitool (npm @microsoft/sarif-multitool-linux, a devDependency) on the
// SARIF of the richest sample run, with GitHub code scanning's ingestion rules. Any error or
// warning it reports fails the test; notes are advice and are accepted.
#include "support/SarifValidator.h"
#include "report/SampleRun.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "gtest/gtest.h"

namespace mpauth::report_test {
namespace {

using mpauth::testing::listedProblems;
using mpauth::testing::validateSarif;

TEST(SarifValidator, SampleRunHasNoErrorsOrWarnings) {
  auto sample = makeSampleRun();
  auto problems = validateSarif(render(*makeSarifReporter(), sample->run));
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

TEST(SarifValidator, EmptyRunHasNoErrorsOrWarnings) {
  auto sample = makeEmptyRun();
  sample->run.srcRoot.clear();
  sample->run.commandLine.clear();
  auto problems = validateSarif(render(*makeSarifReporter(), sample->run));
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

// The harness itself must be able to fail: a log with a known defect is reported.
TEST(SarifValidator, ReportsADefectiveLog) {
  const char *defective = R"({
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "mpauth", "rules": [{"id": "hardcoded-env"}]}},
    "results": [{
      "ruleId": "hardcoded-env",
      "ruleIndex": 4,
      "message": {"text": "no period"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "C:\\abs path"}}}]
    }]
  }]
})";
  auto problems = validateSarif(defective);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  std::string report = listedProblems(*problems);
  EXPECT_NE(report.find("SARIF1009 error:"), std::string::npos) << report; // ruleIndex 4
  EXPECT_NE(report.find("SARIF1002 error:"), std::string::npos) << report; // "C:\\abs path"
  EXPECT_NE(report.find("'C:\\abs path' is not a valid URI"), std::string::npos) << report;
  EXPECT_NE(report.find("GH2012"), std::string::npos) << report; // no shortDescription
}

} // namespace
} // namespace mpauth::report_test
