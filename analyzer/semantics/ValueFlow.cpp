#include "analyzer/semantics/ValueFlow.h"

#include <set>

namespace mpauth {

namespace {

constexpr unsigned kMaxDepth = 4;        // variables followed, one after the other
constexpr unsigned kMaxVisits = 4096;    // expressions looked at for one sink
constexpr size_t kMaxWritesFollowed = 8; // values written to one variable

bool isOneOf(std::string_view s, std::initializer_list<std::string_view> list) {
  for (std::string_view x : list)
    if (s == x)
      return true;
  return false;
}

std::vector<Node> argumentsOf(Node call) {
  std::vector<Node> out;
  for (Node a : call.field("arguments").namedChildren())
    if (!a.is("comment"))
      out.push_back(a.is("spread_element") ? a.namedChild(0) : a);
  return out;
}

} // namespace

bool isNobodyLiteral(Node e, std::string_view src) {
  e = unwrapExpression(e);
  std::string_view t = e.type();
  if (t == "null" || t == "undefined" || t == "number" || t == "false")
    return true;
  if (t == "string" || t == "template_string")
    return stringValue(e, src).value_or("x").empty();
  return t == "identifier" && e.text(src) == "undefined";
}

void ValueFlow::collectPushes() const {
  if (PushesCollected)
    return;
  PushesCollected = true;
  std::string_view src = Semantics.source();
  for (Node n : nodesOfTypes(Semantics.root(), {"call_expression"})) {
    Node callee = unwrapExpression(n.field("function"));
    if (!callee.is("member_expression") ||
        !isOneOf(callee.field("property").text(src), {"push", "unshift"}))
      continue;
    Node object = unwrapExpression(callee.field("object"));
    if (object.is("identifier"))
      if (const Binding *b = Semantics.resolve(object))
        for (Node a : argumentsOf(n))
          Pushes[b].push_back(a);
  }
}

void ValueFlow::sources(Node sink, const Visitor &visit) const {
  std::vector<Item> work{{sink, {}, 0}};
  std::set<uint64_t> seen; // byte ranges already expanded
  unsigned visits = 0;
  while (!work.empty() && visits < kMaxVisits) {
    Item item = std::move(work.back());
    work.pop_back();
    if (item.node.isNull() ||
        !seen.insert(uint64_t(item.node.begin()) << 32 | item.node.end()).second)
      continue;
    ++visits;
    if (!visit(item.node, item.steps))
      expand(item, work);
  }
}

bool ValueFlow::every(Node sink, const std::function<Verdict(Node)> &judge) const {
  std::vector<Item> work{{sink, {}, 0}};
  std::set<uint64_t> seen;
  unsigned visits = 0;
  while (!work.empty()) {
    Item item = std::move(work.back());
    work.pop_back();
    if (item.node.isNull())
      return false;
    if (!seen.insert(uint64_t(item.node.begin()) << 32 | item.node.end()).second)
      continue; // a cycle (`x = x || y`): nothing new
    if (++visits > kMaxVisits)
      return false;
    switch (judge(item.node)) {
    case Verdict::Accept:
      continue;
    case Verdict::Reject:
      return false;
    case Verdict::Look:
      if (!expand(item, work))
        return false;
    }
  }
  return true;
}

bool ValueFlow::expand(const Item &item, std::vector<Item> &work) const {
  Node n = item.node;
  size_t before = work.size();
  auto push = [&](Node child) {
    if (!child.isNull())
      work.push_back({child, item.steps, item.depth});
  };
  std::string_view t = n.type();
  std::string_view src = Semantics.source();
  if (t == "parenthesized_expression" || t == "non_null_expression" || t == "as_expression" ||
      t == "satisfies_expression" || t == "type_assertion") {
    push(unwrapExpression(n) == n ? Node() : unwrapExpression(n));
  } else if (t == "await_expression" || t == "spread_element" || t == "template_substitution") {
    push(n.namedChild(0));
  } else if (t == "object") {
    for (Node c : n.namedChildren()) {
      if (c.is("pair"))
        push(c.field("value"));
      else if (c.is("spread_element") || c.is("shorthand_property_identifier"))
        push(c);
    }
  } else if (t == "array" || t == "template_string") {
    for (Node c : n.namedChildren())
      if (!c.is("comment"))
        push(c);
  } else if (t == "ternary_expression") {
    push(n.field("consequence"));
    push(n.field("alternative"));
  } else if (t == "binary_expression") {
    std::string_view op = n.field("operator").text(src);
    if (op == "||" || op == "??" || op == "+") {
      push(n.field("left"));
      push(n.field("right"));
    } else if (op == "&&") {
      push(n.field("right"));
    }
  } else if (t == "sequence_expression") {
    push(n.namedChild(n.namedChildCount() - 1));
  } else if (t == "assignment_expression" || t == "augmented_assignment_expression") {
    push(n.field("right"));
  } else if (t == "identifier" || t == "shorthand_property_identifier") {
    return followVariable(n, item, work);
  } else if (t == "call_expression" || t == "new_expression") {
    return followCall(n, item, work);
  } else {
    return false;
  }
  return work.size() > before;
}

bool ValueFlow::followVariable(Node identifier, const Item &item, std::vector<Item> &work) const {
  if (item.depth >= kMaxDepth)
    return false;
  const Binding *b = Semantics.resolve(identifier);
  if (!b || b->id == identifier || !b->path.empty())
    return false;
  if (b->kind != BindingKind::Const && b->kind != BindingKind::Let && b->kind != BindingKind::Var)
    return false;
  std::vector<ValueStep> steps = item.steps;
  steps.insert(steps.begin(), {b->id, "held in '" + b->name + "' here"});
  // A `let`/`var` without initializer starts as undefined: its declaring identifier stands
  // for that value.
  work.push_back({b->init ? b->init : b->id, steps, item.depth + 1});
  std::vector<Node> writes = Semantics.assignedValues(*b);
  collectPushes();
  if (auto it = Pushes.find(b); it != Pushes.end())
    writes.insert(writes.end(), it->second.begin(), it->second.end());
  for (size_t n = 0; n < writes.size() && n < kMaxWritesFollowed; ++n)
    work.push_back({writes[n], steps, item.depth + 1});
  return true;
}

bool ValueFlow::followCall(Node call, const Item &item, std::vector<Item> &work) const {
  std::string_view src = Semantics.source();
  Node callee =
      unwrapExpression(call.field(call.is("new_expression") ? "constructor" : "function"));
  std::vector<Node> args = argumentsOf(call);
  auto pushAll = [&](const std::vector<Node> &nodes) {
    for (Node a : nodes)
      work.push_back({a, item.steps, item.depth});
  };
  if (callee.is("identifier")) {
    std::string_view name = callee.text(src);
    if (!Semantics.resolve(callee) &&
        isOneOf(name, {"String", "encodeURIComponent", "encodeURI", "escape", "URLSearchParams"}) &&
        !args.empty()) {
      work.push_back({args.front(), item.steps, item.depth});
      return true;
    }
    return false;
  }
  if (!callee.is("member_expression"))
    return false;
  std::string_view method = callee.field("property").text(src);
  Node object = callee.field("object");
  if (isOneOf(method, {"map", "flatMap"})) {
    if (args.empty())
      return false;
    Node fn = unwrapExpression(args.front());
    if (fn.is("identifier"))
      if (const Binding *b = Semantics.resolve(fn); b && b->kind == BindingKind::Function)
        fn = b->init;
    if (!isFunctionNode(fn))
      return false;
    pushAll(Semantics.returnedExpressions(fn));
    return true;
  }
  if (isOneOf(method, {"filter", "slice", "sort", "reverse", "find", "findLast", "flat", "at",
                       "toSorted", "toReversed", "toString", "trim", "toLowerCase", "toUpperCase",
                       "join", "padStart", "padEnd", "valueOf"})) {
    work.push_back({object, item.steps, item.depth});
    return true;
  }
  if (method == "concat") {
    work.push_back({object, item.steps, item.depth});
    pushAll(args);
    return true;
  }
  std::string_view objectName = unwrapExpression(object).text(src);
  if (method == "stringify" && !args.empty()) { // JSON.stringify, qs.stringify, querystring…
    work.push_back({args.front(), item.steps, item.depth});
    return true;
  }
  if ((objectName == "Object" && method == "assign") ||
      (objectName == "Array" && method == "from") || (objectName == "Buffer" && method == "from")) {
    pushAll(args);
    return true;
  }
  return false;
}

} // namespace mpauth
