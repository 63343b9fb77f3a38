// wxcontext-outside-handler (SPEC 3.8): the identity getWXContext() returns belongs to one
// invocation. Read while the module loads, there is no caller yet (or it is whichever caller
// loaded the instance), and a warm instance keeps the value for every later caller; kept in a
// module-scope variable, invocations that share the instance share it.
//
// File phase only. For each getWXContext() call of a server SDK:
//   - it runs at module load (module scope, an IIFE there, a function only load-time code
//     calls: analyzer/semantics/ModuleLoad.h) → error, naming the module-scope variable that
//     keeps the value and the function that reads it when there is one;
//   - it runs per invocation but stores the context (or OPENID/UNIONID/APPID from it) in a
//     module-scope variable (or an implicit global) that code reads → warning: concurrent
//     invocations of one instance share it, and a path that reads before it assigns sees the
//     previous caller's identity.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/ModuleLoad.h"
#include "analyzer/semantics/Reachability.h"

#include <fmt/format.h>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "security", "cloudbase", "identity"};

constexpr MessageTemplate kMessages[] = {
    {"module-scope",
     "{call} runs when the module loads, outside the handler: there is no caller then, and a "
     "warm instance keeps that empty or stale context for every later invocation. Call it inside "
     "exports.main.",
     "{call} 在模块加载时、处理函数之外执行：此时没有调用者，热实例会把这个空的或过期的上下文"
     "留给之后的每次调用。请在 exports.main 内调用它。"},
    {"module-variable",
     "{name} is set from {call} when the module loads and read in {reader}: a warm instance keeps "
     "the identity of the invocation that loaded it and hands it to every later caller. Call "
     "getWXContext() inside the handler and pass the values on.",
     "{name} 在模块加载时由 {call} 赋值，并在 {reader} 中读取：热实例会保留加载它的那次调用的"
     "身份，并交给之后的每个调用者。请在处理函数内调用 getWXContext() 并把值传下去。"},
    {"load-time-function",
     "{call} runs in {function}, which only module-load code calls: the context is read once, "
     "when the module loads, and a warm instance keeps it for every later caller. Call it inside "
     "the handler.",
     "{call} 在 {function} 中执行，而 {function} 只在模块加载时被调用：上下文只在加载时读取一次，"
     "热实例会为之后的每个调用者保留它。请在处理函数内调用它。"},
    {"shared-variable",
     "{name} lives at module scope and is set from {call} in {function}: the invocations that "
     "share a warm instance share it, so a concurrent or later caller can read another user's "
     "identity. Keep it in a local variable and pass it on.",
     "{name} 位于模块作用域，在 {function} 中由 {call} 赋值：共享同一热实例的多次调用会共用它，"
     "并发或之后的调用者可能读到其他用户的身份。请改用局部变量并把值传下去。"},
    {"shared-global",
     "{name} is never declared, so assigning {call} to it in {function} creates a global that "
     "the invocations of a warm instance share: a concurrent or later caller can read another "
     "user's identity. Declare it with const inside the function and pass it on.",
     "{name} 从未声明，因此在 {function} 中把 {call} 赋给它会创建一个全局变量，由同一热实例的"
     "多次调用共用：并发或之后的调用者可能读到其他用户的身份。请在函数内用 const 声明它并把值"
     "传下去。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "wxcontext-outside-handler",
      .name = "WxcontextOutsideHandler",
      .title = "getWXContext() read outside the invocation it belongs to",
      .titleZhCN = "在所属调用之外读取 getWXContext()",
      .description =
          "The OPENID, UNIONID and APPID that getWXContext() returns belong to one invocation. "
          "Called at module scope (or in a function that only module-load code calls) it runs "
          "when the instance loads, when there is no caller, and a warm instance keeps the value "
          "for every later caller; kept in a module-scope variable that the handler reads, one "
          "user's identity serves the next. An assignment inside the handler to a module-scope "
          "variable is shared by the invocations of one instance (a warning). Not reported: "
          "getWXContext() inside the handler, in helpers it calls, in functions that call it "
          "when invoked, in tcb-router routes and other exported functions.",
      .defaultSeverity = Severity::Error,
      .fix = FixSafety::None,
      .precision = Precision::VeryHigh,
      .securitySeverity = "7.5",
      .roles = AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("wxcontext-outside-handler"),
  };
  return d;
}

// module(wx-server-sdk).getWXContext().<member>?
bool isContextDerived(const Value &v) {
  return v.is(Value::Kind::Module) && serverSdkOf(v.text) != ServerSdk::None &&
         (v.path.size() == 2 || v.path.size() == 3) && v.path[0] == "getWXContext" &&
         v.path[1] == "()";
}

// Where a getWXContext() result is kept: a variable (binding), an implicit global, or a member
// of a module-scope object or of `global`.
struct Store {
  std::string name;
  const Binding *binding = nullptr; // null: an implicit global or a member
  Node target;                      // the declaring or assigned node
  const Binding *base = nullptr;    // a member: the module-scope object it belongs to
};

class WxcontextOutsideHandlerRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  std::vector<std::string_view> triggers() const override { return {"getWXContext"}; }

  void checkFile(FileContext &ctx) const override {
    const ModuleSemantics &sem = ctx.semantics;
    std::string_view src = sem.source();
    std::vector<Node> calls, assignments;
    for (Node n : nodesOfTypes(sem.root(), {"assignment_expression", "call_expression"})) {
      if (n.is("assignment_expression")) {
        assignments.push_back(n);
        continue;
      }
      Node callee = unwrapExpression(n.field("function"));
      if (callee.text(src).find("getWXContext") == std::string_view::npos)
        continue;
      ValuePtr v = sem.evaluate(callee);
      if (v->is(Value::Kind::Module) && serverSdkOf(v->text) != ServerSdk::None &&
          v->pathIs({"getWXContext"}))
        calls.push_back(n);
    }
    for (Node call : calls)
      if (!isUnreachable(call))
        checkLoadTimeCall(ctx, call);
    for (Node assignment : assignments)
      checkSharedAssignment(ctx, assignment);
  }

private:
  static std::string callText(const ModuleSemantics &sem, Node call) {
    std::string callee(unwrapExpression(call.field("function")).text(sem.source()));
    return callee + "()";
  }

  // How messages (in either language) name a function: code, not prose.
  static std::string functionName(const ModuleSemantics &sem, Node fn) {
    std::string_view src = sem.source();
    if (sem.isHandler(fn))
      return "main()";
    if (fn.is("method_definition") && fn.field("name").text(src) == "constructor") {
      Node cls = fn.parent().parent();
      if (Node name = cls.field("name"))
        return "new " + std::string(name.text(src)) + "()";
      return "constructor()";
    }
    Node parent = fn.parent();
    while (parent.is("parenthesized_expression"))
      parent = parent.parent();
    if (parent.is("call_expression") || parent.is("member_expression"))
      return fn.is("arrow_function") ? "(() => …)()" : "(function () { … })()";
    if (Node name = fn.field("name"))
      return std::string(name.text(src)) + "()";
    if (parent.is("variable_declarator"))
      return std::string(parent.field("name").text(src)) + "()";
    if (parent.is("pair"))
      return std::string(parent.field("key").text(src)) + "()";
    if (parent.is("assignment_expression"))
      return std::string(parent.field("left").text(src)) + "()";
    if (fn.is("method_definition"))
      return std::string(fn.field("name").text(src)) + "()";
    return fn.is("arrow_function") ? "() => …" : "function () { … }";
  }

  // The variables a getWXContext() result lands in: `const ctx = …`, `const { OPENID } = …`,
  // `openid = ….OPENID`, `global.openid = …`.
  static std::vector<Store> storesOf(const ModuleSemantics &sem, Node call) {
    std::vector<Store> out;
    Node x = call;
    for (unsigned guard = 0; guard < 8; ++guard) {
      Node p = x.parent();
      std::string_view t = p.type();
      if (t == "parenthesized_expression" || t == "await_expression" || t == "as_expression" ||
          t == "non_null_expression") {
        x = p;
        continue;
      }
      if (t == "member_expression" && p.field("object") == x) {
        x = p; // getWXContext().OPENID
        continue;
      }
      if (t == "variable_declarator" && p.field("value") == x) {
        addTargets(sem, p.field("name"), out);
        break;
      }
      if (t == "assignment_expression" && p.field("right") == x) {
        addTargets(sem, p.field("left"), out);
        break;
      }
      break;
    }
    return out;
  }

  // The variables an assignment writes that outlive the invocation: a module-scope variable
  // or an undeclared one (assigned in a function, `x = …` creates a global), a member of a
  // module-scope object or of `global`.
  static void addTargets(const ModuleSemantics &sem, Node leftSide, std::vector<Store> &out) {
    std::string_view src = sem.source();
    Node left = unwrapExpression(leftSide);
    if (left.is("identifier")) {
      out.push_back({std::string(left.text(src)), sem.resolve(left), left});
    } else if (left.is("object_pattern") || left.is("array_pattern")) {
      walk(left, [&](Node n) {
        Node parent = n.parent();
        if ((parent.is("assignment_pattern") || parent.is("object_assignment_pattern")) &&
            parent.field("right") == n)
          return false;
        if (parent.is("pair_pattern") && parent.field("key") == n)
          return false;
        if (n.is("identifier") || n.is("shorthand_property_identifier_pattern"))
          out.push_back({std::string(n.text(src)), sem.resolve(n), n});
        return true;
      });
    } else if (left.is("member_expression")) {
      Node base = unwrapExpression(left.field("object"));
      if (!base.is("identifier"))
        return;
      const Binding *b = sem.resolve(base);
      std::string_view baseName = base.text(src);
      bool global = !b && (baseName == "global" || baseName == "globalThis");
      if (global || (b && b->scope == 0 && b->kind != BindingKind::Import))
        out.push_back({std::string(left.text(src)), nullptr, left, b});
    }
  }

  // Module-scope variables that the kept value flows into at module scope:
  // `const ctx = cloud.getWXContext(); const openid = ctx.OPENID`.
  static void addModuleCopies(const ModuleSemantics &sem, Node call, std::vector<Store> &stores) {
    for (unsigned pass = 0; pass < 2; ++pass) {
      for (const Binding &b : sem.bindings()) {
        if (b.scope != 0 || b.init.isNull() ||
            (b.kind != BindingKind::Const && b.kind != BindingKind::Let &&
             b.kind != BindingKind::Var))
          continue;
        if (std::any_of(stores.begin(), stores.end(),
                        [&](const Store &s) { return s.binding == &b; }))
          continue;
        if (!isContextDerived(*sem.evaluate(b.id)))
          continue;
        bool fromCall = b.init.contains(call);
        Node root = unwrapExpression(b.init);
        for (unsigned guard = 0; guard < 8 && !fromCall; ++guard) {
          if (root.is("member_expression") || root.is("subscript_expression"))
            root = unwrapExpression(root.field("object"));
          else if (root.is("await_expression"))
            root = unwrapExpression(root.namedChild(0));
          else
            break;
        }
        if (!fromCall && root.is("identifier")) {
          const Binding *from = sem.resolve(root);
          fromCall = std::any_of(stores.begin(), stores.end(),
                                 [&](const Store &s) { return s.binding && s.binding == from; });
        }
        if (fromCall)
          stores.push_back({b.name, &b, b.id});
      }
    }
  }

  // The reads of a kept value: references that are not writes (for members and implicit
  // globals, the same text elsewhere).
  static std::vector<Node> readsOf(const ModuleSemantics &sem, const Store &store) {
    std::vector<Node> out;
    std::string_view src = sem.source();
    if (store.binding) {
      for (Node ref : referencesOf(sem, *store.binding))
        if (!isWriteTarget(ref) && !(ref == store.target))
          out.push_back(ref);
      return out;
    }
    bool member = store.target.is("member_expression");
    if (member && store.base) {
      // The object is read whole (passed on, spread, returned) or the same member is read;
      // writes of other members (`obj.shopId = …`) read nothing.
      std::string_view property = store.target.field("property").text(src);
      for (Node ref : referencesOf(sem, *store.base)) {
        Node parent = ref.parent();
        if (parent.is("member_expression") && parent.field("object") == ref) {
          if (parent == store.target || parent.field("property").text(src) != property)
            continue;
          Node use = parent;
          while (use.parent().is("parenthesized_expression"))
            use = use.parent();
          Node owner = use.parent();
          bool written =
              (owner.is("assignment_expression") || owner.is("augmented_assignment_expression")) &&
              owner.field("left") == use;
          if (!written)
            out.push_back(parent);
          continue;
        }
        if (!isWriteTarget(ref))
          out.push_back(ref);
      }
      return out;
    }
    walk(sem.root(), [&](Node n) {
      if (n == store.target)
        return false;
      if (member ? n.is("member_expression") && n.text(src) == store.name
                 : n.is("identifier") && n.text(src) == store.name && !sem.resolve(n)) {
        Node use = n;
        while (use.parent().is("parenthesized_expression"))
          use = use.parent();
        Node parent = use.parent();
        bool written =
            (parent.is("assignment_expression") || parent.is("augmented_assignment_expression")) &&
            parent.field("left") == use;
        if (!written && !isWriteTarget(n))
          out.push_back(n);
        return false;
      }
      return true;
    });
    return out;
  }

  // A getWXContext() call that runs while the module loads. (Per-invocation calls matter only
  // through what they store: checkSharedAssignment.)
  void checkLoadTimeCall(FileContext &ctx, Node call) const {
    const ModuleSemantics &sem = ctx.semantics;
    std::vector<LoadTimeCall> why;
    if (!runsAtModuleLoad(sem, call, &why))
      return;
    std::string text = callText(sem, call);
    std::vector<Store> stores = storesOf(sem, call);
    addModuleCopies(sem, call, stores);
    // A read in a function that runs per invocation: the stale identity reaches a caller.
    for (const Store &store : stores) {
      if (store.binding && store.binding->scope != 0)
        continue;
      for (Node read : readsOf(sem, store)) {
        Node fn = sem.enclosingFunction(read);
        if (fn.isNull() || runsAtModuleLoad(sem, read))
          continue;
        auto b =
            ctx.report(call, "module-variable",
                       {{"name", store.name}, {"call", text}, {"reader", functionName(sem, fn)}});
        b.related(ctx.locationOf(read),
                  fmt::format("{} is read here, at every invocation", store.name));
        if (!why.empty())
          b.related(ctx.locationOf(why.back().call), "this call runs while the module loads");
        return;
      }
    }
    if (why.empty()) {
      ctx.report(call, "module-scope", {{"call", text}});
      return;
    }
    auto b = ctx.report(call, "load-time-function",
                        {{"call", text}, {"function", functionName(sem, why.front().function)}});
    b.related(ctx.locationOf(why.back().call), "this call runs while the module loads");
  }

  // A per-invocation function that writes the context (or a member of it) into a variable that
  // outlives the invocation, read somewhere.
  void checkSharedAssignment(FileContext &ctx, Node assignment) const {
    const ModuleSemantics &sem = ctx.semantics;
    Node right = assignment.field("right");
    if (!isContextDerived(*sem.evaluate(right)))
      return;
    Node fn = sem.enclosingFunction(assignment);
    if (fn.isNull() || runsAtModuleLoad(sem, assignment) || isUnreachable(assignment))
      return; // load-time code is reported at its getWXContext() call
    std::vector<Store> stores;
    addTargets(sem, assignment.field("left"), stores);
    for (const Store &store : stores) {
      if (store.binding && store.binding->scope != 0)
        continue;
      std::vector<Node> reads = readsOf(sem, store);
      if (reads.empty())
        continue;
      bool implicitGlobal = !store.binding && store.target.is("identifier");
      std::string value(unwrapExpression(right).text(sem.source()));
      auto b = ctx.report(right, implicitGlobal ? "shared-global" : "shared-variable",
                          {{"name", store.name},
                           {"call", compactText(value)},
                           {"function", functionName(sem, fn)}});
      b.severity(Severity::Warning);
      if (store.binding)
        b.related(ctx.locationOf(store.binding->id),
                  fmt::format("{} is declared at module scope here", store.name));
      Node read = reads.front();
      if (store.base && read.is("identifier"))
        b.related(ctx.locationOf(read),
                  fmt::format("{} is read here, with {} in it", read.text(sem.source()),
                              store.target.field("property").text(sem.source())));
      else
        b.related(ctx.locationOf(read), fmt::format("{} is read here", store.name));
      return;
    }
  }

  // One line, at most about 60 bytes, never cutting a UTF-8 sequence.
  static std::string compactText(std::string_view text) {
    std::string out;
    for (char c : text) {
      bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
      if (blank && (out.empty() || out.back() == ' '))
        continue;
      out += blank ? ' ' : c;
    }
    if (out.size() <= 60)
      return out;
    size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;
    return out.substr(0, cut) + "…";
  }
};

} // namespace

std::unique_ptr<Rule> createWxcontextOutsideHandlerRule() {
  return std::make_unique<WxcontextOutsideHandlerRule>();
}

} // namespace mpauth
