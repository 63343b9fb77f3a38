// The command line, end to end: the real binary on projects written into temporary folders.
#include "CliTestSupport.h"

#include "analyzer/driver/Version.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

using namespace cli_test;

constexpr const char *kCleanFunction = "const cloud = require('wx-server-sdk')\n"
                                       "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                                       "exports.main = async () => cloud.getWXContext()\n";

std::string sdkPackage(const std::string &name, const std::string &spec) {
  return "{ \"name\": \"" + name +
         "\", \"main\": \"index.js\", \"dependencies\": { "
         "\"wx-server-sdk\": \"" +
         spec + "\" } }\n";
}

// The literal-env fixture: four hardcoded-env warnings in two cloud functions.
void writeWarningProject(TempDir &dir) {
  dir.copyFixture("hardcoded-env/literal-env");
}

void writeNoteOnlyProject(TempDir &dir) {
  dir.write("project.config.json", "{ \"cloudfunctionRoot\": \"cloudfunctions/\" }\n");
  dir.write("cloudfunctions/fn/index.js", "const cloud = require('wx-server-sdk')\n"
                                          "cloud.init()\n"
                                          "exports.main = async () => ({})\n");
  dir.write("cloudfunctions/fn/package.json", sdkPackage("fn", "latest"));
}

void writeCleanProject(TempDir &dir) {
  dir.write("project.config.json", "{ \"cloudfunctionRoot\": \"cloudfunctions/\" }\n");
  dir.write("cloudfunctions/fn/index.js", kCleanFunction);
  dir.write("cloudfunctions/fn/package.json", sdkPackage("fn", "~2.6.3"));
}

llvm::json::Value parseJson(const std::string &text) {
  auto parsed = llvm::json::parse(text);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << llvm::toString(parsed.takeError()) << "\n" << text;
    return nullptr;
  }
  return std::move(*parsed);
}

std::string stringAt(const llvm::json::Object *object, llvm::StringRef key) {
  if (!object)
    return "<no object>";
  auto value = object->getString(key);
  return value ? value->str() : "<no string " + key.str() + ">";
}

int64_t integerAt(const llvm::json::Object *object, llvm::StringRef key) {
  if (!object)
    return -1;
  return object->getInteger(key).getValueOr(-1);
}

// --- commands ---------------------------------------------------------------------------------

TEST(CliCommands, VersionPrintsNameAndVersion) {
  RunResult r = runMpauth({"--version"});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_EQ(r.out, std::string("mpauth ") + kVersion + "\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliCommands, RulesListsHardcodedEnv) {
  RunResult r = runMpauth({"rules"});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(contains(r.out, "RULE")) << r.out;
  bool listed = false;
  llvm::SmallVector<llvm::StringRef, 16> lines;
  llvm::StringRef(r.out).split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (line.startswith("hardcoded-env ")) {
      listed = true;
      EXPECT_TRUE(line.contains(" warning ")) << line.str();
      EXPECT_TRUE(line.contains(" both ")) << line.str();
      EXPECT_TRUE(line.contains(" yes ")) << line.str();
    }
  EXPECT_TRUE(listed) << r.out;
}

TEST(CliCommands, ExplainPrintsTheHelpPage) {
  RunResult r = runMpauth({"explain", "hardcoded-env"});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(contains(r.out, "# hardcoded-env")) << r.out;
  EXPECT_TRUE(contains(r.out, "### Incorrect")) << r.out;
  EXPECT_TRUE(contains(r.out, "### Correct")) << r.out;
  EXPECT_TRUE(contains(r.out, "default severity: warning")) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(CliCommands, ExplainUnknownRuleIsAUsageError) {
  RunResult r = runMpauth({"explain", "nope"});
  ASSERT_TRUE(exitedCleanly(r, {2}));
  EXPECT_TRUE(contains(r.err, "nope")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliCommands, ExplainWithoutARuleIsAUsageError) {
  RunResult r = runMpauth({"explain"});
  ASSERT_TRUE(exitedCleanly(r, {2}));
  EXPECT_FALSE(r.err.empty());
}

TEST(CliCommands, NoCommandIsAUsageError) {
  RunResult r = runMpauth({});
  ASSERT_TRUE(exitedCleanly(r, {2}));
  EXPECT_TRUE(contains(r.err, "check")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliCommands, UnknownOptionIsAUsageError) {
  TempDir dir;
  writeCleanProject(dir);
  RunResult top = runMpauth({"--no-such-option"});
  ASSERT_TRUE(exitedCleanly(top, {2}));
  EXPECT_TRUE(contains(top.err, "no-such-option")) << top.err;
  RunResult check = runMpauth({"check", "--no-such-option", dir.path()});
  ASSERT_TRUE(exitedCleanly(check, {2}));
  EXPECT_TRUE(contains(check.err, "no-such-option")) << check.err;
  RunResult badValue = runMpauth({"check", "--format", "xml", dir.path()});
  ASSERT_TRUE(exitedCleanly(badValue, {2}));
  RunResult badFailOn = runMpauth({"check", "--fail-on", "sometimes", dir.path()});
  ASSERT_TRUE(exitedCleanly(badFailOn, {2}));
}

// --- exit codes ---------------------------------------------------------------------------------

TEST(CliExitCodes, WarningsFailByDefault) {
  TempDir dir;
  writeWarningProject(dir);
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", dir.path()}), {1}));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "warning", dir.path()}), {1}));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "note", dir.path()}), {1}));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "error", dir.path()}), {0}));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "never", dir.path()}), {0}));
}

TEST(CliExitCodes, NotesFailOnlyWithFailOnNote) {
  TempDir dir;
  writeNoteOnlyProject(dir);
  RunResult byDefault = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(byDefault, {0}));
  EXPECT_TRUE(contains(byDefault.out, "cloudfunctions/fn/index.js:2:1: note:")) << byDefault.out;
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "note", dir.path()}), {1}));
}

TEST(CliExitCodes, CleanProjectExitsZero) {
  TempDir dir;
  writeCleanProject(dir);
  RunResult r = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {0}));
  EXPECT_TRUE(contains(r.out, "no problems in 1 file")) << r.out;
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--fail-on", "note", dir.path()}), {0}));
}

TEST(CliExitCodes, MissingPathIsAUsageError) {
  TempDir dir;
  std::string missing = dir.path("does-not-exist");
  RunResult r = runMpauth({"check", missing});
  ASSERT_TRUE(exitedCleanly(r, {2}));
  EXPECT_TRUE(contains(r.err, "does-not-exist")) << r.err;
}

TEST(CliExitCodes, UnknownRuleNamesAreUsageErrors) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult enable = runMpauth({"check", "--enable", "no-such-rule", dir.path()});
  ASSERT_TRUE(exitedCleanly(enable, {2}));
  EXPECT_TRUE(contains(enable.err, "no-such-rule")) << enable.err;
  RunResult disable = runMpauth({"check", "--disable", "other-rule", dir.path()});
  ASSERT_TRUE(exitedCleanly(disable, {2}));
  EXPECT_TRUE(contains(disable.err, "other-rule")) << disable.err;
  // Known names work both ways.
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--enable", "hardcoded-env", dir.path()}), {1}));
  EXPECT_TRUE(exitedCleanly(runMpauth({"check", "--disable", "hardcoded-env", dir.path()}), {0}));
}

// --- formats ------------------------------------------------------------------------------------

TEST(CliFormats, TextGoesToStdoutWithLocationsAndCarets) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(contains(r.out, "cloudfunctions/orders/index.js:3:19: warning: cloud.init() "
                              "hard-codes the environment 'prod-7g8h9i0j'"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "[hardcoded-env]\ncloud.init({ env: 'prod-7g8h9i0j' })")) << r.out;
  EXPECT_TRUE(contains(r.out, "\n" + std::string(18, ' ') + "^" + std::string(14, '~') + "\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "cloudfunctions/stats/index.js:5:1: warning:")) << r.out;
  EXPECT_TRUE(contains(r.out, "4 problems (4 warnings) in 2 files\n")) << r.out;
  EXPECT_FALSE(contains(r.out, "\x1b[")) << "colors when stdout is not a terminal";
}

TEST(CliFormats, JsonParsesWithSchemaVersionAndFindings) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", "--format", "json", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  llvm::json::Value doc = parseJson(r.out);
  const llvm::json::Object *top = doc.getAsObject();
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(integerAt(top, "schemaVersion"), 1);
  const llvm::json::Object *tool = top->getObject("tool");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(stringAt(tool, "name"), "mpauth");
  EXPECT_EQ(stringAt(tool, "version"), kVersion);
  const llvm::json::Array *findings = top->getArray("findings");
  ASSERT_NE(findings, nullptr);
  ASSERT_EQ(findings->size(), 4u);
  const llvm::json::Object *first = (*findings)[0].getAsObject();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(stringAt(first, "ruleId"), "hardcoded-env");
  EXPECT_EQ(stringAt(first, "severity"), "warning");
  EXPECT_EQ(stringAt(first, "path"), "cloudfunctions/orders/index.js");
  EXPECT_EQ(integerAt(first, "line"), 3);
  EXPECT_EQ(integerAt(first, "column"), 19);
  EXPECT_EQ(integerAt(first, "endColumn"), 34);
  EXPECT_NE(first->getObject("fix"), nullptr);
}

TEST(CliFormats, SarifParsesAsVersion210) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", "--format", "sarif", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  llvm::json::Value doc = parseJson(r.out);
  const llvm::json::Object *top = doc.getAsObject();
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(stringAt(top, "version"), "2.1.0");
  const llvm::json::Array *runs = top->getArray("runs");
  ASSERT_NE(runs, nullptr);
  ASSERT_EQ(runs->size(), 1u);
  const llvm::json::Object *run = (*runs)[0].getAsObject();
  ASSERT_NE(run, nullptr);
  const llvm::json::Object *driver =
      run->getObject("tool") ? run->getObject("tool")->getObject("driver") : nullptr;
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(stringAt(driver, "name"), "mpauth");
  const llvm::json::Array *results = run->getArray("results");
  ASSERT_NE(results, nullptr);
  ASSERT_EQ(results->size(), 4u);
  const llvm::json::Object *result = (*results)[0].getAsObject();
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(stringAt(result, "ruleId"), "hardcoded-env");
  EXPECT_EQ(stringAt(result, "level"), "warning");
}

TEST(CliFormats, GithubEmitsWorkflowCommands) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", "--format", "github", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_TRUE(llvm::StringRef(r.out).startswith("::warning file=")) << r.out;
  EXPECT_TRUE(contains(r.out, "::warning file=cloudfunctions/orders/index.js,line=3,col=19,"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "title=hardcoded-env::")) << r.out;
  size_t commands = 0;
  for (size_t at = r.out.find("::warning file="); at != std::string::npos;
       at = r.out.find("::warning file=", at + 1))
    ++commands;
  EXPECT_EQ(commands, 4u);
}

TEST(CliFormats, OutputFileLeavesStdoutEmpty) {
  TempDir dir;
  writeWarningProject(dir);
  TempDir reports;
  std::string json = reports.path("report.json");
  RunResult r = runMpauth({"check", "--format", "json", "--output", json, dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_EQ(r.out, "");
  llvm::json::Value doc = parseJson(readFile(json));
  ASSERT_NE(doc.getAsObject(), nullptr);
  EXPECT_EQ(integerAt(doc.getAsObject(), "schemaVersion"), 1);

  std::string text = reports.path("report.txt");
  RunResult t = runMpauth({"check", "--output", text, dir.path()});
  ASSERT_TRUE(exitedCleanly(t, {1}));
  EXPECT_EQ(t.out, "");
  EXPECT_TRUE(contains(readFile(text), "cloudfunctions/orders/index.js:3:19: warning:"));

  RunResult unwritable =
      runMpauth({"check", "--output", reports.path("no/such/dir/r.txt"), dir.path()});
  ASSERT_TRUE(exitedCleanly(unwritable, {2}));
  EXPECT_TRUE(contains(unwritable.err, "r.txt")) << unwritable.err;
}

// Many cloud functions and shared modules, so that several threads have work.
void writeManyFunctions(TempDir &dir) {
  dir.write("project.config.json", "{ \"cloudfunctionRoot\": \"cloudfunctions/\" }\n");
  dir.write("cloudfunctions/config.js", "module.exports = { ENV: 'prod-shared' }\n");
  for (int i = 0; i < 16; ++i) {
    std::string name = "fn" + std::to_string(i);
    std::string code = "const cloud = require('wx-server-sdk')\n";
    if (i % 3 == 0)
      code += "const { ENV } = require('../config')\ncloud.init({ env: ENV })\n";
    else if (i % 3 == 1)
      code += "cloud.init({ env: 'prod-" + name + "' })\n";
    else
      code += "cloud.init()\n";
    code += "exports.main = async (event) => {\n"
            "  const db = cloud.database({ env: event.env })\n"
            "  return db.collection('c').get()\n}\n";
    dir.write("cloudfunctions/" + name + "/index.js", code);
    dir.write("cloudfunctions/" + name + "/package.json",
              sdkPackage(name, i % 2 ? "~2.6.3" : "latest"));
  }
}

TEST(CliFormats, OutputIsTheSameWhateverTheNumberOfJobs) {
  TempDir dir;
  writeManyFunctions(dir);
  for (const char *format : {"text", "json", "sarif"}) {
    RunResult one = runMpauth({"check", "-j1", "--format", format, dir.path()});
    RunResult two = runMpauth({"check", "-j2", "--format", format, dir.path()});
    RunResult eight = runMpauth({"check", "-j", "8", "--format", format, dir.path()});
    ASSERT_TRUE(exitedCleanly(one, {1}));
    ASSERT_TRUE(exitedCleanly(two, {1}));
    ASSERT_TRUE(exitedCleanly(eight, {1}));
    EXPECT_GT(one.out.size(), 1000u);
    if (std::string(format) != "sarif") {
      EXPECT_EQ(one.out, two.out) << format;
      EXPECT_EQ(one.out, eight.out) << format;
    } else {
      // SARIF records the command line, which differs by the -j option itself.
      auto results = [](const std::string &text) {
        llvm::json::Value doc = parseJson(text);
        const llvm::json::Object *run = doc.getAsObject()->getArray("runs")->front().getAsObject();
        std::string out;
        llvm::raw_string_ostream os(out);
        os << llvm::json::Value(llvm::json::Array(*run->getArray("results")));
        return os.str();
      };
      EXPECT_EQ(results(one.out), results(two.out));
      EXPECT_EQ(results(one.out), results(eight.out));
    }
  }
}

TEST(CliFormats, QuietDropsTheSummary) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult loud = runMpauth({"check", dir.path()});
  RunResult quiet = runMpauth({"check", "--quiet", dir.path()});
  ASSERT_TRUE(exitedCleanly(loud, {1}));
  ASSERT_TRUE(exitedCleanly(quiet, {1}));
  EXPECT_TRUE(contains(loud.out, "4 problems (4 warnings) in 2 files"));
  EXPECT_TRUE(contains(loud.out, "project root: "));
  EXPECT_FALSE(contains(quiet.out, "problems")) << quiet.out;
  EXPECT_FALSE(contains(quiet.out, "project root: ")) << quiet.out;
  EXPECT_TRUE(contains(quiet.out, "cloudfunctions/orders/index.js:3:19: warning:")) << quiet.out;
  EXPECT_TRUE(llvm::StringRef(loud.out).startswith(quiet.out));

  TempDir clean;
  writeCleanProject(clean);
  RunResult quietClean = runMpauth({"check", "--quiet", clean.path()});
  ASSERT_TRUE(exitedCleanly(quietClean, {0}));
  EXPECT_EQ(quietClean.out, "");
}

TEST(CliFormats, ColorOption) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult always = runMpauth({"check", "--color", "always", dir.path()});
  RunResult never = runMpauth({"check", "--color", "never", dir.path()});
  RunResult automatic = runMpauth({"check", "--color", "auto", dir.path()});
  ASSERT_TRUE(exitedCleanly(always, {1}));
  ASSERT_TRUE(exitedCleanly(never, {1}));
  ASSERT_TRUE(exitedCleanly(automatic, {1}));
  EXPECT_TRUE(contains(always.out, "\x1b[")) << always.out;
  EXPECT_FALSE(contains(never.out, "\x1b["));
  EXPECT_FALSE(contains(automatic.out, "\x1b[")); // stdout is a file
  EXPECT_FALSE(contains(never.err, "\x1b["));
  // Colors wrap the same text: stripped of escapes, the output is the plain one.
  std::string stripped;
  for (size_t i = 0; i < always.out.size(); ++i) {
    if (always.out[i] == '\x1b') {
      size_t m = always.out.find('m', i);
      ASSERT_NE(m, std::string::npos);
      i = m;
      continue;
    }
    stripped += always.out[i];
  }
  EXPECT_EQ(stripped, never.out);
}

TEST(CliScope, NamedFilesReportOnlyTheirFindings) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", "--format", "json", dir.path("cloudfunctions/stats/index.js")});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  llvm::json::Value doc = parseJson(r.out);
  const llvm::json::Array *findings = doc.getAsObject()->getArray("findings");
  ASSERT_NE(findings, nullptr);
  ASSERT_EQ(findings->size(), 2u);
  for (const llvm::json::Value &f : *findings)
    EXPECT_EQ(stringAt(f.getAsObject(), "path"), "cloudfunctions/stats/index.js");
}

TEST(CliLanguage, ChineseMessages) {
  TempDir dir;
  writeWarningProject(dir);
  RunResult r = runMpauth({"check", "--lang", "zh-CN", dir.path()});
  ASSERT_TRUE(exitedCleanly(r, {1}));
  EXPECT_TRUE(contains(r.out, "\xE5\x86\x99\xE6\xAD\xBB")) << r.out; // 写死
  RunResult bad = runMpauth({"check", "--lang", "fr", dir.path()});
  ASSERT_TRUE(exitedCleanly(bad, {2}));
  EXPECT_TRUE(contains(bad.err, "fr")) << bad.err;
}

} // namespace
} // namespace mpauth
