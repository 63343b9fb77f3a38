// records-expose-openid (SPEC 3.6): a cloud function returns whole (or spread) records of a
// collection that holds other users' OPENIDs, from a query not scoped to the caller and not
// projected.
//
// File phase: every file defers the writes that store OPENIDs (analyzer/semantics/
// Collections.h: client adds, a value from an OPENID, an openid-like field) — client files are
// read through `readsRoles`, the rule reports only in cloud functions; cloud files defer each
// whole record (or result, or list of records) of a constant collection whose value reaches the
// response (Responses.h, ValueFlow.h) outside admin routes (AdminGuard.h), one per query. A
// query scoped to the caller (Collections.h `isScopedToCaller`), projected, grouped, or whose
// record is returned only after an ownership check is not a finding; a mapping that builds new
// objects drops the field by construction.
// Project phase: a returned collection that some write stores OPENIDs in is reported, with the
// write as related location.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/AdminGuard.h"
#include "analyzer/semantics/Collections.h"
#include "analyzer/semantics/Responses.h"
#include "analyzer/semantics/ValueFlow.h"

#include "llvm/ADT/StringMap.h"

#include <fmt/format.h>

#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"security", "privacy", "cloudbase", "identity"};

constexpr MessageTemplate kMessages[] = {
    {"records",
     "The cloud function returns {name}: whole records of '{collection}', which holds other "
     "users' OPENIDs, from a query that is not scoped to the caller. Project the field away "
     "(.field({ _openid: false "
     "})) or map the records to the fields the page needs.",
     "云函数返回了 {name}：'{collection}' 的完整记录，该集合保存了其他用户的 "
     "OPENID，且查询未限定为调用者。"
     "请用 .field({ _openid: false }) 去掉该字段，或只映射页面需要的字段。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "records-expose-openid",
      .name = "RecordsExposeOpenid",
      .title = "Whole records with other users' OPENIDs returned",
      .titleZhCN = "返回了包含其他用户 OPENID 的完整记录",
      .description =
          "A cloud function returns whole (or spread) records of a collection that holds other "
          "users' OPENIDs — written from the client (which adds _openid), or written anywhere "
          "with a value from an OPENID or an openid-like field — from a query not scoped to the "
          "caller's real OPENID and not projected. Queries scoped by getWXContext().OPENID, "
          ".field({ _openid: false }), mappings that drop the field and admin routes are not "
          "reported.",
      .defaultSeverity = Severity::Note,
      .fix = FixSafety::None,
      .precision = Precision::Medium,
      .securitySeverity = "4.0",
      .roles = AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("records-expose-openid"),
      .readsRoles = AppliesToClient, // client writes add _openid
  };
  return d;
}

struct Facts : Deferred {
  std::vector<CollectionWrite> writes;
  struct Returned {
    std::string collection;
    std::string name; // "main"
    Location at, read;
    std::string how;
  };
  std::vector<Returned> returns;
};

bool isWholeRecords(const Value &v) {
  int c = collectionIndexOf(v);
  if (c < 0)
    return false;
  size_t i = v.path.size();
  // The tail after the last call: nothing, data, data[], list, list[].
  size_t last = v.path.size();
  for (size_t k = static_cast<size_t>(c); k < v.path.size(); ++k)
    if (v.path[k] == "()")
      last = k;
  if (last == v.path.size() || last < 1)
    return false;
  std::string_view method = v.path[last - 1];
  if (method != "get" && method != "end")
    return false;
  // An aggregation that groups yields its own documents (`group({ _id: null, n: _.sum(…) })`).
  for (size_t k = static_cast<size_t>(c); k < last; ++k)
    if (v.path[k] == "group" || v.path[k] == "count" || v.path[k] == "sortByCount")
      return false;
  i = last + 1;
  if (i == v.path.size())
    return true;
  if (v.path[i] != "data" && v.path[i] != "list")
    return false;
  ++i;
  if (i < v.path.size() && v.path[i] == "[]")
    ++i;
  return i == v.path.size();
}

class RecordsExposeOpenidRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }

  void checkFile(FileContext &ctx) const override {
    const ModuleSemantics &sem = ctx.semantics;
    auto facts = std::make_unique<Facts>();
    facts->writes = openidWritesOf(sem, ctx.role == FileRole::Client);
    if (ctx.role == FileRole::Cloud)
      responses(ctx, *facts);
    if (!facts->writes.empty() || !facts->returns.empty())
      ctx.defer(std::move(facts));
  }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    llvm::StringMap<std::pair<size_t, CollectionWrite>> holders;
    for (const Deferred *d : deferred)
      for (const CollectionWrite &w : static_cast<const Facts &>(*d).writes)
        holders.try_emplace(w.collection, d->file, w);
    for (const Deferred *d : deferred)
      for (const Facts::Returned &r : static_cast<const Facts &>(*d).returns) {
        auto it = holders.find(r.collection);
        if (it == holders.end())
          continue;
        const auto &[file, w] = it->second;
        Location write{static_cast<uint32_t>(file), w.begin, w.end};
        std::string why =
            w.reason == WriteReason::Client
                ? fmt::format("'{}' is written from the client here, which adds _openid",
                              w.collection)
                : fmt::format("'{}' stores an OPENID in '{}' here", w.collection, w.field);
        ctx.report(r.read, r.at, "records",
                   MessageArgs{{"name", r.name}, {"collection", r.collection}})
            .related(write, why);
      }
  }

private:
  static void responses(FileContext &ctx, Facts &facts) {
    const ModuleSemantics &sem = ctx.semantics;
    std::string_view src = sem.source();
    AdminGuard admin(sem);
    ValueFlow flow(sem);
    std::set<uint64_t> queries; // one finding per query: the range of its last call
    for (const ResponseExpression &r : responseExpressions(sem)) {
      if (admin.isAdminRoute(r.expression))
        continue;
      flow.sources(r.expression, [&](Node n, const std::vector<ValueStep> &steps) {
        std::string_view t = n.type();
        if (t != "identifier" && t != "member_expression" && t != "subscript_expression" &&
            t != "shorthand_property_identifier" && t != "call_expression")
          return false;
        ValuePtr v = sem.evaluate(n);
        if (!isWholeRecords(*v))
          return false;
        if (isScopedToCaller(sem, *v) || isProjected(sem, *v) || admin.isAdminRoute(n))
          return true;
        std::vector<Node> holders;
        for (const ValueStep &s : steps)
          holders.push_back(s.node);
        if (isOwnershipChecked(sem, r.expression, holders))
          return true;
        auto collection = collectionNameOf(sem, *v);
        if (!collection)
          return true;
        const Origin &query = v->calls.empty() ? v->origin : v->calls.back();
        if (queries.insert(uint64_t(query.begin) << 32 | query.end).second)
          facts.returns.push_back({*collection, std::string(n.text(src)),
                                   ctx.locationOf(r.expression), ctx.locationOf(n), r.how});
        return true;
      });
    }
  }
};

} // namespace

std::unique_ptr<Rule> createRecordsExposeOpenidRule() {
  return std::make_unique<RecordsExposeOpenidRule>();
}

} // namespace mpauth
