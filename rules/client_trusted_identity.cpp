// client-trusted-identity (SPEC 3.7): a cloud function that believes the id the client sends.
//
// Everything in `event` except `event.userInfo` is the `data` of the client's call, so an id
// read from it names whoever the client chose. ClientIdentityFlow (analyzer/semantics) follows
// such an id from the read of `event` through variables, fallbacks and local helpers; this
// rule looks at the places where trusting it matters (the sinks), one finding per use:
//   - a query or write scoped by it: `where({ _openid: event.openid })`, `.doc(event.userId)`
//     (a read is a warning, an update/set/remove an error);
//   - the owner of a new record: `add({ data: { _openid: event.openid } })`;
//   - an authorization check: `doc._openid === event.openid`, `admins.includes(event.openid)`;
//   - a fallback for the real id: `OPENID || event.openid`, `if (event.openid) openid = …`;
//   - records picked out of a list by it (`list.find(r => r.openid === event.openid)`, a loop):
//     a warning, like a read;
//   - the real OPENID compared with an owner id the client supplies (`OPENID === event.ownerId`);
//   - a decision taken on a flag the client sends (`if (event.isAdmin)`, `event.role === 'admin'`).
// Not reported: admin routes (AdminGuard), ids used only as the target of an action
// (`touser: event.openid` is no sink), an id the code first checked against the real OPENID
// (`if (event.openid !== OPENID) throw …`), and values that went through a reported fallback
// (the fallback is the finding). Everything is decided in the file phase: helpers are local.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/AdminGuard.h"
#include "analyzer/semantics/ClientIdentity.h"
#include "analyzer/semantics/Reachability.h"

#include "llvm/ADT/StringExtras.h"

#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"security", "cloudbase", "authentication",
                                      "external/cwe/cwe-639"};

constexpr MessageTemplate kMessages[] = {
    {"scope-read",
     "{operation}() is scoped by {source}, an id the client chooses: any caller can read another "
     "user's records by sending their id. Scope it by the caller's OPENID from getWXContext().",
     "{operation}() 的查询条件使用了 {source}，这是客户端可以任意指定的 ID：任何调用者都能传入他人"
     "的 ID 读取其记录。请改用 getWXContext() 返回的调用者 OPENID。"},
    {"scope-write",
     "{write}() changes the records that {source} selects, an id the client chooses: any caller "
     "can {write} another user's records by sending their id. Select them by the caller's OPENID "
     "from getWXContext().",
     "{write}() 修改的记录由 {source} 选定，这是客户端可以任意指定的 ID：任何调用者都能传入他人的 "
     "ID 来 {write} 其记录。请改用 getWXContext() 返回的调用者 OPENID 选定记录。"},
    {"match",
     "Records are matched against {source}, an id the client chooses: any caller can pick "
     "another user's records by sending their id. Match them against the caller's OPENID from "
     "getWXContext().",
     "记录是按 {source} 挑选的，这是客户端可以任意指定的 ID：任何调用者都能传入他人的 ID "
     "挑出其记录。请改为与 getWXContext() 返回的调用者 OPENID 比较。"},
    {"owner",
     "The new record's '{field}' is set from {source}, an id the client chooses: any caller can "
     "create records in another user's name. Store the caller's OPENID from getWXContext().",
     "新记录的 '{field}' 取自 {source}，这是客户端可以任意指定的 ID：任何调用者都能以他人的名义创建"
     "记录。请存入 getWXContext() 返回的调用者 OPENID。"},
    {"authorize",
     "This check trusts {source}, an id the client chooses: any caller passes it by sending the "
     "right id. Check the caller's OPENID from getWXContext() instead.",
     "该校验信任了 {source}，这是客户端可以任意指定的 ID：任何调用者只要传入合适的 ID 就能通过。"
     "请改为校验 getWXContext() 返回的调用者 OPENID。"},
    {"fallback",
     "{source} takes the place of the caller's OPENID when the client sends it: any caller can "
     "act as another user. Use only the OPENID from getWXContext().",
     "只要客户端传入 {source}，它就会代替调用者的 OPENID：任何调用者都能冒充其他用户。请只使用 "
     "getWXContext() 返回的 OPENID。"},
    {"client-owner",
     "The caller's OPENID is compared with {source}, an owner id the client supplies: any caller "
     "passes by sending their own OPENID. Compare it with the owner stored in the record.",
     "调用者的 OPENID 被拿来与 {source} 比较，而这个所有者 ID 由客户端提供：任何调用者只要传入"
     "自己的 OPENID 就能通过。请与数据库记录中保存的所有者比较。"},
    {"client-flag",
     "This authorization decision rests on {source}, which the client sends: any caller can set "
     "it. Decide from the caller's OPENID (an admin list, the role in their own user record).",
     "该授权判断依据的是客户端传入的 {source}：任何调用者都可以随意设置。请根据调用者的 OPENID "
     "判断（管理员列表、其本人用户记录中的角色）。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "client-trusted-identity",
      .name = "ClientTrustedIdentity",
      .title = "Cloud function trusts a user id sent by the client",
      .titleZhCN = "云函数信任了客户端传入的用户 ID",
      .description =
          "Everything in a cloud function's event except event.userInfo is data the client "
          "sent, so event.openid, event.userId and the like name whoever the caller chose. Used "
          "to scope a query or a write, as the owner of a new record, in an authorization check "
          "or as a fallback for the real OPENID, such an id lets any caller read, change or "
          "create other users' data. The caller's identity is cloud.getWXContext().OPENID. Also "
          "reported: comparing the real OPENID with an owner id the client supplies, and "
          "authorization decisions taken on a flag the client sends (event.isAdmin). Admin "
          "routes (code reached only after the caller's real OPENID was checked against an admin "
          "set) and ids used only as the target of an action (a message recipient) are not "
          "reported.",
      .defaultSeverity = Severity::Error,
      .fix = FixSafety::None,
      .precision = Precision::High,
      .securitySeverity = "8.1",
      .roles = AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("client-trusted-identity"),
  };
  return d;
}

// Field names that name the target of an action, not the owner: recipientOpenid, toUserId,
// receiver_openid, inviteeOpenid, targetUserId, friendOpenid.
bool isTargetFieldName(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '_' && c != '-')
      n.push_back(static_cast<char>(llvm::toLower(c)));
  for (std::string_view word : {"recipient", "receiv", "target", "touser", "invite", "friend",
                                "follow", "partner", "peer", "other"})
    if (n.find(word) != std::string::npos)
      return true;
  return n.starts_with("to") && isIdentityFieldName(n.substr(2));
}

// Field names under which a record stores its owner.
bool isOwnerFieldName(std::string_view name) {
  if (isTargetFieldName(name))
    return false;
  if (isIdentityFieldName(name))
    return true;
  std::string n = llvm::StringRef(name.data(), name.size()).lower();
  for (std::string_view owner :
       {"_id", "owner", "ownerid", "owner_id", "author", "authorid", "author_id", "creator",
        "creatorid", "creator_id", "createby", "createdby", "create_by", "created_by", "publisher",
        "publisherid", "uploader"})
    if (n == owner)
      return true;
  return false;
}

// Client fields that carry a privilege: isAdmin, admin, isSuperAdmin, isManager…
bool isPrivilegeFlagName(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '_' && c != '-')
      n.push_back(static_cast<char>(llvm::toLower(c)));
  if (n.starts_with("is") || n.starts_with("has"))
    n = n.substr(n.starts_with("is") ? 2 : 3);
  for (std::string_view flag :
       {"admin", "administrator", "superadmin", "superuser", "manager", "root", "owner", "staff"})
    if (n == flag)
      return true;
  return false;
}

// Client fields that name a role: role, userRole, roles, permission, identity.
bool isRoleFieldName(std::string_view name) {
  std::string n = llvm::StringRef(name.data(), name.size()).lower();
  for (std::string_view word : {"role", "admin", "permission", "privilege", "identity"})
    if (n.find(word) != std::string::npos)
      return true;
  return false;
}

// The call chain a `.where()`/`.doc()` hangs from reaches `.collection(...)` (or, for
// `.match()`, `.aggregate()`): `db.collection('x')`, `transaction.collection('x')`, or a
// variable holding one.
bool isCollectionChain(const ModuleSemantics &semantics, Node receiver) {
  std::string_view src = semantics.source();
  Node n = unwrapExpression(receiver);
  for (int guard = 0; guard < 32 && n; ++guard) {
    if (n.is("await_expression")) {
      n = unwrapExpression(n.namedChild(0));
      continue;
    }
    if (n.is("call_expression")) {
      Node callee = unwrapExpression(n.field("function"));
      if (!callee.is("member_expression"))
        return false;
      std::string_view method = callee.field("property").text(src);
      if (method == "collection" || method == "aggregate")
        return true;
      n = unwrapExpression(callee.field("object"));
      continue;
    }
    if (n.is("identifier") || n.is("member_expression")) {
      ValuePtr v = semantics.evaluate(n);
      if (!v->is(Value::Kind::Module))
        return false;
      for (const std::string &p : v->path)
        if (p == "collection" || p == "aggregate")
          return true;
      return false;
    }
    return false;
  }
  return false;
}

// What a query call chain finally does: "update", "set", "remove" for writes, "" otherwise.
std::string writeOperationAfter(Node call, std::string_view src) {
  Node n = call;
  for (int guard = 0; guard < 16; ++guard) {
    Node parent = n.parent();
    if (!parent.is("member_expression") || parent.field("object") != n)
      break;
    Node grand = parent.parent();
    if (!grand.is("call_expression") || grand.field("function") != parent)
      break;
    std::string_view method = parent.field("property").text(src);
    if (method == "update" || method == "set" || method == "remove")
      return std::string(method);
    n = grand;
  }
  return {};
}

Node firstArgument(Node call) {
  for (Node a : call.field("arguments").namedChildren())
    if (!a.is("comment"))
      return a;
  return Node();
}

// An object literal written here or in the `const` the expression names.
Node objectLiteral(const ModuleSemantics &semantics, Node e) {
  e = unwrapExpression(e);
  if (e.is("identifier"))
    if (const Binding *b = semantics.resolve(e);
        b && b->path.empty() && b->init && (b->kind == BindingKind::Const || b->writes == 0))
      e = unwrapExpression(b->init);
  return e.is("object") ? e : Node();
}

class ClientTrustedIdentityRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  std::vector<std::string_view> triggers() const override { return {"event", "main"}; }

  void checkFile(FileContext &ctx) const override {
    if (ctx.role != FileRole::Cloud)
      return;
    Checker checker(ctx);
    checker.run();
  }

private:
  class Checker {
  public:
    explicit Checker(FileContext &ctx)
        : Ctx(ctx), Sem(ctx.semantics), Src(ctx.text()),
          Flow(ctx.semantics, EventFieldPolicy{ctx.settings().trustedEventFields,
                                               ctx.settings().untrustedEventFields}),
          Guard(ctx.semantics) {}

    void run() {
      walk(Sem.root(), [&](Node n) {
        std::string_view t = n.type();
        if (t == "call_expression") {
          checkQuery(n);
          checkNewRecord(n);
          checkAdminNamedCall(n);
        } else if (t == "binary_expression" || t == "ternary_expression") {
          checkFallback(n);
        }
        if (t == "if_statement" || t == "while_statement" || t == "do_statement" ||
            t == "ternary_expression")
          checkCondition(n.field("condition"));
        // The predicate of `list.find(r => r.openid === id)` is a condition too.
        if (isFunctionNode(n) && isPredicateCallback(n))
          for (Node e : Sem.returnedExpressions(n))
            checkCondition(e);
        return true;
      });
      checkFallbackVariables();
    }

  private:
    using Mode = ClientIdentityFlow::Mode;

    bool isPredicateCallback(Node function) const {
      Node args = function.parent();
      if (!args.is("arguments"))
        return false;
      Node callee = unwrapExpression(args.parent().field("function"));
      if (!callee.is("member_expression"))
        return false;
      std::string_view method = callee.field("property").text(Src);
      return method == "filter" || method == "find" || method == "findIndex" || method == "some" ||
             method == "every";
    }

    // --- sinks -------------------------------------------------------------------------------

    void checkQuery(Node call) {
      Node callee = unwrapExpression(call.field("function"));
      if (!callee.is("member_expression"))
        return;
      std::string_view method = callee.field("property").text(Src);
      if (method != "where" && method != "doc" && method != "match")
        return;
      if (!isCollectionChain(Sem, callee.field("object")))
        return;
      Node first = firstArgument(call);
      if (first.isNull())
        return;
      std::string write = writeOperationAfter(call, Src);
      std::vector<Node> leaves;
      if (method == "doc")
        leaves.push_back(first);
      else
        collectConditionValues(first, leaves);
      for (Node leaf : leaves) {
        auto flow = Flow.trace(leaf);
        if (!flow)
          continue;
        if (write.empty())
          report(leaf, "scope-read", Severity::Warning, *flow, {{"operation", std::string(method)}},
                 "The query is scoped by it here.");
        else
          report(leaf, "scope-write", Severity::Error, *flow, {{"write", write}},
                 "The " + write + "() is scoped by it here.");
      }
    }

    // The values of a query condition: `{ a: x, b: _.eq(y), c: _.in([z]) }`, `_.or([...])`.
    void collectConditionValues(Node condition, std::vector<Node> &out) const {
      std::vector<Node> work{condition};
      for (unsigned budget = 0; !work.empty() && budget < 256; ++budget) {
        Node n = unwrapExpression(work.back());
        work.pop_back();
        if (n.isNull())
          continue;
        if (n.is("identifier")) {
          if (Node object = objectLiteral(Sem, n); object) {
            work.push_back(object);
            continue;
          }
          out.push_back(n);
        } else if (n.is("object")) {
          for (Node member : n.namedChildren()) {
            if (member.is("pair"))
              work.push_back(member.field("value"));
            else if (member.is("shorthand_property_identifier"))
              out.push_back(member);
          }
        } else if (n.is("array")) {
          for (Node element : n.namedChildren())
            work.push_back(element);
        } else if (n.is("call_expression") &&
                   unwrapExpression(n.field("function")).is("member_expression") &&
                   isCommandCall(n)) {
          for (Node a : n.field("arguments").namedChildren())
            work.push_back(a);
        } else {
          out.push_back(n);
        }
      }
    }

    // `_.eq(x)`, `db.command.in([...])`, `_.or(...)`: a query operator, not a conversion.
    bool isCommandCall(Node call) const {
      Node callee = unwrapExpression(call.field("function"));
      std::string_view method = callee.field("property").text(Src);
      static constexpr std::string_view kOperators[] = {
          "eq", "neq", "in", "nin", "and", "or", "nor", "not", "all", "elemMatch", "exists"};
      for (std::string_view op : kOperators)
        if (method == op)
          return true;
      return false;
    }

    void checkNewRecord(Node call) {
      Node callee = unwrapExpression(call.field("function"));
      if (!callee.is("member_expression"))
        return;
      std::string_view method = callee.field("property").text(Src);
      if (method != "add" && method != "set")
        return;
      if (!isCollectionChain(Sem, callee.field("object")))
        return;
      Node options = objectLiteral(Sem, firstArgument(call));
      if (options.isNull())
        return;
      std::vector<Node> records;
      for (Node member : options.namedChildren()) {
        if (!member.is("pair") || keyOf(member) != "data")
          continue;
        Node data = unwrapExpression(member.field("value"));
        if (data.is("array")) {
          for (Node element : data.namedChildren())
            if (Node object = objectLiteral(Sem, element))
              records.push_back(object);
        } else if (Node object = objectLiteral(Sem, data)) {
          records.push_back(object);
        }
      }
      for (Node record : records)
        for (Node member : record.namedChildren()) {
          std::string key;
          Node value;
          if (member.is("pair")) {
            key = keyOf(member);
            value = member.field("value");
          } else if (member.is("shorthand_property_identifier")) {
            key = std::string(member.text(Src));
            value = member;
          }
          if (value.isNull() || !isOwnerFieldName(key))
            continue;
          if (auto flow = Flow.trace(value))
            report(value, "owner", Severity::Error, *flow, {{"field", key}},
                   "Stored as the record's '" + key + "' here.");
        }
    }

    // `if (…)`: comparisons, membership checks and flags in the condition.
    void checkCondition(Node condition) {
      std::vector<Node> work{condition};
      std::set<uint32_t> seenNames;
      for (unsigned budget = 0; !work.empty() && budget < 64; ++budget) {
        Node e = unwrapExpression(work.back());
        work.pop_back();
        if (e.isNull())
          continue;
        if (e.is("await_expression")) {
          work.push_back(e.namedChild(0));
          continue;
        }
        if (e.is("unary_expression") && e.field("operator").text(Src) == "!") {
          work.push_back(e.field("argument"));
          continue;
        }
        if (e.is("binary_expression")) {
          std::string_view op = e.field("operator").text(Src);
          if (op == "&&" || op == "||") {
            work.push_back(e.field("left"));
            work.push_back(e.field("right"));
            continue;
          }
          checkComparison(e, op);
          continue;
        }
        if (e.is("call_expression")) {
          checkMembershipCall(e);
          continue;
        }
        if (e.is("identifier")) {
          // A named check: `const isOwner = doc._openid === event.openid; if (!isOwner) …`.
          const Binding *b = Sem.resolve(e);
          if (b && b->kind != BindingKind::Param && b->path.empty() && b->init &&
              (b->kind == BindingKind::Const || b->writes == 0) &&
              seenNames.insert(b->id.begin()).second) {
            Node init = unwrapExpression(b->init);
            if (init.is("binary_expression") || init.is("call_expression") ||
                init.is("unary_expression") || init.is("await_expression")) {
              work.push_back(init);
              continue;
            }
          }
        }
        if (e.is("identifier") || e.is("member_expression") || e.is("subscript_expression"))
          checkFlag(e);
      }
    }

    void checkComparison(Node e, std::string_view op) {
      bool equality = op == "===" || op == "==" || op == "!==" || op == "!=";
      Node l = e.field("left"), r = e.field("right");
      // indexOf on an admin set: `admins.indexOf(event.openid) !== -1`.
      for (Node side : {l, r})
        if (unwrapExpression(side).is("call_expression"))
          checkMembershipCall(unwrapExpression(side));
      if (!equality)
        return;
      auto fl = Flow.trace(l), fr = Flow.trace(r);
      if (fl.has_value() != fr.has_value()) {
        IdentityFlow &flow = fl ? *fl : *fr;
        Node other = fl ? r : l;
        if (comparesWithRecordOrConstant(other) && !Flow.isCallerIdentityExpression(other)) {
          if (isInsideIteration(e))
            report(e, "match", Severity::Warning, flow, {}, "Records are matched here.");
          else
            report(e, "authorize", Severity::Error, flow, {}, "Compared here.");
        }
      }
      // The real OPENID compared with an owner id the client supplies.
      for (auto [caller, client] : {std::pair{l, r}, std::pair{r, l}}) {
        if (!Flow.isCallerIdentityExpression(caller))
          continue;
        auto flow = Flow.trace(client, Mode::AnyField);
        if (flow && !isSelfIdentityFieldName(flow->field))
          report(e, "client-owner", Severity::Error, *flow, {},
                 "Compared with the caller's OPENID here.");
      }
      // `event.role === 'admin'`
      for (auto [field, literal] : {std::pair{l, r}, std::pair{r, l}}) {
        auto value = stringValue(unwrapExpression(literal), Src);
        if (!value || !isPrivilegedRoleValue(*value))
          continue;
        auto flow = Flow.trace(field, Mode::AnyField);
        if (flow && isRoleFieldName(flow->field))
          report(e, "client-flag", Severity::Error, *flow, {}, "The decision is taken here.");
      }
    }

    // Is `other` (compared with a client id) something an id is checked against: a record's
    // field, an id written in the code, a variable — not a presence test (`undefined`, `''`,
    // `'null'`, a number).
    bool comparesWithRecordOrConstant(Node other) const {
      Node o = unwrapExpression(other);
      std::string_view t = o.type();
      if (t == "string" || t == "template_string") {
        auto s = stringValue(o, Src);
        return s && looksLikeId(*s);
      }
      if (t != "identifier" && t != "member_expression" && t != "subscript_expression" &&
          t != "call_expression" && t != "await_expression")
        return false;
      ValuePtr v = Sem.evaluate(o);
      switch (v->kind) {
      case Value::Kind::Undefined:
      case Value::Kind::Null:
      case Value::Kind::Number:
      case Value::Kind::Boolean:
        return false;
      case Value::Kind::String:
        return looksLikeId(v->text);
      case Value::Kind::EventField:
        return false; // two things the client sent
      default:
        return !Flow.trace(o, Mode::AnyField).has_value();
      }
    }

    // An OPENID (28 characters) or another generated id, not a word like 'null' or 'guest'.
    static bool looksLikeId(std::string_view s) {
      if (s.size() < 16)
        return false;
      for (char c : s)
        if (!llvm::isAlnum(c) && c != '-' && c != '_')
          return false;
      return true;
    }

    // A comparison that picks records out of a list (a loop body, an array callback) selects
    // rather than authorizes.
    bool isInsideIteration(Node e) const {
      for (Node n = e.parent(); n; n = n.parent()) {
        std::string_view t = n.type();
        if (t == "for_statement" || t == "for_in_statement" || t == "while_statement" ||
            t == "do_statement")
          return true;
        if (isFunctionNode(n)) {
          Node args = n.parent();
          if (!args.is("arguments"))
            return false;
          Node callee = unwrapExpression(args.parent().field("function"));
          std::string_view method =
              callee.is("member_expression") ? callee.field("property").text(Src) : "";
          return method == "filter" || method == "find" || method == "findIndex" ||
                 method == "some" || method == "every" || method == "forEach" || method == "map" ||
                 method == "reduce";
        }
      }
      return false;
    }

    // `ADMINS.includes(event.openid)`, `admins.indexOf(id)`, `adminSet.has(id)`,
    // `isAdmin(event.openid)`.
    void checkMembershipCall(Node call) {
      Node callee = unwrapExpression(call.field("function"));
      std::vector<Node> args;
      for (Node a : call.field("arguments").namedChildren())
        if (!a.is("comment"))
          args.push_back(a);
      if (callee.is("member_expression")) {
        std::string_view method = callee.field("property").text(Src);
        Node set = unwrapExpression(callee.field("object"));
        if ((method == "includes" || method == "indexOf" || method == "has") && args.size() == 1 &&
            (isAdminName(set.text(Src)) || isConstantStringList(set))) {
          if (auto flow = Flow.trace(args[0]))
            report(args[0], "authorize", Severity::Error, *flow, {},
                   "Looked up in the admin set here.");
          return;
        }
      }
    }

    // `isAdmin(event.openid)`, `await checkAdmin(event.openid)`: wherever it is written, the
    // admin check looks at an id the client chose.
    void checkAdminNamedCall(Node call) {
      if (!isAdminNamedCall(call))
        return;
      for (Node a : call.field("arguments").namedChildren())
        if (auto flow = Flow.trace(a)) {
          report(a, "authorize", Severity::Error, *flow, {}, "Passed to the admin check here.");
          return;
        }
    }

    bool passesIdentityToAdminCheck(Node call) const {
      if (!isAdminNamedCall(call))
        return false;
      for (Node a : call.field("arguments").namedChildren())
        if (!a.is("comment") && Flow.trace(a))
          return true;
      return false;
    }

    bool isAdminNamedCall(Node call) const {
      Node callee = unwrapExpression(call.field("function"));
      std::string_view name = callee.is("member_expression") ? callee.field("property").text(Src)
                              : callee.is("identifier")      ? callee.text(Src)
                                                             : std::string_view();
      return !name.empty() && isAdminName(name);
    }

    bool isConstantStringList(Node e) const {
      if (e.is("identifier"))
        if (const Binding *b = Sem.resolve(e);
            b && b->kind == BindingKind::Const && b->path.empty() && b->init)
          e = unwrapExpression(b->init);
      if (!e.is("array") || e.namedChildCount() == 0)
        return false;
      for (Node element : e.namedChildren())
        if (!element.is("comment") && !stringValue(element, Src))
          return false;
      return true;
    }

    // `if (event.isAdmin)`
    void checkFlag(Node e) {
      auto flow = Flow.trace(e, Mode::AnyField);
      if (flow && isPrivilegeFlagName(flow->field))
        report(e, "client-flag", Severity::Error, *flow, {}, "The decision is taken here.");
    }

    // `if (openid || event.userId)`: a condition tests whether either is there; no value is
    // chosen (what the branch then uses is checked where it is used).
    bool isOnlyTested(Node e) const {
      Node child = e;
      Node p = e.parent();
      while (p && (p.is("parenthesized_expression") ||
                   (p.is("binary_expression") && (p.field("operator").text(Src) == "||" ||
                                                  p.field("operator").text(Src) == "&&")))) {
        child = p;
        p = p.parent();
      }
      if (p.is("if_statement") || p.is("while_statement") || p.is("do_statement"))
        return p.field("condition") == child;
      if (p.is("ternary_expression"))
        return p.field("condition") == child;
      if (p.is("arguments")) // Boolean(openid || userId)
        return p.parent().field("function").text(Src) == "Boolean";
      return p.is("unary_expression") && p.field("operator").text(Src) == "!";
    }

    // `OPENID || event.openid`, `event.openid ? event.openid : OPENID`
    void checkFallback(Node e) {
      if (e.is("binary_expression")) {
        std::string_view op = e.field("operator").text(Src);
        if (op != "||" && op != "??")
          return;
      }
      if (isOnlyTested(e))
        return;
      auto flow = Flow.trace(e);
      if (flow && flow->fallback == e)
        report(e, "fallback", Severity::Error, *flow, {}, "Chosen over the caller's OPENID here.");
    }

    // `let openid = OPENID; if (event.openid) openid = event.openid`
    void checkFallbackVariables() {
      for (const Binding &b : Sem.bindings()) {
        if ((b.kind != BindingKind::Let && b.kind != BindingKind::Var) || b.writes == 0)
          continue;
        Node write = Flow.clientFallbackWrite(b);
        if (write.isNull())
          continue;
        Node value = write.is("variable_declarator") ? write.field("value") : write.field("right");
        auto flow = Flow.trace(value);
        if (!flow || !flow->fallback.isNull())
          continue; // `x || OPENID` is reported where it is written
        flow->fallback = write;
        report(write, "fallback", Severity::Error, *flow, {},
               "Stored in '" + b.name + "', which otherwise holds the caller's OPENID.");
      }
    }

    // --- reporting -----------------------------------------------------------------------------

    void report(Node at, std::string_view messageId, Severity severity, const IdentityFlow &flow,
                MessageArgs extra, std::string sinkNote) {
      bool isFallback = messageId == "fallback";
      if (!flow.fallback.isNull() && !isFallback)
        return; // the fallback is the finding
      if (!Reported.insert({at.begin(), at.end()}).second)
        return;
      if (isUnreachable(at) || Guard.isAdminRoute(at))
        return;
      for (Node call : flow.helperCalls)
        if (Guard.isAdminRoute(call) || passesIdentityToAdminCheck(call))
          return; // inside an admin check, the check's call is the finding
      if (isValidated(at, flow))
        return;
      MessageArgs args{{"source", flow.sourceText}};
      args.insert(args.end(), extra.begin(), extra.end());
      auto b = Ctx.report(at, messageId, std::move(args));
      b.severity(severity);
      b.related(Ctx.locationOf(flow.source), "The client sends " + flow.sourceText + " here.");
      for (const IdentityStep &step : flow.steps)
        b.step(Ctx.locationOf(step.node), step.message);
      b.step(Ctx.locationOf(at), std::move(sinkNote));
    }

    // `if (event.openid !== OPENID) throw …` before the use: the id is the caller's.
    bool isValidated(Node at, const IdentityFlow &flow) {
      ConditionAtom atom = [&](Node a) -> std::optional<bool> {
        a = unwrapExpression(a);
        if (!a.is("binary_expression"))
          return std::nullopt;
        std::string_view op = a.field("operator").text(Src);
        bool eq = op == "===" || op == "==";
        if (!eq && op != "!==" && op != "!=")
          return std::nullopt;
        Node l = a.field("left"), r = a.field("right");
        for (auto [client, caller] : {std::pair{l, r}, std::pair{r, l}}) {
          if (!Flow.isCallerIdentityExpression(caller))
            continue;
          auto traced = Flow.trace(client, Mode::AnyField);
          if (traced && traced->sourceText == flow.sourceText)
            return eq;
        }
        return std::nullopt;
      };
      return isReachedOnlyWhen(Sem, at, atom);
    }

    std::string keyOf(Node pair) const {
      Node key = pair.field("key");
      if (key.is("property_identifier"))
        return std::string(key.text(Src));
      return stringValue(key, Src).value_or("");
    }

    FileContext &Ctx;
    const ModuleSemantics &Sem;
    std::string_view Src;
    ClientIdentityFlow Flow;
    AdminGuard Guard;
    std::set<std::pair<uint32_t, uint32_t>> Reported;
  };
};

} // namespace

std::unique_ptr<Rule> createClientTrustedIdentityRule() {
  return std::make_unique<ClientTrustedIdentityRule>();
}

} // namespace mpauth
