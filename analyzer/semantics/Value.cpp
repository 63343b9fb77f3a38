#include "analyzer/semantics/Value.h"

namespace mpauth {

bool Value::pathIs(std::initializer_list<std::string_view> members) const {
  if (path.size() != members.size())
    return false;
  size_t i = 0;
  for (std::string_view m : members)
    if (path[i++] != m)
      return false;
  return true;
}

bool Value::isGlobalPath(std::string_view name,
                         std::initializer_list<std::string_view> members) const {
  return kind == Kind::Global && text == name && pathIs(members);
}

std::string Value::describe() const {
  std::string out;
  switch (kind) {
  case Kind::Unknown:
    return "unknown";
  case Kind::String:
    return "'" + text + "'";
  case Kind::Number:
    return "number";
  case Kind::Boolean:
    return "boolean";
  case Kind::Null:
    return "null";
  case Kind::Undefined:
    return "undefined";
  case Kind::Array:
    return "array";
  case Kind::Function:
    return "function";
  case Kind::Object: {
    out = "{";
    for (const auto &[key, value] : fields) {
      if (out.size() > 1)
        out += ", ";
      out += key + ": " + (value ? value->describe() : "?");
    }
    if (open)
      out += out.size() > 1 ? ", ..." : "...";
    return out + "}";
  }
  case Kind::Module:
    out = "module(" + text + ")";
    break;
  case Kind::Global:
    out = "global(" + text + ")";
    break;
  case Kind::EventField:
    out = "event";
    break;
  case Kind::ComponentThis:
    return "this";
  case Kind::RouterContext:
    return "ctx";
  }
  for (const std::string &p : path)
    out += p == "()" ? p : "." + p;
  return out;
}

int callIndexOf(const Value &v, size_t pathIndex) {
  if (pathIndex >= v.path.size() || v.path[pathIndex] != "()")
    return -1;
  int calls = 0;
  for (size_t i = 0; i < pathIndex; ++i)
    if (v.path[i] == "()")
      ++calls;
  return calls < static_cast<int>(v.calls.size()) ? calls : -1;
}

ValuePtr memberOf(const ValuePtr &base, std::string_view name, Origin origin, Origin arguments) {
  if (!base)
    return Value::unknown();
  switch (base->kind) {
  case Value::Kind::Object: {
    if (ValuePtr v = base->field(name))
      return v;
    return base->open ? Value::unknown() : Value::make(Value::Kind::Undefined, origin);
  }
  case Value::Kind::Module:
  case Value::Kind::Global:
  case Value::Kind::EventField: {
    if (base->path.size() >= 16)
      return Value::unknown();
    auto v = std::make_shared<Value>(*base);
    v->fields.clear();
    v->path.emplace_back(name);
    if (name == "()")
      v->calls.push_back(arguments);
    v->origin = origin;
    return v;
  }
  case Value::Kind::RouterContext:
    if (name == "event")
      return Value::make(Value::Kind::EventField, origin);
    return Value::unknown();
  case Value::Kind::String:
    if (name == "length")
      return Value::make(Value::Kind::Number, origin);
    return Value::unknown();
  default:
    return Value::unknown();
  }
}

} // namespace mpauth
