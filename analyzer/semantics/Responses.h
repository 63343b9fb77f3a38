// The response of a cloud function (SPEC 2): what reaches the client. Shared by the rules that
// look at what a function sends back (appsecret-in-client; openid-leak and
// records-expose-openid can use it the same way).
#pragma once

#include "analyzer/semantics/Module.h"

#include <vector>

namespace mpauth {

struct ResponseExpression {
  Node expression; // the returned (or assigned) expression
  Node function;   // the function that returns it (for `ctx.body = x`, the route's function)
  // How it gets to the client, for messages: "returned by main", "returned by login(), which
  // main returns", "assigned to ctx.body".
  std::string how;
};

// Every expression whose value a handler of this module sends to the client:
// - what a handler returns (`returnedExpressions`), following returns of local functions whose
//   result the handler returns (`return login(event)`, `const r = await login(event); return r`),
//   a few levels deep;
// - for tcb-router routes, the values assigned to `ctx.body`.
std::vector<ResponseExpression> responseExpressions(const ModuleSemantics &semantics);

} // namespace mpauth
