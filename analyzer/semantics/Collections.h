// Database collections and the OPENIDs they hold (SPEC 3.5, 3.6).
//
// A value of a database chain (`db.collection('posts').where({...}).get()`, see Value.h) names
// its collection in the arguments of `collection(...)`; the chain is scoped to the caller when
// a `where(...)`, `doc(...)` or `match(...)` of it uses the caller's real identity
// (getWXContext().OPENID, ClientIdentity.h `isCallerIdentity`). A record is an element of such
// a chain's result (`res.data`, `res.data[0]`, a `.map` callback parameter); an openid field of
// a record (`post._openid`) is another user's id unless the query is scoped to the caller.
//
// Whether a collection holds OPENIDs is decided project-wide from its writes (`CollectionWrite`
// facts, one per `add`/`set`/`update` on a constant collection, joined by the rules in their
// project phase): written from the client (which adds `_openid`), written with a value that
// comes from an OPENID whatever the field is called, or with an openid-like field name.
#pragma once

#include "analyzer/semantics/Module.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpauth {

// `_openid`, `openid`, `openId`, `open_id`, `*_openid`, `*Openid` (and UNIONID look-alikes).
bool isOpenidFieldName(std::string_view name);

// The arguments node of the call at `pathIndex` ("()") of `value`, while the tree is alive.
Node callArgumentsOf(const ModuleSemantics &semantics, const Value &value, size_t pathIndex);

// The index of `collection` in a database chain's path, or -1.
int collectionIndexOf(const Value &value);
// The constant name of the chain's collection; nullopt when not a chain or not a constant.
std::optional<std::string> collectionNameOf(const ModuleSemantics &semantics, const Value &value);
// Does a where/doc/match of the chain use the caller's real identity (ClientIdentity.h
// `isCallerIdentityExpression`), or `doc()` the `_id` of a record the caller owns (from a
// query scoped to the caller, or just added by this invocation)?
bool isScopedToCaller(const ModuleSemantics &semantics, const Value &value, unsigned depth = 0);
// Does the chain project its fields (`.field({...})` without `_openid: true`)?
bool isProjected(const ModuleSemantics &semantics, const Value &value);

// Is `at` reached only after the record held in one of `holders` (the variables a value went
// through, ValueFlow.h) was checked to be the caller's: `if (rec.userId !== OPENID) return`,
// `if (post._openid === OPENID) return post`, `const isOwner = rec._openid === OPENID; if
// (!isOwner) throw …`? The field compared must name a user id (ClientIdentity.h
// `isIdentityFieldName`) and the other side must be the caller's real identity.
bool isOwnershipChecked(const ModuleSemantics &semantics, Node at,
                        const std::vector<Node> &holders);

// An openid field read from a record of a database chain (`res.data[0]._openid`,
// `r.openid` in `res.data.map(r => …)`).
bool isRecordOpenidField(const Value &value);
// The field a value reads from a record of a database chain (`res.data[0].owner`,
// `r.ownerId` in `res.data.map(r => …)`): "owner"; nullopt when it is not a record's field.
std::optional<std::string> recordFieldOf(const Value &value);

// Does any expression under `node` evaluate to an OPENID (the caller's, or a record's openid
// field)? Returns the first such expression.
Node findOpenidExpression(const ModuleSemantics &semantics, Node node);
// Is the value an OPENID: the caller's identity or a record's openid field?
bool isOpenidValue(const Value &value);

enum class WriteReason { Client, OpenidValue, OpenidField };

// One write to a constant collection.
struct CollectionWrite {
  std::string collection;
  WriteReason reason = WriteReason::OpenidField;
  uint32_t begin = 0, end = 0; // the write call (or the field that stores the id)
  std::string field;           // the field that stores the id ("_openid" for client adds)
};

// The writes in a file that store OPENIDs, one per field that stores one. `client` when the
// file runs on the client.
std::vector<CollectionWrite> openidWritesOf(const ModuleSemantics &semantics, bool client);

} // namespace mpauth
