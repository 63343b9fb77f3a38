// Admin routes (SPEC 3.5, used by 3.5, 3.6 and 3.7): code that runs only after the caller's
// REAL identity (getWXContext().OPENID, see ClientIdentity.h) was checked against an admin set.
// Exposing or acting on other users' ids there is what the route is for, so the rules that
// report such things ask `AdminGuard::isAdminRoute(node)` first.
//
// Two layers, usable on their own:
//
// 1. Dominating conditions (`conditionsHoldingAt`, `isReachedOnlyWhen`): a node is reached only
//    when a condition holds if it sits in the branch of an enclosing `if` / ternary / `&&`
//    that the condition selects, or after an `if (…) { …; return | throw }` in an enclosing
//    block (reached only when that condition was false). The walk stops at the enclosing
//    function, except for inline callbacks (`list.map(r => …)` runs where it is written).
//    A caller supplies the meaning of the atoms of a condition (`ConditionAtom`); `!`, `&&`,
//    `||` and constants holding a check (`const ok = …; if (!ok) return`) are handled here.
//
// 2. The admin check itself (`AdminGuard::adminAtom`), one of:
//    - the real OPENID in a constant list or an admin-named set: `ADMINS.includes(OPENID)`,
//      `admins.indexOf(OPENID) !== -1`, `adminSet.has(OPENID)`, `OPENID === ADMIN_OPENID`,
//      `OPENID === 'o…'`;
//    - a lookup in an admin collection scoped by the real OPENID:
//      `(await db.collection('admin').where({ openid: OPENID }).get()).data.length`, `=== 0`,
//      `> 0`, `.total`, `.data[0]`;
//    - a role field of the caller's own user record (a query scoped by the real OPENID):
//      `user.role === 'admin'`, `user.isAdmin`, `user.roles.includes('admin')`;
//    - a local or imported check named after admins, roles or permissions, about the caller (no
//      argument, the real OPENID, the caller's own record, SDK handles such as `db` and
//      `db.command`, or a literal role): `requireAdmin(db, _)`, `await
//      isAdmin(OPENID)`, `checkAdmin()`, `(await requireRole(0)).ok` (also through a `const`),
//      and as a statement that throws, `await assertAdmin(OPENID)`.
//    A check of an id the client sent (`admins.includes(event.openid)`) is NOT an admin check.
//
// A helper function all of whose calls in the file are admin routes is an admin route too
// (the guard sits in the handler that calls it).
#pragma once

#include "analyzer/semantics/Module.h"

#include <functional>
#include <optional>
#include <vector>

namespace mpauth {

// A condition known to have `value` wherever the node is reached. With `statement`, it is a
// statement that ran before (an expression statement or a declaration), for checks that throw
// instead of returning a value: `condition` is the statement and `value` is true.
struct HoldingCondition {
  Node condition;
  bool value = true;
  bool statement = false;
};
std::vector<HoldingCondition> conditionsHoldingAt(Node node);

// What an atom of a condition (a comparison, a call, a member, an identifier) says: true when
// the atom being truthy implies the property, false when the atom being falsy implies it,
// nullopt when the atom says nothing.
using ConditionAtom = std::function<std::optional<bool>(Node atom)>;

// Does `condition` having `value` imply the property? (`!a`, `a && b`, `a || b`, parentheses
// and `const` names of checks are looked through.)
bool conditionImplies(const ModuleSemantics &semantics, Node condition, bool value,
                      const ConditionAtom &atom);

// Is `node` reached only when some atom implies the property?
bool isReachedOnlyWhen(const ModuleSemantics &semantics, Node node, const ConditionAtom &atom);

class AdminGuard {
public:
  explicit AdminGuard(const ModuleSemantics &semantics) : Semantics(semantics) {}

  // Is `node` reached only after a check of the caller's real OPENID against an admin set?
  bool isAdminRoute(Node node) const;

  // The admin check as a ConditionAtom (see above).
  std::optional<bool> adminAtom(Node atom) const;

  // A statement that throws unless the caller is an admin: `await assertAdmin(OPENID)`.
  bool isAdminAssertion(Node statement) const;

private:
  bool isAdminRoute(Node node, unsigned depth) const;
  bool isRealIdentity(Node expression) const;
  bool isAdminNamedSet(Node expression) const;
  bool isConstantList(Node expression) const;
  // A record (or query result) from a collection query scoped by the real OPENID; the
  // collection's name in `collection`.
  bool isCallerScopedRecord(const Value &value, std::string *collection) const;
  std::optional<bool> lookupAtom(Node atom) const;
  // `isAdmin(OPENID)`, `checkAdmin()`, `requireRole(0)`, `hasPermission(me, 'admin')`; with
  // `asserting`, only names that throw (assert/ensure/require/check/verify/validate/auth…).
  bool isAdminCheckCall(Node call, bool asserting) const;
  std::optional<bool> roleAtom(Node atom) const;

  const ModuleSemantics &Semantics;
};

// Names that say "administrators": admin, manager, superuser, staff, operator, whitelist,
// 管理员 (case-insensitive substrings).
bool isAdminName(std::string_view name);
// Literal role values that grant privileges: 'admin', 'administrator', 'superadmin',
// 'super_admin', 'root', 'manager', 'owner', '管理员'.
bool isPrivilegedRoleValue(std::string_view value);

} // namespace mpauth
