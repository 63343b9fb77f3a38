// openid-leak (SPEC 3.5): an OPENID is a private identifier. Reported:
//   - response: another user's OPENID — an openid field read explicitly from a record of a
//     query not scoped to the caller (`return { author: post._openid }`,
//     `res.data.map(r => r.openid)`) — reaching the cloud function's response
//     (analyzer/semantics/Responses.h). Whole or spread records are records-expose-openid's.
//   - third-party: any OPENID (the caller's from getWXContext / event.userInfo.openId, or a
//     record's openid field; on the client, a value named openid) in the URL, body or headers of
//     an HTTP client call (analyzer/semantics/HttpClients.h) to a host that is not WeChat's.
//   - share: an OPENID in a share path or query (onShareAppMessage / onShareTimeline return
//     value, wx.shareAppMessage, navigateToMiniProgram path/extraData, QR code scene).
// Not reported: the caller's own OPENID returned to the caller (the query is scoped to the
// caller, or the value is getWXContext().OPENID), logging, admin routes (AdminGuard.h).
//
// From a sink the value is followed backwards (analyzer/semantics/ValueFlow.h) through the
// positions that carry it; a comparison, a condition or a filter callback never does.
// Project phase (provenance): a record field with another name reaching a response is an
// OPENID when some file writes one into that field of that collection (`owner: 'x' + OPENID`);
// the write is the related location.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/AdminGuard.h"
#include "analyzer/semantics/ClientIdentity.h"
#include "analyzer/semantics/Collections.h"
#include "analyzer/semantics/HttpClients.h"
#include "analyzer/semantics/Responses.h"
#include "analyzer/semantics/ValueFlow.h"

#include "llvm/ADT/StringRef.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"security", "privacy", "cloudbase", "identity"};

constexpr MessageTemplate kMessages[] = {
    {"response",
     "{name} is another user's OPENID (from a query of '{collection}' that is not scoped to the "
     "caller), and the cloud function returns it to the caller. Leave it out of the response, or "
     "return an opaque id instead.",
     "{name} 是其他用户的 OPENID（来自未限定为调用者的 '{collection}' 查询），云函数把它返回给了"
     "调用者。请从响应中去掉它，或改为返回不透明的 ID。"},
    {"third-party",
     "{name} is an OPENID, and it is sent to a third party by {client}. An OPENID is a private "
     "identifier: send an id of your own instead.",
     "{name} 是 OPENID，它被 {client} 发送给了第三方。OPENID 是私密标识，请改为发送你自己的 ID。"},
    {"share",
     "{name} is an OPENID, and it is put in {sink}, which anyone the page is shared with can "
     "read. Share an opaque id instead.",
     "{name} 是 OPENID，它被放进了 {sink}，任何收到分享的人都能读到。请改为分享不透明的 ID。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "openid-leak",
      .name = "OpenidLeak",
      .title = "OPENID exposed to another user or a third party",
      .titleZhCN = "OPENID 泄露给其他用户或第三方",
      .description =
          "OPENIDs (and UNIONIDs) are private identifiers. Reported: another user's OPENID (an "
          "openid field read from a record of a query not scoped to the caller) returned by a "
          "cloud function; any OPENID sent to a third party in the URL, body or headers of an "
          "HTTP call (axios, got, request, node-fetch, http(s).request, wx.request, …) to a host "
          "that is not WeChat's own; an OPENID in a share path or query, navigateToMiniProgram "
          "extraData or a QR code scene. Returning the caller's own OPENID, logging it, "
          "cloud.openapi calls and admin routes are not reported.",
      .defaultSeverity = Severity::Error,
      .fix = FixSafety::None,
      .precision = Precision::High,
      .securitySeverity = "7.5",
      .roles = AppliesToCloud | AppliesToClient,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("openid-leak"),
  };
  return d;
}

enum class Want { OtherUsers, AnyOpenid };

// Project-phase facts (SPEC 3.5 provenance): the fields the project writes from an OPENID,
// whatever their name (`owner: OPENID`), and the reads of such fields from records of
// unscoped queries that reach a response.
struct Facts : Deferred {
  std::vector<CollectionWrite> writes; // WriteReason::OpenidValue only
  struct Candidate {
    std::string collection, field, name, how;
    Location at, context, read;
    std::vector<FlowStep> steps; // between the read and the response
  };
  std::vector<Candidate> candidates;
};

struct Hit {
  Node read;
  std::vector<FlowStep> steps; // the variables on the way, source first
};

class FileCheck {
public:
  FileCheck(FileContext &ctx, Facts &facts)
      : Ctx(ctx), Sem(ctx.semantics), Src(ctx.semantics.source()), Admin(ctx.semantics),
        Client(ctx.role == FileRole::Client), Project(facts) {}

  void run() {
    if (!Client)
      responses();
    for (Node n : nodesOfTypes(Sem.root(), {"call_expression"}))
      call(n);
    if (Client)
      shareHooks();
  }

private:
  FileContext &Ctx;
  const ModuleSemantics &Sem;
  std::string_view Src;
  AdminGuard Admin;
  ValueFlow Flow{Sem};
  bool Client;
  Facts &Project;
  std::set<uint32_t> CandidateReads;
  std::set<uint32_t> Reported;

  ValuePtr valueOf(Node n) const { return Sem.evaluate(n); }

  // On the client there is no getWXContext: a value named after an OPENID is one
  // (`app.globalData.openid`, `this.data.openId`, `const openid = …`, getStorageSync('openid')).
  bool isClientOpenid(Node n) const {
    std::string_view t = n.type();
    if (t == "member_expression")
      return isOpenidFieldName(n.field("property").text(Src));
    if (t == "identifier" || t == "shorthand_property_identifier") {
      const Binding *b = Sem.resolve(n);
      return b && isOpenidFieldName(b->name);
    }
    if (t == "call_expression") {
      Node callee = unwrapExpression(n.field("function"));
      if (callee.is("member_expression") &&
          llvm::StringRef(callee.field("property").text(Src)).startswith("getStorage"))
        for (Node a : n.field("arguments").namedChildren())
          if (auto key = stringValue(a, Src); key && isOpenidFieldName(*key))
            return true;
    }
    return false;
  }

  bool isWanted(Node n, Want want) const {
    if (Client)
      return isClientOpenid(n);
    std::string_view t = n.type();
    if (t != "identifier" && t != "member_expression" && t != "subscript_expression" &&
        t != "shorthand_property_identifier")
      return false;
    ValuePtr v = valueOf(n);
    if (want == Want::AnyOpenid)
      return isOpenidValue(*v);
    return isRecordOpenidField(*v) && !isScopedToCaller(Sem, *v);
  }

  // The reads of OPENIDs whose value reaches `sink` (ValueFlow.h: only the positions that
  // carry a value, through variables).
  std::vector<Hit> scan(Node sink, Want want) const {
    std::vector<Hit> hits;
    Flow.sources(sink, [&](Node n, const std::vector<ValueStep> &steps) {
      if (n.is("comment") || !isWanted(n, want))
        return false;
      Hit h{n, {}};
      for (const ValueStep &s : steps)
        h.steps.push_back({Ctx.locationOf(s.node), s.message});
      hits.push_back(std::move(h));
      return true;
    });
    return hits;
  }

  std::vector<Hit> scanArguments(Node call, Want want) const {
    std::vector<Hit> hits;
    for (Node a : call.field("arguments").namedChildren())
      if (!a.is("comment"))
        for (Hit &h : scan(a, want))
          hits.push_back(std::move(h));
    return hits;
  }

  std::string sourceStep(Node read) const {
    if (Client)
      return fmt::format("the OPENID is read here: {}", compact(read.text(Src)));
    ValuePtr v = valueOf(read);
    if (isCallerIdentity(*v))
      return "the caller's OPENID is read here";
    auto collection = collectionNameOf(Sem, *v);
    return fmt::format("an openid field of a '{}' record is read here", collection.value_or("?"));
  }

  void emit(const Hit &h, Node sink, std::string_view messageId, MessageArgs args,
            std::string sinkStep) {
    if (!Reported.insert(h.read.begin()).second)
      return;
    auto b = Ctx.report(sink, messageId, std::move(args));
    b.step(Ctx.locationOf(h.read), sourceStep(h.read));
    for (const FlowStep &s : h.steps)
      b.step(s.where, s.message);
    b.step(Ctx.locationOf(sink), std::move(sinkStep));
  }

  void responses() {
    for (const ResponseExpression &r : responseExpressions(Sem)) {
      if (Admin.isAdminRoute(r.expression))
        continue;
      provenanceCandidates(r);
      for (const Hit &h : scan(r.expression, Want::OtherUsers)) {
        if (Admin.isAdminRoute(h.read))
          continue;
        auto collection = collectionNameOf(Sem, *valueOf(h.read));
        // Point at the read when it is written inside the response, else at the response.
        Node at = r.expression.contains(h.read) ? h.read : r.expression;
        emit(h, at, "response",
             MessageArgs{{"name", compact(h.read.text(Src))},
                         {"collection", collection.value_or("?")}},
             fmt::format("{} here", r.how.empty() ? "returned to the caller" : r.how));
      }
    }
  }

  // Fields of unscoped records, not named like an OPENID, that reach the response: an OPENID
  // if the project writes one into that field (decided in the project phase).
  void provenanceCandidates(const ResponseExpression &r) {
    Flow.sources(r.expression, [&](Node n, const std::vector<ValueStep> &steps) {
      if (!n.is("member_expression") && !n.is("subscript_expression"))
        return false;
      ValuePtr v = valueOf(n);
      auto field = recordFieldOf(*v);
      if (!field || isOpenidFieldName(*field) || isScopedToCaller(Sem, *v) || Admin.isAdminRoute(n))
        return false;
      auto collection = collectionNameOf(Sem, *v);
      if (!collection || !CandidateReads.insert(n.begin()).second)
        return false;
      Node at = r.expression.contains(n) ? n : r.expression;
      Facts::Candidate c{*collection,
                         *field,
                         compact(n.text(Src)),
                         fmt::format("{} here", r.how.empty() ? "returned to the caller" : r.how),
                         Ctx.locationOf(at),
                         Ctx.locationOf(enclosingStatement(at)),
                         Ctx.locationOf(n),
                         {}};
      for (const ValueStep &s : steps)
        c.steps.push_back({Ctx.locationOf(s.node), s.message});
      Project.candidates.push_back(std::move(c));
      return true;
    });
  }

  static Node firstArgument(Node call) {
    for (Node a : call.field("arguments").namedChildren())
      if (!a.is("comment"))
        return a;
    return Node();
  }

  Node objectField(Node object, std::string_view key) const {
    object = unwrapExpression(object);
    if (!object.is("object"))
      return Node();
    for (Node pair : object.namedChildren()) {
      if (pair.is("pair") && (pair.field("key").text(Src) == key ||
                              stringValue(pair.field("key"), Src) == std::string(key)))
        return pair.field("value");
      if (pair.is("shorthand_property_identifier") && pair.text(Src) == key)
        return pair;
    }
    return Node();
  }

  void call(Node n) {
    if (auto http = httpCallOf(Sem, n, Ctx.settings().httpClients)) {
      if (!http->wechatHost) {
        for (const Hit &h : scanArguments(n, Want::AnyOpenid))
          emit(h, n, "third-party",
               MessageArgs{{"name", compact(h.read.text(Src))}, {"client", http->client}},
               fmt::format("sent to a third party by {} here", http->client));
      }
      return;
    }
    Node callee = unwrapExpression(n.field("function"));
    ValuePtr v = Sem.evaluate(callee);
    std::vector<std::pair<Node, std::string>> sinks;
    Node options = firstArgument(n);
    if (Client && v->is(Value::Kind::Global) &&
        (v->text == "wx" || v->text == "Taro" || v->text == "uni")) {
      if (v->pathIs({"shareAppMessage"}) || v->pathIs({"updateShareMenu"})) {
        for (std::string_view k : {"path", "query"})
          if (Node f = objectField(options, k))
            sinks.push_back({f, fmt::format("the share {}", k)});
      } else if (v->pathIs({"navigateToMiniProgram"})) {
        for (std::string_view k : {"path", "extraData"})
          if (Node f = objectField(options, k))
            sinks.push_back({f, fmt::format("the {} of navigateToMiniProgram", k)});
      }
    } else if (!Client && v->is(Value::Kind::Module) && v->path.size() >= 3 &&
               v->path[v->path.size() - 3] == "openapi" &&
               v->path[v->path.size() - 2] == "wxacode" &&
               llvm::StringRef(v->path.back()).startswith("getUnlimited")) {
      if (Node f = objectField(options, "scene"))
        sinks.push_back({f, "the QR code scene"});
    }
    for (auto &[sink, what] : sinks)
      for (const Hit &h : scan(sink, Want::AnyOpenid))
        emit(h, sink, "share", MessageArgs{{"name", compact(h.read.text(Src))}, {"sink", what}},
             fmt::format("put in {} here", what));
  }

  void shareHooks() {
    for (const ComponentInfo &c : Sem.components())
      for (const ComponentMethod &m : c.methods) {
        if ((m.name != "onShareAppMessage" && m.name != "onShareTimeline") || !m.function)
          continue;
        for (Node ret : Sem.returnedExpressions(m.function))
          for (std::string_view k : {"path", "query"})
            if (Node f = objectField(ret, k)) {
              std::string what = fmt::format("the {} returned by {}", k, m.name);
              for (const Hit &h : scan(f, Want::AnyOpenid))
                emit(h, f, "share",
                     MessageArgs{{"name", compact(h.read.text(Src))}, {"sink", what}},
                     fmt::format("put in {} here", what));
            }
      }
  }
};

class OpenidLeakRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  void checkFile(FileContext &ctx) const override {
    auto facts = std::make_unique<Facts>();
    FileCheck(ctx, *facts).run();
    for (CollectionWrite &w : openidWritesOf(ctx.semantics, ctx.role == FileRole::Client))
      if (w.reason == WriteReason::OpenidValue && !isOpenidFieldName(w.field))
        facts->writes.push_back(std::move(w));
    if (!facts->writes.empty() || !facts->candidates.empty())
      ctx.defer(std::move(facts));
  }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    std::map<std::pair<std::string, std::string>, Location> written;
    for (const Deferred *d : deferred)
      for (const CollectionWrite &w : static_cast<const Facts &>(*d).writes)
        written.try_emplace({w.collection, w.field},
                            Location{static_cast<uint32_t>(d->file), w.begin, w.end});
    for (const Deferred *d : deferred)
      for (const Facts::Candidate &c : static_cast<const Facts &>(*d).candidates) {
        auto it = written.find({c.collection, c.field});
        if (it == written.end())
          continue;
        auto b = ctx.report(c.at, c.context, "response",
                            MessageArgs{{"name", c.name}, {"collection", c.collection}});
        b.related(it->second, fmt::format("'{}' of '{}' is written from an OPENID here", c.field,
                                          c.collection));
        b.step(c.read, fmt::format("'{}' of a '{}' record, which holds an OPENID, is read here",
                                   c.field, c.collection));
        for (const FlowStep &s : c.steps)
          b.step(s.where, s.message);
        b.step(c.at, c.how);
      }
  }
};

} // namespace

std::unique_ptr<Rule> createOpenidLeakRule() {
  return std::make_unique<OpenidLeakRule>();
}

} // namespace mpauth
