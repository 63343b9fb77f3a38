// invalid-suppression (SPEC 4 "Suppressions"): a suppression comment that is malformed, names
// an unknown rule, gives no reason, or suppresses nothing.
//
// Suppressions can only be judged once every rule has reported, so the work is done by the
// driver (analyzer/driver/Suppressions.cpp), which reads the directives from the comment nodes
// of each parsed file and reports under this descriptor. This file is the rule's one record:
// what users see about it, and the trigger that makes files with directives get parsed.
#include "rules/Registry.h"
#include "rules/Rule.h"

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"maintainability", "suppression"};

constexpr MessageTemplate kMessages[] = {
    {"unknown-directive",
     "'{directive}' is not a suppression directive, so it suppresses nothing; write "
     "mpauth-ignore, mpauth-ignore-next-line or mpauth-ignore-file.",
     "'{directive}' 不是抑制指令，因此不会抑制任何问题；请使用 mpauth-ignore、"
     "mpauth-ignore-next-line 或 mpauth-ignore-file。"},
    {"no-rule",
     "{directive} names no rule: mpauth has no blanket suppression. Name the rules to suppress, "
     "then write ' -- ' and the reason.",
     "{directive} 没有指定规则：mpauth 不支持不限规则的抑制。请写出要抑制的规则，再写 ' -- ' "
     "和理由。"},
    {"missing-reason",
     "This suppression of {rules} gives no reason, so it suppresses nothing; after the rule ids "
     "write ' -- ' and why the finding does not apply.",
     "对 {rules} 的抑制没有写理由，因此不会生效；请在规则名之后写 ' -- ' 和该问题不适用的原因。"},
    {"empty-reason",
     "This suppression of {rules} has an empty reason after ' -- ', so it suppresses nothing; "
     "say why the finding does not apply.",
     "对 {rules} 的抑制在 ' -- ' 之后的理由为空，因此不会生效；请说明该问题不适用的原因。"},
    {"unknown-rule",
     "'{rule}' is not an mpauth rule, so it suppresses nothing; `mpauth rules` lists the rules.",
     "'{rule}' 不是 mpauth 的规则，因此不会抑制任何问题；`mpauth rules` 会列出所有规则。"},
    {"not-suppressible",
     "invalid-suppression cannot be suppressed; fix or remove the suppression it reports.",
     "invalid-suppression 不能被抑制；请修正或删除它所报告的抑制注释。"},
    {"unused-same-line",
     "This suppression of {rule} suppresses nothing: no {rule} finding is reported on this line. "
     "Remove it.",
     "对 {rule} 的抑制没有抑制任何问题：本行没有 {rule} 问题。请删除它。"},
    {"unused-next-line",
     "This suppression of {rule} suppresses nothing: no {rule} finding is reported on the line "
     "it covers (line {line}). Remove it.",
     "对 {rule} 的抑制没有抑制任何问题：它所针对的第 {line} 行没有 {rule} 问题。请删除它。"},
    {"unused-file",
     "This suppression of {rule} suppresses nothing: no {rule} finding is reported in this file. "
     "Remove it.",
     "对 {rule} 的抑制没有抑制任何问题：本文件没有 {rule} 问题。请删除它。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "invalid-suppression",
      .name = "InvalidSuppression",
      .title = "Suppression comment that is malformed, unexplained or unused",
      .titleZhCN = "格式错误、缺少理由或未生效的抑制注释",
      .description =
          "A suppression comment (mpauth-ignore, mpauth-ignore-next-line, mpauth-ignore-file) must "
          "name the rules it suppresses and give a reason after ' -- '. A suppression without a "
          "reason or without a rule suppresses nothing, one that names an unknown rule does "
          "nothing, and one that no longer suppresses any finding hides nothing but would hide "
          "the next real finding on that line: each is reported, so that suppressions stay few, "
          "explained and current. invalid-suppression itself cannot be suppressed.",
      .defaultSeverity = Severity::Warning,
      .fix = FixSafety::None,
      .precision = Precision::VeryHigh,
      .securitySeverity = "1.0",
      .roles = AppliesToClient | AppliesToCloud | AppliesToOther,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("invalid-suppression"),
  };
  return d;
}

class InvalidSuppressionRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  // Files with a directive must be parsed even when no other rule cares about them.
  std::vector<std::string_view> triggers() const override { return {"mpauth-ignore"}; }
  void checkFile(FileContext &) const override {} // the driver reports (see above)
};

} // namespace

std::unique_ptr<Rule> createInvalidSuppressionRule() {
  return std::make_unique<InvalidSuppressionRule>();
}

} // namespace mpauth
