// The Simplified Chinese help pages (docs/rules/zh-CN/<id>.md): one per rule that has an
// English page, translations of the prose only — the code blocks, whose examples the rule
// tests run, are the English page's byte for byte, in the same order and under corresponding
// example headings — embedded in the binary and printed by `mpauth explain --lang zh-CN`.
#include "integrations/IntegrationSupport.h"
#include "support/ParamName.h"

#include "rules/Registry.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace mpauth::integration_test {
namespace {

struct PageShape {
  std::vector<std::string> codeBlocks;    // each fenced block with its opening line
  std::vector<bool> exampleIsIncorrect;   // per "### " example heading, in order
  std::vector<std::string> otherHeadings; // "### " headings that are neither kind
};

PageShape shapeOf(llvm::StringRef markdown, llvm::StringRef incorrect, llvm::StringRef correct) {
  PageShape shape;
  llvm::SmallVector<llvm::StringRef, 256> lines;
  markdown.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i];
    if (line.startswith("```")) {
      std::string block = line.str() + "\n";
      for (++i; i < lines.size() && !lines[i].startswith("```"); ++i)
        block += lines[i].str() + "\n";
      shape.codeBlocks.push_back(block);
      continue;
    }
    if (!line.startswith("### "))
      continue;
    if (line.startswith("### " + incorrect.str()))
      shape.exampleIsIncorrect.push_back(true);
    else if (line.startswith("### " + correct.str()))
      shape.exampleIsIncorrect.push_back(false);
    else
      shape.otherHeadings.push_back(line.str());
  }
  return shape;
}

std::string englishPage(llvm::StringRef id) {
  return sourcePath("docs/rules/" + id.str() + ".md");
}
std::string chinesePage(llvm::StringRef id) {
  return sourcePath("docs/rules/zh-CN/" + id.str() + ".md");
}

TEST(ZhCnHelpPages, EveryRuleWithAnEnglishPageHasAChinesePage) {
  std::vector<std::string> missing;
  for (const auto &rule : allRules()) {
    std::string id(rule->descriptor().id);
    if (llvm::sys::fs::exists(englishPage(id)) && !llvm::sys::fs::exists(chinesePage(id)))
      missing.push_back("docs/rules/zh-CN/" + id + ".md");
  }
  std::string list;
  for (const std::string &m : missing)
    list += "  " + m + "\n";
  EXPECT_TRUE(missing.empty()) << "translate docs/rules/<id>.md (prose only, code blocks "
                                  "unchanged) into:\n"
                               << list;
}

class ZhCnPage : public ::testing::TestWithParam<std::string> {};

TEST_P(ZhCnPage, TranslatesTheProseAndKeepsTheCode) {
  const std::string &id = GetParam();
  std::string zh = readFile(chinesePage(id));
  std::string en = readFile(englishPage(id));
  ASSERT_FALSE(en.empty()) << "docs/rules/zh-CN/" << id << ".md has no English original";
  EXPECT_NE(nullptr, findRule(id)) << "no rule is called " << id;
  EXPECT_TRUE(llvm::StringRef(zh).startswith("# " + id + "\n")) << "the title is the rule id";
  EXPECT_NE(en, zh) << "a copy is not a translation";

  PageShape enShape = shapeOf(en, "Incorrect", "Correct");
  PageShape zhShape = shapeOf(zh, "错误", "正确");
  ASSERT_EQ(enShape.codeBlocks.size(), zhShape.codeBlocks.size()) << "the same code blocks";
  for (size_t i = 0; i < enShape.codeBlocks.size(); ++i)
    EXPECT_EQ(enShape.codeBlocks[i], zhShape.codeBlocks[i]) << "code block " << i;
  EXPECT_EQ(enShape.exampleIsIncorrect, zhShape.exampleIsIncorrect)
      << "each example heading keeps its kind: ### Incorrect… -> ### 错误…, "
         "### Correct… -> ### 正确…";
  EXPECT_EQ(enShape.otherHeadings.size(), zhShape.otherHeadings.size());
}

TEST_P(ZhCnPage, IsEmbeddedAndPrintedByExplain) {
  const std::string &id = GetParam();
  std::string zh = readFile(chinesePage(id));
  EXPECT_EQ(zh, std::string(embeddedRuleDoc("zh-CN/" + id)))
      << "cmake/EmbedDocs.cmake embeds docs/rules/zh-CN/" << id << ".md as zh-CN/" << id;

  TempDir home{"mpauth-explain-home"};
  Environment env{home};
  env["LANG"] = "C";
  ProcessResult explained;
  ASSERT_TRUE(
      runs(env, home.path(), {MPAUTH_BINARY, "explain", id, "--lang", "zh-CN"}, 0, &explained));
  EXPECT_TRUE(contains(explained.out, zh)) << explained.out;
  ProcessResult english;
  ASSERT_TRUE(runs(env, home.path(), {MPAUTH_BINARY, "explain", id}, 0, &english));
  EXPECT_FALSE(contains(english.out, zh)) << "English unless asked";
  env["LANG"] = "zh_CN.UTF-8";
  ProcessResult fromLang;
  ASSERT_TRUE(runs(env, home.path(), {MPAUTH_BINARY, "explain", id}, 0, &fromLang));
  EXPECT_TRUE(contains(fromLang.out, zh)) << "the language follows LANG";
}

std::vector<std::string> translatedIds() {
  std::vector<std::string> ids;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(sourcePath("docs/rules/zh-CN"), error), end;
       it != end && !error; it.increment(error)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.endswith(".md"))
      ids.push_back(name.drop_back(3).str());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Pages, ZhCnPage, ::testing::ValuesIn(translatedIds()),
                         mpauth::testing::paramName);

} // namespace
} // namespace mpauth::integration_test
