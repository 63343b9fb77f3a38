#include "analyzer/semantics/Collections.h"

#include "analyzer/semantics/AdminGuard.h"
#include "analyzer/semantics/ClientIdentity.h"
#include "analyzer/semantics/ValueFlow.h"
#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace mpauth {

bool isOpenidFieldName(std::string_view name) {
  std::string lower = llvm::StringRef(name.data(), name.size()).lower();
  llvm::StringRef l(lower);
  return l.endswith("openid") || l.endswith("open_id") || l.endswith("unionid") ||
         l.endswith("union_id");
}

Node callArgumentsOf(const ModuleSemantics &semantics, const Value &v, size_t pathIndex) {
  int call = callIndexOf(v, pathIndex);
  if (call < 0 || static_cast<size_t>(call) >= v.calls.size())
    return Node();
  const Origin &o = v.calls[call];
  if (o.file != semantics.fileIndex() || o.end > semantics.source().size())
    return Node();
  Node n(ts_node_descendant_for_byte_range(semantics.root().raw(), o.begin, o.end));
  return n.is("arguments") ? n : Node();
}

namespace {
bool isDatabaseValue(const Value &v) {
  return v.is(Value::Kind::Module) && serverSdkOf(v.text) != ServerSdk::None;
}
bool isClientDatabaseValue(const Value &v) {
  return v.is(Value::Kind::Global) && (v.text == "wx" || v.text == "Taro" || v.text == "uni");
}
Node firstArgument(Node args) {
  for (Node a : args.namedChildren())
    if (!a.is("comment"))
      return a;
  return Node();
}
} // namespace

int collectionIndexOf(const Value &v) {
  if (!isDatabaseValue(v) && !isClientDatabaseValue(v))
    return -1;
  for (size_t i = 0; i + 1 < v.path.size(); ++i)
    if (v.path[i] == "collection" && v.path[i + 1] == "()")
      return static_cast<int>(i);
  return -1;
}

std::optional<std::string> collectionNameOf(const ModuleSemantics &semantics, const Value &v) {
  int i = collectionIndexOf(v);
  if (i < 0)
    return std::nullopt;
  Node args = callArgumentsOf(semantics, v, static_cast<size_t>(i) + 1);
  Node first = firstArgument(args);
  if (first.isNull())
    return std::nullopt;
  if (auto s = stringValue(first, semantics.source()))
    return s;
  ValuePtr name = semantics.evaluate(first);
  if (name->is(Value::Kind::String))
    return name->text;
  return std::nullopt;
}

namespace {

bool isOwnRecordIdExpression(const ModuleSemantics &semantics, Node expression, unsigned depth);

// `_id` of a record the caller owns: from a query scoped to the caller, or the record this
// invocation just added (`(await col.add({...}))._id`).
bool isOwnRecordId(const ModuleSemantics &semantics, const Value &v, unsigned depth) {
  if (v.path.empty() || v.path.back() != "_id" || collectionIndexOf(v) < 0)
    return false;
  if (v.path.size() >= 3 && v.path[v.path.size() - 2] == "()" && v.path[v.path.size() - 3] == "add")
    return true;
  return depth < 3 && isScopedToCaller(semantics, v, depth + 1);
}

bool isDeclaration(const ModuleSemantics &semantics, Node n) {
  if (!n.is("identifier"))
    return false;
  const Binding *b = semantics.resolve(n);
  return b && b->id == n;
}

// Is every value `expression` can hold a record the caller owns (or nothing)?
// `let user = null; … user = (await col.where({ _openid: OPENID }).get()).data[0]`,
// `refreshed && refreshed.data ? refreshed.data : user`, `{ _id: addRes._id, … }`.
bool isOwnRecordExpression(const ModuleSemantics &semantics, Node expression, unsigned depth) {
  using V = ValueFlow::Verdict;
  std::string_view src = semantics.source();
  return ValueFlow(semantics).every(expression, [&](Node n) {
    if (isNobodyLiteral(n, src) || isDeclaration(semantics, n))
      return V::Accept;
    if (n.is("object")) {
      for (Node pair : n.namedChildren())
        if (pair.is("pair") && pair.field("key").text(src) == "_id")
          return isOwnRecordIdExpression(semantics, pair.field("value"), depth + 1) ? V::Accept
                                                                                    : V::Reject;
      return V::Reject;
    }
    if (n.is("identifier") || n.is("member_expression") || n.is("subscript_expression") ||
        n.is("call_expression")) {
      ValuePtr v = semantics.evaluate(n);
      if (collectionIndexOf(*v) >= 0)
        return isScopedToCaller(semantics, *v, depth + 1) ? V::Accept : V::Reject;
    }
    return V::Look;
  });
}

// Is every value `expression` can hold the `_id` of a record the caller owns (or nothing)?
bool isOwnRecordIdExpression(const ModuleSemantics &semantics, Node expression, unsigned depth) {
  // The ids being decided, for cycles (`user = (await col.doc(user._id).get()).data`): an id
  // that comes back to itself is the caller's if everything else it can be is.
  thread_local std::vector<uint64_t> deciding;
  uint64_t key = uint64_t(expression.begin()) << 32 | expression.end();
  if (std::find(deciding.begin(), deciding.end(), key) != deciding.end())
    return true;
  if (depth > 3)
    return false;
  deciding.push_back(key);
  struct Pop {
    ~Pop() { deciding.pop_back(); }
  } pop;
  using V = ValueFlow::Verdict;
  std::string_view src = semantics.source();
  return ValueFlow(semantics).every(expression, [&](Node n) {
    if (isNobodyLiteral(n, src) || isDeclaration(semantics, n))
      return V::Accept;
    if (n.is("identifier") || n.is("member_expression") || n.is("subscript_expression")) {
      if (isOwnRecordId(semantics, *semantics.evaluate(n), depth))
        return V::Accept;
      if (n.is("member_expression") && n.field("property").text(src) == "_id")
        return isOwnRecordExpression(semantics, n.field("object"), depth + 1) ? V::Accept
                                                                              : V::Reject;
    }
    return V::Look;
  });
}

} // namespace

bool isScopedToCaller(const ModuleSemantics &semantics, const Value &v, unsigned depth) {
  int c = collectionIndexOf(v);
  if (c < 0)
    return false;
  for (size_t i = static_cast<size_t>(c) + 2; i + 1 < v.path.size(); ++i) {
    const std::string &p = v.path[i];
    if (v.path[i + 1] != "()" || (p != "where" && p != "doc" && p != "match"))
      continue;
    Node args = callArgumentsOf(semantics, v, i + 1);
    if (args.isNull())
      continue;
    bool scoped = false;
    // The conditions, and the object literal a condition variable starts from
    // (`const query = { _openid: OPENID }; if (x) query.x = x; ….where(query)`).
    std::vector<Node> roots{args};
    for (size_t r = 0; r < roots.size() && !scoped; ++r)
      walk(roots[r], [&](Node n) {
        if (scoped)
          return false;
        std::string_view t = n.type();
        if (t == "identifier" || t == "member_expression" || t == "subscript_expression" ||
            t == "shorthand_property_identifier") {
          if (isCallerIdentityExpression(semantics, n) ||
              (p == "doc" && !n.is("shorthand_property_identifier") &&
               isOwnRecordIdExpression(semantics, n, depth))) {
            scoped = true;
            return false;
          }
        }
        if (t == "identifier" && r == 0)
          if (const Binding *b = semantics.resolve(n);
              b && b->id != n && b->path.empty() && b->init &&
              unwrapExpression(b->init).is("object") &&
              (b->kind == BindingKind::Const || b->writes == 0))
            roots.push_back(b->init);
        return true;
      });
    if (scoped)
      return true;
  }
  return false;
}

bool isProjected(const ModuleSemantics &semantics, const Value &v) {
  int c = collectionIndexOf(v);
  if (c < 0)
    return false;
  for (size_t i = static_cast<size_t>(c) + 2; i + 1 < v.path.size(); ++i) {
    if (v.path[i + 1] != "()" || (v.path[i] != "field" && v.path[i] != "project"))
      continue;
    Node args = callArgumentsOf(semantics, v, i + 1);
    Node first = firstArgument(args);
    if (!first.is("object"))
      return true;
    // `.field({ _openid: false })` drops it; `.field({ _openid: true, title: true })` keeps it.
    bool keeps = false;
    for (Node pair : first.namedChildren()) {
      if (!pair.is("pair"))
        continue;
      Node key = pair.field("key");
      std::string name =
          stringValue(key, semantics.source()).value_or(std::string(key.text(semantics.source())));
      if (isOpenidFieldName(name)) {
        std::string_view value = pair.field("value").text(semantics.source());
        keeps = value != "false" && value != "0";
      }
    }
    return !keeps;
  }
  return false;
}

bool isOwnershipChecked(const ModuleSemantics &semantics, Node at,
                        const std::vector<Node> &holders) {
  if (holders.empty())
    return false;
  std::string_view src = semantics.source();
  // `rec.field` where `rec` is one of the holders.
  auto isHolderField = [&](Node side) {
    side = unwrapExpression(side);
    if (!side.is("member_expression"))
      return false;
    Node object = unwrapExpression(side.field("object"));
    if (!object.is("identifier") || !isIdentityFieldName(side.field("property").text(src)))
      return false;
    const Binding *b = semantics.resolve(object);
    return b && std::find(holders.begin(), holders.end(), b->id) != holders.end();
  };
  ConditionAtom atom = [&](Node a) -> std::optional<bool> {
    a = unwrapExpression(a);
    if (!a.is("binary_expression"))
      return std::nullopt;
    std::string_view op = a.field("operator").text(src);
    bool equal = op == "===" || op == "==";
    if (!equal && op != "!==" && op != "!=")
      return std::nullopt;
    Node left = a.field("left"), right = a.field("right");
    if ((isHolderField(left) && isCallerIdentityExpression(semantics, right)) ||
        (isHolderField(right) && isCallerIdentityExpression(semantics, left)))
      return equal;
    return std::nullopt;
  };
  return isReachedOnlyWhen(semantics, at, atom);
}

bool isRecordOpenidField(const Value &v) {
  if (!isDatabaseValue(v) || v.path.empty() || !isOpenidFieldName(v.path.back()))
    return false;
  int c = collectionIndexOf(v);
  if (c < 0)
    return false;
  for (size_t i = static_cast<size_t>(c); i < v.path.size(); ++i)
    if (v.path[i] == "data" || v.path[i] == "list" || v.path[i] == "[]")
      return true;
  return false;
}

std::optional<std::string> recordFieldOf(const Value &v) {
  int c = collectionIndexOf(v);
  if (c < 0 || !isDatabaseValue(v) || v.path.size() < 2)
    return std::nullopt;
  const std::string &field = v.path.back();
  const std::string &record = v.path[v.path.size() - 2];
  if (field == "()" || field == "[]" || field == "length" || field == "data" || field == "list")
    return std::nullopt;
  // The record itself: `data` of a `doc().get()`, an element of `data` / `list`.
  if (record == "[]" ||
      (record == "data" && v.path.size() >= 3 && v.path[v.path.size() - 3] == "()"))
    return field;
  return std::nullopt;
}

bool isOpenidValue(const Value &v) {
  return isCallerIdentity(v) || isRecordOpenidField(v);
}

Node findOpenidExpression(const ModuleSemantics &semantics, Node root) {
  Node found;
  walk(root, [&](Node n) {
    if (found)
      return false;
    std::string_view t = n.type();
    if (t == "identifier" || t == "member_expression" || t == "subscript_expression" ||
        t == "shorthand_property_identifier") {
      ValuePtr value = semantics.evaluate(n);
      if (isOpenidValue(*value)) {
        found = n;
        return false;
      }
    }
    return true;
  });
  return found;
}

std::vector<CollectionWrite> openidWritesOf(const ModuleSemantics &semantics, bool client) {
  std::vector<CollectionWrite> out;
  std::string_view src = semantics.source();
  for (Node n : nodesOfTypes(semantics.root(), {"call_expression"})) {
    Node callee = unwrapExpression(n.field("function"));
    if (!callee.is("member_expression"))
      continue;
    std::string_view method = callee.field("property").text(src);
    if (method != "add" && method != "set" && method != "update")
      continue;
    ValuePtr target = semantics.evaluate(callee);
    if (collectionIndexOf(*target) < 0)
      continue;
    auto name = collectionNameOf(semantics, *target);
    if (!name)
      continue;
    CollectionWrite w;
    w.collection = *name;
    w.begin = n.begin();
    w.end = n.end();
    if (client && method == "add" && isClientDatabaseValue(*target)) {
      w.reason = WriteReason::Client;
      w.field = "_openid";
      out.push_back(w);
      continue;
    }
    // The data object: `{ data: {...} }`.
    Node options = firstArgument(n.field("arguments"));
    if (!options.is("object"))
      continue;
    Node data;
    for (Node pair : options.namedChildren()) {
      if (pair.is("pair") && pair.field("key").text(src) == "data")
        data = unwrapExpression(pair.field("value"));
      else if (pair.is("shorthand_property_identifier") && pair.text(src) == "data")
        data = pair;
    }
    if (data.is("identifier") ||
        data.is("shorthand_property_identifier")) // `const data = { … }; col.add({ data })`
      if (const Binding *b = semantics.resolve(data);
          b && b->path.empty() && b->init && (b->kind == BindingKind::Const || b->writes == 0))
        data = unwrapExpression(b->init);
    if (!data.is("object"))
      continue;
    for (Node pair : data.namedChildren()) {
      Node key = pair.is("pair") ? pair.field("key") : pair;
      if (!pair.is("pair") && !pair.is("shorthand_property_identifier"))
        continue;
      std::string field = stringValue(key, src).value_or(std::string(key.text(src)));
      Node value = pair.is("pair") ? pair.field("value") : pair;
      bool fromOpenid = !findOpenidExpression(semantics, value).isNull();
      if (!fromOpenid && !isOpenidFieldName(field))
        continue;
      w.reason = fromOpenid ? WriteReason::OpenidValue : WriteReason::OpenidField;
      w.field = field;
      w.begin = pair.begin();
      w.end = pair.end();
      out.push_back(w);
    }
    continue;
  }
  return out;
}

} // namespace mpauth
