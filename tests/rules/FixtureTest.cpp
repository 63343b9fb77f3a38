// The fixture runner: every folder fixtures/<rule>/<case>/ is a small mini program project
// whose sources announce their findings inline (`// expect: rule`). A finding nobody announced
// fails, an announcement nobody matched fails; known gaps are counted and printed.
#include "FixtureSupport.h"

#include "analyzer/diagnostics/Fixes.h"
#include "analyzer/source/SourceFile.h"
#include "support/TempDir.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"

#include "support/ParamName.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

namespace mpauth::testing {
namespace {

struct GapCounts {
  unsigned missing = 0;
  unsigned spurious = 0;
  unsigned expected = 0;
};
std::map<std::string, GapCounts> &gaps() {
  static std::map<std::string, GapCounts> g;
  return g;
}

class GapReport : public ::testing::Environment {
public:
  void TearDown() override {
    if (gaps().empty())
      return;
    std::printf("\nfixture accuracy (expected findings / known misses / known false positives):\n");
    for (const auto &[rule, c] : gaps())
      std::printf("  %-26s %4u / %u / %u\n", rule.c_str(), c.expected, c.missing, c.spurious);
  }
};
[[maybe_unused]] ::testing::Environment *const kGapReport =
    ::testing::AddGlobalTestEnvironment(new GapReport);

struct Actual {
  std::string path;
  unsigned line;
  std::string rule, messageId, severity, message;
  bool used = false;
  std::string describe() const {
    return path + ":" + std::to_string(line) + ": " + rule + ":" + messageId + "@" + severity +
           " — " + message;
  }
};

bool matches(const Expectation &e, const Actual &a) {
  return !a.used && e.path == a.path && e.line == a.line && e.rule == a.rule &&
         (e.messageId.empty() || e.messageId == a.messageId) &&
         (e.severity.empty() || e.severity == a.severity);
}

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, FindingsMatchAnnotations) {
  std::string dir = sourceDir() + "/fixtures/" + GetParam();
  std::string ruleOfFolder = GetParam().substr(0, GetParam().find('/'));
  auto analysis = analyzeFixture(dir);
  ASSERT_TRUE(analysis);
  const RunResult &run = analysis->run;

  for (const Notification &n : run.notifications)
    if (n.id == "parse-error" && GetParam().find("syntax-error") == std::string::npos)
      ADD_FAILURE() << "unexpected parse error: " << n.path << ": " << n.message;

  std::vector<Actual> actual;
  for (const Diagnostic &d : run.diagnostics) {
    if (d.suppression)
      continue;
    const SourceFile *f = run.files[d.primary.file];
    actual.push_back({std::string(f->path()), f->lineColumn(d.primary.begin).line,
                      std::string(d.rule->id), d.messageId, severityName(d.severity), d.message});
  }

  std::vector<Expectation> expectations = readExpectations(dir);
  for (const Expectation &e : expectations) {
    GapCounts &g = gaps()[e.rule];
    Actual *hit = nullptr;
    for (Actual &a : actual)
      if (matches(e, a)) {
        hit = &a;
        break;
      }
    switch (e.kind) {
    case Expectation::Kind::Expect:
      ++g.expected;
      if (hit)
        hit->used = true;
      else
        ADD_FAILURE() << "expected but not reported: " << e.describe();
      break;
    case Expectation::Kind::Missing:
      ++g.missing;
      if (hit)
        ADD_FAILURE() << "a known miss is now reported (make it `expect:`): " << hit->describe();
      break;
    case Expectation::Kind::Spurious:
      ++g.spurious;
      if (hit)
        hit->used = true;
      else
        ADD_FAILURE() << "a known false positive is gone (drop the annotation): " << e.describe();
      break;
    }
  }
  for (const Actual &a : actual)
    if (!a.used)
      ADD_FAILURE() << "reported but not announced: " << a.describe();

  // The folder's rule must be exercised by the case (true positives or look-alikes alike
  // belong to one rule's folder) — a case for the wrong folder is a mistake.
  EXPECT_NE(run.rules.end(),
            std::find_if(run.rules.begin(), run.rules.end(),
                         [&](const RuleDescriptor *r) { return r->id == ruleOfFolder; }))
      << "fixtures/" << ruleOfFolder << " names no rule";
}

// `X.fixed` beside `X`: applying every fix to X gives X.fixed, and a second run on X.fixed
// offers no fix for it (a second --fix changes nothing).
class FixFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(FixFixture, FixesProduceTheFixedFiles) {
  std::string dir = sourceDir() + "/fixtures/" + GetParam();
  std::vector<std::string> fixedFiles;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).endswith(".fixed"))
      fixedFiles.push_back(it->path());
  ASSERT_FALSE(fixedFiles.empty());

  auto analysis = analyzeFixture(dir);
  ASSERT_TRUE(analysis);
  for (const std::string &fixedPath : fixedFiles) {
    std::string inputPath = fixedPath.substr(0, fixedPath.size() - 6);
    auto found = analysis->project.indexByPath.find(inputPath);
    ASSERT_NE(found, analysis->project.indexByPath.end()) << inputPath << " is not analyzed";
    uint32_t file = static_cast<uint32_t>(found->second);
    std::vector<const Diagnostic *> mine;
    for (const Diagnostic &d : analysis->run.diagnostics)
      if (d.primary.file == file ||
          (d.fix && !d.fix->edits.empty() && d.fix->edits.front().range.file == file))
        mine.push_back(&d);
    FixApplication fixed = applyFixes(analysis->sources[file]->text(), file, mine);
    EXPECT_GT(fixed.applied, 0u) << "no fix applied to " << inputPath;
    EXPECT_EQ(readFile(fixedPath), fixed.text) << "fixing " << inputPath;
  }

  // Second run: copy the case with the fixed contents in place and analyze again.
  TempDir temp("mpauth-fix");
  std::vector<std::pair<std::string, std::string>> copied;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (llvm::sys::fs::is_directory(it->path()) || llvm::StringRef(it->path()).endswith(".fixed"))
      continue;
    std::string rel = it->path().substr(dir.size() + 1);
    std::string content = readFile(it->path());
    std::string fixedPath = it->path() + ".fixed";
    if (llvm::sys::fs::exists(fixedPath))
      content = readFile(fixedPath);
    temp.write(rel, content);
  }
  auto again = analyzeFixture(temp.path());
  ASSERT_TRUE(again);
  for (const Diagnostic &d : again->run.diagnostics)
    EXPECT_FALSE(d.fix.has_value()) << "a fix is still offered after fixing: " << d.message;
}

// The cases that carry `.fixed` files.
std::vector<std::string> fixCases() {
  std::vector<std::string> out;
  for (const std::string &c : fixtureCases()) {
    std::error_code ec;
    std::string dir = sourceDir() + "/fixtures/" + c;
    for (llvm::sys::fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      if (llvm::StringRef(it->path()).endswith(".fixed")) {
        out.push_back(c);
        break;
      }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Fixture, ::testing::ValuesIn(fixtureCases()), paramName);
INSTANTIATE_TEST_SUITE_P(Fixtures, FixFixture, ::testing::ValuesIn(fixCases()), paramName);

} // namespace
} // namespace mpauth::testing

namespace mpauth::testing {
namespace {

// Below wx-server-sdk 1.1.1 DYNAMIC_CURRENT_ENV does not exist: no fix may be offered.
TEST(HardcodedEnvFixes, NoFixBeforeDynamicCurrentEnvExists) {
  auto analysis = analyzeFixture(sourceDir() + "/fixtures/hardcoded-env/ancient-sdk-no-fix");
  ASSERT_TRUE(analysis);
  ASSERT_EQ(1u, analysis->run.diagnostics.size());
  EXPECT_FALSE(analysis->run.diagnostics[0].fix.has_value());
}

} // namespace
} // namespace mpauth::testing
