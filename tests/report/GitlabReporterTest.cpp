#include "report/Golden.h"
#include "report/JsonAccess.h"
#include "report/SampleRun.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

#include <set>

namespace mpauth::report_test {
namespace {

llvm::json::Array parseIssues(const std::string &text) {
  auto value = llvm::json::parse(text);
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    return {};
  }
  llvm::json::Array *issues = value->getAsArray();
  if (!issues) {
    ADD_FAILURE() << "a Code Quality report is a JSON array";
    return {};
  }
  return std::move(*issues);
}

TEST(GitlabReporter, MatchesGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.gitlab.json", render(*makeGitlabReporter(), sample->run));
}

// What GitLab itself reads from each issue, and nothing it would reject.
TEST(GitlabReporter, EveryIssueHasWhatGitlabReads) {
  auto sample = makeSampleRun();
  llvm::json::Array issues = parseIssues(render(*makeGitlabReporter(), sample->run));
  ASSERT_EQ(3u, issues.size()) << "three findings, the suppressed one omitted";
  const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
  for (const llvm::json::Value &value : issues) {
    const llvm::json::Object *issue = value.getAsObject();
    ASSERT_NE(nullptr, issue);
    EXPECT_FALSE(str(*issue, "description").empty());
    EXPECT_TRUE(severities.count(str(*issue, "severity"))) << str(*issue, "severity");
    EXPECT_EQ(32u, str(*issue, "fingerprint").size());
    const llvm::json::Object *location = issue->getObject("location");
    ASSERT_NE(nullptr, location);
    EXPECT_EQ(std::string::npos, str(*location, "path").find("/home/")) << "paths are relative";
    const llvm::json::Object *lines = location->getObject("lines");
    ASSERT_NE(nullptr, lines);
    EXPECT_GE(num(*lines, "begin"), 1);
  }
  EXPECT_EQ("hardcoded-env", str(*issues[0].getAsObject(), "check_name"));
  EXPECT_EQ("major", str(*issues[0].getAsObject(), "severity"));
  EXPECT_EQ("openid-leak", str(*issues[1].getAsObject(), "check_name"));
  EXPECT_EQ("critical", str(*issues[1].getAsObject(), "severity"));
  EXPECT_EQ("info", str(*issues[2].getAsObject(), "severity"));
}

TEST(GitlabReporter, SuppressedFindingsAreOmitted) {
  auto sample = makeSampleRun();
  std::string out = render(*makeGitlabReporter(), sample->run);
  EXPECT_EQ(out.find("test-9z8y"), std::string::npos);
  EXPECT_EQ(out.find("获取 openid"), std::string::npos);
}

TEST(GitlabReporter, FingerprintsEqualTheJsonAndSarifOnes) {
  auto sample = makeSampleRun();
  llvm::json::Array issues = parseIssues(render(*makeGitlabReporter(), sample->run));
  ASSERT_EQ(3u, issues.size());
  EXPECT_EQ(findingFingerprint(sample->run, sample->run.diagnostics[0]),
            str(*issues[0].getAsObject(), "fingerprint"));
}

// The same statement written three times in one file hashes alike; GitLab keeps one issue per
// fingerprint, so the repeats get fingerprints of their own, stable from run to run.
TEST(GitlabReporter, EveryFingerprintIsUniqueEvenForRepeatedCode) {
  auto sample = makeSampleRun();
  uint32_t file =
      sample->addFile("cloudfunctions/copies/index.js", "cloud.init({ env: 'dup-1' })\n"
                                                        "cloud.init({ env: 'dup-1' })\n"
                                                        "cloud.init({ env: 'dup-1' })\n");
  for (unsigned i = 0; i < 3; ++i) {
    Diagnostic d;
    d.rule = &kHardcodedEnv;
    d.severity = Severity::Warning;
    d.message = "Environment id 'dup-1' is hard-coded.";
    d.primary = sample->find(file, "'dup-1'", i);
    d.context = sample->find(file, "cloud.init({ env: 'dup-1' })", i);
    sample->run.diagnostics.push_back(d);
  }
  ASSERT_EQ(findingFingerprint(sample->run, sample->run.diagnostics[4]),
            findingFingerprint(sample->run, sample->run.diagnostics[6]))
      << "the premise: repeated code hashes alike";

  std::string first = render(*makeGitlabReporter(), sample->run);
  llvm::json::Array issues = parseIssues(first);
  ASSERT_EQ(6u, issues.size());
  std::set<std::string> fingerprints;
  for (const llvm::json::Value &issue : issues)
    EXPECT_TRUE(fingerprints.insert(str(*issue.getAsObject(), "fingerprint")).second)
        << "duplicate fingerprint " << str(*issue.getAsObject(), "fingerprint");
  EXPECT_EQ(first, render(*makeGitlabReporter(), sample->run)) << "stable from run to run";
}

TEST(GitlabReporter, AnEmptyRunIsAnEmptyArray) {
  auto sample = makeEmptyRun();
  EXPECT_EQ("[]\n", render(*makeGitlabReporter(), sample->run));
}

} // namespace
} // namespace mpauth::report_test
