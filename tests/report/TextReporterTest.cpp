#include "report/Golden.h"
#include "report/SampleRun.h"

#include "gtest/gtest.h"

namespace mpauth::report_test {
namespace {

std::string text(const RunResult &run, TextOptions options = {}) {
  return render(*makeTextReporter(options), run);
}

std::string lastLine(const std::string &out) {
  size_t start = out.rfind('\n', out.size() - 2);
  return start == std::string::npos ? out : out.substr(start + 1);
}

TEST(TextReporter, MatchesGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.txt", text(sample->run));
}

TEST(TextReporter, MatchesColorGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.color.txt", text(sample->run, {.color = true}));
}

TEST(TextReporter, NoEscapesWithoutColor) {
  auto sample = makeSampleRun();
  EXPECT_EQ(text(sample->run).find('\x1b'), std::string::npos);
}

TEST(TextReporter, QuietDropsSummaryButKeepsFindingsAndNotifications) {
  auto sample = makeSampleRun();
  std::string out = text(sample->run, {.quiet = true});
  EXPECT_NE(out.find("[openid-leak]"), std::string::npos);
  EXPECT_NE(out.find("[mpauth:parse-error]"), std::string::npos);
  EXPECT_EQ(out.find("problems"), std::string::npos);
  EXPECT_EQ(out.find("client root"), std::string::npos);
}

TEST(TextReporter, SuppressedFindingsAreCountedNotPrinted) {
  auto sample = makeSampleRun();
  std::string out = text(sample->run);
  EXPECT_EQ(out.find("test-9z8y"), std::string::npos);
  EXPECT_NE(out.find(", 1 suppressed\n"), std::string::npos);
}

TEST(TextReporter, SummaryWording) {
  auto sample = makeEmptyRun();
  sample->run.filesAnalyzed = 1;
  EXPECT_EQ(text(sample->run), "no problems in 1 file\n");

  uint32_t file = sample->addFile("cloudfunctions/a/index.js", "cloud.init({ env: 'x' })\n");
  Diagnostic d;
  d.rule = &kHardcodedEnv;
  d.message = "Environment id 'x' is hard-coded.";
  d.primary = sample->find(file, "'x'");
  sample->run.diagnostics.push_back(d);
  sample->run.filesAnalyzed = 2;
  EXPECT_EQ(lastLine(text(sample->run)), "1 problem (1 warning) in 2 files\n");

  d.severity = Severity::Error;
  sample->run.diagnostics.push_back(d);
  d.severity = Severity::Note;
  sample->run.diagnostics.push_back(d);
  sample->run.diagnostics.push_back(d);
  EXPECT_EQ(lastLine(text(sample->run)), "4 problems (1 error, 1 warning, 2 notes) in 2 files\n");
  sample->run.diagnostics.resize(1);

  sample->run.diagnostics.back().suppression = Suppression{"fixture", {}};
  EXPECT_EQ(text(sample->run), "no problems in 2 files, 1 suppressed\n");
}

// The caret must sit under the character it points at: after a tab (kept as a tab) and after
// four CJK characters (two columns each).
TEST(TextReporter, UnderlineAccountsForTabsAndWideCharacters) {
  auto sample = makeEmptyRun();
  uint32_t file = sample->addFile("a.js", "x = 1\n\tf('登录成功', openid)\n");
  Diagnostic d;
  d.rule = &kOpenidLeak;
  d.severity = Severity::Error;
  d.message = "Leak.";
  d.primary = sample->find(file, "openid");
  sample->run.diagnostics.push_back(d);
  EXPECT_EQ(text(sample->run, {.quiet = true}), "a.js:2:12: error: Leak. [openid-leak]\n"
                                                "\tf('登录成功', openid)\n"
                                                "\t              ^~~~~~\n");
}

TEST(TextReporter, WideCharacterUnderTheRangeGetsTwoMarks) {
  auto sample = makeEmptyRun();
  uint32_t file = sample->addFile("a.js", "t = '登录'\n");
  Diagnostic d;
  d.rule = &kOpenidLeak;
  d.message = "Wide.";
  d.primary = sample->find(file, "'登录'");
  sample->run.diagnostics.push_back(d);
  EXPECT_EQ(text(sample->run, {.quiet = true}), "a.js:1:5: warning: Wide. [openid-leak]\n"
                                                "t = '登录'\n"
                                                "    ^~~~~~\n");
}

TEST(TextReporter, InsertionPointAndMultiLineRange) {
  auto sample = makeEmptyRun();
  uint32_t file = sample->addFile("a.js", "f(\n  a,\n  b)\n");
  Diagnostic insertion;
  insertion.rule = &kHardcodedEnv;
  insertion.message = "Insert.";
  insertion.primary = sample->find(file, "a");
  insertion.primary.end = insertion.primary.begin;
  Diagnostic multiLine = insertion;
  multiLine.message = "Span.";
  multiLine.primary = sample->find(file, "f(\n  a,\n  b)");
  Diagnostic atLineEnd = insertion;
  atLineEnd.message = "End.";
  atLineEnd.primary = sample->find(file, ",\n");
  atLineEnd.primary.begin += 1; // the line break itself
  sample->run.diagnostics = {multiLine, insertion, atLineEnd};
  EXPECT_EQ(text(sample->run, {.quiet = true}), "a.js:1:1: warning: Span. [hardcoded-env]\n"
                                                "f(\n"
                                                "^~\n"
                                                "a.js:2:3: warning: Insert. [hardcoded-env]\n"
                                                "  a,\n"
                                                "  ^\n"
                                                "a.js:2:5: warning: End. [hardcoded-env]\n"
                                                "  a,\n"
                                                "    ^\n");
}

TEST(TextReporter, NotificationWithoutPath) {
  auto sample = makeEmptyRun();
  sample->run.notifications = {
      {Severity::Error, "Cannot read .mpauth.json.", "", {}, {}, "bad-config"}};
  sample->run.executionSuccessful = false;
  EXPECT_EQ(text(sample->run, {.quiet = true}),
            "mpauth: error: Cannot read .mpauth.json. [mpauth:bad-config]\n");
}

} // namespace
} // namespace mpauth::report_test
