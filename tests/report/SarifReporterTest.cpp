#include "report/Golden.h"
#include "report/JsonAccess.h"
#include "report/SampleRun.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

namespace mpauth::report_test {
namespace {

using llvm::json::Array;
using llvm::json::Object;

// Owns the parsed log; run() is runs[0].
struct ParsedSarif {
  llvm::json::Value root = nullptr;
  const Object &run() const { return *root.getAsObject()->getArray("runs")->front().getAsObject(); }
  const Object &result(size_t i) const { return *(*run().getArray("results"))[i].getAsObject(); }
};

ParsedSarif parseSarif(const RunResult &run) {
  std::string out = render(*makeSarifReporter(), run);
  auto parsed = llvm::json::parse(out);
  if (!parsed) {
    ADD_FAILURE() << "invalid JSON: " << llvm::toString(parsed.takeError()) << "\n" << out;
    return {};
  }
  return {std::move(*parsed)};
}

const Object &physicalLocation(const Object &withLocation) {
  return *withLocation.getObject("physicalLocation");
}

TEST(SarifReporter, MatchesGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.sarif", render(*makeSarifReporter(), sample->run));
}

TEST(SarifReporter, LogHeader) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);
  const Object &root = *sarif.root.getAsObject();
  EXPECT_EQ(str(root, "version"), "2.1.0");
  EXPECT_EQ(str(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(str(sarif.run(), "columnKind"), "unicodeCodePoints");
  const Object &driver = *sarif.run().getObject("tool")->getObject("driver");
  EXPECT_EQ(str(driver, "name"), "mpauth");
  ASSERT_EQ(driver.getArray("rules")->size(), 2u);
}

TEST(SarifReporter, RuleIndexPointsAtTheResultsRule) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);
  const Array &rules = *sarif.run().getObject("tool")->getObject("driver")->getArray("rules");
  const Array &results = *sarif.run().getArray("results");
  ASSERT_EQ(results.size(), sample->run.diagnostics.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const Object &result = *results[i].getAsObject();
    auto index = result.getInteger("ruleIndex");
    ASSERT_TRUE(index) << "result " << i;
    ASSERT_LT(static_cast<size_t>(*index), rules.size());
    EXPECT_EQ(str(*rules[*index].getAsObject(), "id"), str(result, "ruleId"));
    EXPECT_EQ(str(result, "ruleId"), sample->run.diagnostics[i].rule->id);
  }
  EXPECT_EQ(num(sarif.result(1), "ruleIndex"), 1); // openid-leak is the second rule
  EXPECT_EQ(num(sarif.result(0), "ruleIndex"), 0);
}

TEST(SarifReporter, RuleMetadata) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);
  const Array &rules = *sarif.run().getObject("tool")->getObject("driver")->getArray("rules");
  const Object &env = *rules[0].getAsObject();
  EXPECT_EQ(str(env, "name"), "HardcodedEnv");
  EXPECT_EQ(str(env, "helpUri"),
            "https://github.com/mpauth/mpauth/blob/main/docs/rules/hardcoded-env.md");
  EXPECT_EQ(str(*env.getObject("defaultConfiguration"), "level"), "warning");
  const Object &properties = *env.getObject("properties");
  EXPECT_EQ(str(properties, "security-severity"), "5.3");
  EXPECT_EQ(str(properties, "precision"), "very-high");
  EXPECT_EQ(str(properties, "problem.severity"), "warning");
  // help.text is the plain-text rendering of the markdown page.
  const Object &help = *env.getObject("help");
  EXPECT_EQ(str(help, "markdown"), kHardcodedEnv.helpMarkdown);
  llvm::StringRef plain = *help.getString("text");
  EXPECT_FALSE(plain.contains("```"));
  EXPECT_FALSE(plain.contains("**"));
  EXPECT_TRUE(plain.contains("    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })"));
  EXPECT_TRUE(plain.contains("See cloud.init (https://"));
  // Without a help page, help is the description in plain text only.
  const Object &leakHelp = *(*rules[1].getAsObject()).getObject("help");
  EXPECT_EQ(str(leakHelp, "text"), kOpenidLeak.description);
  EXPECT_FALSE(leakHelp.get("markdown"));
}

TEST(SarifReporter, LocationsAreRelativeToSrcRoot) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);
  const Object &base = *sarif.run().getObject("originalUriBaseIds")->getObject("%SRCROOT%");
  EXPECT_EQ(str(base, "uri"), "file:///home/user/project/");
  const Object &artifact =
      *physicalLocation(*sarif.result(1).getArray("locations")->front().getAsObject())
           .getObject("artifactLocation");
  EXPECT_EQ(str(artifact, "uri"), "cloudfunctions/login/index.js");
  EXPECT_EQ(str(artifact, "uriBaseId"), "%SRCROOT%");
}

TEST(SarifReporter, PercentEncodesSpacesAndNonAscii) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);
  const Object &artifact =
      *physicalLocation(*sarif.result(3).getArray("locations")->front().getAsObject())
           .getObject("artifactLocation");
  // 获 = E8 8E B7, 取 = E5 8F 96 in UTF-8.
  EXPECT_EQ(str(artifact, "uri"), "cloudfunctions/%E8%8E%B7%E5%8F%96%20openid/index.js");

  EXPECT_EQ(encodeUriPath("a b/c%d#e?f:g/ok-._~"), "a%20b/c%25d%23e%3Ff%3Ag/ok-._~");
  EXPECT_EQ(directoryFileUri("/home/user/my project"), "file:///home/user/my%20project/");
  EXPECT_EQ(directoryFileUri("/home/user/项目/"), "file:///home/user/%E9%A1%B9%E7%9B%AE/");
  EXPECT_EQ(directoryFileUri("C:\\src\\app"), "file:///C:/src/app/");
  EXPECT_EQ(directoryFileUri("/"), "file:///");
}

TEST(SarifReporter, ResultDetails) {
  auto sample = makeSampleRun();
  ParsedSarif sarif = parseSarif(sample->run);

  const Object &leak = sarif.result(1);
  EXPECT_EQ(str(leak, "level"), "error");
  EXPECT_EQ(str(*leak.getObject("partialFingerprints"), "mpauth/v1"),
            findingFingerprint(sample->run, sample->run.diagnostics[1]));
  const Object &region =
      *physicalLocation(*leak.getArray("locations")->front().getAsObject()).getObject("region");
  EXPECT_EQ(num(region, "startLine"), 9);
  EXPECT_EQ(num(region, "startColumn"), 53);
  EXPECT_EQ(num(region, "endLine"), 9);
  EXPECT_EQ(num(region, "endColumn"), 59);
  const Object &related = *leak.getArray("relatedLocations")->front().getAsObject();
  EXPECT_EQ(num(related, "id"), 1);
  EXPECT_EQ(str(*related.getObject("message"), "text"), "'axios' is an HTTP client.");
  const Array &steps = *leak.getArray("codeFlows")
                            ->front()
                            .getAsObject()
                            ->getArray("threadFlows")
                            ->front()
                            .getAsObject()
                            ->getArray("locations");
  ASSERT_EQ(steps.size(), 3u);
  const Object &source = *steps[0].getAsObject()->getObject("location");
  EXPECT_EQ(str(*source.getObject("message"), "text"),
            "The caller's OPENID is read from the WeChat context.");
  EXPECT_EQ(num(*physicalLocation(source).getObject("region"), "startLine"), 8);
  EXPECT_FALSE(leak.get("fixes"));
  EXPECT_FALSE(leak.get("suppressions"));

  // An insertion: an empty deleted region at the insertion point.
  const Object &insertion = *sarif.result(2)
                                 .getArray("fixes")
                                 ->front()
                                 .getAsObject()
                                 ->getArray("artifactChanges")
                                 ->front()
                                 .getAsObject()
                                 ->getArray("replacements")
                                 ->front()
                                 .getAsObject();
  const Object &deleted = *insertion.getObject("deletedRegion");
  EXPECT_EQ(num(deleted, "startColumn"), num(deleted, "endColumn"));
  EXPECT_EQ(str(*insertion.getObject("insertedContent"), "text"),
            "{ env: cloud.DYNAMIC_CURRENT_ENV }");
  EXPECT_EQ(str(sarif.result(2), "level"), "note");

  // Suppressed results stay in the log, marked.
  const Object &suppression = *sarif.result(3).getArray("suppressions")->front().getAsObject();
  EXPECT_EQ(str(suppression, "kind"), "inSource");
  EXPECT_EQ(str(suppression, "justification"), "测试环境专用, never deployed");
}

TEST(SarifReporter, Invocation) {
  auto sample = makeSampleRun();
  sample->run.executionSuccessful = false;
  ParsedSarif sarif = parseSarif(sample->run);
  const Object &invocation = *sarif.run().getArray("invocations")->front().getAsObject();
  EXPECT_EQ(flag(invocation, "executionSuccessful"), "false");
  const Array &notifications = *invocation.getArray("toolExecutionNotifications");
  ASSERT_EQ(notifications.size(), 2u);
  const Object &parse = *notifications[0].getAsObject();
  EXPECT_EQ(str(parse, "level"), "warning");
  EXPECT_EQ(str(*parse.getObject("descriptor"), "id"), "parse-error");
  const Object &where = physicalLocation(*parse.getArray("locations")->front().getAsObject());
  EXPECT_EQ(num(*where.getObject("region"), "startLine"), 12);
  EXPECT_FALSE(notifications[1].getAsObject()->get("locations"));
}

// A location outside the run's file table is a caller's bug; the log must stay readable and
// never claim line 0.
TEST(SarifReporter, LocationOutsideTheFileTableIsLeftOut) {
  auto sample = makeEmptyRun();
  Diagnostic d;
  d.rule = &kOpenidLeak;
  d.message = "Nowhere.";
  d.primary = Location{7, 0, 1};
  d.related = {{Location{7, 0, 1}, "Also nowhere."}};
  sample->run.diagnostics.push_back(d);
  ParsedSarif sarif = parseSarif(sample->run);
  EXPECT_FALSE(sarif.result(0).get("locations"));
  EXPECT_EQ(sarif.result(0).getArray("relatedLocations")->size(), 0u);
  std::string text = render(*makeTextReporter({.quiet = true}), sample->run);
  EXPECT_EQ(text, "<unknown>: warning: Nowhere. [openid-leak]\n<unknown>: note: Also nowhere.\n");
}

} // namespace
} // namespace mpauth::report_test
