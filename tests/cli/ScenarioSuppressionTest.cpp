// Team workflow scenarios, suppressions: a suppression with a reason hides its finding (and is
// kept in JSON and SARIF), one without a reason, with an unknown rule or suppressing nothing is
// reported as invalid-suppression; file-level directives; the directive parser itself.
#include "CliTestSupport.h"
#include "support/SarifValidator.h"

#include "analyzer/driver/Suppressions.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

using namespace cli_test;
using cli_test::RunResult;

constexpr const char *kProjectConfig =
    R"({ "miniprogramRoot": "miniprogram/", "cloudfunctionRoot": "cloudfunctions/" })"
    "\n";
constexpr const char *kPackage =
    R"({ "name": "orders", "main": "index.js", "dependencies": { "wx-server-sdk": "~2.6.3" } })"
    "\n";

void writeFunction(const TempDir &dir, const std::string &source) {
  dir.write("project.config.json", kProjectConfig);
  dir.write("cloudfunctions/orders/package.json", kPackage);
  dir.write("cloudfunctions/orders/index.js", source);
}

struct Finding {
  std::string rule, messageId;
  int64_t line = 0;
  bool suppressed = false;
  std::string justification;
};

std::vector<Finding> findingsOf(const RunResult &r) {
  std::vector<Finding> out;
  auto parsed = llvm::json::parse(r.out);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(parsed.takeError()) << "\n" << r.all();
    return out;
  }
  for (const llvm::json::Value &f : *parsed->getAsObject()->getArray("findings")) {
    const llvm::json::Object &o = *f.getAsObject();
    Finding finding;
    finding.rule = o.getString("ruleId")->str();
    finding.messageId = o.getString("messageId")->str();
    finding.line = *o.getInteger("line");
    finding.suppressed = *o.getBoolean("suppressed");
    if (auto j = o.getString("justification"))
      finding.justification = j->str();
    out.push_back(finding);
  }
  return out;
}

// --- the parser ----------------------------------------------------------------------------------

TEST(ScenarioSuppressionParser, ReadsTheThreeForms) {
  auto next = parseSuppressionComment(
      "// mpauth-ignore-next-line hardcoded-env, openid-leak -- reads prod on purpose");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(SuppressionScope::NextLine, next->scope);
  ASSERT_EQ(2u, next->rules.size());
  EXPECT_EQ("hardcoded-env", next->rules[0].id);
  EXPECT_EQ("openid-leak", next->rules[1].id);
  EXPECT_EQ("reads prod on purpose", next->reason);
  // Offsets point into the comment, for a precise location.
  EXPECT_EQ("openid-leak", std::string("// mpauth-ignore-next-line hardcoded-env, openid-leak -- "
                                       "reads prod on purpose")
                               .substr(next->rules[1].offset, next->rules[1].length));

  auto same = parseSuppressionComment("// mpauth-ignore hardcoded-env -- same line");
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(SuppressionScope::SameLine, same->scope);

  auto file = parseSuppressionComment("/* mpauth-ignore-file hardcoded-env -- a migration\n"
                                      " * between two named environments\n */");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(SuppressionScope::File, file->scope);
  EXPECT_EQ("a migration between two named environments", file->reason);

  auto jsdoc = parseSuppressionComment("/** mpauth-ignore-next-line hardcoded-env -- why */");
  ASSERT_TRUE(jsdoc.has_value());
  EXPECT_EQ("why", jsdoc->reason);
}

TEST(ScenarioSuppressionParser, RecordsWhatIsWrong) {
  auto noReason = parseSuppressionComment("// mpauth-ignore-next-line hardcoded-env legacy");
  ASSERT_TRUE(noReason.has_value());
  EXPECT_FALSE(noReason->hasSeparator);
  EXPECT_TRUE(noReason->reason.empty());

  auto empty = parseSuppressionComment("// mpauth-ignore hardcoded-env --   ");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->hasSeparator);
  EXPECT_TRUE(empty->reason.empty());

  auto blanket = parseSuppressionComment("// mpauth-ignore-next-line -- legacy");
  ASSERT_TRUE(blanket.has_value());
  EXPECT_TRUE(blanket->rules.empty());

  auto unknown = parseSuppressionComment("// mpauth-ignore-line hardcoded-env -- x");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->scope.has_value());
  EXPECT_EQ("mpauth-ignore-line", unknown->keyword);

  // Not directives at all.
  EXPECT_FALSE(parseSuppressionComment("// TODO mpauth-ignore-next-line x -- y").has_value());
  EXPECT_FALSE(parseSuppressionComment("// mpauth-ignored because of x").has_value());
  EXPECT_FALSE(parseSuppressionComment("'// mpauth-ignore x -- y'").has_value());
}

// --- end to end ----------------------------------------------------------------------------------

TEST(ScenarioSuppression, WithAReasonTheFindingIsSuppressed) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "// mpauth-ignore-next-line hardcoded-env -- the report reads production\n"
                     "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                     "exports.main = async () => {\n"
                     "  const db = cloud.database({ env: 'prod-7g8h9i0j' }) // mpauth-ignore "
                     "hardcoded-env -- same\n"
                     "  return db.collection('orders').get()\n"
                     "}\n");
  RunResult text = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(text, {0}));
  EXPECT_FALSE(contains(text.out, "[hardcoded-env]")) << text.out;
  EXPECT_TRUE(contains(text.out, "no problems in 1 file, 2 suppressed")) << text.out;

  RunResult json = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(json, {0}));
  std::vector<Finding> findings = findingsOf(json);
  ASSERT_EQ(2u, findings.size()) << json.out;
  EXPECT_TRUE(findings[0].suppressed);
  EXPECT_EQ("the report reads production", findings[0].justification);
  EXPECT_TRUE(findings[1].suppressed);
  EXPECT_EQ("same", findings[1].justification);
}

TEST(ScenarioSuppression, WithoutAReasonNothingIsSuppressedAndItIsReported) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "// mpauth-ignore-next-line hardcoded-env\n"
                     "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                     "exports.main = async () => ({ ok: true })\n");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  std::vector<Finding> findings = findingsOf(r);
  ASSERT_EQ(2u, findings.size()) << r.out;
  EXPECT_EQ("invalid-suppression", findings[0].rule);
  EXPECT_EQ("missing-reason", findings[0].messageId);
  EXPECT_EQ(2, findings[0].line);
  EXPECT_FALSE(findings[0].suppressed);
  EXPECT_EQ("hardcoded-env", findings[1].rule);
  EXPECT_FALSE(findings[1].suppressed);

  RunResult text = runMpauth({"check", dir.path()});
  EXPECT_TRUE(contains(text.out, "cloudfunctions/orders/index.js:2:1: warning: This suppression "
                                 "of hardcoded-env gives no reason"))
      << text.out;
  EXPECT_TRUE(contains(text.out, "[invalid-suppression]")) << text.out;
}

TEST(ScenarioSuppression, UnknownRuleIsReported) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "// mpauth-ignore-next-line hardcoded-envs -- typo\n"
                     "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                     "exports.main = async () => ({ ok: true })\n");
  RunResult r = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  // Located at the rule id inside the comment.
  EXPECT_TRUE(contains(r.out, "index.js:2:28: warning: 'hardcoded-envs' is not an mpauth rule"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "index.js:3:19: warning: cloud.init() hard-codes")) << r.out;
}

TEST(ScenarioSuppression, UnusedSuppressionIsReported) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "// mpauth-ignore-next-line hardcoded-env -- pinned until the migration\n"
                     "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                     "exports.main = async () => ({ ok: true })\n");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  std::vector<Finding> findings = findingsOf(r);
  ASSERT_EQ(1u, findings.size()) << r.out;
  EXPECT_EQ("invalid-suppression", findings[0].rule);
  EXPECT_EQ("unused-next-line", findings[0].messageId);

  // A rule that did not run cannot be judged: no report.
  RunResult disabled =
      runMpauth({"check", "--format", "json", "--disable", "hardcoded-env", dir.path()});
  ASSERT_TRUE(exitedCleanly(disabled, {0}));
  EXPECT_TRUE(findingsOf(disabled).empty()) << disabled.out;
}

TEST(ScenarioSuppression, FileLevelSuppression) {
  TempDir dir;
  writeFunction(dir, "/* mpauth-ignore-file hardcoded-env -- a one-off migration between two "
                     "named environments */\n"
                     "const cloud = require('wx-server-sdk')\n"
                     "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                     "exports.main = async () => cloud.database({ env: 'test-1a2b' })"
                     ".collection('o').get()\n");
  dir.write("cloudfunctions/other/package.json", kPackage);
  dir.write("cloudfunctions/other/index.js", "/* mpauth-ignore-file hardcoded-env -- legacy */\n"
                                             "const cloud = require('wx-server-sdk')\n"
                                             "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                                             "exports.main = async () => ({ ok: true })\n");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  unsigned suppressed = 0, unusedFile = 0;
  for (const Finding &f : findingsOf(r)) {
    suppressed += f.suppressed;
    unusedFile += f.rule == "invalid-suppression" && f.messageId == "unused-file";
  }
  EXPECT_EQ(2u, suppressed) << r.out;
  EXPECT_EQ(1u, unusedFile) << r.out;
}

TEST(ScenarioSuppression, TurningInvalidSuppressionOffKeepsSuppressionsWorking) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "cloud.init({ env: 'prod-1' }) // mpauth-ignore hardcoded-env -- reason\n"
                     "// mpauth-ignore-next-line hardcoded-env -- nothing below\n"
                     "exports.main = async () => ({ ok: true })\n");
  dir.write(".mpauth.json", R"({ "rules": { "invalid-suppression": "off" } })");
  RunResult r = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(contains(r.out, "1 suppressed")) << r.out;
  EXPECT_FALSE(contains(r.out, "invalid-suppression")) << r.out;
}

TEST(ScenarioSuppression, SarifWithSuppressionsAndFixesPassesTheMultitool) {
  TempDir dir;
  writeFunction(dir, "const cloud = require('wx-server-sdk')\n"
                     "// mpauth-ignore-next-line hardcoded-env -- the report reads production\n"
                     "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                     "exports.main = async () => {\n"
                     "  const db = cloud.database({ env: 'prod-7g8h9i0j' })\n"
                     "  return db.collection('orders').get()\n"
                     "}\n"
                     "// mpauth-ignore-next-line no-such-rule -- typo\n");
  RunResult r = runMpauth({"check", "--format", "sarif", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  auto log = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Object &run = *log->getAsObject()->getArray("runs")->front().getAsObject();
  unsigned withSuppression = 0, withFix = 0, invalid = 0;
  for (const llvm::json::Value &result : *run.getArray("results")) {
    const llvm::json::Object &o = *result.getAsObject();
    if (const llvm::json::Array *s = o.getArray("suppressions")) {
      ++withSuppression;
      const llvm::json::Object &first = *s->front().getAsObject();
      EXPECT_EQ("inSource", first.getString("kind")->str());
      EXPECT_EQ("the report reads production", first.getString("justification")->str());
    }
    withFix += o.getArray("fixes") != nullptr;
    invalid += o.getString("ruleId")->str() == "invalid-suppression";
  }
  EXPECT_EQ(1u, withSuppression);
  EXPECT_EQ(2u, withFix); // the suppressed finding keeps its fix in SARIF
  EXPECT_EQ(1u, invalid);

  auto problems = testing::validateSarif(r.out);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n"
                                 << testing::listedProblems(*problems);
}

} // namespace
} // namespace mpauth
