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
