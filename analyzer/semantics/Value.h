// Abstract values: what an expression is known to evaluate to, as far as a cheap, sound-for-
// our-purposes evaluation can tell. Values outlive the syntax tree: they carry byte ranges, not
// nodes, so rules can keep them for the project-wide phase.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mpauth {

struct Value;
using ValuePtr = std::shared_ptr<const Value>;

// Where a value was written: file index in the run, byte range.
struct Origin {
  int file = -1;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file >= 0; }
};

struct Value {
  enum class Kind : uint8_t {
    Unknown,
    String,
    Number,
    Boolean,
    Null,
    Undefined,
    Object,
    Array,
    Function,
    // require('spec') / import from 'spec', then `path` members. `file` is the project file
    // the specifier resolves to (relative imports), or -1 for a package ("wx-server-sdk").
    // A call appends "()" to the path; `new` appends "new".
    Module,
    // An unbound global (`wx`, `Taro`, `process`), then `path` members.
    Global,
    // A field of the cloud function's `event` (what the client sent); `path` from event.
    EventField,
    // `this` (or an alias such as `const that = this`) inside a method of an App/Page/
    // Component options object or a component class; `file` holds the component's index in
    // its module (ModuleSemantics::components()).
    ComponentThis,
    // The context of a tcb-router route handler (`app.router('x', async (ctx) => …)`):
    // `ctx.event` is what the client sent, `ctx.body = …` is the response.
    RouterContext,
  };

  Kind kind = Kind::Unknown;
  std::string text;              // String: value; Module: specifier; Global: name
  std::vector<std::string> path; // Module / Global / EventField member path
  // For each "()" element of `path`, in order: the range of that call's `arguments` node, so a
  // rule can look at the arguments of a chain (`where({...})`) while the tree is alive.
  std::vector<Origin> calls;
  int file = -1; // Module: resolved project file
  // Object: fields in source order; `open` when a spread or computed key may add others.
  std::vector<std::pair<std::string, ValuePtr>> fields;
  bool open = false;
  Origin origin; // where the value (literal, object, reference) appears

  static ValuePtr unknown() { return std::make_shared<Value>(); }
  static ValuePtr make(Kind k, Origin o = {}) {
    auto v = std::make_shared<Value>();
    v->kind = k;
    v->origin = o;
    return v;
  }
  static ValuePtr string(std::string s, Origin o = {}) {
    auto v = make(Kind::String, o);
    std::const_pointer_cast<Value>(v)->text = std::move(s);
    return v;
  }

  bool is(Kind k) const { return kind == k; }
  // Field lookup for an Object; nullptr when absent.
  ValuePtr field(std::string_view name) const {
    for (const auto &[key, value] : fields)
      if (key == name)
        return value;
    return nullptr;
  }
  // Is this the package `spec` (any member path)?
  bool isPackage(std::string_view spec) const { return kind == Kind::Module && text == spec; }
  // Global `name` with exactly this member path.
  bool isGlobalPath(std::string_view name, std::initializer_list<std::string_view> members) const;
  // Module/Global/EventField path equals `members`.
  bool pathIs(std::initializer_list<std::string_view> members) const;
  std::string describe() const; // for debugging and tests: "module(wx-server-sdk).init"
};

// The member `name` of `base` (the evaluation rules of member access). For a call ("()"),
// `arguments` is the range of the call's arguments node. An element of an array-like value
// (a numeric index, a `.map` callback's parameter) is the member "[]".
ValuePtr memberOf(const ValuePtr &base, std::string_view name, Origin origin,
                  Origin arguments = {});
// The index of the `n`-th "()" of a path in `calls` (for paths with fewer calls, -1).
int callIndexOf(const Value &v, size_t pathIndex);

} // namespace mpauth
