// The one table of rules, sorted by id. Adding a rule is one line in registry.cpp.
#pragma once

#include "rules/Rule.h"

#include <memory>
#include <string_view>
#include <vector>

namespace mpauth {

// Every rule, sorted by id. Created once, shared read-only by all threads.
const std::vector<std::unique_ptr<Rule>> &allRules();
const Rule *findRule(std::string_view id);

// docs/rules/<id>.md as embedded at build time; empty when the page is missing.
std::string_view embeddedRuleDoc(std::string_view id);

} // namespace mpauth
