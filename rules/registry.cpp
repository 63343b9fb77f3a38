#include "rules/Registry.h"

#include <algorithm>

namespace mpauth {

struct EmbeddedDoc {
  std::string_view id;
  std::string_view markdown;
};
extern const EmbeddedDoc kEmbeddedRuleDocs[];
extern const unsigned kEmbeddedRuleDocCount;

std::unique_ptr<Rule> createAppsecretInClientRule();
std::unique_ptr<Rule> createAssumedUnionidRule();
std::unique_ptr<Rule> createClientTrustedIdentityRule();
std::unique_ptr<Rule> createHardcodedEnvRule();
std::unique_ptr<Rule> createInvalidSuppressionRule();
std::unique_ptr<Rule> createMissingCloudInitRule();
std::unique_ptr<Rule> createOpenidLeakRule();
std::unique_ptr<Rule> createRecordsExposeOpenidRule();
std::unique_ptr<Rule> createUnhandledCloudFailRule();
std::unique_ptr<Rule> createUnknownCloudFunctionRule();
std::unique_ptr<Rule> createWxcontextOutsideHandlerRule();

namespace {

using RuleFactory = std::unique_ptr<Rule> (*)();

// One line per rule, sorted by rule id (a test checks the order, the docs and the fixtures).
constexpr RuleFactory kRuleFactories[] = {
    createAppsecretInClientRule,       // appsecret-in-client
    createAssumedUnionidRule,          // assumed-unionid
    createClientTrustedIdentityRule,   // client-trusted-identity
    createHardcodedEnvRule,            // hardcoded-env
    createInvalidSuppressionRule,      // invalid-suppression
    createMissingCloudInitRule,        // missing-cloud-init
    createOpenidLeakRule,              // openid-leak
    createRecordsExposeOpenidRule,     // records-expose-openid
    createUnhandledCloudFailRule,      // unhandled-cloud-fail
    createUnknownCloudFunctionRule,    // unknown-cloud-function
    createWxcontextOutsideHandlerRule, // wxcontext-outside-handler
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
