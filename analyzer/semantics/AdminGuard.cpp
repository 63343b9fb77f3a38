#include "analyzer/semantics/AdminGuard.h"

#include "analyzer/semantics/ClientIdentity.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace mpauth {

namespace {

constexpr unsigned kMaxConditionDepth = 16;
constexpr unsigned kMaxHelperDepth = 3;

bool isExit(Node statement) {
  std::string_view t = statement.type();
  return t == "return_statement" || t == "throw_statement" || t == "break_statement" ||
         t == "continue_statement";
}

// Does control never leave `statement` normally (its last statement returns, throws, breaks
// or continues)?
bool alwaysExits(Node statement) {
  for (int guard = 0; guard < 8 && statement; ++guard) {
    if (isExit(statement))
      return true;
    if (statement.is("statement_block")) {
      Node last;
      for (Node child : statement.namedChildren())
        if (!child.is("comment"))
          last = child;
      statement = last;
      continue;
    }
    if (statement.is("if_statement")) {
      Node alternative = statement.field("alternative");
      return alternative && alwaysExits(statement.field("consequence")) &&
             alwaysExits(alternative.namedChild(0));
    }
    return false;
  }
  return false;
}

bool isInlineCallback(Node function) {
  return isFunctionNode(function) && function.parent().is("arguments");
}

// The function a node belongs to, looking through inline callbacks.
Node outerFunction(Node node) {
  for (Node n = node.parent(); n; n = n.parent())
    if (isFunctionNode(n) && !isInlineCallback(n))
      return n;
  return Node();
}

std::string lower(std::string_view s) {
  return llvm::StringRef(s.data(), s.size()).lower();
}

std::string_view calleeName(Node callee, std::string_view source) {
  callee = unwrapExpression(callee);
  if (callee.is("identifier"))
    return callee.text(source);
  if (callee.is("member_expression"))
    return callee.field("property").text(source);
  return {};
}

std::optional<bool> equalityPolarity(std::string_view op) {
  if (op == "===" || op == "==")
    return true;
  if (op == "!==" || op == "!=")
    return false;
  return std::nullopt;
}

} // namespace

bool isAdminName(std::string_view name) {
  std::string n = lower(name);
  for (std::string_view word :
       {"admin", "manager", "superuser", "whitelist", "white_list", "staff", "管理"})
    if (n.find(word) != std::string::npos)
      return true;
  return false;
}

bool isPrivilegedRoleValue(std::string_view value) {
  std::string v = lower(value);
  for (std::string_view role :
       {"admin", "administrator", "superadmin", "super_admin", "super-admin", "sysadmin", "root",
        "manager", "owner", "管理员", "超级管理员"})
    if (v == role)
      return true;
  return false;
}

std::vector<HoldingCondition> conditionsHoldingAt(Node node) {
  std::vector<HoldingCondition> out;
  Node child = node;
  for (Node n = node.parent(); n; child = n, n = n.parent()) {
    std::string_view t = n.type();
    if (isFunctionNode(n)) {
      if (!isInlineCallback(n))
        break;
      continue;
    }
    if (t == "if_statement") {
      if (child == n.field("consequence"))
        out.push_back({n.field("condition"), true});
      else if (child == n.field("alternative"))
        out.push_back({n.field("condition"), false});
      continue;
    }
    if (t == "ternary_expression") {
      if (child == n.field("consequence"))
        out.push_back({n.field("condition"), true});
      else if (child == n.field("alternative"))
        out.push_back({n.field("condition"), false});
      continue;
    }
    if (t == "binary_expression" && child == n.field("right")) {
      std::string_view op = n.field("operator").type();
      if (op == "&&")
        out.push_back({n.field("left"), true});
      else if (op == "||")
        out.push_back({n.field("left"), false});
      continue;
    }
    if (t == "statement_block" || t == "program" || t == "switch_case" || t == "switch_default") {
      for (Node before = child.prevNamedSibling(); before; before = before.prevNamedSibling()) {
        if (before.is("if_statement")) {
          if (alwaysExits(before.field("consequence")))
            out.push_back({before.field("condition"), false});
          else if (Node alternative = before.field("alternative");
                   alternative && alwaysExits(alternative.namedChild(0)))
            out.push_back({before.field("condition"), true});
        } else if (before.is("expression_statement") || before.is("lexical_declaration") ||
                   before.is("variable_declaration")) {
          out.push_back({before, true, /*statement=*/true});
        }
      }
    }
  }
  return out;
}

namespace {

bool implies(const ModuleSemantics &semantics, Node condition, bool value,
             const ConditionAtom &atom, unsigned depth) {
  if (depth > kMaxConditionDepth)
    return false;
  Node e = unwrapExpression(condition);
  if (e.isNull())
    return false;
  std::string_view src = semantics.source();
  if (e.is("await_expression"))
    return implies(semantics, e.namedChild(0), value, atom, depth + 1);
  if (e.is("unary_expression") && e.field("operator").text(src) == "!")
    return implies(semantics, e.field("argument"), !value, atom, depth + 1);
  if (e.is("binary_expression")) {
    std::string_view op = e.field("operator").text(src);
    Node l = e.field("left"), r = e.field("right");
    if (op == "&&")
      return value ? implies(semantics, l, true, atom, depth + 1) ||
                         implies(semantics, r, true, atom, depth + 1)
                   : implies(semantics, l, false, atom, depth + 1) &&
                         implies(semantics, r, false, atom, depth + 1);
    if (op == "||")
      return value ? implies(semantics, l, true, atom, depth + 1) &&
                         implies(semantics, r, true, atom, depth + 1)
                   : implies(semantics, l, false, atom, depth + 1) ||
                         implies(semantics, r, false, atom, depth + 1);
    // `check === true`, `check !== false`
    if (auto eq = equalityPolarity(op)) {
      Node literal = unwrapExpression(r), other = l;
      if (!literal.is("true") && !literal.is("false")) {
        literal = unwrapExpression(l);
        other = r;
      }
      if (literal.is("true") || literal.is("false")) {
        bool same = literal.is("true") == *eq;
        return implies(semantics, other, same ? value : !value, atom, depth + 1);
      }
    }
  }
  // A named check: `const isAdmin = ADMINS.includes(OPENID); if (!isAdmin) return`.
  if (e.is("identifier"))
    if (const Binding *b = semantics.resolve(e);
        b && b->init && b->path.empty() && (b->kind == BindingKind::Const || b->writes == 0) &&
        b->kind != BindingKind::Param)
      return implies(semantics, b->init, value, atom, depth + 1);
  std::optional<bool> says = atom(e);
  return says && *says == value;
}

} // namespace

bool conditionImplies(const ModuleSemantics &semantics, Node condition, bool value,
                      const ConditionAtom &atom) {
  return implies(semantics, condition, value, atom, 0);
}

bool isReachedOnlyWhen(const ModuleSemantics &semantics, Node node, const ConditionAtom &atom) {
  for (const HoldingCondition &h : conditionsHoldingAt(node))
    if (!h.statement && conditionImplies(semantics, h.condition, h.value, atom))
      return true;
  return false;
}

bool AdminGuard::isAdminRoute(Node node) const {
  return isAdminRoute(node, 0);
}

bool AdminGuard::isAdminRoute(Node node, unsigned depth) const {
  ConditionAtom atom = [this](Node a) { return adminAtom(a); };
  for (const HoldingCondition &h : conditionsHoldingAt(node)) {
    if (h.statement ? isAdminAssertion(h.condition)
                    : conditionImplies(Semantics, h.condition, h.value, atom))
      return true;
  }
  // A helper that only admin routes call.
  if (depth >= kMaxHelperDepth)
    return false;
  Node function = outerFunction(node);
  if (function.isNull() || Semantics.isHandler(function))
    return false;
  std::vector<Node> calls = Semantics.callsOf(function);
  if (calls.empty())
    return false;
  for (Node call : calls)
    if (function.contains(call) || !isAdminRoute(call, depth + 1))
      return false;
  return true;
}

bool AdminGuard::isRealIdentity(Node expression) const {
  Node e = unwrapExpression(expression);
  if (e.is("await_expression"))
    e = unwrapExpression(e.namedChild(0));
  return !e.isNull() && isCallerIdentity(*Semantics.evaluate(e));
}

bool AdminGuard::isAdminNamedSet(Node expression) const {
  Node e = unwrapExpression(expression);
  if (!e.is("identifier") && !e.is("member_expression"))
    return false;
  return isAdminName(e.text(Semantics.source()));
}

bool AdminGuard::isConstantList(Node expression) const {
  Node e = unwrapExpression(expression);
  if (e.is("identifier"))
    if (const Binding *b = Semantics.resolve(e);
        b && b->kind == BindingKind::Const && b->path.empty() && b->init)
      e = unwrapExpression(b->init);
  if (!e.is("array") || e.namedChildCount() == 0)
    return false;
  for (Node element : e.namedChildren())
    if (!element.is("comment") && !stringValue(element, Semantics.source()))
      return false;
  return true;
}

bool AdminGuard::isCallerScopedRecord(const Value &v, std::string *collection) const {
  if (!v.is(Value::Kind::Module) || serverSdkOf(v.text) == ServerSdk::None)
    return false;
  std::string_view src = Semantics.source();
  auto argumentsAt = [&](size_t pathIndex) -> Node {
    int call = callIndexOf(v, pathIndex);
    if (call < 0)
      return Node();
    const Origin &o = v.calls[call];
    if (o.file != Semantics.fileIndex() || o.end > src.size())
      return Node();
    Node n(ts_node_descendant_for_byte_range(Semantics.root().raw(), o.begin, o.end));
    return n.is("arguments") ? n : Node();
  };
  auto firstArgument = [](Node args) {
    for (Node a : args.namedChildren())
      if (!a.is("comment"))
        return a;
    return Node();
  };
  bool sawCollection = false, scoped = false;
  for (size_t i = 0; i + 1 < v.path.size(); ++i) {
    const std::string &p = v.path[i];
    if (v.path[i + 1] != "()")
      continue;
    Node args = argumentsAt(i + 1);
    if (args.isNull())
      continue;
    Node first = firstArgument(args);
    if (p == "collection") {
      sawCollection = true;
      if (collection)
        *collection = stringValue(first, src).value_or("");
    } else if (p == "doc" && sawCollection) {
      scoped |= isRealIdentity(first);
    } else if (p == "where" && sawCollection) {
      // Any condition value that is the real id (`{ _openid: OPENID }`, `{ openid: _.eq(OPENID)
      // }`).
      std::vector<Node> work{first};
      for (unsigned budget = 0; !work.empty() && budget < 64 && !scoped; ++budget) {
        Node n = unwrapExpression(work.back());
        work.pop_back();
        if (n.is("object")) {
          for (Node member : n.namedChildren()) {
            if (member.is("pair"))
              work.push_back(member.field("value"));
            else if (member.is("shorthand_property_identifier"))
              scoped |= isCallerIdentity(*Semantics.evaluate(member));
          }
        } else if (n.is("call_expression")) {
          for (Node a : n.field("arguments").namedChildren())
            work.push_back(a);
        } else if (n.is("array")) {
          for (Node a : n.namedChildren())
            work.push_back(a);
        } else {
          scoped |= isRealIdentity(n);
        }
      }
    }
  }
  return sawCollection && scoped;
}

// `res.data.length`, `res.data.length === 0`, `res.total > 0`, `res.data[0]` on a lookup of
// the real OPENID in an admin collection.
std::optional<bool> AdminGuard::lookupAtom(Node atom) const {
  std::string_view src = Semantics.source();
  Node subject = atom;
  std::optional<bool> polarity = true; // truthiness of the subject
  if (atom.is("binary_expression")) {
    std::string_view op = atom.field("operator").text(src);
    Node l = unwrapExpression(atom.field("left")), r = unwrapExpression(atom.field("right"));
    Node number = r.is("number") ? r : l;
    subject = number == r ? l : r;
    if (!number.is("number"))
      return std::nullopt;
    std::string_view n = number.text(src);
    bool zero = n == "0";
    bool leftSubject = subject == l;
    if (auto eq = equalityPolarity(op))
      polarity = zero ? !*eq : *eq;
    else if ((op == ">" && leftSubject && zero) || (op == "<" && !leftSubject && zero) ||
             (op == ">=" && leftSubject && n == "1") || (op == "<=" && !leftSubject && n == "1"))
      polarity = true;
    else if ((op == "<" && leftSubject && n == "1") || (op == "<=" && leftSubject && zero))
      polarity = false;
    else
      return std::nullopt;
  }
  subject = unwrapExpression(subject);
  if (!subject.is("member_expression") && !subject.is("subscript_expression") &&
      !subject.is("identifier"))
    return std::nullopt;
  ValuePtr v = Semantics.evaluate(subject);
  std::string collection;
  if (!isCallerScopedRecord(*v, &collection) || !isAdminName(collection))
    return std::nullopt;
  const std::string &last = v->path.back();
  if (last == "length" || last == "total" || last == "[]" || last == "data")
    return polarity;
  return std::nullopt;
}

// A role field of the caller's own record: `user.role === 'admin'`, `user.isAdmin`,
// `user.roles.includes('admin')`.
std::optional<bool> AdminGuard::roleAtom(Node atom) const {
  std::string_view src = Semantics.source();
  auto callerField = [&](Node subject) -> std::optional<std::string> {
    subject = unwrapExpression(subject);
    if (!subject.is("member_expression") && !subject.is("subscript_expression") &&
        !subject.is("identifier"))
      return std::nullopt;
    ValuePtr v = Semantics.evaluate(subject);
    if (v->path.empty() || !isCallerScopedRecord(*v, nullptr))
      return std::nullopt;
    return v->path.back();
  };
  if (atom.is("binary_expression")) {
    auto eq = equalityPolarity(atom.field("operator").text(src));
    if (!eq)
      return std::nullopt;
    Node l = atom.field("left"), r = atom.field("right");
    for (auto [subject, literal] : {std::pair{l, r}, std::pair{r, l}}) {
      auto value = stringValue(unwrapExpression(literal), src);
      if (value && isPrivilegedRoleValue(*value) && callerField(subject))
        return *eq;
    }
    return std::nullopt;
  }
  if (atom.is("call_expression")) {
    Node callee = unwrapExpression(atom.field("function"));
    if (!callee.is("member_expression") || callee.field("property").text(src) != "includes")
      return std::nullopt;
    auto value = stringValue(unwrapExpression(atom.field("arguments").namedChild(0)), src);
    if (value && isPrivilegedRoleValue(*value) && callerField(callee.field("object")))
      return true;
    return std::nullopt;
  }
  if (auto field = callerField(atom); field && isAdminName(*field))
    return true;
  return std::nullopt;
}

std::optional<bool> AdminGuard::adminAtom(Node atom) const {
  Node e = unwrapExpression(atom);
  if (e.is("await_expression"))
    e = unwrapExpression(e.namedChild(0));
  if (e.isNull())
    return std::nullopt;
  std::string_view src = Semantics.source();
  if (auto role = roleAtom(e))
    return role;
  if (auto lookup = lookupAtom(e))
    return lookup;
  if (e.is("call_expression")) {
    Node callee = unwrapExpression(e.field("function"));
    Node args = e.field("arguments");
    std::vector<Node> arguments;
    for (Node a : args.namedChildren())
      if (!a.is("comment"))
        arguments.push_back(a);
    if (callee.is("member_expression")) {
      std::string_view method = callee.field("property").text(src);
      Node set = callee.field("object");
      if ((method == "includes" || method == "has") && arguments.size() == 1 &&
          isRealIdentity(arguments[0]) && (isAdminNamedSet(set) || isConstantList(set)))
        return true;
    }
    if (isAdminCheckCall(e, /*asserting=*/false))
      return true;
    return std::nullopt;
  }
  // The result of a check: `const guard = await requireRole(0); if (!guard.ok) return`.
  if (e.is("member_expression")) {
    std::string property = lower(e.field("property").text(src));
    for (std::string_view negative : {"error", "err", "errmsg", "message", "msg", "code", "fail",
                                      "failed", "denied", "forbidden", "reason"})
      if (property == negative)
        return std::nullopt;
    Node object = unwrapExpression(e.field("object"));
    if (object.is("await_expression"))
      object = unwrapExpression(object.namedChild(0));
    if (object.is("identifier"))
      if (const Binding *b = Semantics.resolve(object);
          b && b->kind == BindingKind::Const && b->path.empty() && b->init) {
        object = unwrapExpression(b->init);
        if (object.is("await_expression"))
          object = unwrapExpression(object.namedChild(0));
      }
    if (object.is("call_expression") && isAdminCheckCall(object, /*asserting=*/false))
      return true;
    return std::nullopt;
  }
  if (e.is("binary_expression")) {
    std::string_view op = e.field("operator").text(src);
    Node l = unwrapExpression(e.field("left")), r = unwrapExpression(e.field("right"));
    if (auto eq = equalityPolarity(op)) {
      // OPENID === 'o…' / ADMIN_OPENID / config.adminOpenid
      for (auto [id, other] : {std::pair{l, r}, std::pair{r, l}}) {
        if (!isRealIdentity(id))
          continue;
        ValuePtr v = Semantics.evaluate(other);
        if ((v->is(Value::Kind::String) && !v->text.empty()) || isAdminNamedSet(other))
          return *eq;
      }
    }
    // admins.indexOf(OPENID) !== -1, > -1, >= 0, === -1, < 0
    for (auto [call, number, callLeft] : {std::tuple{l, r, true}, std::tuple{r, l, false}}) {
      if (!call.is("call_expression") || (!number.is("number") && !number.is("unary_expression")))
        continue;
      Node callee = unwrapExpression(call.field("function"));
      if (!callee.is("member_expression") || callee.field("property").text(src) != "indexOf")
        continue;
      Node set = callee.field("object");
      Node arg = call.field("arguments").namedChild(0);
      if (!isRealIdentity(arg) || (!isAdminNamedSet(set) && !isConstantList(set)))
        continue;
      std::string_view n = number.text(src);
      bool minusOne = n == "-1";
      if (auto eq = equalityPolarity(op))
        return minusOne ? !*eq : std::optional<bool>();
      if ((op == ">" && callLeft && minusOne) || (op == ">=" && callLeft && n == "0") ||
          (op == "<" && !callLeft && minusOne))
        return true;
      if (op == "<" && callLeft && n == "0")
        return false;
    }
  }
  return std::nullopt;
}

bool AdminGuard::isAdminAssertion(Node statement) const {
  Node e;
  if (statement.is("expression_statement")) {
    e = statement.namedChild(0);
  } else if (statement.is("lexical_declaration") || statement.is("variable_declaration")) {
    Node declarator = statement.namedChild(0);
    e = declarator.is("variable_declarator") ? declarator.field("value") : Node();
  }
  e = unwrapExpression(e);
  if (e.is("await_expression"))
    e = unwrapExpression(e.namedChild(0));
  if (!e.is("call_expression"))
    return false;
  return isAdminCheckCall(e, /*asserting=*/true);
}

bool AdminGuard::isAdminCheckCall(Node call, bool asserting) const {
  std::string_view src = Semantics.source();
  std::string name = lower(calleeName(call.field("function"), src));
  bool prefixed = false;
  for (std::string_view prefix :
       {"assert", "ensure", "require", "check", "verify", "validate", "auth", "is", "has", "can"}) {
    if (asserting && (prefix == "is" || prefix == "has" || prefix == "can"))
      continue;
    prefixed |= llvm::StringRef(name).startswith(prefix);
  }
  bool privileged = isAdminName(name) || name.find("role") != std::string::npos ||
                    name.find("permission") != std::string::npos ||
                    name.find("privilege") != std::string::npos ||
                    name.find("backend") != std::string::npos; // requireBackendAuth()
  if (!prefixed || !privileged)
    return false;
  // Whose privileges it checks: the caller's (no argument, the real OPENID, the caller's own
  // record, only SDK handles) or a role given as a literal (`requireRole(0)`), never an id the
  // client sent.
  EventFieldPolicy policy;
  bool caller = true;
  for (Node a : call.field("arguments").namedChildren()) {
    if (a.is("comment"))
      continue;
    Node arg = unwrapExpression(a);
    ValuePtr v = Semantics.evaluate(arg);
    if (policy.isClientSent(*v))
      return false;
    bool literal = arg.is("number") || arg.is("string") || arg.is("true") || arg.is("false") ||
                   arg.is("array");
    // The SDK handles a check needs to look the caller up (`requireAdmin(db, _)`,
    // `checkAdmin(cloud)`) name nobody.
    bool handle = v->is(Value::Kind::Module) && serverSdkOf(v->text) != ServerSdk::None &&
                  (v->path.empty() || v->path.back() == "()" || v->path.back() == "command");
    if (!literal && !handle && !isRealIdentity(arg) && !isCallerScopedRecord(*v, nullptr))
      caller = false;
  }
  return caller;
}

} // namespace mpauth
