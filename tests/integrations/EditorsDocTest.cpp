// docs/editors.md: the tasks.json it gives is valid JSON, its commands run (through sh, as VS
// Code's shell tasks do) on a sample project and produce what the editor reads — a SARIF log
// at .mpauth/results.sarif, and text lines that the problem matcher's pattern captures.
#include "integrations/IntegrationSupport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"

#include <regex>

namespace mpauth::integration_test {
namespace {

// The first ```json block of docs/editors.md, parsed.
llvm::Expected<llvm::json::Value> tasksJson() {
  std::string doc = readFile(sourcePath("docs/editors.md"));
  size_t begin = doc.find("```json\n");
  if (begin == std::string::npos)
    return llvm::createStringError(std::errc::invalid_argument, "no ```json block");
  begin += 8;
  size_t end = doc.find("\n```", begin);
  return llvm::json::parse(doc.substr(begin, end - begin));
}

const llvm::json::Object *task(const llvm::json::Value &tasks, llvm::StringRef label) {
  for (const llvm::json::Value &t : *tasks.getAsObject()->getArray("tasks"))
    if (t.getAsObject()->getString("label") == label)
      return t.getAsObject();
  return nullptr;
}

class EditorsDoc : public ::testing::Test {
protected:
  void SetUp() override {
    writeMiniProgram(project);
    project.write("cloudfunctions/login/index.js", kLoginHardcoded);
    auto parsed = tasksJson();
    ASSERT_TRUE(bool(parsed)) << "docs/editors.md: " << llvm::toString(parsed.takeError());
    tasks = std::move(*parsed);
  }

  ProcessResult runTask(llvm::StringRef label) {
    const llvm::json::Object *t = task(tasks, label);
    EXPECT_NE(nullptr, t) << "no task '" << label.str() << "'";
    if (!t)
      return {};
    EXPECT_EQ(llvm::StringRef("shell"), t->getString("type").getValueOr(""));
    std::string command = t->getString("command").getValueOr("").str();
    return run(env, project.path(), {"/bin/sh", "-c", command});
  }

  TempDir home{"mpauth-editors-home"};
  TempDir project{"mpauth-editors-project"};
  Environment env{home};
  llvm::json::Value tasks = nullptr;
};

TEST_F(EditorsDoc, SarifTaskWritesTheLogTheViewerOpens) {
  ASSERT_FALSE(llvm::sys::fs::exists(project.path(".mpauth"))) << "the task creates it";
  ProcessResult r = runTask("mpauth: SARIF");
  ASSERT_EQ(0, r.exitCode) << "findings do not fail the task: " << r.all();
  auto log = llvm::json::parse(readFile(project.path(".mpauth/results.sarif")));
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  EXPECT_EQ(llvm::StringRef("2.1.0"), log->getAsObject()->getString("version").getValueOr(""));
  const llvm::json::Array *results =
      (*log->getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results");
  ASSERT_NE(nullptr, results);
  EXPECT_EQ(2u, results->size());
  // A second run overwrites the log in place.
  EXPECT_EQ(0, runTask("mpauth: SARIF").exitCode);
}

TEST_F(EditorsDoc, ProblemMatcherCapturesEveryFindingLine) {
  const llvm::json::Object *check = task(tasks, "mpauth: check");
  ASSERT_NE(nullptr, check);
  const llvm::json::Object *pattern = check->getObject("problemMatcher")->getObject("pattern");
  ASSERT_NE(nullptr, pattern);
  std::regex regexp(pattern->getString("regexp").getValueOr("").str(), std::regex::ECMAScript);
  auto group = [&](llvm::StringRef name) {
    return static_cast<size_t>(pattern->getInteger(name).getValueOr(0));
  };

  ProcessResult r = runTask("mpauth: check");
  ASSERT_EQ(1, r.exitCode) << r.all();
  llvm::SmallVector<llvm::StringRef, 32> lines;
  llvm::StringRef(r.out).split(lines, '\n');
  std::vector<std::smatch> matches;
  std::vector<std::string> kept;
  kept.reserve(lines.size());
  for (llvm::StringRef line : lines) {
    kept.push_back(line.str());
    std::smatch m;
    if (std::regex_match(kept.back(), m, regexp))
      matches.push_back(m);
  }
  ASSERT_EQ(2u, matches.size()) << "one match per finding, none for code frames or notes:\n"
                                << r.out;
  const std::smatch &login = matches[1];
  EXPECT_EQ("cloudfunctions/login/index.js", login[group("file")].str());
  EXPECT_EQ("2", login[group("line")].str());
  EXPECT_EQ("19", login[group("column")].str());
  EXPECT_EQ("warning", login[group("severity")].str());
  EXPECT_EQ("hardcoded-env", login[group("code")].str());
  EXPECT_TRUE(llvm::StringRef(login[group("message")].str()).contains("prod-123"));
}

} // namespace
} // namespace mpauth::integration_test
