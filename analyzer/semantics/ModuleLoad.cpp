#include "analyzer/semantics/ModuleLoad.h"

namespace mpauth {

namespace {

// Helpers of helpers of load-time code: deeper chains are not worth following.
constexpr unsigned kMaxLoadDepth = 4;

Node skipParentheses(Node n) {
  while (n.is("parenthesized_expression"))
    n = n.parent();
  return n;
}

bool isPatternNode(Node n) {
  std::string_view t = n.type();
  return t == "object_pattern" || t == "array_pattern" || t == "pair_pattern" ||
         t == "assignment_pattern" || t == "object_assignment_pattern" || t == "rest_pattern";
}

// The binding a function can be called by: its declaration's name, or the `const` (or never
// reassigned) variable its expression initializes.
const Binding *bindingOfFunction(const ModuleSemantics &semantics, Node fn) {
  if (fn.is("function_declaration") || fn.is("generator_function_declaration"))
    return semantics.resolve(fn.field("name"));
  Node parent = skipParentheses(fn.parent());
  if (!parent.is("variable_declarator") || !parent.field("name").is("identifier"))
    return nullptr;
  const Binding *b = semantics.resolve(parent.field("name"));
  if (!b || (b->kind != BindingKind::Const && b->writes > 0))
    return nullptr;
  return b;
}

// The class binding whose `new` runs constructor `fn`.
const Binding *bindingOfConstructor(const ModuleSemantics &semantics, Node fn) {
  if (!fn.is("method_definition") || fn.field("name").text(semantics.source()) != "constructor")
    return nullptr;
  Node cls = fn.parent().parent(); // class_body -> class_declaration / class
  if (cls.is("class_declaration"))
    return semantics.resolve(cls.field("name"));
  if (cls.is("class")) {
    Node parent = skipParentheses(cls.parent());
    if (parent.is("variable_declarator") && parent.field("name").is("identifier"))
      return semantics.resolve(parent.field("name"));
  }
  return nullptr;
}

bool functionRunsOnlyAtLoad(const ModuleSemantics &semantics, Node fn, unsigned depth,
                            std::vector<LoadTimeCall> *why);

bool nodeRunsAtLoad(const ModuleSemantics &semantics, Node node, unsigned depth,
                    std::vector<LoadTimeCall> *why) {
  Node fn = semantics.enclosingFunction(node);
  if (fn.isNull())
    return true;
  return functionRunsOnlyAtLoad(semantics, fn, depth, why);
}

bool functionRunsOnlyAtLoad(const ModuleSemantics &semantics, Node fn, unsigned depth,
                            std::vector<LoadTimeCall> *why) {
  if (depth > kMaxLoadDepth || semantics.isHandler(fn))
    return false;
  std::string_view src = semantics.source();

  // (function () { … })(), (() => { … })(), (function () { … }).call(this)
  Node parent = skipParentheses(fn.parent());
  Node iife;
  if (parent.is("call_expression") && unwrapExpression(parent.field("function")) == fn)
    iife = parent;
  else if (parent.is("member_expression") && unwrapExpression(parent.field("object")) == fn) {
    std::string_view method = parent.field("property").text(src);
    Node call = skipParentheses(parent.parent());
    if ((method == "call" || method == "apply") && call.is("call_expression") &&
        unwrapExpression(call.field("function")) == parent)
      iife = call;
  }
  if (iife) {
    if (!nodeRunsAtLoad(semantics, iife, depth + 1, why))
      return false;
    if (why)
      why->insert(why->begin(), LoadTimeCall{fn, iife});
    return true;
  }

  bool isConstructor = false;
  const Binding *binding = bindingOfFunction(semantics, fn);
  if (!binding) {
    binding = bindingOfConstructor(semantics, fn);
    isConstructor = binding != nullptr;
  }
  if (!binding)
    return false;
  std::vector<Node> references = referencesOf(semantics, *binding);
  if (references.empty())
    return false; // never called here: exported by other means, or dead
  Node firstCall;
  for (Node ref : references) {
    if (!ref.is("identifier"))
      return false; // `{ helper }`: escapes into an object
    Node use = ref;
    while (use.parent().is("parenthesized_expression"))
      use = use.parent();
    Node call = use.parent();
    bool called = isConstructor ? call.is("new_expression") && call.field("constructor") == use
                                : call.is("call_expression") && call.field("function") == use;
    if (!called)
      return false; // exported, passed as a callback, stored: it may run later
    if (!nodeRunsAtLoad(semantics, call, depth + 1, nullptr))
      return false;
    if (firstCall.isNull())
      firstCall = call;
  }
  if (why) {
    nodeRunsAtLoad(semantics, firstCall, depth + 1, why);
    why->insert(why->begin(), LoadTimeCall{fn, firstCall});
  }
  return true;
}

} // namespace

bool runsAtModuleLoad(const ModuleSemantics &semantics, Node node, std::vector<LoadTimeCall> *why) {
  return nodeRunsAtLoad(semantics, node, 0, why);
}

std::vector<Node> referencesOf(const ModuleSemantics &semantics, const Binding &binding) {
  std::vector<Node> out;
  std::string_view src = semantics.source();
  walk(semantics.root(), [&](Node n) {
    std::string_view t = n.type();
    if ((t == "identifier" || t == "shorthand_property_identifier" ||
         t == "shorthand_property_identifier_pattern") &&
        n.text(src) == binding.name && !(n == binding.id) && semantics.resolve(n) == &binding)
      out.push_back(n);
    return true;
  });
  return out;
}

bool isWriteTarget(Node identifier) {
  Node n = identifier;
  Node parent = n.parent();
  if (parent.is("update_expression"))
    return true;
  while (parent.is("parenthesized_expression")) {
    n = parent;
    parent = parent.parent();
  }
  // Inside a destructuring pattern: climb to the pattern's owner.
  while (isPatternNode(parent)) {
    // `{ a = b }`: only the left side is written.
    if ((parent.is("assignment_pattern") || parent.is("object_assignment_pattern")) &&
        parent.field("right") == n)
      return false;
    if (parent.is("pair_pattern") && parent.field("key") == n)
      return false;
    n = parent;
    parent = parent.parent();
  }
  if ((parent.is("assignment_expression") || parent.is("augmented_assignment_expression")) &&
      parent.field("left") == n)
    return true;
  if (parent.is("for_in_statement") && parent.field("left") == n)
    return true;
  return false;
}

} // namespace mpauth
