// What runs when a module loads (SPEC 1: "a value read at module load time belongs to whichever
// invocation loaded the module"): module-scope code, immediately invoked functions there, and
// functions that only load-time code calls. A function that escapes — exported, passed as a
// callback, stored, a handler — may run later and is never load-time.
#pragma once

#include "analyzer/semantics/Module.h"

#include <vector>

namespace mpauth {

struct LoadTimeCall {
  Node function; // the function that runs at load
  Node call;     // a call (or `new`) of it made while the module loads; null for module scope
};

// Does `node` run while the module loads? True at module scope; for code inside a function,
// when that function runs only at load (see above), up to a few levels of helpers. `why`
// receives the chain from the innermost function outwards (each with its load-time call).
bool runsAtModuleLoad(const ModuleSemantics &semantics, Node node,
                      std::vector<LoadTimeCall> *why = nullptr);

// The identifiers that reference `binding` in its file (reads and writes, not the declaring
// identifier itself); shorthand properties (`{ openid }`) count as references.
std::vector<Node> referencesOf(const ModuleSemantics &semantics, const Binding &binding);

// True when `identifier` is written (the target of an assignment, `++`, a destructuring
// assignment) rather than read.
bool isWriteTarget(Node identifier);

} // namespace mpauth
