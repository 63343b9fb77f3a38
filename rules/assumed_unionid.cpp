// assumed-unionid (SPEC 3.4): UNIONID (and FROM_UNIONID) from getWXContext() exists only when the
// mini program is bound to an Open Platform account and the user qualifies. Used without a
// guard as a query value, a document id, an identity or a key, it is `undefined` for everyone
// else — and undefined conditions are dropped, undefined === undefined, 'user_undefined' is one
// key for all of them.
//
// File phase only: everything happens in the function that reads the context (or one local
// helper it passes the value to).
//   1. Uses: every expression that evaluates to getWXContext().UNIONID (destructured, renamed,
//      through the context object, copied into a const), and every read of a local helper's
//      parameter that some call passes such a value (ModuleSemantics::argumentValues).
//   2. Each use is followed outwards through the expressions that carry it (parentheses,
//      `||` chains without a defined fallback, object literals, concatenations, a const that
//      holds the object) to the place that decides: a sink, or a harmless end (returned,
//      logged, stored as a plain field).
//   3. A sink is reported unless a presence check dominates the use (analyzer/semantics/
//      Guards.h), at the use, at an intermediate variable, or — for helpers — at the call.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/Guards.h"
#include "analyzer/semantics/ModuleLoad.h"
#include "analyzer/semantics/Reachability.h"

#include "llvm/ADT/DenseMap.h"

#include <fmt/format.h>

#include <set>
#include <tuple>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "security", "cloudbase", "identity"};

constexpr MessageTemplate kMessages[] = {
    {"query",
     "{name} is undefined for users without an Open Platform binding, so {sink} drops the "
     "condition and matches other users' records (or throws when it is the only one). Check it "
     "first, or scope the query by OPENID.",
     "{name} 对未绑定开放平台的用户为 undefined，因此 {sink} 会丢弃该条件并匹配其他用户的记录"
     "（若它是唯一条件则会抛错）。请先检查它，或改用 OPENID 限定查询。"},
    {"document-id",
     "{name} is undefined for users without an Open Platform binding, so {sink} gets no document "
     "id and fails for them. Check it first, or key the record by OPENID.",
     "{name} 对未绑定开放平台的用户为 undefined，因此 {sink} 拿不到文档 ID，对这些用户会失败。"
     "请先检查它，或以 OPENID 作为记录的键。"},
    {"identity",
     "{name} is undefined for users without an Open Platform binding, so {sink} also holds for "
     "any record without a unionid (undefined === undefined) and treats another user's record as "
     "theirs. Check it first, or compare OPENIDs.",
     "{name} 对未绑定开放平台的用户为 undefined，因此 {sink} 对任何没有 unionid 的记录也成立"
     "（undefined === undefined），会把其他用户的记录当成该用户的。请先检查它，或比较 OPENID。"},
    {"dereference",
     "{name} is undefined for users without an Open Platform binding, so {sink} throws a "
     "TypeError for them. Check it first, or use optional chaining.",
     "{name} 对未绑定开放平台的用户为 undefined，因此 {sink} 会对这些用户抛出 TypeError。"
     "请先检查它，或使用可选链。"},
    {"key",
     "{name} is undefined for users without an Open Platform binding, so {sink} is one and the "
     "same key for all of them and mixes their data. Check it first, or key by OPENID.",
     "{name} 对未绑定开放平台的用户为 undefined，因此 {sink} 对所有这些用户都是同一个键，会混用"
     "他们的数据。请先检查它，或以 OPENID 作为键。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "assumed-unionid",
      .name = "AssumedUnionid",
      .title = "UNIONID used as if every user had one",
      .titleZhCN = "假定每个用户都有 UNIONID",
      .description =
          "getWXContext() returns UNIONID (and FROM_UNIONID) only when the mini program is bound "
          "to a WeChat Open Platform account and the user qualifies; for everyone else it is "
          "undefined. Used without a presence check as a query condition or document id "
          "(where({ unionid: UNIONID }), aggregate match, db.command, .doc(UNIONID)), the "
          "undefined condition is dropped and the query reaches other users' records; compared "
          "for identity (record.unionid === UNIONID) it matches every record without a unionid; "
          "used as a key ('user_' + UNIONID, map[UNIONID], _id: UNIONID) it gives all those "
          "users one key; dereferenced (UNIONID.length) it throws. Guards: if (UNIONID), "
          "if (!UNIONID) return/throw, UNIONID && …, UNIONID ? … : …, a fallback that is always "
          "defined (UNIONID || OPENID, UNIONID ?? ''), typeof / !== undefined / != null checks, "
          "optional chaining. FROM_UNIONID is just as optional: UNIONID || FROM_UNIONID is no "
          "guard. Returning the value, logging it and storing it as a plain data field are not "
          "reported.",
      .defaultSeverity = Severity::Warning,
      .fix = FixSafety::None,
      .precision = Precision::High,
      .securitySeverity = "6.5",
      .roles = AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("assumed-unionid"),
  };
  return d;
}

enum class SinkKind { Dereference, Query, DocumentId, Identity, Key };

const char *messageIdOf(SinkKind kind) {
  switch (kind) {
  case SinkKind::Dereference:
    return "dereference";
  case SinkKind::Query:
    return "query";
  case SinkKind::DocumentId:
    return "document-id";
  case SinkKind::Identity:
    return "identity";
  case SinkKind::Key:
    return "key";
  }
  return "key";
}

const char *sinkStepOf(SinkKind kind) {
  switch (kind) {
  case SinkKind::Dereference:
    return "dereferenced here: a TypeError when it is undefined";
  case SinkKind::Query:
    return "a query condition here: dropped when it is undefined";
  case SinkKind::DocumentId:
    return "the document id here: missing when it is undefined";
  case SinkKind::Identity:
    return "compared here: undefined === undefined";
  case SinkKind::Key:
    return "a key here: the same key for every user without a UNIONID";
  }
  return "";
}

bool isQueryOrIdentity(SinkKind kind) {
  return kind == SinkKind::Query || kind == SinkKind::DocumentId || kind == SinkKind::Identity;
}

// module(wx-server-sdk).getWXContext().<member>
bool isContextPath(const Value &v, size_t size) {
  return v.is(Value::Kind::Module) && serverSdkOf(v.text) != ServerSdk::None &&
         v.path.size() == size && v.path[0] == "getWXContext" && v.path[1] == "()";
}
bool isContextValue(const Value &v) {
  return isContextPath(v, 2);
}
bool isUnionIdName(std::string_view name) {
  return name == "UNIONID" || name == "FROM_UNIONID";
}
bool isUnionIdValue(const Value &v) {
  return isContextPath(v, 3) && isUnionIdName(v.path[2]);
}
// What WeChat always sets: a fallback to these is a guard.
bool isAlwaysSetContextValue(const Value &v) {
  return isContextPath(v, 3) && (v.path[2] == "OPENID" || v.path[2] == "APPID");
}

// A value carried outwards from a use towards the place that decides what it means.
struct Carrier {
  Node node;
  Node valueNode;                   // the last expression that still is the (maybe absent) value
  Node concatenation;               // the outermost string built from it, if any
  std::vector<std::string> fields;  // object keys around it, innermost first ("[]" for arrays)
  std::vector<const Binding *> via; // consts that hold the object or string on the way
  std::vector<FlowStep> steps;      // those consts, for the code flow
  unsigned hops = 0;
};

struct Sink {
  SinkKind kind;
  Node at;                // the expression that decides (the query call, the comparison, …)
  uint32_t textBegin = 0; // what the message quotes
  uint32_t textEnd = 0;
  Carrier carrier;
  Node use; // where the carrier was (re)entered: the use, or a const's reference
};

class AssumedUnionidRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  std::vector<std::string_view> triggers() const override { return {"UNIONID"}; }

  void checkFile(FileContext &ctx) const override { FileCheck(ctx).run(); }

private:
  class FileCheck {
  public:
    explicit FileCheck(FileContext &ctx)
        : Ctx(ctx), Sem(ctx.semantics), Src(ctx.semantics.source()) {}

    void run() {
      directUses();
      helperParameters();
    }

  private:
    FileContext &Ctx;
    const ModuleSemantics &Sem;
    std::string_view Src;
    std::set<std::tuple<uint32_t, uint32_t, int>> Reported; // statement range, sink kind

    ValuePtr valueOf(Node n) const {
      n = unwrapExpression(n);
      if (n.is("shorthand_property_identifier")) {
        const Binding *b = Sem.resolve(n);
        return b ? Sem.evaluate(b->id) : Value::unknown();
      }
      return Sem.evaluate(n);
    }

    bool isUnionIdExpression(Node n) const {
      n = unwrapExpression(n);
      std::string_view t = n.type();
      if (t == "member_expression") {
        if (!isUnionIdName(n.field("property").text(Src)))
          return false;
      } else if (t == "subscript_expression") {
        auto key = stringValue(unwrapExpression(n.field("index")), Src);
        if (!key || !isUnionIdName(*key))
          return false;
      } else if (t == "identifier" || t == "shorthand_property_identifier") {
        const Binding *b = Sem.resolve(n);
        if (!b || (b->kind != BindingKind::Const && b->kind != BindingKind::Let &&
                   b->kind != BindingKind::Var))
          return false;
      } else {
        return false;
      }
      return isUnionIdValue(*valueOf(n));
    }

    // A destructured binding with a default (`const { UNIONID = '' } = …`) is always set; so
    // is a const copied from one.
    bool hasDefault(Node use) const {
      Node n = unwrapExpression(use);
      for (unsigned guard = 0; guard < 8; ++guard) {
        if (!n.is("identifier") && !n.is("shorthand_property_identifier"))
          return false;
        const Binding *b = Sem.resolve(n);
        if (!b)
          return false;
        Node parent = b->id.parent();
        if ((parent.is("object_assignment_pattern") || parent.is("assignment_pattern")) &&
            parent.field("left") == b->id)
          return true;
        if (!b->path.empty() || b->init.isNull())
          return false;
        n = unwrapExpression(b->init);
      }
      return false;
    }

    // Does `n` stand for the value a use carries: something that evaluates to the same
    // context member, or a variable the value went through?
    bool sameValue(Node n, const std::string &described,
                   const std::vector<const Binding *> &bindings) const {
      n = unwrapExpression(n);
      if (n.is("identifier") || n.is("shorthand_property_identifier")) {
        const Binding *b = Sem.resolve(n);
        for (const Binding *v : bindings)
          if (b == v)
            return true;
        if (!b || (b->kind != BindingKind::Const && b->kind != BindingKind::Let &&
                   b->kind != BindingKind::Var))
          return false;
      } else if (!n.is("member_expression") && !n.is("subscript_expression")) {
        return false;
      }
      if (described.empty())
        return false;
      ValuePtr v = valueOf(n);
      return v->is(Value::Kind::Module) && v->describe() == described;
    }

    bool guarded(Node use, const std::string &described,
                 const std::vector<const Binding *> &bindings) const {
      return isGuarded(use, Sem, [&](Node n) { return sameValue(n, described, bindings); });
    }

    // A fallback that is never undefined: a literal, an object, OPENID/APPID, a string built
    // with a literal part.
    bool isDefinedFallback(Node n, unsigned depth = 0) const {
      n = unwrapExpression(n);
      if (n.isNull() || depth > 8)
        return false;
      std::string_view t = n.type();
      if (t == "string" || t == "template_string" || t == "number" || t == "true" ||
          t == "object" || t == "array" || t == "new_expression")
        return true;
      if (t == "binary_expression") {
        std::string_view op = n.field("operator").text(Src);
        if (op == "||" || op == "??")
          return isDefinedFallback(n.field("right"), depth + 1);
        if (op == "+") {
          Node l = unwrapExpression(n.field("left")), r = unwrapExpression(n.field("right"));
          return l.is("string") || l.is("template_string") || r.is("string") ||
                 r.is("template_string");
        }
        return false;
      }
      if (t == "ternary_expression")
        return isDefinedFallback(n.field("consequence"), depth + 1) &&
               isDefinedFallback(n.field("alternative"), depth + 1);
      ValuePtr v = valueOf(n);
      if (v->is(Value::Kind::String) || v->is(Value::Kind::Number) || v->is(Value::Kind::Object) ||
          v->is(Value::Kind::Array))
        return true;
      return isAlwaysSetContextValue(*v);
    }

    bool isLiteralOperand(Node n) const {
      n = unwrapExpression(n);
      std::string_view t = n.type();
      if (t == "string" || t == "number" || t == "true" || t == "false" || t == "null" ||
          t == "undefined" || t == "regex")
        return true;
      if (t == "identifier" && n.text(Src) == "undefined")
        return true;
      if (t == "template_string" && n.namedChildCount() == 0)
        return true;
      if (t == "unary_expression") {
        std::string_view op = n.field("operator").text(Src);
        return op == "typeof" || op == "void";
      }
      return false;
    }

    // `config.ADMIN_UNIONID`, a const string: comparing an absent value with it is just false.
    bool isKnownConstant(Node n) const {
      ValuePtr v = valueOf(n);
      return v->is(Value::Kind::String) || v->is(Value::Kind::Number) ||
             v->is(Value::Kind::Boolean);
    }

    // A chain of a database: `db.collection('x')…`, `cloud.database()…`, a transaction's
    // collection, the node SDK's `app.database()`.
    bool isDatabaseChain(Node object) const {
      ValuePtr v = Sem.evaluate(object);
      if (v->is(Value::Kind::Module) && serverSdkOf(v->text) != ServerSdk::None)
        for (size_t i = 0; i + 1 < v->path.size(); ++i)
          if (v->path[i] == "database" && v->path[i + 1] == "()")
            return true;
      Node n = unwrapExpression(object);
      for (unsigned guard = 0; guard < 32 && n; ++guard) {
        if (n.is("call_expression")) {
          Node f = unwrapExpression(n.field("function"));
          if (f.is("member_expression") && f.field("property").text(Src) == "collection")
            return true;
          n = f;
        } else if (n.is("member_expression")) {
          n = unwrapExpression(n.field("object"));
        } else if (n.is("await_expression")) {
          n = unwrapExpression(n.namedChild(0));
        } else {
          break;
        }
      }
      return false;
    }

    // db.command.eq / _.in / _.or …, also chained: _.exists(true).and(…), _.gt(1).lt(…)
    bool isDatabaseCommand(Node callee) const {
      ValuePtr v = Sem.evaluate(callee);
      if (!v->is(Value::Kind::Module) || serverSdkOf(v->text) == ServerSdk::None ||
          v->path.empty() || v->path.back() == "()")
        return false;
      for (size_t i = 0; i + 3 < v->path.size(); ++i)
        if (v->path[i] == "database" && v->path[i + 1] == "()" && v->path[i + 2] == "command")
          return true;
      return false;
    }

    bool isUploadFile(Node callee) const {
      ValuePtr v = Sem.evaluate(callee);
      return v->is(Value::Kind::Module) && serverSdkOf(v->text) != ServerSdk::None &&
             !v->path.empty() && v->path.back() == "uploadFile";
    }

    // A local function (declared here) called at `call`: helper parameters are analysed from
    // the function's side (helperParameters), not here.
    bool callsLocalFunction(Node call) const {
      Node callee = unwrapExpression(call.field("function"));
      if (callee.is("identifier")) {
        const Binding *b = Sem.resolve(callee);
        if (!b)
          return false;
        if (b->kind == BindingKind::Function)
          return true;
        Node init = unwrapExpression(b->init);
        return init && isFunctionNode(init);
      }
      if (callee.is("member_expression")) {
        ValuePtr owner = Sem.evaluate(callee.field("object"));
        return owner->is(Value::Kind::ComponentThis);
      }
      return false;
    }

    static Node callTextStart(Node call, Node callee) {
      return callee.is("member_expression") ? callee.field("property") : call;
    }

    // Follows `start` outwards; appends the sinks it reaches (through consts, several).
    void follow(Carrier start, std::vector<Sink> &sinks) const {
      std::vector<Carrier> work{std::move(start)};
      unsigned budget = 64;
      while (!work.empty() && budget-- > 0) {
        Carrier c = std::move(work.back());
        work.pop_back();
        Node entered = c.node;
        followOne(std::move(c), entered, sinks, work);
      }
    }

    void followOne(Carrier c, Node entered, std::vector<Sink> &sinks,
                   std::vector<Carrier> &work) const {
      auto sink = [&](SinkKind kind, Node at, Node text, Node textFrom = Node()) {
        uint32_t begin = textFrom ? textFrom.begin() : text.begin();
        sinks.push_back(Sink{kind, at, begin, text.end(), c, entered});
      };
      for (unsigned guard = 0; guard < 64; ++guard) {
        bool raw = c.concatenation.isNull() && c.fields.empty();
        Node x = c.node;
        Node p = x.parent();
        if (p.isNull())
          return;
        std::string_view t = p.type();
        if (t == "parenthesized_expression" || t == "non_null_expression" || t == "as_expression" ||
            t == "satisfies_expression" || t == "await_expression") {
          c.node = p;
          if (raw)
            c.valueNode = p;
          continue;
        }
        if (t == "member_expression" && p.field("object") == x) {
          if (!raw || p.field("optional_chain"))
            return; // string methods on a built key; `x?.y` is guarded
          Node text = p;
          Node call = p.parent();
          if (call.is("call_expression") && call.field("function") == p)
            text = call;
          return sink(SinkKind::Dereference, p, text);
        }
        if (t == "subscript_expression") {
          if (p.field("index") == x)
            return sink(SinkKind::Key, p, raw ? p : c.concatenation);
          if (!raw || p.field("optional_chain"))
            return;
          return sink(SinkKind::Dereference, p, p);
        }
        if (t == "call_expression" && p.field("function") == x) {
          if (raw && !p.field("optional_chain"))
            return sink(SinkKind::Dereference, p, p);
          return;
        }
        if (t == "computed_property_name")
          return sink(SinkKind::Key, p.parent(), raw ? p.parent() : c.concatenation);
        if (t == "template_substitution") {
          Node tmpl = p.parent();
          if (!tmpl.is("template_string") || !c.fields.empty())
            return;
          c.node = c.concatenation = tmpl;
          continue;
        }
        if (t == "binary_expression") {
          std::string_view op = p.field("operator").text(Src);
          bool left = p.field("left") == x;
          Node other = left ? p.field("right") : p.field("left");
          if (op == "===" || op == "!==" || op == "==" || op == "!=") {
            if (!raw || isLiteralOperand(other) || isKnownConstant(other))
              return; // a check against a constant, or a comparison of built strings
            return sink(SinkKind::Identity, p, p);
          }
          if (op == "||" || op == "??") {
            if (left && isDefinedFallback(other))
              return; // UNIONID || OPENID: always defined
            c.node = p;
            if (raw)
              c.valueNode = p;
            continue;
          }
          if (op == "&&") {
            if (left)
              return; // a test
            c.node = p;
            if (raw)
              c.valueNode = p;
            continue;
          }
          if (op == "+" && c.fields.empty()) {
            c.node = c.concatenation = p;
            continue;
          }
          return;
        }
        if (t == "ternary_expression") {
          if (p.field("condition") == x)
            return;
          c.node = p;
          if (raw)
            c.valueNode = p;
          continue;
        }
        if (t == "sequence_expression") {
          if (p.namedChild(p.namedChildCount() - 1) != x)
            return;
          c.node = p;
          continue;
        }
        if (t == "pair") {
          if (p.field("value") != x)
            return;
          Node key = p.field("key");
          auto quoted = stringValue(key, Src);
          c.fields.push_back(quoted ? *quoted : std::string(key.text(Src)));
          c.node = p.parent();
          continue;
        }
        if (t == "object" && x.is("shorthand_property_identifier")) {
          c.fields.emplace_back(x.text(Src));
          c.node = p;
          continue;
        }
        if (t == "array") {
          c.fields.emplace_back("[]");
          c.node = p;
          continue;
        }
        if (t == "arguments") {
          if (callSink(c, p.parent(), sink))
            continue;
          return;
        }
        if (t == "variable_declarator" && p.field("value") == x) {
          // A copy of the value itself is a use of its own (evaluation follows consts); an
          // object, a string or an `||` chain is followed through the const that holds it.
          if (raw && c.valueNode == c.node && isUnionIdExpression(x))
            return;
          return followDeclarator(c, p, work);
        }
        return; // returned, thrown, assigned, an expression statement: not a sink
      }
    }

    // The carrier is an argument of `call`: reports a sink, or returns true to go on from the
    // call (a db.command condition is a condition value like the value itself).
    template <typename SinkFn> bool callSink(Carrier &c, Node call, SinkFn &&sink) const {
      bool raw = c.concatenation.isNull() && c.fields.empty();
      if (!call.is("call_expression"))
        return false; // new Error(...), new Map(...)
      Node callee = unwrapExpression(call.field("function"));
      std::string_view method;
      if (callee.is("member_expression"))
        method = callee.field("property").text(Src);
      if (method == "log" || method == "info" || method == "warn" || method == "error" ||
          method == "debug" || method == "trace")
        return false; // logging
      if (callee.is("member_expression") && isDatabaseCommand(callee)) {
        c.node = call;
        c.fields.emplace_back("()");
        return true;
      }
      bool concatenated = !c.concatenation.isNull();
      if (callee.is("member_expression") && isDatabaseChain(callee.field("object"))) {
        Node from = callee.field("property");
        if (method == "doc") {
          if (!c.fields.empty())
            return false;
          if (concatenated)
            sink(SinkKind::Key, call, c.concatenation);
          else
            sink(SinkKind::DocumentId, call, call, from);
          return false;
        }
        if (method == "where" || method == "match") {
          if (c.fields.empty())
            return false;
          if (concatenated)
            sink(SinkKind::Key, call, c.concatenation);
          else
            sink(SinkKind::Query, call, call, from);
          return false;
        }
        if (method == "add" || method == "set" || method == "create") {
          // `_id: UNIONID` in the record: every user without one writes the same document.
          bool idField = (c.fields.size() == 2 && c.fields[0] == "_id" && c.fields[1] == "data") ||
                         (c.fields.size() == 1 && c.fields[0] == "_id");
          if (idField && concatenated)
            sink(SinkKind::Key, call, c.concatenation);
          else if (idField)
            sink(SinkKind::Key, call, call, from);
        }
        return false; // update/add data fields: plain data
      }
      if (isUploadFile(callee)) {
        if (c.fields.size() == 1 && c.fields[0] == "cloudPath")
          sink(SinkKind::Key, call, concatenated ? c.concatenation : call);
        return false;
      }
      if (!c.fields.empty() || callsLocalFunction(call))
        return false;
      // map.get(UNIONID), cache.set('u:' + UNIONID, …), seen.add(UNIONID)
      if ((method == "get" || method == "set" || method == "has" || method == "delete" ||
           method == "add") &&
          unwrapExpression(call.field("arguments").namedChild(0)) == unwrapExpression(c.node))
        sink(SinkKind::Key, call, raw ? call : c.concatenation);
      return false;
    }

    void followDeclarator(Carrier &c, Node declarator, std::vector<Carrier> &work) const {
      Node name = declarator.field("name");
      if (!name.is("identifier") || c.hops >= 3)
        return;
      const Binding *b = Sem.resolve(name);
      if (!b || (b->kind != BindingKind::Const && b->writes > 0))
        return;
      for (Node ref : referencesOf(Sem, *b)) {
        if (isWriteTarget(ref))
          continue;
        Carrier next = c;
        next.node = ref;
        if (next.concatenation.isNull() && next.fields.empty())
          next.valueNode = ref;
        next.via.push_back(b);
        next.steps.push_back({Ctx.locationOf(name), fmt::format("stored in '{}'", b->name)});
        ++next.hops;
        // The object or string keeps its fields and its text; the reference stands for it.
        work.push_back(std::move(next));
      }
    }

    // The steps from getWXContext() to `use`: the call, the read of UNIONID, the consts.
    std::vector<FlowStep> sourceSteps(Node use) const {
      std::vector<FlowStep> reversed;
      Node n = unwrapExpression(use);
      bool first = true;
      for (unsigned guard = 0; guard < 12 && n; ++guard) {
        std::string_view t = n.type();
        if (t == "await_expression") {
          n = unwrapExpression(n.namedChild(0));
          continue;
        }
        if (t == "call_expression") {
          ValuePtr v = Sem.evaluate(n);
          if (isContextValue(*v))
            reversed.push_back({Ctx.locationOf(n),
                                "getWXContext() sets UNIONID only for users bound to an "
                                "Open Platform account"});
          break;
        }
        if (t == "member_expression" || t == "subscript_expression") {
          if (!first)
            reversed.push_back(
                {Ctx.locationOf(n), fmt::format("{} is read here", compact(n.text(Src)))});
          n = unwrapExpression(n.field("object"));
          first = false;
          continue;
        }
        if (t == "identifier" || t == "shorthand_property_identifier") {
          const Binding *b = Sem.resolve(n);
          if (!b || b->init.isNull() || b->kind == BindingKind::Param)
            break;
          if (!b->path.empty())
            reversed.push_back(
                {Ctx.locationOf(b->id), fmt::format("{} is taken from the context here", b->name)});
          else if (isUnionIdValue(*Sem.evaluate(b->id)))
            reversed.push_back({Ctx.locationOf(b->id), fmt::format("copied into '{}'", b->name)});
          n = unwrapExpression(b->init);
          first = false;
          continue;
        }
        break;
      }
      return {reversed.rbegin(), reversed.rend()};
    }

    // Reports at the expression that brings the value into the sink (the use, or the const
    // that holds the object or string), once per statement and kind.
    void report(const Sink &s, std::vector<FlowStep> steps, std::string name) {
      Node use = s.use;
      Node statement = enclosingStatement(use);
      if (!Reported.insert({statement.begin(), statement.end(), static_cast<int>(s.kind)}).second)
        return;
      std::string sinkText = compact(Src.substr(s.textBegin, s.textEnd - s.textBegin));
      for (const FlowStep &step : s.carrier.steps)
        steps.push_back(step);
      // The sink step spans what the message quotes when that lies in the sink (`where(…)` of
      // a longer chain), else the sink expression.
      Location sinkAt = Ctx.locationOf(s.at);
      if (s.textBegin >= s.at.begin() && s.textEnd <= s.at.end())
        sinkAt = {static_cast<uint32_t>(Ctx.fileIndex), s.textBegin, s.textEnd};
      steps.push_back({sinkAt, sinkStepOf(s.kind)});
      auto b = Ctx.report(use, messageIdOf(s.kind), {{"name", name}, {"sink", sinkText}});
      b.severity(isQueryOrIdentity(s.kind) ? Severity::Error : Severity::Warning);
      // Source, steps, sink: one code flow, without repeating a location.
      std::vector<std::pair<uint32_t, uint32_t>> seen;
      for (FlowStep &step : steps) {
        auto at = std::make_pair(step.where.begin, step.where.end);
        if (std::find(seen.begin(), seen.end(), at) != seen.end())
          continue;
        seen.push_back(at);
        b.step(step.where, std::move(step.message));
      }
    }

    std::string nameOf(const Carrier &c) const {
      return compact(unwrapExpression(c.valueNode).text(Src));
    }

    // 1. Expressions that evaluate to getWXContext().UNIONID.
    void directUses() {
      std::vector<Node> uses;
      walk(Sem.root(), [&](Node n) {
        std::string_view t = n.type();
        if (t != "identifier" && t != "member_expression" && t != "subscript_expression" &&
            t != "shorthand_property_identifier")
          return true;
        if (isWriteTarget(n))
          return true;
        if (t == "identifier")
          if (const Binding *b = Sem.resolve(n); b && b->id == n)
            return true; // a declaration
        if (isUnionIdExpression(n)) {
          uses.push_back(n);
          return false; // `ctx.UNIONID`: its parts are not uses
        }
        return true;
      });
      for (Node use : uses) {
        if (hasDefault(use) || isUnreachable(use))
          continue;
        std::string described = valueOf(use)->describe();
        Carrier start;
        start.node = start.valueNode = use;
        std::vector<Sink> sinks;
        follow(start, sinks);
        if (sinks.empty() || guarded(use, described, {}))
          continue;
        for (const Sink &s : sinks) {
          if (s.use != use && guarded(s.use, described, s.carrier.via))
            continue;
          report(s, sourceSteps(use), nameOf(s.carrier));
        }
      }
    }

    // 2. Parameters of local helpers that some call passes UNIONID (or the whole context, then
    // read as ctx.UNIONID inside).
    void helperParameters() {
      for (const Binding &param : Sem.bindings()) {
        if (param.kind != BindingKind::Param || param.function.isNull() || param.writes > 0 ||
            Sem.isHandler(param.function))
          continue;
        Node parent = param.id.parent();
        if ((parent.is("object_assignment_pattern") || parent.is("assignment_pattern")) &&
            parent.field("left") == param.id)
          continue; // a default value: never undefined
        std::vector<ValuePtr> values = Sem.argumentValues(param);
        if (values.empty())
          continue;
        const std::vector<Node> &calls = Sem.callsOf(param.function);
        // The first call that passes the value without a guard at the call.
        Node passedAt;
        bool context = false;
        for (size_t i = 0; i < values.size() && i < calls.size(); ++i) {
          bool unionId = isUnionIdValue(*values[i]);
          if (!unionId && !isContextValue(*values[i]))
            continue;
          Node arg = argumentAt(calls[i], param.paramIndex);
          if (arg.isNull())
            continue;
          if (unionId && guarded(arg, values[i]->describe(), {}))
            continue;
          passedAt = arg;
          context = !unionId;
          break;
        }
        if (passedAt.isNull())
          continue;
        analyseParameter(param, passedAt, context);
      }
    }

    std::string functionName(Node fn) const {
      Node name = fn.field("name");
      Node parent = fn.parent();
      while (parent.is("parenthesized_expression"))
        parent = parent.parent();
      if (name.isNull() && parent.is("variable_declarator"))
        name = parent.field("name");
      return name ? std::string(name.text(Src)) + "()" : std::string("the helper");
    }

    static Node argumentAt(Node call, unsigned index) {
      unsigned i = 0;
      for (Node a : call.field("arguments").namedChildren()) {
        if (a.is("comment"))
          continue;
        if (i++ == index)
          return a.is("spread_element") ? Node() : a;
      }
      return Node();
    }

    void analyseParameter(const Binding &param, Node passedAt, bool context) {
      std::vector<const Binding *> bindings{&param};
      for (Node ref : referencesOf(Sem, param)) {
        if (isWriteTarget(ref) || isUnreachable(ref))
          continue;
        Node use = ref;
        if (context) {
          // ctx.UNIONID where ctx is the context passed in
          Node p = ref.parent();
          if (!p.is("member_expression") || p.field("object") != ref ||
              !isUnionIdName(p.field("property").text(Src)))
            continue;
          use = p;
        }
        std::string useText(use.text(Src));
        auto same = [&](Node n) {
          n = unwrapExpression(n);
          if (context)
            return n.text(Src) == useText &&
                   (n.is("member_expression") &&
                    Sem.resolve(unwrapExpression(n.field("object"))) == &param);
          return sameValue(n, {}, bindings);
        };
        if (isGuarded(use, Sem, same))
          continue;
        Carrier start;
        start.node = start.valueNode = use;
        std::vector<Sink> sinks;
        follow(start, sinks);
        for (const Sink &s : sinks) {
          if (s.use != use && isGuarded(s.use, Sem, [&](Node n) {
                return same(n) || sameValue(n, {}, s.carrier.via);
              }))
            continue;
          std::vector<FlowStep> steps = sourceSteps(passedAt);
          std::string fn = functionName(param.function);
          bool wholeContext = context || !param.path.empty();
          steps.push_back({Ctx.locationOf(passedAt),
                           wholeContext
                               ? fmt::format("the context is passed to {} here", fn)
                               : fmt::format("passed to {} as '{}' here", fn, param.name)});
          report(s, std::move(steps), nameOf(s.carrier));
        }
      }
    }
  };
};

} // namespace

std::unique_ptr<Rule> createAssumedUnionidRule() {
  return std::make_unique<AssumedUnionidRule>();
}

} // namespace mpauth
