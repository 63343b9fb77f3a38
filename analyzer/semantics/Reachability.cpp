#include "analyzer/semantics/Reachability.h"

#include "analyzer/semantics/Module.h"

namespace mpauth {

bool isUnreachable(Node node) {
  for (Node n = node; n; n = n.parent()) {
    Node parent = n.parent();
    if (parent.isNull() || isFunctionNode(n))
      return false;
    if (!parent.is("statement_block") && !parent.is("program") && !parent.is("switch_case") &&
        !parent.is("switch_default"))
      continue;
    for (Node before = n.prevNamedSibling(); before; before = before.prevNamedSibling())
      if (before.is("return_statement") || before.is("throw_statement"))
        return true;
  }
  return false;
}

} // namespace mpauth
