#include "rules/Registry.h"

#include <algorithm>

namespace mpauth {

struct EmbeddedDoc {
  std::string_view id;
  std::string_view markdown;
};
extern const EmbeddedDoc kEmbeddedRuleDocs[];
extern const unsigned kEmbeddedRuleDocCount;

std::unique_ptr<Rule> createHardcodedEnvRule();

namespace {

using RuleFactory = std::unique_ptr<Rule> (*)();

// One line per rule, sorted by rule id (a test checks the order, the docs and the fixtures).
constexpr RuleFactory kRuleFactories[] = {
    createHardcodedEnvRule, // hardcoded-env
};

} // namespace

const std::vector<std::unique_ptr<Rule>> &allRules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> out;
    for (RuleFactory make : kRuleFactories)
      out.push_back(make());
    return out;
  }();
  return rules;
}

const Rule *findRule(std::string_view id) {
  for (const auto &rule : allRules())
    if (rule->descriptor().id == id)
      return rule.get();
  return nullptr;
}

std::string_view embeddedRuleDoc(std::string_view id) {
  for (unsigned i = 0; i < kEmbeddedRuleDocCount; ++i)
    if (kEmbeddedRuleDocs[i].id == id)
      return kEmbeddedRuleDocs[i].markdown;
  return {};
}

} // namespace mpauth
