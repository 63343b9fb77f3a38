// In-source suppressions (SPEC 4): `// mpauth-ignore-next-line <rule>[, <rule>] -- <reason>`,
// same-line `// mpauth-ignore <rule> -- <reason>` and file-level
// `/* mpauth-ignore-file <rule> -- <reason> */`. Directives are read from real comments (the
// syntax tree's comment nodes, in the file phase while the tree is alive), matched with the
// findings once every rule has reported, and what is wrong with them is reported as
// `invalid-suppression` (rules/invalid_suppression.cpp holds its descriptor).
#pragma once

#include "analyzer/diagnostics/Diagnostic.h"
#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mpauth {

class SourceFile;

enum class SuppressionScope { SameLine, NextLine, File };

// One comment that is a suppression directive, as written, before it is judged.
struct ParsedSuppression {
  struct NamedRule {
    std::string id;
    uint32_t offset = 0; // in the comment's text
    uint32_t length = 0;
  };
  std::string keyword; // "mpauth-ignore-next-line", or the unknown spelling that was written
  std::optional<SuppressionScope> scope; // nullopt: an unknown keyword ("mpauth-ignore-line")
  std::vector<NamedRule> rules;
  bool hasSeparator = false; // " -- " was written
  std::string reason;        // whitespace-collapsed; empty when missing
};

// Reads one comment ("// ...", "/* ... */"). nullopt unless its text starts with a word
// beginning with "mpauth-ignore".
std::optional<ParsedSuppression> parseSuppressionComment(llvm::StringRef comment);

// A directive placed in a file: what it names and which line it covers.
struct SuppressionDirective {
  ParsedSuppression parsed;
  Location comment;
  uint32_t line = 0;      // the line it covers (1-based); 0 for file-level directives
  std::vector<bool> used; // per named rule
};

// The directives of one parsed file: every comment node of `root` whose text is a directive.
// A next-line directive covers the next line that holds code, skipping lines that hold only
// comments (so that directives can be stacked).
std::vector<SuppressionDirective> collectSuppressions(Node root, const SourceFile &file,
                                                      uint32_t fileIndex);

// Marks the findings that valid directives suppress (Diagnostic::suppression), and appends an
// `invalid-suppression` finding for each directive problem when `invalidSuppression` is given
// (null: the rule does not run). `ranRules` are the ids of the rules that ran: a directive
// naming a rule that did not run is not judged unused.
void applySuppressions(std::vector<SuppressionDirective> &directives,
                       std::vector<Diagnostic> &diagnostics,
                       const std::vector<const SourceFile *> &files,
                       const std::vector<std::string_view> &ranRules,
                       const RuleDescriptor *invalidSuppression);

inline constexpr std::string_view kInvalidSuppressionRule = "invalid-suppression";

} // namespace mpauth
