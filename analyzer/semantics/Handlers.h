// Who calls a function (SPEC 3.3): a top-level handler is called by the framework or an event
// and nobody awaits its promise; a helper is called by other code, which takes over the duty
// to handle its failures.
#pragma once

#include "analyzer/semantics/Module.h"

#include "llvm/ADT/StringSet.h"

#include <set>
#include <string>
#include <vector>

namespace mpauth {

enum class FunctionRole : uint8_t {
  Lifecycle,      // App/Page/Component lifecycle, class lifecycle, Vue lifecycle
  BoundHandler,   // bound in the page's template (bindtap="name", @click="name")
  Callback,       // passed as an argument (setTimeout, an event API, a hook), a JSX event prop
  LoadTime,       // a module-scope function called while the module loads
  UncalledMethod, // a component method that nobody calls or binds: treated as a handler
  Helper,         // called by other code (also: its reference is stored), which takes over
  ChainCallback,  // .then/.catch/.finally callback or a `new Promise` executor
};
const char *functionRoleName(FunctionRole role);

class HandlerModel {
public:
  HandlerModel(const ModuleSemantics &semantics, const std::vector<std::string> &boundHandlers);

  FunctionRole roleOf(Node function) const;
  // Nobody awaits its promise: every role but Helper and ChainCallback.
  bool isTopLevelHandler(Node function) const;
  // The innermost function around `node` (null at module scope).
  Node functionAround(Node node) const { return Semantics.enclosingFunction(node); }
  // A human name for messages: "onLoad", "onTap (bound in the template)".
  std::string describe(Node function) const;
  // The component method names of component `c` that some code calls (`this.load()`).
  bool isMethodCalled(int component, std::string_view name) const;

private:
  static bool isLifecycle(const ComponentInfo &c, const ComponentMethod &m);
  void scanUses();

  const ModuleSemantics &Semantics;
  llvm::StringSet<> Bound;
  std::vector<std::set<std::string>> CalledMethods;   // per component
  std::vector<std::set<std::string>> CallbackMethods; // per component: passed as callbacks
  std::vector<std::set<std::string>> EscapedMethods;  // per component: references stored away
  std::set<std::pair<uint32_t, uint32_t>> CalledAtLoad, CalledLater, PassedAsCallback;
};

} // namespace mpauth
