// Team workflow scenarios, baselines: a baseline survives lines inserted above its findings, a
// new finding still fails, stale entries are listed, identical findings count one by one, and
// a run on a few named files does not call the rest of the baseline stale.
#include "CliTestSupport.h"
#include "support/SarifValidator.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

using namespace cli_test;
using cli_test::RunResult;

// Four hardcoded-env warnings in cloudfunctions/orders and cloudfunctions/stats.
void writeProject(TempDir &dir) {
  dir.copyFixture("hardcoded-env/literal-env");
}

std::string insertAtTop(const std::string &text, unsigned lines) {
  std::string padding;
  for (unsigned i = 0; i < lines; ++i)
    padding += "// a line added above the findings (" + std::to_string(i) + ")\n";
  return padding + text;
}

llvm::json::Array entriesOf(const std::string &baselineText) {
  auto parsed = llvm::json::parse(baselineText);
  if (!parsed) {
    ADD_FAILURE() << llvm::toString(parsed.takeError());
    return {};
  }
  const llvm::json::Object *top = parsed->getAsObject();
  EXPECT_EQ(1, top->getInteger("version").getValueOr(0));
  return *top->getArray("findings");
}

TEST(ScenarioBaseline, SurvivesLinesInsertedAboveAndANewFindingStillFails) {
  TempDir dir;
  writeProject(dir);
  std::string baseline = dir.path("baseline.json");
  RunResult written = runMpauth({"check", "--write-baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(written, {0}));
  EXPECT_TRUE(contains(written.err, "wrote 4 findings to the baseline")) << written.err;
  llvm::json::Array entries = entriesOf(readFile(baseline));
  ASSERT_EQ(4u, entries.size());
  for (const llvm::json::Value &e : entries) {
    const llvm::json::Object &o = *e.getAsObject();
    EXPECT_EQ("hardcoded-env", o.getString("rule")->str());
    EXPECT_TRUE(o.getString("path")->startswith("cloudfunctions/"));
    EXPECT_EQ(32u, o.getString("fingerprint")->size());
  }

  std::string index = dir.path("cloudfunctions/orders/index.js");
  dir.write("cloudfunctions/orders/index.js", insertAtTop(readFile(index), 20));
  RunResult after = runMpauth({"check", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(after, {0}));
  EXPECT_TRUE(contains(after.out, "no problems in 2 files, 4 baselined")) << after.out;
  EXPECT_FALSE(contains(after.out, "stale-baseline")) << after.out;

  // A new finding is not in the baseline.
  dir.write("cloudfunctions/orders/index.js",
            readFile(index) + "cloud.updateConfig({ env: 'test-9z8y' })\n");
  RunResult fresh = runMpauth({"check", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(fresh, {1}));
  EXPECT_TRUE(contains(fresh.out, "index.js:29:27: warning: cloud.updateConfig() hard-codes the "
                                  "environment 'test-9z8y'"))
      << fresh.out;
  EXPECT_TRUE(contains(fresh.out, "1 problem (1 warning) in 2 files, 4 baselined")) << fresh.out;
}

TEST(ScenarioBaseline, StaleEntriesAreListed) {
  TempDir dir;
  writeProject(dir);
  std::string baseline = dir.path("baseline.json");
  ASSERT_TRUE(exitedCleanly(runMpauth({"check", "--write-baseline", baseline, dir.path()}), {0}));
  // Fix one finding by hand.
  std::string index = dir.path("cloudfunctions/orders/index.js");
  std::string text = readFile(index);
  size_t at = text.find("{ env: 'prod-7g8h9i0j' }");
  ASSERT_NE(std::string::npos, at);
  text.replace(at, 24, "{ env: cloud.DYNAMIC_CURRENT_ENV }");
  dir.write("cloudfunctions/orders/index.js", text);

  RunResult r = runMpauth({"check", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(contains(r.err, "1 entry of " + baseline + " no longer matches a finding")) << r.err;
  EXPECT_TRUE(contains(r.out, "cloudfunctions/orders/index.js: note: the hardcoded-env baseline "
                              "entry (line 3 when the baseline was written)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "[mpauth:stale-baseline]")) << r.out;
  EXPECT_TRUE(contains(r.out, "3 baselined")) << r.out;

  // Machine formats carry it as a note-level tool notification.
  RunResult json = runMpauth({"check", "--format", "json", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(json, {0}));
  auto parsed = llvm::json::parse(json.out);
  ASSERT_TRUE(bool(parsed));
  unsigned stale = 0;
  for (const llvm::json::Value &n : *parsed->getAsObject()->getArray("notifications")) {
    const llvm::json::Object &o = *n.getAsObject();
    if (o.getString("id")->str() == "stale-baseline") {
      ++stale;
      EXPECT_EQ("note", o.getString("level")->str());
      EXPECT_EQ("cloudfunctions/orders/index.js", o.getString("path")->str());
    }
  }
  EXPECT_EQ(1u, stale);
  RunResult sarif = runMpauth({"check", "--format", "sarif", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(sarif, {0}));
  EXPECT_TRUE(contains(sarif.out, "stale-baseline")) << sarif.out;
  auto problems = testing::validateSarif(sarif.out);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << testing::listedProblems(*problems);

  // A run on other files does not judge this file's entries.
  RunResult named =
      runMpauth({"check", "--baseline", baseline, dir.path("cloudfunctions/stats/index.js")});
  ASSERT_TRUE(exitedCleanly(named, {0}));
  EXPECT_FALSE(contains(named.all(), "stale-baseline")) << named.all();
  EXPECT_FALSE(contains(named.err, "no longer matches")) << named.err;
}

TEST(ScenarioBaseline, IdenticalFindingsAreCountedOneByOne) {
  TempDir dir;
  dir.write("project.config.json", R"({ "cloudfunctionRoot": "cloudfunctions/" })");
  dir.write("cloudfunctions/copy/package.json",
            R"({ "name": "copy", "dependencies": { "wx-server-sdk": "~2.6.3" } })");
  std::string line = "  cloud.updateConfig({ env: 'prod-1a2b' })\n";
  std::string head = "const cloud = require('wx-server-sdk')\n"
                     "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                     "exports.main = async () => {\n";
  dir.write("cloudfunctions/copy/index.js", head + line + line + "}\n");
  std::string baseline = dir.path("baseline.json");
  ASSERT_TRUE(exitedCleanly(runMpauth({"check", "--write-baseline", baseline, dir.path()}), {0}));
  llvm::json::Array entries = entriesOf(readFile(baseline));
  ASSERT_EQ(2u, entries.size());
  EXPECT_EQ(*entries[0].getAsObject()->getString("fingerprint"),
            *entries[1].getAsObject()->getString("fingerprint"));

  // A third copy of the same statement is a new finding.
  dir.write("cloudfunctions/copy/index.js", head + line + line + line + "}\n");
  RunResult r = runMpauth({"check", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_TRUE(contains(r.out, "1 problem (1 warning) in 1 file, 2 baselined")) << r.out;

  // One copy fewer: one stale entry.
  dir.write("cloudfunctions/copy/index.js", head + line + "}\n");
  RunResult fewer = runMpauth({"check", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(fewer, {0}));
  EXPECT_TRUE(contains(fewer.err, "1 entry of")) << fewer.err;
}

TEST(ScenarioBaseline, UnreadableBaselineIsAUsageError) {
  TempDir dir;
  writeProject(dir);
  RunResult missing = runMpauth({"check", "--baseline", dir.path("none.json"), dir.path()});
  EXPECT_TRUE(exitedCleanly(missing, {2}));
  EXPECT_TRUE(contains(missing.err, "none.json: cannot read the baseline")) << missing.err;

  dir.write("broken.json", "{ \"version\": 1, \"findings\": [ { \"rule\": 3 } ] }");
  RunResult broken = runMpauth({"check", "--baseline", dir.path("broken.json"), dir.path()});
  EXPECT_TRUE(exitedCleanly(broken, {2}));
  EXPECT_TRUE(contains(broken.err, "broken.json: findings[0].rule: expected a string"))
      << broken.err;

  dir.write("future.json", "{ \"version\": 7, \"findings\": [] }");
  RunResult future = runMpauth({"check", "--baseline", dir.path("future.json"), dir.path()});
  EXPECT_TRUE(exitedCleanly(future, {2}));
  EXPECT_TRUE(contains(future.err, "future.json: version:")) << future.err;
}

} // namespace
} // namespace mpauth
