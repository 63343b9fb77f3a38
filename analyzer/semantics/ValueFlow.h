// Where the value of an expression comes from (SPEC 3.5, 3.6): the expressions whose value
// reaches a sink (a cloud function's response, the arguments of an HTTP call, a share path).
//
// The walk goes backwards from the sink through the positions that carry a value, and only
// those:
// - object values, shorthand properties and spreads; array elements and spreads;
// - both branches of `?:`, both sides of `||` / `??`, the right side of `&&`, both sides of `+`,
//   template substitutions, `await`, parentheses and TS casts, the last expression of a
//   sequence, the right side of an assignment;
// - variables: a `const`'s initializer, every value written to a `let`/`var`, and the values
//   pushed into an array variable (`list.push(x)`), a few levels deep, each a step "held in
//   'x' here";
// - calls that keep their input: `.map(cb)` / `.flatMap(cb)` yield what the callback returns;
//   `.filter` / `.slice` / `.sort` / `.reverse` / `.concat` / `.find` / `.flat` / `.at` yield
//   (elements of) their object; string conversions (`String(x)`, `x.toString()`, `.trim()`,
//   `.join()`, `encodeURIComponent(x)`, `JSON.stringify(x)`, `qs.stringify(x)`,
//   `new URLSearchParams(x)`) and `Object.assign(...)` yield their inputs.
// A condition, a comparison, a `.length`, an argument of any other call, a callback of
// `.filter` / `.some`: none of these reaches the sink, so none is visited.
#pragma once

#include "analyzer/semantics/Module.h"

#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <string>
#include <vector>

namespace mpauth {

// `''`, `null`, `undefined`, `false`, a number: a value that names nobody.
bool isNobodyLiteral(Node expression, std::string_view source);

struct ValueStep {
  Node node;
  std::string message; // "held in 'list' here"
};

class ValueFlow {
public:
  explicit ValueFlow(const ModuleSemantics &semantics) : Semantics(semantics) {}

  // Calls `visit` for each expression whose value reaches `sink` (the sink itself first), with
  // the variables it went through (outermost first: the step next to the sink is last). When
  // `visit` returns true the expression is taken as it is and not looked into.
  using Visitor = std::function<bool(Node expression, const std::vector<ValueStep> &steps)>;
  void sources(Node sink, const Visitor &visit) const;

  // Does every value that can reach `sink` pass `judge`? `Look` asks to look at where the
  // expression's value comes from; an expression whose sources cannot be followed (a
  // parameter, an unknown call) fails. A `let` without initializer starts as `undefined`,
  // which `judge` sees as the binding's declaring identifier.
  enum class Verdict { Accept, Reject, Look };
  bool every(Node sink, const std::function<Verdict(Node expression)> &judge) const;

private:
  struct Item {
    Node node;
    std::vector<ValueStep> steps;
    unsigned depth;
  };
  void collectPushes() const;
  // Pushes where `item`'s value comes from; returns false when it cannot tell.
  bool expand(const Item &item, std::vector<Item> &work) const;
  bool followVariable(Node identifier, const Item &item, std::vector<Item> &work) const;
  bool followCall(Node call, const Item &item, std::vector<Item> &work) const;

  const ModuleSemantics &Semantics;
  // The arguments of `.push(...)` / `.unshift(...)` on each array variable (assignments come
  // from ModuleSemantics::assignedValues).
  mutable llvm::DenseMap<const Binding *, std::vector<Node>> Pushes;
  mutable bool PushesCollected = false;
};

} // namespace mpauth
