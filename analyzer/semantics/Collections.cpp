#include "analyzer/semantics/Collections.h"

#include "analyzer/semantics/ClientIdentity.h"
#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/StringRef.h"

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

bool isScopedToCaller(const ModuleSemantics &semantics, const Value &v) {
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
    walk(args, [&](Node n) {
      if (scoped)
        return false;
      std::string_view t = n.type();
      if (t == "identifier" || t == "member_expression" || t == "subscript_expression" ||
          t == "shorthand_property_identifier") {
        ValuePtr value = n.is("shorthand_property_identifier") && semantics.resolve(n)
                             ? semantics.evaluate(semantics.resolve(n)->id)
                             : semantics.evaluate(n);
        if (isCallerIdentity(*value)) {
          scoped = true;
          return false;
        }
      }
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
      ValuePtr value;
      if (t == "shorthand_property_identifier") {
        const Binding *b = semantics.resolve(n);
        value = b ? semantics.evaluate(b->id) : Value::unknown();
      } else {
        value = semantics.evaluate(n);
      }
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
  walk(semantics.root(), [&](Node n) {
    if (!n.is("call_expression"))
      return true;
    Node callee = unwrapExpression(n.field("function"));
    if (!callee.is("member_expression"))
      return true;
    std::string_view method = callee.field("property").text(src);
    if (method != "add" && method != "set" && method != "update")
      return true;
    ValuePtr target = semantics.evaluate(callee);
    if (collectionIndexOf(*target) < 0)
      return true;
    auto name = collectionNameOf(semantics, *target);
    if (!name)
      return true;
    CollectionWrite w;
    w.collection = *name;
    w.begin = n.begin();
    w.end = n.end();
    if (client && method == "add" && isClientDatabaseValue(*target)) {
      w.reason = WriteReason::Client;
      w.field = "_openid";
      out.push_back(w);
      return true;
    }
    // The data object: `{ data: {...} }`.
    Node options = firstArgument(n.field("arguments"));
    if (!options.is("object"))
      return true;
    Node data;
    for (Node pair : options.namedChildren())
      if (pair.is("pair") && pair.field("key").text(src) == "data")
        data = unwrapExpression(pair.field("value"));
    if (!data.is("object"))
      return true;
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
      break;
    }
    return true;
  });
  return out;
}

} // namespace mpauth
