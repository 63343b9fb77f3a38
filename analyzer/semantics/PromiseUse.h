// What becomes of a promise (SPEC 3.3): given the expression that creates it (a call, a
// `new Promise(...)`), follow it through `.then`/`.catch`/`.finally` chains, `await`, `return`,
// `Promise.all([...])`, `.map(...)` callbacks and local variables to the place that decides
// whether its rejection is handled, passed to someone else, or lost.
#pragma once

#include "analyzer/semantics/Module.h"

namespace mpauth {

enum class PromiseFate : uint8_t {
  Handled,   // a .catch(f), a second .then argument, a guarding try/catch, Promise.allSettled
  Swallowed, // the same with an empty handler: `.catch(() => {})`, `catch (e) {}`
  Dropped,   // an expression statement: nobody ever looks at the rejection
  Awaited,   // awaited outside any try/catch of `function` (null: top-level await)
  Returned,  // returned from `function` (a return statement or an arrow's expression body)
  PassedOn,  // stored in a field or object, passed to another call, `void`: someone else's
  Unused,    // stored in a local variable that is never read
};

struct PromiseUse {
  PromiseFate fate = PromiseFate::PassedOn;
  // Where the fate is decided: the .catch/.then call, the catch clause, the statement, the
  // await, the return statement (or the arrow's body).
  Node decidedAt;
  // Awaited / Returned: the function that takes over the duty (null at module top level).
  Node function;
  bool chained = false;     // went through .then(onFulfilled) without a rejection handler
  const char *handler = ""; // Handled / Swallowed: "catch block", ".catch() callback", …
};

// The fate of the promise that `expression` evaluates to. A promise returned from a
// `.then`/`.catch`/`.finally` callback, or from a `.map` callback, continues in the outer chain.
PromiseUse promiseUseOf(const ModuleSemantics &semantics, Node expression);

// The function an expression denotes: a function literal, or an identifier bound to a function
// declaration or to a `const` function literal. Null otherwise.
Node functionDenotedBy(const ModuleSemantics &semantics, Node expression);

// A function whose body has no statement and no comment: `() => {}`, `function () {}`.
// (A comment documents an intentional silence, as ESLint's no-empty allows.)
bool isEmptyFunction(Node function);

// When `callback` (a `fail:` value) rejects the promise of an enclosing
// `new Promise((resolve, reject) => …)` — it is `reject`, or a function that calls it —
// returns that `new Promise(...)` expression; null otherwise.
Node rejectedPromiseOf(const ModuleSemantics &semantics, Node callback);

} // namespace mpauth
