// Team workflow scenarios, scope and input: files named on the command line report only their
// findings while the whole project is modelled (a project-wide rule whose facts come from
// another file still fires); --stdin-filename checks standard input as a file of the project;
// --lang zh-CN renders messages and the summary in Chinese in every format.
#include "CliTestSupport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

using namespace cli_test;
using cli_test::RunResult;

// Like runMpauth, with `input` on standard input and extra environment variables.
RunResult runWithInput(const std::vector<std::string> &args, const std::string &input,
                       const std::vector<std::string> &extraEnvironment = {}) {
  std::vector<std::string> argv{MPAUTH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> environment = childEnvironment();
  for (const std::string &extra : extraEnvironment) {
    llvm::StringRef name = llvm::StringRef(extra).split('=').first;
    llvm::erase_if(environment, [&](const std::string &e) {
      return llvm::StringRef(e).startswith((name + "=").str());
    });
    environment.push_back(extra);
  }
  return testing::runProcess(argv, environment, {.input = input});
}

std::vector<std::string> reportedPaths(const RunResult &r) {
  std::vector<std::string> out;
  auto parsed = llvm::json::parse(r.out);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(parsed.takeError()) << "\n" << r.all();
    return out;
  }
  for (const llvm::json::Value &f : *parsed->getAsObject()->getArray("findings"))
    out.push_back(f.getAsObject()->getString("path")->str() + ":" +
                  std::to_string(*f.getAsObject()->getInteger("line")));
  return out;
}

// --- named files ---------------------------------------------------------------------------------

TEST(ScenarioScope, NamedFileReportsAProjectWideFindingWhoseFactsLiveElsewhere) {
  TempDir dir;
  dir.write("project.config.json", R"({ "cloudfunctionRoot": "cloudfunctions/" })");
  dir.write("cloudfunctions/orders/package.json",
            R"({ "name": "orders", "dependencies": { "wx-server-sdk": "~2.6.3" } })");
  dir.write("cloudfunctions/orders/config.js", "module.exports = { ENV_ID: 'prod-shared-01' }\n");
  dir.write("cloudfunctions/orders/index.js", "const cloud = require('wx-server-sdk')\n"
                                              "const { ENV_ID } = require('./config')\n"
                                              "cloud.init({ env: ENV_ID })\n"
                                              "exports.main = async () => ({ ok: true })\n");
  dir.write("cloudfunctions/stats/package.json",
            R"({ "name": "stats", "dependencies": { "wx-server-sdk": "~2.6.3" } })");
  dir.write("cloudfunctions/stats/index.js", "const cloud = require('wx-server-sdk')\n"
                                             "cloud.init({ env: 'prod-7g8h9i0j' })\n"
                                             "exports.main = async () => ({ ok: true })\n");

  RunResult whole = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(whole, {1}));
  EXPECT_EQ((std::vector<std::string>{"cloudfunctions/orders/index.js:3",
                                      "cloudfunctions/stats/index.js:2"}),
            reportedPaths(whole));

  // Only index.js named: the env id is resolved through config.js, which is modelled but not
  // reported on; the other function's finding is not reported.
  RunResult named =
      runMpauth({"check", "--format", "json", dir.path("cloudfunctions/orders/index.js")});
  ASSERT_TRUE(exitedCleanly(named, {1}));
  EXPECT_EQ(std::vector<std::string>{"cloudfunctions/orders/index.js:3"}, reportedPaths(named));
  auto parsed = llvm::json::parse(named.out);
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Object &finding =
      *parsed->getAsObject()->getArray("findings")->front().getAsObject();
  const llvm::json::Array *related = finding.getArray("related");
  ASSERT_TRUE(related && !related->empty()) << named.out;
  EXPECT_EQ("cloudfunctions/orders/config.js",
            related->front().getAsObject()->getString("path")->str());

  // Only the config module named: the finding is in index.js, so nothing is reported.
  RunResult config =
      runMpauth({"check", "--format", "json", dir.path("cloudfunctions/orders/config.js")});
  ASSERT_TRUE(exitedCleanly(config, {0}));
  EXPECT_TRUE(reportedPaths(config).empty());

  // Two files named, as a pre-commit hook does.
  RunResult both =
      runMpauth({"check", "--format", "json", dir.path("cloudfunctions/orders/config.js"),
                 dir.path("cloudfunctions/stats/index.js")});
  ASSERT_TRUE(exitedCleanly(both, {1}));
  EXPECT_EQ(std::vector<std::string>{"cloudfunctions/stats/index.js:2"}, reportedPaths(both));
}

// --- standard input ------------------------------------------------------------------------------

TEST(ScenarioStdin, ChecksStandardInputAsAFileOfTheProject) {
  TempDir dir;
  dir.copyFixture("hardcoded-env/config-module");
  std::string name = dir.path("cloudfunctions/a/index.js");
  std::string onDisk = readFile(name);

  // The staged content fixes the file: nothing to report, although the disk still has it.
  RunResult clean = runWithInput({"check", "--stdin-filename", name},
                                 "const cloud = require('wx-server-sdk')\n"
                                 "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                                 "exports.main = async () => ({})\n");
  ASSERT_TRUE(exitedCleanly(clean, {0}));
  EXPECT_TRUE(contains(clean.out, "no problems")) << clean.out;

  // The input is checked with the project around it: the config module on disk resolves.
  RunResult dirty = runWithInput({"check", "--format", "json", "--stdin-filename", name},
                                 "const cloud = require('wx-server-sdk')\n"
                                 "\n"
                                 "cloud.init({ env: require('../config').DB.env })\n"
                                 "exports.main = async () => ({})\n");
  ASSERT_TRUE(exitedCleanly(dirty, {1}));
  EXPECT_EQ(std::vector<std::string>{"cloudfunctions/a/index.js:3"}, reportedPaths(dirty));
  EXPECT_EQ(onDisk, readFile(name)) << "standard input never touches the file";

  // A file that does not exist yet.
  std::string fresh = dir.path("cloudfunctions/a/new-helper.js");
  RunResult created = runWithInput({"check", "--format", "json", "--stdin-filename", fresh},
                                   "const cloud = require('wx-server-sdk')\n"
                                   "cloud.init({ env: 'prod-new' })\n");
  ASSERT_TRUE(exitedCleanly(created, {1}));
  EXPECT_EQ(std::vector<std::string>{"cloudfunctions/a/new-helper.js:2"}, reportedPaths(created));
  EXPECT_FALSE(llvm::sys::fs::exists(fresh));

  // A diff against the input, for an editor's "fix all".
  RunResult diff = runWithInput({"check", "--fix-dry-run", "--stdin-filename", fresh},
                                "const cloud = require('wx-server-sdk')\n"
                                "cloud.init({ env: 'prod-new' })\n");
  ASSERT_TRUE(exitedCleanly(diff, {0}));
  EXPECT_TRUE(contains(diff.out, "-cloud.init({ env: 'prod-new' })\n"
                                 "+cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"))
      << diff.out;

  // No PATH with it.
  RunResult withPath =
      runWithInput({"check", "--stdin-filename", name, dir.path()}, "const x = 1\n");
  EXPECT_TRUE(exitedCleanly(withPath, {2}));
}

TEST(ScenarioStdin, SuppressionsAndConfigurationApplyToTheInput) {
  TempDir dir;
  dir.copyFixture("hardcoded-env/config-module");
  dir.write(".mpauth.json", R"({ "rules": { "hardcoded-env": "error" } })");
  std::string name = dir.path("cloudfunctions/a/index.js");
  RunResult r = runWithInput({"check", "--format", "json", "--stdin-filename", name},
                             "const cloud = require('wx-server-sdk')\n"
                             "cloud.init({ env: 'prod-1' }) // mpauth-ignore hardcoded-env -- ok\n"
                             "cloud.updateConfig({ env: 'prod-2' })\n");
  ASSERT_TRUE(exitedCleanly(r, {1}));
  auto parsed = llvm::json::parse(r.out);
  ASSERT_TRUE(bool(parsed));
  unsigned errors = 0, suppressed = 0;
  for (const llvm::json::Value &f : *parsed->getAsObject()->getArray("findings")) {
    const llvm::json::Object &o = *f.getAsObject();
    suppressed += *o.getBoolean("suppressed");
    errors += !*o.getBoolean("suppressed") && o.getString("severity")->str() == "error";
  }
  EXPECT_EQ(1u, suppressed);
  EXPECT_EQ(1u, errors);
}

// --- language ------------------------------------------------------------------------------------

TEST(ScenarioLanguage, ChineseInEveryFormat) {
  TempDir dir;
  dir.copyFixture("hardcoded-env/literal-env");
  dir.write("cloudfunctions/orders/extra.js",
            "// mpauth-ignore-next-line hardcoded-env\nconst x = 1\n");
  const char *chinese = "写死了环境 'prod-7g8h9i0j'";

  RunResult text = runMpauth({"check", "--lang", "zh-CN", dir.path()});
  ASSERT_TRUE(exitedCleanly(text, {1}));
  EXPECT_TRUE(contains(text.out, chinese)) << text.out;
  EXPECT_TRUE(contains(text.out, "对 hardcoded-env 的抑制没有写理由")) << text.out;
  EXPECT_TRUE(contains(text.out, "5 个问题（5 个警告），共检查 3 个文件")) << text.out;
  EXPECT_TRUE(contains(text.out, "可自动修复：")) << text.out;
  EXPECT_FALSE(contains(text.out, "problems")) << text.out;

  for (const char *format : {"json", "sarif", "github"}) {
    SCOPED_TRACE(format);
    RunResult r = runMpauth({"check", "--lang", "zh-CN", "--format", format, dir.path()});
    ASSERT_TRUE(exitedCleanly(r, {1}));
    EXPECT_TRUE(contains(r.out, chinese)) << r.out.substr(0, 2000);
  }

  // From the environment, as a Chinese terminal sets it.
  RunResult fromEnv = runWithInput({"check", dir.path()}, "", {"LANG=zh_CN.UTF-8"});
  ASSERT_TRUE(exitedCleanly(fromEnv, {1}));
  EXPECT_TRUE(contains(fromEnv.out, chinese)) << fromEnv.out;
  EXPECT_TRUE(contains(fromEnv.out, "共检查")) << fromEnv.out;

  // The summary line counts suppressed and baselined findings in Chinese too.
  std::string baseline = dir.path("baseline.json");
  ASSERT_TRUE(exitedCleanly(runMpauth({"check", "--write-baseline", baseline, dir.path()}), {0}));
  RunResult baselined = runMpauth({"check", "--lang", "zh-CN", "--baseline", baseline, dir.path()});
  ASSERT_TRUE(exitedCleanly(baselined, {0}));
  EXPECT_TRUE(contains(baselined.out, "未发现问题，共检查 3 个文件，5 个已在基线中"))
      << baselined.out;
}

} // namespace
} // namespace mpauth
