// The rule table, the docs and the fixtures agree (STYLE: one table, one descriptor per rule).
#include "FixtureSupport.h"

#include "rules/Registry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <set>

namespace mpauth::testing {
namespace {

bool isKebab(std::string_view id) {
  if (id.empty() || !(id.front() >= 'a' && id.front() <= 'z'))
    return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || llvm::isDigit(c) || c == '-'))
      return false;
  return id.back() != '-';
}

TEST(Registry, RulesAreSortedUniqueAndWellFormed) {
  const auto &rules = allRules();
  ASSERT_FALSE(rules.empty());
  std::set<std::string_view> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleDescriptor &d = rules[i]->descriptor();
    SCOPED_TRACE(std::string(d.id));
    EXPECT_TRUE(isKebab(d.id));
    if (i > 0) {
      EXPECT_LT(rules[i - 1]->descriptor().id, d.id) << "registry.cpp must stay sorted by id";
    }
    EXPECT_TRUE(names.insert(d.name).second) << "duplicate SARIF name " << d.name;
    EXPECT_TRUE(!d.name.empty() && d.name.front() >= 'A' && d.name.front() <= 'Z');
    EXPECT_FALSE(d.title.empty());
    EXPECT_NE('.', d.title.back()) << "titles have no trailing period";
    EXPECT_FALSE(d.titleZhCN.empty());
    EXPECT_FALSE(d.description.empty());
    EXPECT_FALSE(d.tags.empty());
    EXPECT_FALSE(d.messages.empty());
    double sev = std::stod(std::string(d.securitySeverity));
    EXPECT_GE(sev, 0.0);
    EXPECT_LE(sev, 10.0);
    std::set<std::string_view> ids;
    for (const MessageTemplate &m : d.messages) {
      EXPECT_TRUE(ids.insert(m.id).second) << "duplicate message id " << m.id;
      ASSERT_FALSE(m.en.empty());
      EXPECT_EQ('.', m.en.back()) << m.id << ": messages end with a period (SARIF2001)";
      EXPECT_FALSE(m.zhCN.empty()) << m.id << " has no zh-CN text";
    }
    EXPECT_EQ(rules[i].get(), findRule(d.id));
  }
  EXPECT_EQ(nullptr, findRule("no-such-rule"));
}

TEST(Registry, EveryRuleHasItsHelpPageAndFixtures) {
  for (const auto &rule : allRules()) {
    const RuleDescriptor &d = rule->descriptor();
    SCOPED_TRACE(std::string(d.id));
    std::string doc = sourceDir() + "/docs/rules/" + std::string(d.id) + ".md";
    EXPECT_TRUE(llvm::sys::fs::exists(doc)) << doc;
    EXPECT_TRUE(llvm::StringRef(d.helpMarkdown).startswith("# " + std::string(d.id) + "\n"))
        << "the embedded help page must be docs/rules/" << d.id << ".md";
    EXPECT_NE(std::string_view::npos, d.helpMarkdown.find("### Incorrect"));
    EXPECT_NE(std::string_view::npos, d.helpMarkdown.find("### Correct"));
    unsigned cases = 0;
    for (const std::string &c : fixtureCases())
      if (llvm::StringRef(c).startswith(std::string(d.id) + "/"))
        ++cases;
    EXPECT_GE(cases, 8u) << "fixtures/" << d.id << "/ needs its cases";
  }
}

TEST(Registry, EveryFixtureFolderNamesARule) {
  for (const std::string &c : fixtureCases()) {
    std::string rule = c.substr(0, c.find('/'));
    EXPECT_NE(nullptr, findRule(rule)) << "fixtures/" << c;
  }
}

} // namespace
} // namespace mpauth::testing
