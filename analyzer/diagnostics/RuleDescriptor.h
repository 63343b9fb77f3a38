// Everything a user sees about a rule, in one record next to the rule's code. Text output,
// `mpauth rules`, `mpauth explain`, SARIF rules[] and the docs index are generated from it.
#pragma once

#include <span>
#include <string_view>

namespace mpauth {

enum class Severity { Note = 0, Warning = 1, Error = 2 };
const char *severityName(Severity s); // "note", "warning", "error"

enum class FixSafety { None, Safe };
enum class Precision { Low, Medium, High, VeryHigh };
const char *precisionName(Precision p); // SARIF/CodeQL spelling: "very-high", ...

// Which files a rule looks at (SPEC 2: roles).
enum RoleMask : unsigned { AppliesToClient = 1, AppliesToCloud = 2, AppliesToOther = 4 };

struct MessageTemplate {
  std::string_view id;
  std::string_view en;
  std::string_view zhCN; // empty: falls back to English
};

struct RuleDescriptor {
  std::string_view id;    // kebab-case, stable: "hardcoded-env"
  std::string_view name;  // PascalCase, SARIF rule name: "HardcodedEnv"
  std::string_view title; // one line, no trailing period
  std::string_view titleZhCN;
  std::string_view description; // full description, plain text
  Severity defaultSeverity;
  FixSafety fix;
  Precision precision;
  std::string_view securitySeverity; // CVSS-like "0.0".."10.0" for GitHub code scanning
  unsigned roles;
  std::span<const std::string_view> tags;
  std::span<const MessageTemplate> messages;
  std::string_view helpMarkdown; // docs/rules/<id>.md, embedded at build time
  // Files the rule reads facts from without reporting there (RoleMask; 0: none).
  // records-expose-openid reports in cloud functions and learns from the client's writes
  // which collections hold OPENIDs.
  unsigned readsRoles = 0;

  const MessageTemplate *message(std::string_view messageId) const {
    for (const MessageTemplate &m : messages)
      if (m.id == messageId)
        return &m;
    return nullptr;
  }
};

} // namespace mpauth
