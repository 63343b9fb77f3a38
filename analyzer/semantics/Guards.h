// Guards (SPEC 3.4): is a use of a value that may be absent (undefined or null) dominated by a
// check that it is present? Structured control flow only — `if`/`else`, early exits
// (`if (!x) return`), `&&`, `||`, `?:`, loop conditions — which is what real code writes.
// The caller decides what "the same value" is (an identifier bound to it, a member path that
// evaluates to it), so one analysis serves every rule that tracks an optional value.
#pragma once

#include "analyzer/semantics/Module.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string_view>

namespace mpauth {

// Does `expression` denote the guarded value? Called on the operands of conditions.
using SameValue = llvm::function_ref<bool(Node expression)>;

// What a condition tells about the value: present when the condition is true, present when it
// is false (`!x`, `x === undefined`, `typeof x === 'undefined'`).
struct PresenceFacts {
  bool presentWhenTrue = false;
  bool presentWhenFalse = false;
};

// A `const` that holds a condition (`const hasUnionid = !!UNIONID`) stands for that condition.
PresenceFacts presenceFacts(Node condition, const ModuleSemantics &semantics, SameValue same);

// True when control never falls through `statement`: a `return`, `throw`, `break` or
// `continue`, a block that reaches one, an `if` whose branches all exit.
bool alwaysExits(Node statement);

// True when `use` runs only where the value is known to be present: inside the consequent of
// `if (x)` / `x ? … : …` / `x && …` (or the alternative of `if (!x)`), after an
// `if (!x) return|throw|continue|break` in the same or an enclosing block (also across the
// closures created after it). Assignments between the check and the use are the caller's
// business (track only values that are not reassigned).
bool isGuarded(Node use, const ModuleSemantics &semantics, SameValue same);

} // namespace mpauth
