#include "analyzer/driver/Suppressions.h"

#include "analyzer/source/SourceFile.h"
#include "rules/Registry.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace mpauth {

namespace {

bool isKeywordChar(char c) {
  return llvm::isAlnum(c) || c == '-';
}

// Collapses whitespace and drops the " * " that starts the continuation lines of a block
// comment, so that a reason written over several lines reads as one.
std::string collapse(llvm::StringRef text) {
  std::string out;
  bool atLineStart = false, pendingSpace = false;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      atLineStart = true;
      pendingSpace = !out.empty();
      continue;
    }
    if (llvm::isSpace(c)) {
      pendingSpace = !out.empty();
      continue;
    }
    if (atLineStart && c == '*')
      continue;
    atLineStart = false;
    if (pendingSpace)
      out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

struct CommentRange {
  uint32_t begin, end;
};

// Where the line starting at `lineStart` ends in `text` (before its terminator).
uint32_t lineEnd(std::string_view text, uint32_t lineStart) {
  size_t end = text.find_first_of("\r\n", lineStart);
  return static_cast<uint32_t>(end == std::string_view::npos ? text.size() : end);
}

// A line with nothing but comments (and blanks around them). A blank line is not one: a
// next-line directive followed by a blank line covers that blank line, and is reported unused.
bool holdsOnlyComments(std::string_view text, uint32_t lineStart,
                       const std::vector<CommentRange> &comments) {
  uint32_t end = lineEnd(text, lineStart);
  uint32_t pos = lineStart;
  auto skipBlanks = [&] {
    while (pos < end && (text[pos] == ' ' || text[pos] == '\t'))
      ++pos;
  };
  skipBlanks();
  if (pos == end)
    return false;
  while (pos < end) {
    auto inside = std::find_if(comments.begin(), comments.end(), [&](const CommentRange &c) {
      return c.begin <= pos && pos < c.end;
    });
    if (inside == comments.end())
      return false;
    pos = inside->end;
    skipBlanks();
  }
  return true;
}

} // namespace

std::optional<ParsedSuppression> parseSuppressionComment(llvm::StringRef comment) {
  size_t bodyBegin = 2, bodyEnd = comment.size();
  if (comment.startswith("/*")) {
    if (comment.endswith("*/") && comment.size() >= 4)
      bodyEnd -= 2;
  } else if (!comment.startswith("//")) {
    return std::nullopt;
  }
  size_t i = bodyBegin;
  while (i < bodyEnd && (llvm::isSpace(comment[i]) || comment[i] == '*'))
    ++i;
  size_t keywordEnd = i;
  while (keywordEnd < bodyEnd && isKeywordChar(comment[keywordEnd]))
    ++keywordEnd;
  llvm::StringRef keyword = comment.slice(i, keywordEnd);
  if (keyword != "mpauth-ignore" && !keyword.startswith("mpauth-ignore-"))
    return std::nullopt;

  ParsedSuppression parsed;
  parsed.keyword = keyword.str();
  if (keyword == "mpauth-ignore")
    parsed.scope = SuppressionScope::SameLine;
  else if (keyword == "mpauth-ignore-next-line")
    parsed.scope = SuppressionScope::NextLine;
  else if (keyword == "mpauth-ignore-file")
    parsed.scope = SuppressionScope::File;

  llvm::StringRef rest = comment.slice(keywordEnd, bodyEnd);
  size_t separator = rest.find("--");
  parsed.hasSeparator = separator != llvm::StringRef::npos;
  llvm::StringRef list = parsed.hasSeparator ? rest.take_front(separator) : rest;
  if (parsed.hasSeparator)
    parsed.reason = collapse(rest.drop_front(separator + 2));
  for (size_t k = 0; k < list.size();) {
    char c = list[k];
    if (llvm::isSpace(c) || c == ',' || c == '*') {
      ++k;
      continue;
    }
    size_t start = k;
    while (k < list.size() && !llvm::isSpace(list[k]) && list[k] != ',')
      ++k;
    parsed.rules.push_back({list.slice(start, k).str(), static_cast<uint32_t>(keywordEnd + start),
                            static_cast<uint32_t>(k - start)});
  }
  return parsed;
}

std::vector<SuppressionDirective> collectSuppressions(Node root, const SourceFile &file,
                                                      uint32_t fileIndex) {
  std::string_view text(file.text().data(), file.text().size());
  std::vector<CommentRange> comments;
  walk(root, [&](Node n) {
    if (n.is("comment")) {
      comments.push_back({n.begin(), n.end()});
      return false;
    }
    return true;
  });
  std::sort(comments.begin(), comments.end(),
            [](const CommentRange &a, const CommentRange &b) { return a.begin < b.begin; });

  std::vector<SuppressionDirective> out;
  for (const CommentRange &c : comments) {
    auto parsed = parseSuppressionComment(llvm::StringRef(text.substr(c.begin, c.end - c.begin)));
    if (!parsed)
      continue;
    SuppressionDirective d;
    d.parsed = std::move(*parsed);
    d.comment = {fileIndex, c.begin, c.end};
    if (d.parsed.scope == SuppressionScope::SameLine) {
      d.line = file.lineColumn(c.begin).line;
    } else if (d.parsed.scope == SuppressionScope::NextLine) {
      uint32_t line = file.lineColumn(c.end).line + 1;
      while (line <= file.lineCount() &&
             holdsOnlyComments(text, file.offsetOf({line, 1}), comments))
        ++line;
      d.line = line;
    }
    d.used.assign(d.parsed.rules.size(), false);
    out.push_back(std::move(d));
  }
  return out;
}

void applySuppressions(std::vector<SuppressionDirective> &directives,
                       std::vector<Diagnostic> &diagnostics,
                       const std::vector<const SourceFile *> &files,
                       const std::vector<std::string_view> &ranRules,
                       const RuleDescriptor *invalidSuppression) {
  auto lineOf = [&](const Diagnostic &d) -> uint32_t {
    if (d.primary.file >= files.size() || !files[d.primary.file])
      return 0;
    return files[d.primary.file]->lineColumn(d.primary.begin).line;
  };

  // A directive without a reason, or without a rule, suppresses nothing (SPEC 4: the reason is
  // mandatory and there is no blanket form).
  for (SuppressionDirective &directive : directives) {
    const ParsedSuppression &p = directive.parsed;
    if (!p.scope || p.rules.empty() || p.reason.empty())
      continue;
    for (size_t k = 0; k < p.rules.size(); ++k) {
      const std::string &id = p.rules[k].id;
      if (id == kInvalidSuppressionRule)
        continue;
      for (Diagnostic &d : diagnostics) {
        if (!d.rule || d.rule->id != id || d.primary.file != directive.comment.file)
          continue;
        if (*p.scope != SuppressionScope::File && lineOf(d) != directive.line)
          continue;
        if (!d.suppression)
          d.suppression = Suppression{p.reason, directive.comment};
        directive.used[k] = true;
      }
    }
  }
  if (!invalidSuppression)
    return;

  // Reported after the matching above, so that no directive can suppress these.
  std::vector<Diagnostic> problems;
  for (const SuppressionDirective &directive : directives) {
    const ParsedSuppression &p = directive.parsed;
    auto report = [&](Location at, std::string_view messageId, MessageArgs args) {
      Diagnostic d;
      d.rule = invalidSuppression;
      d.severity = invalidSuppression->defaultSeverity;
      d.messageId = std::string(messageId);
      d.args = std::move(args);
      d.primary = at;
      d.context = directive.comment;
      problems.push_back(std::move(d));
    };
    if (!p.scope) {
      report(directive.comment, "unknown-directive", {{"directive", p.keyword}});
      continue;
    }
    if (p.rules.empty()) {
      report(directive.comment, "no-rule", {{"directive", p.keyword}});
      continue;
    }
    if (p.reason.empty()) {
      // Without " -- " the words after the directive may well be the reason: only this
      // problem is reported, not each word as an unknown rule.
      std::vector<std::string> ids;
      for (const auto &r : p.rules)
        ids.push_back(r.id);
      report(directive.comment, p.hasSeparator ? "empty-reason" : "missing-reason",
             {{"rules", llvm::join(ids, ", ")}});
      continue;
    }
    for (size_t k = 0; k < p.rules.size(); ++k) {
      const ParsedSuppression::NamedRule &named = p.rules[k];
      Location at{directive.comment.file, directive.comment.begin + named.offset,
                  directive.comment.begin + named.offset + named.length};
      if (named.id == kInvalidSuppressionRule) {
        report(at, "not-suppressible", {});
      } else if (!findRule(named.id)) {
        report(at, "unknown-rule", {{"rule", named.id}});
      } else if (!directive.used[k] && llvm::is_contained(ranRules, named.id)) {
        switch (*p.scope) {
        case SuppressionScope::SameLine:
          report(at, "unused-same-line", {{"rule", named.id}});
          break;
        case SuppressionScope::NextLine:
          report(at, "unused-next-line",
                 {{"rule", named.id}, {"line", std::to_string(directive.line)}});
          break;
        case SuppressionScope::File:
          report(at, "unused-file", {{"rule", named.id}});
          break;
        }
      }
    }
  }
  for (Diagnostic &d : problems)
    diagnostics.push_back(std::move(d));
}

} // namespace mpauth
