#include "analyzer/semantics/Responses.h"

#include <algorithm>

namespace mpauth {

namespace {

constexpr unsigned kMaxFunctions = 32;

std::string nameOf(const ModuleSemantics &semantics, Node function) {
  std::string_view src = semantics.source();
  if (Node name = function.field("name"))
    return std::string(name.text(src));
  Node parent = function.parent();
  if (parent.is("variable_declarator"))
    return std::string(parent.field("name").text(src));
  if (parent.is("pair"))
    return std::string(parent.field("key").text(src));
  if (parent.is("assignment_expression")) {
    Node left = unwrapExpression(parent.field("left"));
    if (left.is("member_expression"))
      return std::string(left.field("property").text(src));
  }
  return "the handler";
}

// The local function a call calls (`login(event)`), or null.
Node calledFunction(const ModuleSemantics &semantics, Node call) {
  Node callee = unwrapExpression(call.field("function"));
  if (!callee.is("identifier"))
    return Node();
  const Binding *b = semantics.resolve(callee);
  if (!b)
    return Node();
  if (b->kind == BindingKind::Function)
    return b->init;
  if ((b->kind == BindingKind::Const || b->writes == 0) && b->path.empty() && b->init &&
      isFunctionNode(unwrapExpression(b->init)))
    return unwrapExpression(b->init);
  return Node();
}

// The call a returned expression stands for: `login(e)`, `await login(e)`, or a const holding
// one (`const r = await login(e); return r`).
Node returnedCall(const ModuleSemantics &semantics, Node expression) {
  for (int guard = 0; guard < 4; ++guard) {
    Node e = unwrapExpression(expression);
    if (e.is("await_expression"))
      e = unwrapExpression(e.namedChild(0));
    if (e.is("call_expression"))
      return e;
    if (!e.is("identifier"))
      return Node();
    const Binding *b = semantics.resolve(e);
    if (!b || !b->path.empty() || !b->init || (b->kind != BindingKind::Const && b->writes > 0) ||
        b->kind == BindingKind::Param)
      return Node();
    expression = b->init;
  }
  return Node();
}

} // namespace

std::vector<ResponseExpression> responseExpressions(const ModuleSemantics &semantics) {
  std::vector<ResponseExpression> out;
  struct Item {
    Node function;
    std::string handler; // name of the handler whose result this function's result becomes
  };
  std::vector<Item> work;
  std::vector<Node> seen;
  for (Node handler : semantics.handlers()) {
    work.push_back({handler, nameOf(semantics, handler)});
    seen.push_back(handler);
  }
  while (!work.empty() && seen.size() <= kMaxFunctions) {
    Item item = std::move(work.back());
    work.pop_back();
    std::string how = semantics.isHandler(item.function)
                          ? "returned by " + item.handler
                          : "returned by " + nameOf(semantics, item.function) + "(), which " +
                                item.handler + " returns";
    for (Node e : semantics.returnedExpressions(item.function)) {
      out.push_back({e, item.function, how});
      Node call = returnedCall(semantics, e);
      if (call.isNull())
        continue;
      Node callee = calledFunction(semantics, call);
      if (callee.isNull() || std::find(seen.begin(), seen.end(), callee) != seen.end())
        continue;
      seen.push_back(callee);
      work.push_back({callee, item.handler});
    }
  }

  // tcb-router: `ctx.body = …` in a route.
  std::string_view src = semantics.source();
  if (src.find("body") == std::string_view::npos)
    return out;
  walk(semantics.root(), [&](Node n) {
    if (!n.is("assignment_expression"))
      return true;
    Node left = unwrapExpression(n.field("left"));
    if (!left.is("member_expression") || left.field("property").text(src) != "body")
      return true;
    if (semantics.evaluate(left.field("object"))->is(Value::Kind::RouterContext))
      out.push_back({n.field("right"), semantics.enclosingFunction(n), "assigned to ctx.body"});
    return true;
  });
  return out;
}

} // namespace mpauth
