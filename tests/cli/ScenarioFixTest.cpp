// Team workflow scenarios, fixes: --fix applies every safe fix and a second run changes
// nothing; CRLF line endings, the UTF-8 BOM and the file's permissions survive; --fix-dry-run
// prints a unified diff and changes nothing; a file changed between reading and writing is
// refused; what is left decides the exit code.
//
// The refusal is tested one level down, where the race can be made deterministic: analyze and
// plan the fixes, change the file on disk, then write (planFixes/writeFixes are what --fix
// runs). No test hook is compiled into the binary.
#include "CliTestSupport.h"

#include "analyzer/driver/FixApplier.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

using namespace cli_test;
using cli_test::RunResult;

constexpr const char *kProjectConfig = R"({ "cloudfunctionRoot": "cloudfunctions/" })"
                                       "\n";

std::string package(const std::string &name, const std::string &spec) {
  return R"({ "name": ")" + name +
         R"(", "main": "index.js", "dependencies": { "wx-server-sdk": ")" + spec + "\" } }\n";
}

// Fixable: a literal env, an init without env on SDK 2.x. Not fixable: an init without env on
// SDK 1.0 (no DYNAMIC_CURRENT_ENV there).
void writeProject(const TempDir &dir) {
  dir.write("project.config.json", kProjectConfig);
  dir.write("cloudfunctions/orders/package.json", package("orders", "~2.6.3"));
  dir.write("cloudfunctions/orders/index.js",
            "const cloud = require('wx-server-sdk')\n"
            "cloud.init({ env: 'prod-7g8h9i0j' })\n"
            "\n"
            "exports.main = async (event) => {\n"
            "  const db = cloud.database({ env: 'prod-7g8h9i0j' })\n"
            "  return db.collection('orders').get()\n"
            "}\n");
  dir.write("cloudfunctions/legacy/package.json", package("legacy", "2.3.0"));
  dir.write("cloudfunctions/legacy/index.js", "const cloud = require('wx-server-sdk')\n"
                                              "cloud.init()\n"
                                              "exports.main = async () => ({ ok: true })\n");
  dir.write("cloudfunctions/ancient/package.json", package("ancient", "1.0.0"));
  dir.write("cloudfunctions/ancient/index.js", "const cloud = require('wx-server-sdk')\n"
                                               "cloud.init()\n"
                                               "exports.main = async () => ({ ok: true })\n");
}

constexpr const char *kOrdersFixed = "const cloud = require('wx-server-sdk')\n"
                                     "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                                     "\n"
                                     "exports.main = async (event) => {\n"
                                     "  const db = cloud.database({ env: cloud.DYNAMIC_CURRENT_ENV "
                                     "})\n"
                                     "  return db.collection('orders').get()\n"
                                     "}\n";

TEST(ScenarioFix, AppliesEverySafeFixReportsTheRestAndIsIdempotent) {
  TempDir dir;
  writeProject(dir);
  RunResult fixed = runMpauth({"check", "--fix", dir.path()});
  // The 1.0 function has no fix: it remains and fails the run.
  ASSERT_TRUE(exitedCleanly(fixed, {1}));
  EXPECT_TRUE(contains(fixed.err, "fixed 3 findings in 2 files")) << fixed.err;
  EXPECT_TRUE(contains(fixed.out, "cloudfunctions/ancient/index.js:2:1: warning:")) << fixed.out;
  EXPECT_FALSE(contains(fixed.out, "cloudfunctions/orders/")) << fixed.out;
  EXPECT_TRUE(contains(fixed.out, "1 problem (1 warning)")) << fixed.out;
  EXPECT_EQ(kOrdersFixed, readFile(dir.path("cloudfunctions/orders/index.js")));
  EXPECT_EQ("const cloud = require('wx-server-sdk')\n"
            "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
            "exports.main = async () => ({ ok: true })\n",
            readFile(dir.path("cloudfunctions/legacy/index.js")));

  // A second --fix changes nothing, byte for byte.
  std::vector<std::string> files = {"cloudfunctions/orders/index.js",
                                    "cloudfunctions/legacy/index.js",
                                    "cloudfunctions/ancient/index.js"};
  std::vector<std::string> before;
  for (const std::string &f : files)
    before.push_back(readFile(dir.path(f)));
  RunResult again = runMpauth({"check", "--fix", dir.path()});
  ASSERT_TRUE(exitedCleanly(again, {1}));
  EXPECT_FALSE(contains(again.err, "fixed")) << again.err;
  for (size_t i = 0; i < files.size(); ++i)
    EXPECT_EQ(before[i], readFile(dir.path(files[i]))) << files[i];
  // No temporary file is left behind.
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir.path(), ec), end; it != end && !ec;
       it.increment(ec))
    EXPECT_FALSE(llvm::StringRef(it->path()).endswith(".tmp")) << it->path();
}

TEST(ScenarioFix, KeepsCrlfTheBomAndPermissions) {
  TempDir dir;
  dir.write("project.config.json", kProjectConfig);
  dir.write("cloudfunctions/crlf/package.json", package("crlf", "~2.6.3"));
  std::string bom = "\xEF\xBB\xBF";
  dir.write("cloudfunctions/crlf/index.js", bom + "const cloud = require('wx-server-sdk')\r\n"
                                                  "// 云函数入口\r\n"
                                                  "cloud.init({ env: 'prod-crlf' })\r\n"
                                                  "exports.main = async () => ({})\r\n");
  std::string path = dir.path("cloudfunctions/crlf/index.js");
  namespace fs = llvm::sys::fs;
  ASSERT_FALSE(fs::setPermissions(path, fs::owner_read | fs::owner_write | fs::group_read));
  RunResult r = runMpauth({"check", "--fix", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_EQ(bom + "const cloud = require('wx-server-sdk')\r\n"
                  "// 云函数入口\r\n"
                  "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\r\n"
                  "exports.main = async () => ({})\r\n",
            readFile(path));
  auto permissions = fs::getPermissions(path);
  ASSERT_TRUE(bool(permissions));
  EXPECT_EQ(fs::owner_read | fs::owner_write | fs::group_read, *permissions);

  RunResult again = runMpauth({"check", "--fix", dir.path()});
  ASSERT_TRUE(exitedCleanly(again, {0}));
  EXPECT_EQ(bom, readFile(path).substr(0, 3));
}

TEST(ScenarioFix, FixesThroughASymlinkKeepTheLink) {
  TempDir dir;
  writeProject(dir);
  std::string real = dir.path("shared/orders.js");
  dir.write("shared/orders.js", readFile(dir.path("cloudfunctions/orders/index.js")));
  std::string link = dir.path("cloudfunctions/orders/index.js");
  llvm::sys::fs::remove(link);
  ASSERT_FALSE(llvm::sys::fs::create_link(real, link));
  ASSERT_TRUE(exitedCleanly(runMpauth({"check", "--fix", dir.path()}), {1}));
  EXPECT_EQ(kOrdersFixed, readFile(real));
  llvm::sys::fs::file_status status;
  ASSERT_FALSE(llvm::sys::fs::status(link, status, /*follow=*/false));
  EXPECT_EQ(llvm::sys::fs::file_type::symlink_file, status.type());
}

TEST(ScenarioFix, DryRunPrintsAUnifiedDiffAndChangesNothing) {
  TempDir dir;
  writeProject(dir);
  std::string before = readFile(dir.path("cloudfunctions/orders/index.js"));
  RunResult r = runMpauth({"check", "--fix-dry-run", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1})); // what --fix would leave: the 1.0 function
  EXPECT_EQ(before, readFile(dir.path("cloudfunctions/orders/index.js")));
  EXPECT_EQ("--- cloudfunctions/legacy/index.js\n"
            "+++ cloudfunctions/legacy/index.js\n"
            "@@ -1,3 +1,3 @@\n"
            " const cloud = require('wx-server-sdk')\n"
            "-cloud.init()\n"
            "+cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
            " exports.main = async () => ({ ok: true })\n"
            "--- cloudfunctions/orders/index.js\n"
            "+++ cloudfunctions/orders/index.js\n"
            "@@ -1,7 +1,7 @@\n"
            " const cloud = require('wx-server-sdk')\n"
            "-cloud.init({ env: 'prod-7g8h9i0j' })\n"
            "+cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
            " \n"
            " exports.main = async (event) => {\n"
            "-  const db = cloud.database({ env: 'prod-7g8h9i0j' })\n"
            "+  const db = cloud.database({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
            "   return db.collection('orders').get()\n"
            " }\n",
            r.out);
  EXPECT_TRUE(contains(r.err, "--fix-dry-run: 3 fixes in 2 files would be applied")) << r.err;

  // The report can still be had, from --output.
  RunResult json = runMpauth({"check", "--fix-dry-run", "--format", "json", "--output",
                              dir.path("report.json"), dir.path()});
  ASSERT_TRUE(exitedCleanly(json, {1}));
  EXPECT_TRUE(contains(readFile(dir.path("report.json")), "cloudfunctions/ancient/index.js"));
  EXPECT_EQ(r.out, json.out);
}

TEST(ScenarioFixDiff, HunksKeepThreeLinesOfContext) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += (i == 2 || i == 17 ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  EXPECT_EQ("--- a.js\n+++ a.js\n"
            "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+changed 2\n line 3\n line 4\n line 5\n"
            "@@ -14,7 +14,7 @@\n line 14\n line 15\n line 16\n-line 17\n+changed 17\n line 18\n"
            " line 19\n line 20\n",
            unifiedDiff("a.js", before, after));
  EXPECT_EQ("", unifiedDiff("a.js", before, before));
  EXPECT_EQ("--- b.js\n+++ b.js\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n"
            "\\ No newline at end of file\n",
            unifiedDiff("b.js", "x", "y"));
  // An insertion into an empty file starts at line 0 of the old side.
  EXPECT_EQ("--- c.js\n+++ c.js\n@@ -0,0 +1,1 @@\n+x\n", unifiedDiff("c.js", "", "x\n"));
}

TEST(ScenarioFix, RefusesAFileChangedSinceItWasRead) {
  TempDir dir;
  writeProject(dir);
  AnalysisOptions options;
  options.targets = {dir.path()};
  auto first = analyze(options);
  ASSERT_TRUE(bool(first)) << llvm::toString(first.takeError());
  auto plan = planFixes(options, std::move(*first), {});
  ASSERT_TRUE(bool(plan)) << llvm::toString(plan.takeError());
  ASSERT_EQ(2u, plan->changes.size());

  // An editor saves the file while mpauth runs.
  std::string edited = readFile(dir.path("cloudfunctions/orders/index.js")) + "// saved\n";
  dir.write("cloudfunctions/orders/index.js", edited);

  std::vector<Notification> refused = writeFixes(*plan);
  ASSERT_EQ(1u, refused.size());
  EXPECT_EQ("fix-not-applied", refused[0].id);
  EXPECT_EQ(Severity::Warning, refused[0].level);
  EXPECT_EQ("cloudfunctions/orders/index.js", refused[0].path);
  EXPECT_TRUE(llvm::StringRef(refused[0].message).contains("changed since it was read"))
      << refused[0].message;
  EXPECT_EQ(edited, readFile(dir.path("cloudfunctions/orders/index.js")));
  // The other file was fixed.
  EXPECT_TRUE(llvm::StringRef(readFile(dir.path("cloudfunctions/legacy/index.js")))
                  .contains("DYNAMIC_CURRENT_ENV"));

  // The write function itself, directly.
  std::string path = dir.path("cloudfunctions/legacy/index.js");
  llvm::Error error = writeFileAtomically(path, "something else", "new text");
  ASSERT_TRUE(bool(error));
  EXPECT_TRUE(llvm::StringRef(llvm::toString(std::move(error))).contains(path));
  EXPECT_NE("new text", readFile(path));
}

TEST(ScenarioFix, StdinCannotBeFixedInPlace) {
  TempDir dir;
  writeProject(dir);
  RunResult r =
      runMpauth({"check", "--fix", "--stdin-filename", dir.path("cloudfunctions/orders/index.js")});
  EXPECT_TRUE(exitedCleanly(r, {2}));
  EXPECT_TRUE(contains(r.err, "--fix cannot write to standard input")) << r.err;
  RunResult both = runMpauth({"check", "--fix", "--fix-dry-run", dir.path()});
  EXPECT_TRUE(exitedCleanly(both, {2}));
}

} // namespace
} // namespace mpauth
