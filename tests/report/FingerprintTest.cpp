#include "report/SampleRun.h"

#include "gtest/gtest.h"

namespace mpauth::report_test {
namespace {

constexpr const char *kFunction = "exports.main = async (event) => {\n"
                                  "  const { OPENID } = cloud.getWXContext()\n"
                                  "  await axios.post(url, { openid: OPENID })\n"
                                  "}\n";

constexpr const char *kStatement = "await axios.post(url, { openid: OPENID })";

// One finding on the second OPENID of `text`, whose context is `statement` (none when empty),
// in a run of its own.
struct SingleFinding {
  std::unique_ptr<SampleRun> sample = makeEmptyRun();
  explicit SingleFinding(std::string text, llvm::StringRef statement = kStatement,
                         std::string path = "cloudfunctions/a/index.js",
                         const RuleDescriptor &rule = kOpenidLeak) {
    uint32_t file = sample->addFile(std::move(path), std::move(text));
    Diagnostic d;
    d.rule = &rule;
    d.primary = sample->find(file, "OPENID", 1);
    if (!statement.empty())
      d.context = sample->find(file, statement);
    sample->run.diagnostics.push_back(d);
  }
  uint32_t line() const {
    return sample->run.files[0]->lineColumn(sample->run.diagnostics[0].primary.begin).line;
  }
  std::string fingerprint() const {
    return findingFingerprint(sample->run, sample->run.diagnostics.front());
  }
};

std::string linesAbove(int count) {
  std::string lines;
  for (int i = 0; i < count; ++i)
    lines += "// line " + std::to_string(i) + "\n";
  return lines;
}

TEST(Fingerprint, IsThirtyTwoLowercaseHexDigits) {
  std::string fp = SingleFinding(kFunction).fingerprint();
  ASSERT_EQ(fp.size(), 32u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos) << fp;
}

TEST(Fingerprint, SurvivesLinesInsertedAbove) {
  SingleFinding original(kFunction);
  SingleFinding shifted(linesAbove(20) + kFunction);
  ASSERT_EQ(shifted.line(), original.line() + 20);
  EXPECT_EQ(original.fingerprint(), shifted.fingerprint());
}

TEST(Fingerprint, SurvivesReindentationAndLineEndings) {
  std::string crlfTabs = "exports.main = async (event) => {\r\n"
                         "\tconst { OPENID } = cloud.getWXContext()\r\n"
                         "\t\tawait   axios.post(url, { openid: OPENID })\r\n"
                         "}\r\n";
  SingleFinding original(kFunction);
  // The context's inner whitespace differs ("await   axios") only in run length.
  SingleFinding edited(crlfTabs, "await   axios.post(url, { openid: OPENID })");
  EXPECT_EQ(original.fingerprint(), edited.fingerprint());
}

TEST(Fingerprint, DependsOnRulePathAndText) {
  std::string base = SingleFinding(kFunction).fingerprint();
  EXPECT_NE(base, SingleFinding(kFunction, kStatement, "cloudfunctions/b/index.js").fingerprint());
  EXPECT_NE(base, SingleFinding(kFunction, kStatement, "cloudfunctions/a/index.js", kHardcodedEnv)
                      .fingerprint());
  std::string otherStatement = kFunction;
  otherStatement.replace(otherStatement.find("url"), 3, "statsUrl");
  EXPECT_NE(base, SingleFinding(otherStatement, "await axios.post(statsUrl, { openid: OPENID })")
                      .fingerprint());
}

TEST(Fingerprint, WithoutContextUsesTheWholeLines) {
  SingleFinding original(kFunction, "");
  SingleFinding shifted(linesAbove(20) + kFunction, "");
  EXPECT_EQ(original.fingerprint(), shifted.fingerprint());
  // The line is the context: changing it elsewhere than the primary range changes the print.
  std::string edited = kFunction;
  edited.replace(edited.find("url"), 3, "statsUrl");
  SingleFinding changed(edited, "");
  EXPECT_NE(original.fingerprint(), changed.fingerprint());
}

} // namespace
} // namespace mpauth::report_test
