#include "analyzer/semantics/Guards.h"

namespace mpauth {

namespace {

// Conditions nest a little (`a && (b || !c)`); deeper ones are not guards anyone writes.
constexpr unsigned kMaxConditionDepth = 16;

bool isAbsentLiteral(Node n, std::string_view source) {
  n = unwrapExpression(n);
  if (n.is("undefined") || n.is("null"))
    return true;
  if (n.is("identifier") && n.text(source) == "undefined")
    return true;
  // `void 0`
  return n.is("unary_expression") && n.field("operator").text(source) == "void";
}

bool isNullLiteral(Node n) {
  return unwrapExpression(n).is("null");
}

bool isLiteral(Node n) {
  n = unwrapExpression(n);
  return n.is("string") || n.is("number") || n.is("true") || n.is("false") ||
         (n.is("template_string") && n.namedChildCount() == 0);
}

// `typeof x`, when x is the value.
bool isTypeofOfValue(Node n, std::string_view source, SameValue same) {
  n = unwrapExpression(n);
  return n.is("unary_expression") && n.field("operator").text(source) == "typeof" &&
         same(unwrapExpression(n.field("argument")));
}

// `x`, or a member chain rooted at it (`x.length`, `x?.trim()`): truthy only when x is present
// (a non-optional access on an absent x throws, which never yields true either).
bool isValueOrChainOfIt(Node n, SameValue same) {
  for (unsigned guard = 0; guard < kMaxConditionDepth; ++guard) {
    n = unwrapExpression(n);
    if (n.isNull())
      return false;
    if (same(n))
      return true;
    if (n.is("member_expression") || n.is("subscript_expression"))
      n = n.field("object");
    else if (n.is("call_expression"))
      n = n.field("function");
    else
      return false;
  }
  return false;
}

struct Context {
  const ModuleSemantics &semantics;
  std::string_view source;
  SameValue same;
};

PresenceFacts factsOf(Node c, const Context &cx, unsigned depth) {
  PresenceFacts none;
  if (depth > kMaxConditionDepth)
    return none;
  std::string_view source = cx.source;
  SameValue same = cx.same;
  c = unwrapExpression(c);
  if (c.isNull())
    return none;
  if (isValueOrChainOfIt(c, same))
    return {true, false};
  std::string_view t = c.type();
  if (t == "identifier") {
    // const hasUnionid = !!UNIONID … if (!hasUnionid) return
    const Binding *b = cx.semantics.resolve(c);
    if (!b || !b->path.empty() || b->init.isNull() || !(b->id.parent().is("variable_declarator")) ||
        (b->kind != BindingKind::Const && b->writes > 0) ||
        (b->kind != BindingKind::Const && b->kind != BindingKind::Let &&
         b->kind != BindingKind::Var) ||
        b->init.contains(c))
      return none;
    return factsOf(b->init, cx, depth + 1);
  }
  if (t == "unary_expression") {
    if (c.field("operator").text(source) != "!")
      return none;
    PresenceFacts inner = factsOf(c.field("argument"), cx, depth + 1);
    return {inner.presentWhenFalse, inner.presentWhenTrue};
  }
  if (t == "call_expression") {
    // Boolean(x)
    Node callee = unwrapExpression(c.field("function"));
    Node args = c.field("arguments");
    if (callee.is("identifier") && callee.text(source) == "Boolean" && args.namedChildCount() == 1)
      return factsOf(args.namedChild(0), cx, depth + 1);
    return none;
  }
  if (t != "binary_expression")
    return none;
  std::string_view op = c.field("operator").text(source);
  Node left = c.field("left"), right = c.field("right");
  if (op == "&&") {
    PresenceFacts l = factsOf(left, cx, depth + 1);
    PresenceFacts r = factsOf(right, cx, depth + 1);
    return {l.presentWhenTrue || r.presentWhenTrue, l.presentWhenFalse && r.presentWhenFalse};
  }
  if (op == "||") {
    PresenceFacts l = factsOf(left, cx, depth + 1);
    PresenceFacts r = factsOf(right, cx, depth + 1);
    return {l.presentWhenTrue && r.presentWhenTrue, l.presentWhenFalse || r.presentWhenFalse};
  }
  bool equal = op == "===" || op == "==";
  bool notEqual = op == "!==" || op == "!=";
  if (!equal && !notEqual)
    return none;
  bool loose = op == "==" || op == "!=";
  // Put the value (or `typeof value`) on the left.
  if (!isValueOrChainOfIt(left, same) && !isTypeofOfValue(left, source, same))
    std::swap(left, right);
  if (isTypeofOfValue(left, source, same)) {
    auto type = stringValue(unwrapExpression(right), source);
    if (!type)
      return none;
    bool isUndefinedType = *type == "undefined";
    // typeof x !== 'undefined' / typeof x === 'string'
    if (isUndefinedType)
      return equal ? PresenceFacts{false, true} : PresenceFacts{true, false};
    return equal ? PresenceFacts{true, false} : PresenceFacts{false, true};
  }
  if (!isValueOrChainOfIt(left, same))
    return none;
  if (isAbsentLiteral(right, source)) {
    // `x != null` / `x != undefined` exclude both; `x !== undefined` excludes undefined (the
    // absent value of an optional field); `x !== null` excludes neither undefined nor anything
    // useful.
    if (!loose && isNullLiteral(right))
      return none;
    return equal ? PresenceFacts{false, true} : PresenceFacts{true, false};
  }
  // x === 'literal': true only for a present x.
  if (isLiteral(right) && equal)
    return {true, false};
  return none;
}

bool isBlockLike(Node n) {
  return n.is("statement_block") || n.is("program") || n.is("switch_case") ||
         n.is("switch_default") || n.is("class_static_block");
}

// The statement of an `else` clause.
Node elseBody(Node alternative) {
  if (alternative.is("else_clause"))
    for (Node child : alternative.namedChildren())
      if (!child.is("comment"))
        return child;
  return alternative;
}

// An earlier sibling statement that leaves the block unless the value is present:
// `if (!x) return`, `if (x) {…} else throw …`.
bool isEarlyExitGuard(Node statement, const Context &cx) {
  if (!statement.is("if_statement"))
    return false;
  PresenceFacts facts = factsOf(statement.field("condition"), cx, 0);
  if (facts.presentWhenFalse && alwaysExits(statement.field("consequence")))
    return true;
  Node alternative = statement.field("alternative");
  return facts.presentWhenTrue && alternative && alwaysExits(elseBody(alternative));
}

} // namespace

PresenceFacts presenceFacts(Node condition, const ModuleSemantics &semantics, SameValue same) {
  return factsOf(condition, Context{semantics, semantics.source(), same}, 0);
}

namespace {

bool exits(Node s, unsigned depth) {
  if (s.isNull() || depth > kMaxConditionDepth * 2)
    return false;
  std::string_view t = s.type();
  if (t == "return_statement" || t == "throw_statement" || t == "break_statement" ||
      t == "continue_statement")
    return true;
  if (t == "statement_block") {
    // Earlier statements fall through to later ones, and what follows an exit is unreachable:
    // the block exits when one of its statements does.
    for (Node child : s.namedChildren())
      if (exits(child, depth + 1))
        return true;
    return false;
  }
  if (t == "if_statement") {
    Node alternative = s.field("alternative");
    return alternative && exits(s.field("consequence"), depth + 1) &&
           exits(elseBody(alternative), depth + 1);
  }
  return false;
}

} // namespace

bool alwaysExits(Node statement) {
  return exits(statement, 0);
}

bool isGuarded(Node use, const ModuleSemantics &semantics, SameValue same) {
  Context cx{semantics, semantics.source(), same};
  std::string_view source = cx.source;
  for (Node child = use, parent = use.parent(); parent; child = parent, parent = parent.parent()) {
    std::string_view t = parent.type();
    if (t == "if_statement") {
      PresenceFacts facts = factsOf(parent.field("condition"), cx, 0);
      if (child == parent.field("consequence") && facts.presentWhenTrue)
        return true;
      if (child == parent.field("alternative") && facts.presentWhenFalse)
        return true;
    } else if (t == "ternary_expression") {
      PresenceFacts facts = factsOf(parent.field("condition"), cx, 0);
      if (child == parent.field("consequence") && facts.presentWhenTrue)
        return true;
      if (child == parent.field("alternative") && facts.presentWhenFalse)
        return true;
    } else if (t == "binary_expression") {
      if (child != parent.field("right"))
        continue;
      std::string_view op = parent.field("operator").text(source);
      PresenceFacts facts = factsOf(parent.field("left"), cx, 0);
      if (op == "&&" && facts.presentWhenTrue)
        return true;
      if (op == "||" && facts.presentWhenFalse)
        return true;
    } else if (t == "while_statement" || t == "for_statement") {
      Node condition = parent.field("condition");
      if (condition.is("expression_statement")) // for (…; cond; …)
        condition = condition.namedChild(0);
      if (child == parent.field("body") && factsOf(condition, cx, 0).presentWhenTrue)
        return true;
    } else if (isBlockLike(parent)) {
      for (Node before = child.prevNamedSibling(); before; before = before.prevNamedSibling())
        if (isEarlyExitGuard(before, cx))
          return true;
    }
  }
  return false;
}

} // namespace mpauth
