#include "analyzer/semantics/ClientIdentity.h"

#include "analyzer/semantics/ValueFlow.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace mpauth {

namespace {

constexpr unsigned kMaxTraceDepth = 12;

// Lower case without '_' and '-': "open_id" and "openId" both become "openid".
std::string normalizedName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name)
    if (c != '_' && c != '-')
      out.push_back(static_cast<char>(llvm::toLower(c)));
  return out;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// `a.b.c` members of a member expression chain down to its base, innermost first; the base
// (an identifier) in `base`. Empty when the chain has computed or call parts.
std::vector<std::string> memberChain(Node e, std::string_view source, Node &base) {
  std::vector<std::string> members;
  for (int guard = 0; guard < 16; ++guard) {
    e = unwrapExpression(e);
    if (e.is("identifier")) {
      base = e;
      std::reverse(members.begin(), members.end());
      return members;
    }
    if (!e.is("member_expression"))
      break;
    members.emplace_back(e.field("property").text(source));
    e = e.field("object");
  }
  base = Node();
  return {};
}

std::string functionName(const ModuleSemantics &semantics, Node function) {
  std::string_view src = semantics.source();
  if (Node name = function.field("name"))
    return std::string(name.text(src));
  Node parent = function.parent();
  if (parent.is("variable_declarator") || parent.is("pair"))
    return std::string((parent.is("pair") ? parent.field("key") : parent.field("name")).text(src));
  return "the helper";
}

bool matchesFieldList(const Value &value, const std::vector<std::string> &names) {
  if (names.empty() || value.path.empty())
    return false;
  std::string dotted;
  for (const std::string &p : value.path) {
    if (!dotted.empty())
      dotted += '.';
    dotted += p;
    for (const std::string &n : names)
      if (n == dotted)
        return true;
  }
  for (const std::string &n : names)
    if (n == value.path.back())
      return true;
  return false;
}

} // namespace

bool isIdentityFieldName(std::string_view name) {
  std::string n = normalizedName(name);
  return endsWith(n, "openid") || endsWith(n, "unionid") || endsWith(n, "userid") || n == "uid";
}

bool isSelfIdentityFieldName(std::string_view name) {
  if (name.empty() || name.front() == '_')
    return false;
  std::string n = normalizedName(name);
  return n == "openid" || n == "unionid" || n == "userid" || n == "uid";
}

bool isCallerIdentity(const Value &v) {
  if (v.is(Value::Kind::EventField))
    return v.pathIs({"userInfo", "openId"});
  if (!v.is(Value::Kind::Module))
    return false;
  switch (serverSdkOf(v.text)) {
  case ServerSdk::WxServerSdk:
    return v.pathIs({"getWXContext", "()", "OPENID"}) ||
           v.pathIs({"getWXContext", "()", "UNIONID"}) ||
           v.pathIs({"getWXContext", "()", "FROM_OPENID"}) ||
           v.pathIs({"getWXContext", "()", "FROM_UNIONID"});
  case ServerSdk::CloudbaseNode:
  case ServerSdk::TcbAdmin: {
    size_t n = v.path.size();
    if (n < 3 || v.path[n - 3] != "getUserInfo" || v.path[n - 2] != "()")
      return false;
    const std::string &last = v.path.back();
    return last == "openId" || last == "uid" || last == "unionId";
  }
  case ServerSdk::None:
    return false;
  }
  return false;
}

namespace {

bool isCallerIdentityAt(const ModuleSemantics &semantics, Node expression, unsigned depth) {
  Node e = unwrapExpression(expression);
  if (e.is("await_expression"))
    e = unwrapExpression(e.namedChild(0));
  if (e.isNull() || depth > 4)
    return false;
  std::string_view src = semantics.source();
  if (e.is("binary_expression")) {
    // `OPENID || ''`, `ctx.OPENID || ctx.openid || ''`: the caller's id, or nobody's.
    std::string_view op = e.field("operator").text(src);
    Node left = unwrapExpression(e.field("left")), right = unwrapExpression(e.field("right"));
    if (op == "&&") {
      // `ctx && ctx.OPENID`: the context object is always there.
      ValuePtr l = semantics.evaluate(left);
      return l->is(Value::Kind::Module) && serverSdkOf(l->text) == ServerSdk::WxServerSdk &&
             l->pathIs({"getWXContext", "()"}) && isCallerIdentityAt(semantics, right, depth + 1);
    }
    if (op != "||" && op != "??")
      return false;
    auto ok = [&](Node side) {
      if (isNobodyLiteral(side, src) || isCallerIdentityAt(semantics, side, depth + 1))
        return true;
      // Another member of the context object (`ctx.openid`, which the platform does not set).
      if (side.is("member_expression")) {
        ValuePtr v = semantics.evaluate(side);
        return v->is(Value::Kind::Module) && serverSdkOf(v->text) == ServerSdk::WxServerSdk &&
               v->path.size() == 3 && v->path[0] == "getWXContext" && v->path[1] == "()";
      }
      return false;
    };
    return isCallerIdentityAt(semantics, left, depth + 1)
               ? ok(right)
               : ok(left) && ok(right) && !isNobodyLiteral(left, src);
  }
  if (isCallerIdentity(*semantics.evaluate(e)))
    return true;
  const Binding *b =
      e.is("identifier") || e.is("shorthand_property_identifier") ? semantics.resolve(e) : nullptr;
  if (!b || b->writes > 0 || !b->path.empty())
    return false;
  if (b->kind == BindingKind::Const || b->kind == BindingKind::Let || b->kind == BindingKind::Var)
    return b->init && unwrapExpression(b->init).is("binary_expression") &&
           isCallerIdentityAt(semantics, b->init, depth + 1);
  if (b->kind != BindingKind::Param || semantics.isEventParam(*b) ||
      semantics.isRouterContextParam(*b))
    return false;
  std::vector<ValuePtr> values = semantics.argumentValues(*b);
  if (values.empty())
    return false;
  for (const ValuePtr &v : values)
    if (!isCallerIdentity(*v))
      return false;
  return true;
}

} // namespace

bool isCallerIdentityExpression(const ModuleSemantics &semantics, Node expression) {
  return isCallerIdentityAt(semantics, expression, 0);
}

bool EventFieldPolicy::isClientSent(const Value &value) const {
  if (!value.is(Value::Kind::EventField) || value.path.empty())
    return false;
  if (value.path.front() == "userInfo" || value.path.front() == "()")
    return false;
  return !matchesFieldList(value, trusted);
}

bool EventFieldPolicy::isClientIdentity(const Value &value) const {
  if (!isClientSent(value))
    return false;
  return isIdentityFieldName(value.path.back()) || matchesFieldList(value, untrusted);
}

std::string describeEventField(const Value &value) {
  std::string out = "event";
  for (const std::string &p : value.path)
    out += p == "()" ? p : p == "[]" ? "[i]" : "." + p;
  return out;
}

ClientIdentityFlow::ClientIdentityFlow(const ModuleSemantics &semantics, EventFieldPolicy policy)
    : Semantics(semantics), Policy(std::move(policy)) {}

bool ClientIdentityFlow::accepts(const Value &value, Mode mode) const {
  return mode == Mode::Identity ? Policy.isClientIdentity(value) : Policy.isClientSent(value);
}

std::optional<IdentityFlow> ClientIdentityFlow::fromValue(Node at, const Value &value,
                                                          Mode mode) const {
  if (!accepts(value, mode))
    return std::nullopt;
  IdentityFlow flow;
  flow.source = at;
  flow.sourceText = describeEventField(value);
  flow.field = value.path.back();
  flow.steps.push_back({at, flow.sourceText + " is sent by the client."});
  return flow;
}

std::optional<IdentityFlow> ClientIdentityFlow::trace(Node expression, Mode mode) const {
  return traceAt(expression, mode, 0);
}

std::optional<IdentityFlow> ClientIdentityFlow::traceAt(Node node, Mode mode,
                                                        unsigned depth) const {
  if (depth > kMaxTraceDepth)
    return std::nullopt;
  Node e = unwrapExpression(node);
  if (e.isNull())
    return std::nullopt;
  std::string_view src = Semantics.source();
  std::string_view t = e.type();
  if (t == "await_expression")
    return traceAt(e.namedChild(0), mode, depth + 1);
  if (t == "identifier" || t == "shorthand_property_identifier")
    return traceIdentifier(e, mode, depth + 1);
  if (t == "member_expression" || t == "subscript_expression") {
    // `event.openid` in a helper `function save(event)`: the model takes any first parameter
    // named `event` for the client's event; when the helper is called here, what its callers
    // pass decides (`save({ openid: OPENID })` is not the client's).
    Node base;
    std::vector<std::string> chain = memberChain(e, src, base);
    if (const Binding *b = base ? Semantics.resolve(base) : nullptr;
        b && b->kind == BindingKind::Param && b->path.empty() && b->function &&
        !Semantics.isHandler(b->function) &&
        Semantics.evaluate(base)->is(Value::Kind::EventField) && callersPassKnownValues(*b))
      return traceParameter(*b, chain, mode, depth + 1);
    ValuePtr v = Semantics.evaluate(e);
    if (auto flow = fromValue(e, *v, mode))
      return flow;
    if (!v->is(Value::Kind::Unknown))
      return std::nullopt;
    // A member of a helper's parameter (`function f(data) { data.openid }` called as
    // `f(event)`): what the callers pass, with these members.
    if (base.isNull())
      return std::nullopt;
    const Binding *b = Semantics.resolve(base);
    if (b && b->kind == BindingKind::Param)
      return traceParameter(*b, chain, mode, depth + 1);
    return std::nullopt;
  }
  if (t == "binary_expression") {
    std::string_view op = e.field("operator").text(src);
    Node left = e.field("left"), right = e.field("right");
    if (op == "||" || op == "??") {
      if (auto l = traceAt(left, mode, depth + 1)) {
        if (l->fallback.isNull() && isCallerIdentityExpression(right))
          l->fallback = e;
        return l;
      }
      if (auto r = traceAt(right, mode, depth + 1)) {
        if (r->fallback.isNull() && isCallerIdentityExpression(left))
          r->fallback = e;
        return r;
      }
      return std::nullopt;
    }
    if (op == "&&")
      return traceAt(right, mode, depth + 1);
    if (op == "+") {
      if (auto l = traceAt(left, mode, depth + 1))
        return l;
      return traceAt(right, mode, depth + 1);
    }
    return std::nullopt;
  }
  if (t == "ternary_expression") {
    Node consequence = e.field("consequence"), alternative = e.field("alternative");
    if (auto c = traceAt(consequence, mode, depth + 1)) {
      if (c->fallback.isNull() && isCallerIdentityExpression(alternative))
        c->fallback = e;
      return c;
    }
    if (auto a = traceAt(alternative, mode, depth + 1)) {
      if (a->fallback.isNull() && isCallerIdentityExpression(consequence))
        a->fallback = e;
      return a;
    }
    return std::nullopt;
  }
  if (t == "template_string") {
    for (Node part : e.namedChildren())
      if (part.is("template_substitution"))
        if (auto flow = traceAt(part.namedChild(0), mode, depth + 1))
          return flow;
    return std::nullopt;
  }
  if (t == "call_expression") {
    // Conversions keep the value: String(id), id.trim(), `${id}`.toLowerCase().
    Node callee = unwrapExpression(e.field("function"));
    if (callee.is("member_expression")) {
      std::string_view method = callee.field("property").text(src);
      if (method == "trim" || method == "toString" || method == "toLowerCase" ||
          method == "toUpperCase" || method == "valueOf")
        return traceAt(callee.field("object"), mode, depth + 1);
      return std::nullopt;
    }
    if (callee.is("identifier") && !Semantics.resolve(callee)) {
      std::string_view name = callee.text(src);
      if (name == "String" || name == "Number" || name == "parseInt" ||
          name == "decodeURIComponent")
        return traceAt(e.field("arguments").namedChild(0), mode, depth + 1);
    }
    return std::nullopt;
  }
  if (t == "assignment_expression")
    return traceAt(e.field("right"), mode, depth + 1);
  if (t == "sequence_expression") {
    uint32_t n = e.namedChildCount();
    return n ? traceAt(e.namedChild(n - 1), mode, depth + 1) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<IdentityFlow> ClientIdentityFlow::traceIdentifier(Node id, Mode mode,
                                                                unsigned depth) const {
  const Binding *b = Semantics.resolve(id);
  if (!b)
    return std::nullopt;
  // A destructured parameter or variable (`({ openid })`, `const { openid } = event`) is read
  // from `event` where it is declared.
  auto destructured = [&]() -> std::optional<IdentityFlow> {
    if (b->path.empty())
      return std::nullopt;
    ValuePtr v = Semantics.evaluate(id);
    auto flow = fromValue(b->id, *v, mode);
    if (flow)
      flow->steps.front().message =
          "'" + b->name + "' is destructured from " + flow->sourceText + ", sent by the client.";
    return flow;
  };
  switch (b->kind) {
  case BindingKind::Param: {
    if (auto flow = destructured())
      return flow;
    ValuePtr v = Semantics.evaluate(id);
    if (!v->is(Value::Kind::Unknown))
      return std::nullopt; // the event itself, an array element, a router context
    return traceParameter(*b, {}, mode, depth);
  }
  case BindingKind::Const:
  case BindingKind::Let:
  case BindingKind::Var: {
    if (b->kind == BindingKind::Const || b->writes == 0) {
      if (b->init.isNull())
        return std::nullopt;
      if (!b->path.empty()) {
        if (auto flow = destructured())
          return flow;
        // `const { openid } = data` where `data` is a helper's parameter.
        Node init = unwrapExpression(b->init);
        if (const Binding *p = init.is("identifier") ? Semantics.resolve(init) : nullptr;
            p && p->kind == BindingKind::Param && p != b) {
          auto flow = traceParameter(*p, b->path, mode, depth);
          if (flow)
            flow->steps.push_back({b->id, "'" + b->name + "' is destructured from it."});
          return flow;
        }
        return std::nullopt;
      }
      auto flow = traceAt(b->init, mode, depth);
      if (flow)
        flow->steps.push_back({b->id, "Assigned to '" + b->name + "'."});
      return flow;
    }
    if (!b->path.empty())
      return std::nullopt;
    if (std::find(Visiting.begin(), Visiting.end(), b) != Visiting.end())
      return std::nullopt;
    Visiting.push_back(b);
    std::optional<IdentityFlow> found;
    for (Node write : writesOf(*b))
      if ((found = traceAt(write, mode, depth))) {
        found->steps.push_back({write.parent(), "Assigned to '" + b->name + "'."});
        break;
      }
    Visiting.pop_back();
    if (found && found->fallback.isNull())
      found->fallback = clientFallbackWrite(*b);
    return found;
  }
  default:
    return std::nullopt;
  }
}

std::optional<IdentityFlow> ClientIdentityFlow::traceParameter(const Binding &b,
                                                               const std::vector<std::string> &more,
                                                               Mode mode, unsigned depth) const {
  if (b.kind != BindingKind::Param || b.function.isNull() || depth > kMaxTraceDepth)
    return std::nullopt;
  if (std::find(Visiting.begin(), Visiting.end(), &b) != Visiting.end())
    return std::nullopt;
  std::vector<std::string> path = b.path;
  path.insert(path.end(), more.begin(), more.end());
  for (const std::string &p : path)
    if (p == "...")
      return std::nullopt;
  Visiting.push_back(&b);
  std::optional<IdentityFlow> found;
  for (Node call : Semantics.callsOf(b.function)) {
    Node arg;
    unsigned index = 0;
    for (Node a : call.field("arguments").namedChildren()) {
      if (a.is("comment"))
        continue;
      if (index++ == b.paramIndex) {
        arg = a;
        break;
      }
    }
    if (arg.isNull() || arg.is("spread_element"))
      continue;
    if (path.empty()) {
      found = traceAt(arg, mode, depth + 1);
    } else {
      ValuePtr v = Semantics.evaluate(arg);
      for (const std::string &p : path)
        v = memberOf(v, p, Semantics.originOf(arg));
      found = fromValue(arg, *v, mode);
    }
    if (found) {
      found->steps.push_back({b.id, "Passed to parameter '" + b.name + "' of " +
                                        functionName(Semantics, b.function) + "()."});
      found->helperCalls.push_back(call);
      break;
    }
  }
  Visiting.pop_back();
  return found;
}

// Does some local call pass something known for this parameter (the event, an object literal,
// a string)? Then the callers decide what it is; callers that pass only values this file
// cannot see leave it to the parameter's name.
bool ClientIdentityFlow::callersPassKnownValues(const Binding &param) const {
  for (Node call : Semantics.callsOf(param.function)) {
    unsigned index = 0;
    for (Node a : call.field("arguments").namedChildren()) {
      if (a.is("comment"))
        continue;
      if (index++ != param.paramIndex)
        continue;
      ValuePtr v = Semantics.evaluate(a);
      if (!v->is(Value::Kind::Unknown))
        return true;
      break;
    }
  }
  return false;
}

std::vector<Node> ClientIdentityFlow::writesOf(const Binding &binding) const {
  std::vector<Node> out;
  if (binding.init && binding.path.empty())
    out.push_back(binding.init);
  const std::vector<Node> &assigned = Semantics.assignedValues(binding);
  out.insert(out.end(), assigned.begin(), assigned.end());
  return out;
}

Node ClientIdentityFlow::clientFallbackWrite(const Binding &binding) const {
  if ((binding.kind != BindingKind::Let && binding.kind != BindingKind::Var) ||
      binding.writes == 0 || !binding.path.empty())
    return Node();
  if (std::find(Visiting.begin(), Visiting.end(), &binding) != Visiting.end())
    return Node();
  std::vector<Node> writes = writesOf(binding);
  Visiting.push_back(&binding);
  bool caller = false;
  Node client;
  for (Node w : writes) {
    if (isCallerIdentityExpression(w)) {
      caller = true;
      continue;
    }
    if (client.isNull() && traceAt(w, Mode::Identity, kMaxTraceDepth / 2))
      client = w.parent();
  }
  Visiting.pop_back();
  return caller ? client : Node();
}

bool ClientIdentityFlow::isCallerIdentityExpression(Node expression) const {
  Node e = unwrapExpression(expression);
  if (e.is("await_expression"))
    e = unwrapExpression(e.namedChild(0));
  if (e.isNull())
    return false;
  if (mpauth::isCallerIdentityExpression(Semantics, e))
    return true;
  // `let openid; … openid = wxContext.OPENID`: every write is the real id.
  if (e.is("identifier"))
    if (const Binding *b = Semantics.resolve(e);
        b && (b->kind == BindingKind::Let || b->kind == BindingKind::Var) && b->writes > 0 &&
        b->path.empty()) {
      std::vector<Node> writes = writesOf(*b);
      if (writes.empty())
        return false;
      for (Node w : writes) {
        Node inner = unwrapExpression(w);
        if (inner.is("await_expression"))
          inner = unwrapExpression(inner.namedChild(0));
        if (!isCallerIdentity(*Semantics.evaluate(inner)))
          return false;
      }
      return true;
    }
  return false;
}

} // namespace mpauth
