#include "analyzer/semantics/Handlers.h"

#include <algorithm>

namespace mpauth {

namespace {

std::pair<uint32_t, uint32_t> key(Node n) {
  return {n.begin(), n.end()};
}

constexpr std::string_view kAppLifecycle[] = {
    "onLaunch",     "onShow", "onHide", "onError", "onPageNotFound", "onUnhandledRejection",
    "onThemeChange"};
constexpr std::string_view kPageLifecycle[] = {"onLoad",          "onShow",
                                               "onReady",         "onHide",
                                               "onUnload",        "onPullDownRefresh",
                                               "onReachBottom",   "onShareAppMessage",
                                               "onShareTimeline", "onAddToFavorites",
                                               "onPageScroll",    "onResize",
                                               "onTabItemTap",    "onSaveExitState",
                                               "onRouteDone"};
constexpr std::string_view kComponentLifecycle[] = {"created", "attached", "ready",
                                                    "moved",   "detached", "error"};
constexpr std::string_view kClassLifecycle[] = {
    "componentDidMount",    "componentWillMount", "componentDidShow",       "componentDidHide",
    "componentWillUnmount", "componentDidUpdate", "componentDidCatchError", "render"};
constexpr std::string_view kVueLifecycle[] = {
    "created",       "mounted",   "beforeMount", "beforeCreate",  "activated",
    "beforeDestroy", "destroyed", "unmounted",   "beforeUnmount", "setup"};

template <size_t N> bool in(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// Is `fn` an argument of a call, and of which?
Node callOfArgument(Node fn) {
  Node parent = fn.parent();
  while (parent.is("parenthesized_expression"))
    parent = parent.parent();
  if (!parent.is("arguments"))
    return Node();
  return parent.parent();
}

// The object literal `fn` is a member of (`{ success(res) {…} }`, `{ fail: (e) => … }`).
Node optionsObjectOf(Node fn) {
  Node member = fn.is("method_definition") ? fn : fn.parent();
  while (member.is("parenthesized_expression"))
    member = member.parent();
  if (member.is("pair") && !(unwrapExpression(member.field("value")) == fn))
    return Node();
  if (!member.is("pair") && !member.is("method_definition"))
    return Node();
  Node object = member.parent();
  return object.is("object") ? object : Node();
}

} // namespace

const char *functionRoleName(FunctionRole role) {
  switch (role) {
  case FunctionRole::Lifecycle:
    return "lifecycle";
  case FunctionRole::BoundHandler:
    return "bound-handler";
  case FunctionRole::Callback:
    return "callback";
  case FunctionRole::LoadTime:
    return "load-time";
  case FunctionRole::UncalledMethod:
    return "uncalled-method";
  case FunctionRole::Helper:
    return "helper";
  case FunctionRole::ChainCallback:
    return "chain-callback";
  }
  return "helper";
}

HandlerModel::HandlerModel(const ModuleSemantics &semantics,
                           const std::vector<std::string> &boundHandlers)
    : Semantics(semantics), CalledMethods(semantics.components().size()),
      CallbackMethods(semantics.components().size()),
      EscapedMethods(semantics.components().size()) {
  for (const std::string &h : boundHandlers)
    Bound.insert(h);
  scanUses();
}

bool HandlerModel::isLifecycle(const ComponentInfo &c, const ComponentMethod &m) {
  if (m.group == "lifetimes" || m.group == "pageLifetimes" || m.group == "observers")
    return true;
  switch (c.kind) {
  case ComponentKind::App:
    return in(kAppLifecycle, m.name);
  case ComponentKind::Page:
    return in(kPageLifecycle, m.name);
  case ComponentKind::Component:
  case ComponentKind::Behavior:
    // A Component used as a page declares page lifecycles in `methods`.
    return in(kComponentLifecycle, m.name) || in(kPageLifecycle, m.name);
  case ComponentKind::ClassComponent:
    return in(kClassLifecycle, m.name) || in(kPageLifecycle, m.name);
  case ComponentKind::VueOptions:
    return in(kVueLifecycle, m.name) || in(kPageLifecycle, m.name) || in(kAppLifecycle, m.name);
  }
  return false;
}

void HandlerModel::scanUses() {
  std::string_view src = Semantics.source();
  auto functionOfIdentifier = [&](Node id) -> Node {
    const Binding *b = Semantics.resolve(id);
    if (!b)
      return Node();
    if (b->kind == BindingKind::Function)
      return b->init;
    Node init = unwrapExpression(b->init);
    if ((b->kind == BindingKind::Const || b->writes == 0) && init && isFunctionNode(init) &&
        b->path.empty())
      return init;
    return Node();
  };
  auto componentOfThis = [&](Node object) -> int {
    if (Semantics.components().empty())
      return -1; // `this` (or an alias) of a component needs a component
    ValuePtr v = Semantics.evaluate(object);
    return v->is(Value::Kind::ComponentThis) ? v->file : -1;
  };

  for (Node n : nodesOfTypes(Semantics.root(), {"call_expression"})) {
    Node callee = unwrapExpression(n.field("function"));
    if (callee.is("member_expression")) {
      Node object = unwrapExpression(callee.field("object"));
      if (object.is("this") || object.is("identifier")) {
        int c = componentOfThis(object);
        if (c >= 0)
          CalledMethods[c].insert(std::string(callee.field("property").text(src)));
      }
    } else if (callee.is("identifier")) {
      if (Node fn = functionOfIdentifier(callee)) {
        bool atLoad = Semantics.enclosingFunction(n).isNull();
        (atLoad ? CalledAtLoad : CalledLater).insert(key(fn));
      }
    }
    // References passed as callbacks: setTimeout(refresh), wx.onXxx(this.handle).
    for (Node arg : n.field("arguments").namedChildren()) {
      arg = unwrapExpression(arg);
      if (arg.is("identifier")) {
        if (Node fn = functionOfIdentifier(arg))
          PassedAsCallback.insert(key(fn));
      } else if (arg.is("member_expression")) {
        int c = componentOfThis(unwrapExpression(arg.field("object")));
        if (c >= 0)
          CallbackMethods[c].insert(std::string(arg.field("property").text(src)));
      } else if (arg.is("call_expression")) { // wx.onXxx(this.handle.bind(this))
        Node bind = unwrapExpression(arg.field("function"));
        if (bind.is("member_expression") && bind.field("property").text(src) == "bind") {
          Node method = unwrapExpression(bind.field("object"));
          if (method.is("member_expression")) {
            int c = componentOfThis(unwrapExpression(method.field("object")));
            if (c >= 0)
              CallbackMethods[c].insert(std::string(method.field("property").text(src)));
          }
        }
      }
    }
  }

  // A method whose reference is stored rather than called or passed (`setData({ load:
  // this.load })`, `const f = this.load`) is called by code we do not see; one given to a JSX
  // event prop (`onClick={this.save}`) is an event handler.
  for (Node n : nodesOfTypes(Semantics.root(), {"member_expression"})) {
    Node object = unwrapExpression(n.field("object"));
    if (!object.is("this") && !object.is("identifier"))
      continue;
    Node use = n.parent();
    while (use.is("parenthesized_expression"))
      use = use.parent();
    bool eventProp = use.is("jsx_expression") && use.parent().is("jsx_attribute");
    bool stored = use.is("pair") || use.is("variable_declarator") || use.is("array") ||
                  use.is("jsx_expression") || use.is("return_statement") ||
                  (use.is("assignment_expression") && use.field("right") == n);
    if (!stored)
      continue;
    int c = componentOfThis(object);
    if (c >= 0)
      (eventProp ? CallbackMethods : EscapedMethods)[c].insert(
          std::string(n.field("property").text(src)));
  }
}

bool HandlerModel::isMethodCalled(int component, std::string_view name) const {
  return component >= 0 && static_cast<size_t>(component) < CalledMethods.size() &&
         CalledMethods[component].count(std::string(name));
}

FunctionRole HandlerModel::roleOf(Node fn) const {
  // A component method?
  const auto &components = Semantics.components();
  for (size_t c = 0; c < components.size(); ++c) {
    for (const ComponentMethod &m : components[c].methods) {
      if (!(m.function == fn))
        continue;
      if (isLifecycle(components[c], m))
        return FunctionRole::Lifecycle;
      if (Bound.contains(m.name))
        return FunctionRole::BoundHandler;
      if (CallbackMethods[c].count(m.name))
        return FunctionRole::Callback;
      if (CalledMethods[c].count(m.name) || EscapedMethods[c].count(m.name))
        return FunctionRole::Helper;
      return FunctionRole::UncalledMethod;
    }
  }

  if (Node call = callOfArgument(fn)) {
    if (call.is("new_expression")) {
      if (call.field("constructor").text(Semantics.source()) == "Promise")
        return FunctionRole::ChainCallback;
      return FunctionRole::Callback;
    }
    Node callee = unwrapExpression(call.field("function"));
    if (callee.is("member_expression")) {
      std::string_view method = callee.field("property").text(Semantics.source());
      if (method == "then" || method == "catch" || method == "finally")
        return FunctionRole::ChainCallback;
      // The promises of map() callbacks flow into the array (usually Promise.all).
      if (method == "map" || method == "flatMap" || method == "reduce")
        return FunctionRole::Helper;
    }
    return FunctionRole::Callback;
  }

  // Callbacks in an options object passed to a call: wx.showModal({ success(res) {…} }),
  // { fail: (err) => … }. (App/Page/Component options were matched as components above.)
  if (Node object = optionsObjectOf(fn)) {
    Node holder = object.parent();
    while (holder.is("parenthesized_expression"))
      holder = holder.parent();
    if (holder.is("arguments"))
      return FunctionRole::Callback;
  }

  // JSX event props: onClick={() => …}
  Node parent = fn.parent();
  if (parent.is("jsx_expression") && parent.parent().is("jsx_attribute"))
    return FunctionRole::Callback;

  if (PassedAsCallback.count(key(fn)))
    return FunctionRole::Callback;
  if (CalledAtLoad.count(key(fn)) && !CalledLater.count(key(fn)))
    return FunctionRole::LoadTime;
  return FunctionRole::Helper;
}

bool HandlerModel::isTopLevelHandler(Node fn) const {
  FunctionRole r = roleOf(fn);
  return r != FunctionRole::Helper && r != FunctionRole::ChainCallback;
}

std::string HandlerModel::describe(Node fn) const {
  for (const ComponentInfo &c : Semantics.components())
    for (const ComponentMethod &m : c.methods)
      if (m.function == fn) {
        std::string name = m.group.empty() ? m.name : m.group + "." + m.name;
        if (Bound.contains(m.name))
          name += " (bound in the template)";
        return name;
      }
  Node name = fn.field("name");
  if (name)
    return std::string(name.text(Semantics.source()));
  return "a callback";
}

} // namespace mpauth
