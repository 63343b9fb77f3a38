#include "rules/Rule.h"

namespace mpauth {

Node enclosingStatement(Node node) {
  Node best = node;
  for (Node n = node; n; n = n.parent()) {
    std::string_view t = n.type();
    if (t == "program")
      break;
    best = n;
    if (t.ends_with("_statement") || t.ends_with("_declaration") || t == "pair" ||
        t == "method_definition" || t == "field_definition")
      return n;
  }
  return best;
}

std::string compact(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  constexpr size_t kMax = 60;
  if (out.size() > kMax) {
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut; // never split a UTF-8 sequence
    out = out.substr(0, cut) + "…";
  }
  return out;
}

DiagnosticBuilder FileContext::report(Node at, std::string_view messageId, MessageArgs args) {
  Diagnostic d;
  d.rule = currentRule;
  d.severity = currentRule->defaultSeverity;
  d.messageId = std::string(messageId);
  d.args = std::move(args);
  d.primary = locationOf(at);
  d.context = locationOf(enclosingStatement(at));
  diagnostics.push_back(std::move(d));
  return DiagnosticBuilder(diagnostics.back());
}

DiagnosticBuilder ProjectContext::report(Location at, Location context, std::string_view messageId,
                                         MessageArgs args) {
  Diagnostic d;
  d.rule = currentRule;
  d.severity = currentRule->defaultSeverity;
  d.messageId = std::string(messageId);
  d.args = std::move(args);
  d.primary = at;
  d.context = context;
  diagnostics.push_back(std::move(d));
  return DiagnosticBuilder(diagnostics.back());
}

} // namespace mpauth
