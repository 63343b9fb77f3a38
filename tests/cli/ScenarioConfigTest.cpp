// Team workflow scenarios, configuration: `.mpauth.json` found upward from the project root or
// named by --config, turning rules off and changing severities, errors that name the file and
// the key (exit code 2), `mpauth init`, and the shipped JSON Schema.
#include "CliTestSupport.h"

#include "analyzer/config/Config.h"
#include "analyzer/driver/Driver.h"
#include "rules/Registry.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace mpauth {
namespace {

using namespace cli_test;
using cli_test::RunResult;

constexpr const char *kProjectConfig =
    R"({ "miniprogramRoot": "miniprogram/", "cloudfunctionRoot": "cloudfunctions/" })"
    "\n";

std::string sdkPackage(const std::string &name, const std::string &spec) {
  return R"({ "name": ")" + name +
         R"(", "main": "index.js", "dependencies": { "wx-server-sdk": ")" + spec + "\" } }\n";
}

// One cloud function with a literal env (a warning) and one on wx-server-sdk 4.x without env
// (hardcoded-env's version-dependent note).
void writeProject(const TempDir &dir) {
  dir.write("project.config.json", kProjectConfig);
  dir.write("cloudfunctions/orders/package.json", sdkPackage("orders", "~2.6.3"));
  dir.write("cloudfunctions/orders/index.js", "const cloud = require('wx-server-sdk')\n"
                                              "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                                              "exports.main = async () => ({ ok: true })\n");
  dir.write("cloudfunctions/modern/package.json", sdkPackage("modern", "^4.0.0"));
  dir.write("cloudfunctions/modern/index.js", "const cloud = require('wx-server-sdk')\n"
                                              "cloud.init()\n"
                                              "exports.main = async () => ({ ok: true })\n");
}

// rule id -> severities of its reported findings, from `--format json`.
std::multimap<std::string, std::string> findingsOf(const RunResult &r) {
  std::multimap<std::string, std::string> out;
  auto parsed = llvm::json::parse(r.out);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(parsed.takeError()) << "\n" << r.all();
    return out;
  }
  for (const llvm::json::Value &f : *parsed->getAsObject()->getArray("findings")) {
    const llvm::json::Object &o = *f.getAsObject();
    if (o.getBoolean("suppressed").getValueOr(false))
      continue;
    out.emplace(o.getString("ruleId")->str(), o.getString("severity")->str());
  }
  return out;
}

std::vector<std::string> severitiesOf(const std::multimap<std::string, std::string> &findings,
                                      const std::string &rule) {
  std::vector<std::string> out;
  auto [begin, end] = findings.equal_range(rule);
  for (auto it = begin; it != end; ++it)
    out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ScenarioConfig, WithoutConfigurationTheDefaultsApply) {
  TempDir dir;
  writeProject(dir);
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_EQ((std::vector<std::string>{"note", "warning"}),
            severitiesOf(findingsOf(r), "hardcoded-env"));
}

TEST(ScenarioConfig, TurnsARuleOff) {
  TempDir dir;
  writeProject(dir);
  dir.write(".mpauth.json", R"({ "rules": { "hardcoded-env": "off" } })");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(severitiesOf(findingsOf(r), "hardcoded-env").empty()) << r.out;

  // The command line wins: --enable runs the rule the file turns off.
  RunResult enabled =
      runMpauth({"check", "--format", "json", "--enable", "hardcoded-env", dir.path()});
  ASSERT_TRUE(exitedCleanly(enabled, {1}));
  EXPECT_EQ(2u, severitiesOf(findingsOf(enabled), "hardcoded-env").size());
}

TEST(ScenarioConfig, RaisingASeverityKeepsTheDeliberatelyLowerTier) {
  TempDir dir;
  writeProject(dir);
  dir.write(".mpauth.json", R"({ "rules": { "hardcoded-env": "error" } })");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  // The literal env (default tier) becomes an error; the 4.x note stays a note.
  EXPECT_EQ((std::vector<std::string>{"error", "note"}),
            severitiesOf(findingsOf(r), "hardcoded-env"));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "error", dir.path()}), {1}));
}

TEST(ScenarioConfig, LoweringASeverityIsACeiling) {
  TempDir dir;
  writeProject(dir);
  dir.write(".mpauth.json", R"({ "rules": { "hardcoded-env": "note" } })");
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  // Notes do not fail the build at the default --fail-on warning.
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_EQ((std::vector<std::string>{"note", "note"}),
            severitiesOf(findingsOf(r), "hardcoded-env"));
}

TEST(ScenarioConfig, SeverityOverrideSemantics) {
  using S = Severity;
  // Default tier -> the configured severity.
  EXPECT_EQ(S::Error, configuredSeverity(S::Warning, S::Warning, S::Error));
  EXPECT_EQ(S::Note, configuredSeverity(S::Warning, S::Warning, S::Note));
  EXPECT_EQ(S::Error, configuredSeverity(S::Note, S::Note, S::Error));
  // Lowering is a ceiling, also for escalated findings.
  EXPECT_EQ(S::Note, configuredSeverity(S::Error, S::Warning, S::Note));
  EXPECT_EQ(S::Warning, configuredSeverity(S::Error, S::Error, S::Warning));
  // Raising keeps escalations and the deliberately lower tier.
  EXPECT_EQ(S::Error, configuredSeverity(S::Error, S::Warning, S::Error));
  EXPECT_EQ(S::Note, configuredSeverity(S::Note, S::Warning, S::Error));
  // Setting the default changes nothing.
  EXPECT_EQ(S::Error, configuredSeverity(S::Error, S::Warning, S::Warning));
  EXPECT_EQ(S::Note, configuredSeverity(S::Note, S::Warning, S::Warning));
}

TEST(ScenarioConfig, NearestFileFromTheProjectRootUpwardWins) {
  TempDir dir;
  writeProject(dir);
  // Above the project root: applies.
  TempDir outer;
  outer.write(".mpauth.json", R"({ "rules": { "hardcoded-env": "off" } })");
  outer.copyFixture("hardcoded-env/literal-env", "app");
  RunResult above = runMpauth({"check", outer.path("app")});
  ASSERT_TRUE(exitedCleanly(above, {0}));
  EXPECT_TRUE(contains(above.out, "configuration: ")) << above.out;

  // One in the project root is nearer and wins.
  outer.write("app/.mpauth.json", R"({ "rules": { "hardcoded-env": "error" } })");
  RunResult nearer = runMpauth({"check", "--format", "json", outer.path("app")});
  ASSERT_TRUE(exitedCleanly(nearer, {1}));
  for (const std::string &severity : severitiesOf(findingsOf(nearer), "hardcoded-env"))
    EXPECT_EQ("error", severity);

  // The project root is found from a file target: the file applies to it too.
  RunResult named =
      runMpauth({"check", outer.path("app/cloudfunctions/orders/index.js"), "--format", "json"});
  ASSERT_TRUE(exitedCleanly(named, {1}));
  EXPECT_EQ((std::vector<std::string>{"error", "error"}),
            severitiesOf(findingsOf(named), "hardcoded-env"));

  // --config overrides the search.
  outer.write("strict.json", R"({ "rules": { "hardcoded-env": "off" } })");
  EXPECT_TRUE(exitedCleanly(
      runMpauth({"check", "--config", outer.path("strict.json"), outer.path("app")}), {0}));
}

struct BadConfig {
  const char *name;
  const char *text;
  const char *expected; // what stderr must say after the file name
};

TEST(ScenarioConfig, ErrorsNameTheFileAndTheKeyWithExitCode2) {
  const BadConfig cases[] = {
      {"bad severity", R"({ "rules": { "hardcoded-env": "warn" } })",
       R"(.mpauth.json: rules.hardcoded-env: expected one of "off", "note", "warning", "error")"},
      {"unknown rule", R"({ "rules": { "hardcoded-envs": "error" } })",
       ".mpauth.json: rules.hardcoded-envs: unknown rule (did you mean \"hardcoded-env\"?)"},
      {"unknown key", R"({ "rulez": {} })", ".mpauth.json: rulez: unknown key"},
      {"nested unknown key", R"({ "roots": { "pluginRoot": "x" } })",
       ".mpauth.json: roots.pluginRoot: unknown key"},
      {"wrong type", R"({ "ignore": "dist/**" })",
       ".mpauth.json: ignore: expected an array of strings, got a string"},
      {"wrong item type", R"({ "asyncApis": ["api.request", 3] })",
       ".mpauth.json: asyncApis[1]: expected a string, got a number"},
      {"bad glob", R"({ "ignore": ["[z-a]"] })", ".mpauth.json: ignore[0]: invalid glob"},
      {"broken JSON", "{ \"rules\": {\n  \"hardcoded-env\": \"error\",\n}\n",
       ".mpauth.json:3:1: invalid JSON"},
      {"not an object", "[]", ".mpauth.json: expected a JSON object at the top level"},
  };
  for (const BadConfig &c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    writeProject(dir);
    dir.write(".mpauth.json", c.text);
    RunResult r = runMpauth({"check", dir.path()});
    EXPECT_TRUE(exitedCleanly(r, {2}));
    EXPECT_TRUE(contains(r.err, c.expected)) << r.err;
    EXPECT_TRUE(r.out.empty()) << "no report on a configuration error:\n" << r.out;
  }
}

TEST(ScenarioConfig, MissingConfigFileIsAUsageError) {
  TempDir dir;
  writeProject(dir);
  RunResult r = runMpauth({"check", "--config", dir.path("nope.json"), dir.path()});
  EXPECT_TRUE(exitedCleanly(r, {2}));
  EXPECT_TRUE(contains(r.err, "nope.json")) << r.err;
}

TEST(ScenarioConfig, SchemaKeyIgnoreGlobsAndRootOverrides) {
  TempDir dir;
  dir.write("project.config.json", "{}\n"); // no roots: the override decides
  dir.write("backend/cloud/orders/package.json", sdkPackage("orders", "~2.6.3"));
  dir.write("backend/cloud/orders/index.js", "const cloud = require('wx-server-sdk')\n"
                                             "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                                             "exports.main = async () => ({ ok: true })\n");
  dir.write("backend/cloud/generated/package.json", sdkPackage("generated", "~2.6.3"));
  dir.write("backend/cloud/generated/index.js", "const cloud = require('wx-server-sdk')\n"
                                                "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                                                "exports.main = async () => ({ ok: true })\n");
  dir.write(".mpauth.json", R"({
  "$schema": "./schemas/mpauth.schema.json",
  "roots": { "cloudfunctionRoot": "backend/cloud" },
  "ignore": ["**/generated/**"],
  "asyncApis": ["api.request"],
  "httpClients": ["@company/http"],
  "trustedEventFields": ["tenant"],
  "untrustedEventFields": ["memberId"]
})");
  RunResult r = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_TRUE(contains(r.out, "cloud functions: backend/cloud/ (.mpauth.json roots."
                              "cloudfunctionRoot)") ||
              contains(r.out, ".mpauth.json roots.cloudfunctionRoot"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "backend/cloud/orders/index.js:2:19: warning:")) << r.out;
  EXPECT_FALSE(contains(r.out, "generated/index.js")) << r.out;
}

TEST(ScenarioConfig, ListsReachTheRulesThroughTheAnalysis) {
  TempDir dir;
  writeProject(dir);
  dir.write(".mpauth.json", R"({ "asyncApis": ["api.request"], "httpClients": ["got"],
    "trustedEventFields": ["tenant"], "untrustedEventFields": ["memberId", "ownerId"] })");
  AnalysisOptions options;
  options.targets = {dir.path()};
  options.findConfig = true;
  auto analysis = analyze(options);
  ASSERT_TRUE(bool(analysis)) << llvm::toString(analysis.takeError());
  const RuleSettings &settings = (*analysis)->config.settings;
  EXPECT_EQ(std::vector<std::string>{"api.request"}, settings.asyncApis);
  EXPECT_EQ(std::vector<std::string>{"got"}, settings.httpClients);
  EXPECT_EQ(std::vector<std::string>{"tenant"}, settings.trustedEventFields);
  EXPECT_EQ((std::vector<std::string>{"memberId", "ownerId"}), settings.untrustedEventFields);
  EXPECT_TRUE(RuleSettings::none().asyncApis.empty());
}

TEST(ScenarioConfig, InitWritesEveryRuleAndNeverOverwrites) {
  TempDir dir;
  RunResult r = runMpauth({"init", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  std::string written = readFile(dir.path(".mpauth.json"));
  auto config = parseConfig(written, ".mpauth.json");
  ASSERT_TRUE(bool(config)) << llvm::toString(config.takeError());
  EXPECT_EQ(allRules().size(), config->rules.size());
  for (const auto &rule : allRules()) {
    const RuleLevel *level = config->levelOf(rule->descriptor().id);
    ASSERT_NE(nullptr, level) << rule->descriptor().id;
    EXPECT_EQ(rule->descriptor().defaultSeverity, level->severity);
  }

  // The starter configuration changes nothing about a run.
  writeProject(dir);
  RunResult check = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(check, {1}));
  EXPECT_EQ((std::vector<std::string>{"note", "warning"}),
            severitiesOf(findingsOf(check), "hardcoded-env"));

  dir.write(".mpauth.json", "{ \"rules\": {} }\n");
  RunResult again = runMpauth({"init", dir.path()});
  EXPECT_TRUE(exitedCleanly(again, {2}));
  EXPECT_TRUE(contains(again.err, "already exists")) << again.err;
  EXPECT_EQ("{ \"rules\": {} }\n", readFile(dir.path(".mpauth.json")));
}

TEST(ScenarioConfig, ShippedSchemaListsEveryRegisteredRule) {
  std::string shipped = readFile(std::string(MPAUTH_SOURCE_DIR) + "/schemas/mpauth.schema.json");
  ASSERT_FALSE(shipped.empty());
  auto schema = llvm::json::parse(shipped);
  ASSERT_TRUE(bool(schema)) << llvm::toString(schema.takeError());
  const llvm::json::Object *top = schema->getAsObject();
  ASSERT_NE(nullptr, top);
  EXPECT_EQ("http://json-schema.org/draft-07/schema#", top->getString("$schema")->str());
  const llvm::json::Object *properties = top->getObject("properties");
  ASSERT_NE(nullptr, properties);
  for (const char *key : {"$schema", "rules", "ignore", "roots", "asyncApis", "httpClients",
                          "trustedEventFields", "untrustedEventFields"})
    EXPECT_NE(nullptr, properties->get(key)) << key;
  const llvm::json::Object *rules = properties->getObject("rules")->getObject("properties");
  ASSERT_NE(nullptr, rules);
  for (const auto &rule : allRules()) {
    std::string id(rule->descriptor().id);
    const llvm::json::Object *entry = rules->getObject(id);
    ASSERT_NE(nullptr, entry) << "schemas/mpauth.schema.json lacks " << id;
    EXPECT_TRUE(entry->getString("description").hasValue()) << id;
  }
  EXPECT_EQ(allRules().size(), rules->size()) << "a rule in the schema is not registered";
  // The file is generated from the descriptors; regenerate it when a rule is added.
  EXPECT_EQ(configSchema(), shipped) << "schemas/mpauth.schema.json is out of date: run "
                                        "`mpauth init --print-schema > schemas/mpauth.schema.json`";
  RunResult printed = runMpauth({"init", "--print-schema"});
  ASSERT_TRUE(exitedCleanly(printed, {0}));
  EXPECT_EQ(shipped, printed.out);
}

} // namespace
} // namespace mpauth
