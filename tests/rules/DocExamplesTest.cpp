// Every example in docs/rules/*.md is checked: an "Incorrect" example must make its rule fire,
// a "Correct" one must not (ESLint's check-rule-examples).
#include "FixtureSupport.h"

#include "rules/Registry.h"
#include "support/TempDir.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include "support/ParamName.h"

#include <gtest/gtest.h>

namespace mpauth::testing {
namespace {

struct CodeBlock {
  std::string path;
  std::string code;
};
struct Example {
  std::string heading;
  bool incorrect = false;
  std::vector<CodeBlock> blocks;
};

// "### Incorrect…" / "### Correct…" headings, each followed by fenced blocks carrying
// `path=<file in the example project>`.
std::vector<Example> parseExamples(llvm::StringRef markdown) {
  std::vector<Example> out;
  llvm::SmallVector<llvm::StringRef, 128> lines;
  markdown.split(lines, '\n');
  Example *current = nullptr;
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i];
    if (line.startswith("#")) {
      current = nullptr;
      if (line.startswith("### Incorrect") || line.startswith("### Correct")) {
        out.push_back({line.drop_front(4).str(), line.startswith("### Incorrect"), {}});
        current = &out.back();
      }
      continue;
    }
    if (!current || !line.startswith("```"))
      continue;
    size_t at = line.find("path=");
    std::string path = at == llvm::StringRef::npos ? "" : line.substr(at + 5).trim().str();
    std::string code;
    for (++i; i < lines.size() && !lines[i].startswith("```"); ++i)
      code += lines[i].str() + "\n";
    if (!path.empty())
      current->blocks.push_back({path, code});
  }
  return out;
}

class DocExamples : public ::testing::TestWithParam<std::string> {};

TEST_P(DocExamples, IncorrectFiresAndCorrectStaysSilent) {
  const Rule *rule = findRule(GetParam());
  ASSERT_NE(nullptr, rule);
  std::vector<Example> examples = parseExamples(rule->descriptor().helpMarkdown);
  unsigned incorrect = 0, correct = 0;
  for (const Example &example : examples) {
    SCOPED_TRACE(example.heading);
    ASSERT_FALSE(example.blocks.empty()) << "an example without a `path=` code block";
    TempDir dir("mpauth-doc");
    bool hasConfig = false;
    for (const CodeBlock &b : example.blocks) {
      dir.write(b.path, b.code);
      hasConfig |= b.path == "project.config.json";
    }
    if (!hasConfig)
      dir.write("project.config.json",
                R"({ "miniprogramRoot": "miniprogram/", "cloudfunctionRoot": "cloudfunctions/" })");
    auto analysis = analyzeFixture(dir.path());
    ASSERT_TRUE(analysis);
    unsigned hits = 0;
    for (const Diagnostic &d : analysis->run.diagnostics)
      if (d.rule->id == GetParam())
        ++hits;
    if (example.incorrect) {
      ++incorrect;
      EXPECT_GT(hits, 0u) << "an Incorrect example must be reported";
    } else {
      ++correct;
      EXPECT_EQ(0u, hits) << "a Correct example must not be reported";
    }
  }
  EXPECT_GT(incorrect, 0u);
  EXPECT_GT(correct, 0u);
}

std::vector<std::string> ruleIds() {
  std::vector<std::string> ids;
  for (const auto &rule : allRules())
    ids.emplace_back(rule->descriptor().id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Rules, DocExamples, ::testing::ValuesIn(ruleIds()), paramName);

} // namespace
} // namespace mpauth::testing
