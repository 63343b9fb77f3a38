// Who the caller is, and who the client says it is (SPEC 1, 3.7).
//
// The platform injects the caller's identity: `cloud.getWXContext().OPENID` / `UNIONID`,
// `event.userInfo.openId`, the node SDK's `auth().getUserInfo().openId`. Everything else in
// `event` is the `data` the client sent, so an id read from it (`event.openid`, `event.userId`,
// a destructured `({ openid })`, `ctx.event.openid` in a tcb-router route) names whoever the
// client chose. `ClientIdentityFlow` follows such a value from the read of `event` through
// variables, `||` / `??` / ternaries, string building and the parameters of local helpers to
// the expression a rule looks at, and returns the steps for the finding's code flow.
#pragma once

#include "analyzer/semantics/Module.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpauth {

// Field names that carry a user id: openid, _openid, openId, open_id, OPENID, any *Openid /
// *_openid (authorOpenid, to_openid), userId, user_id, userid, *UserId (targetUserId), uid,
// unionid, unionId, union_id and *Unionid. Case and underscores do not matter.
bool isIdentityFieldName(std::string_view name);

// The names under which a client would send its own id (openid, openId, open_id, unionid,
// userId, user_id, uid): compared with the real OPENID they validate the caller. Any other
// client field compared with it (`ownerId`, `_openid`, `authorOpenid`) claims to be the owner.
bool isSelfIdentityFieldName(std::string_view name);

// The caller's identity as the platform injects it (see above), not anything the client sent.
bool isCallerIdentity(const Value &value);

// Does `expression` hold the caller's identity: a value `isCallerIdentity` accepts, or the
// parameter of a local helper that every call in the file passes it to
// (`function getList(openid) {…}` called only as `getList(OPENID)`), or such a parameter's
// member path.
bool isCallerIdentityExpression(const ModuleSemantics &semantics, Node expression);

// Which `event` fields a project trusts or distrusts beyond the defaults (.mpauth.json
// `trustedEventFields` / `untrustedEventFields`): names of fields or dotted paths ("userInfo",
// "params.openid").
struct EventFieldPolicy {
  std::vector<std::string> trusted;
  std::vector<std::string> untrusted;
  // Something the client sent: an EventField outside `userInfo` and the trusted fields.
  bool isClientSent(const Value &value) const;
  // ... whose last member names a user id (or is listed as untrusted).
  bool isClientIdentity(const Value &value) const;
};

// `event.<path>` for messages ("event.params.openid").
std::string describeEventField(const Value &value);

struct IdentityStep {
  Node node;
  std::string message;
};

// How a client-sent value reaches an expression: `steps` runs from the read of `event`
// (`steps.front()`, also `source`) to the expression itself, excluded.
struct IdentityFlow {
  Node source;            // the read of `event` (a member expression, a destructuring)
  std::string sourceText; // "event.openid"
  std::string field;      // the last member: "openid"
  std::vector<IdentityStep> steps;
  // The value passed through a choice between it and the real OPENID (`OPENID || event.openid`,
  // `event.openid ? event.openid : OPENID`, a variable assigned from both): that expression.
  Node fallback;
  // Calls of local helpers the value was passed through (for guards at the call sites).
  std::vector<Node> helperCalls;
};

class ClientIdentityFlow {
public:
  enum class Mode : uint8_t {
    Identity, // only fields that name a user id (EventFieldPolicy::isClientIdentity)
    AnyField, // any field the client sent
  };

  ClientIdentityFlow(const ModuleSemantics &semantics, EventFieldPolicy policy);

  // The flow of a client-sent value into `expression`, if there is one.
  std::optional<IdentityFlow> trace(Node expression, Mode mode = Mode::Identity) const;

  // Does `expression` hold the caller's real identity (directly or through constants)?
  bool isCallerIdentityExpression(Node expression) const;

  // For a `let`/`var` whose value is chosen between a client-sent id and the real one
  // (`let openid = OPENID; if (event.openid) openid = event.openid`): the node that stores
  // the client's id (the declarator or the assignment), else null.
  Node clientFallbackWrite(const Binding &binding) const;

  // The values written to a reassigned `let`/`var`: its initializer and every value assigned
  // to it (ModuleSemantics::assignedValues).
  std::vector<Node> writesOf(const Binding &binding) const;

  const ModuleSemantics &semantics() const { return Semantics; }
  const EventFieldPolicy &policy() const { return Policy; }

private:
  std::optional<IdentityFlow> traceAt(Node expression, Mode mode, unsigned depth) const;
  std::optional<IdentityFlow> traceIdentifier(Node identifier, Mode mode, unsigned depth) const;
  std::optional<IdentityFlow> traceParameter(const Binding &binding,
                                             const std::vector<std::string> &members, Mode mode,
                                             unsigned depth) const;
  bool callersPassKnownValues(const Binding &param) const;
  bool accepts(const Value &value, Mode mode) const;
  std::optional<IdentityFlow> fromValue(Node at, const Value &value, Mode mode) const;

  const ModuleSemantics &Semantics;
  EventFieldPolicy Policy;
  mutable std::vector<const Binding *> Visiting; // cuts cycles of variables
};

} // namespace mpauth
