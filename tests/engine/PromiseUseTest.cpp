// PromiseUse: where a promise ends up (handled, swallowed, dropped, awaited, returned, passed on);
// Reachability; and the handler roles that decide who takes over an unhandled rejection.
#include "EngineTestSupport.h"

#include "analyzer/semantics/Handlers.h"
#include "analyzer/semantics/PromiseUse.h"
#include "analyzer/semantics/Reachability.h"

#include <gtest/gtest.h>

namespace mpauth {
namespace {

using engine_test::ParsedModule;

const char *fateName(PromiseFate f) {
  switch (f) {
  case PromiseFate::Handled:
    return "Handled";
  case PromiseFate::Swallowed:
    return "Swallowed";
  case PromiseFate::Dropped:
    return "Dropped";
  case PromiseFate::Awaited:
    return "Awaited";
  case PromiseFate::Returned:
    return "Returned";
  case PromiseFate::PassedOn:
    return "PassedOn";
  case PromiseFate::Unused:
    return "Unused";
  }
  return "?";
}

// The fate of the call `api(...)` (the first call whose text starts with `call`).
PromiseUse useOf(const ParsedModule &m, std::string_view call, unsigned occurrence = 0) {
  uint32_t at = m.offsetOf(call, occurrence);
  Node n(ts_node_named_descendant_for_byte_range(m.root().raw(), at, at + 1));
  while (n && !(n.is("call_expression") && n.begin() == at))
    n = n.parent();
  EXPECT_TRUE(static_cast<bool>(n)) << "no call at '" << call << "'";
  return promiseUseOf(m.semantics(), n);
}

::testing::AssertionResult hasFate(const PromiseUse &use, PromiseFate fate) {
  if (use.fate == fate)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected " << fateName(fate) << ", got " << fateName(use.fate);
}

TEST(PromiseUse, StatementsAndChains) {
  ParsedModule m("api(1)\n"
                 "api(2).then(f)\n"
                 "api(3).then(f).catch(g)\n"
                 "api(4).then(f, g)\n"
                 "api(5).then(f).catch(() => {})\n"
                 "api(6).catch((e) => { throw e })\n"
                 "api(7).finally(h)\n"
                 "api(8).catch(() => { /* fine */ })\n"
                 "void api(9)\n");
  EXPECT_TRUE(hasFate(useOf(m, "api(1)"), PromiseFate::Dropped));
  PromiseUse chained = useOf(m, "api(2)");
  EXPECT_TRUE(hasFate(chained, PromiseFate::Dropped));
  EXPECT_TRUE(chained.chained);
  EXPECT_TRUE(hasFate(useOf(m, "api(3)"), PromiseFate::Handled));
  EXPECT_TRUE(hasFate(useOf(m, "api(4)"), PromiseFate::Handled));
  PromiseUse swallowed = useOf(m, "api(5)");
  EXPECT_TRUE(hasFate(swallowed, PromiseFate::Swallowed));
  EXPECT_STREQ(".catch() callback", swallowed.handler);
  EXPECT_TRUE(hasFate(useOf(m, "api(6)"), PromiseFate::Dropped)) << "a rethrowing catch";
  EXPECT_TRUE(hasFate(useOf(m, "api(7)"), PromiseFate::Dropped));
  EXPECT_TRUE(hasFate(useOf(m, "api(8)"), PromiseFate::Handled)) << "a comment is intent";
  EXPECT_TRUE(hasFate(useOf(m, "api(9)"), PromiseFate::PassedOn));
}

TEST(PromiseUse, AwaitAndTry) {
  ParsedModule m("async function a() { await api(1) }\n"
                 "async function b() { try { await api(2) } catch (e) { log(e) } }\n"
                 "async function c() { try { await api(3) } catch (e) {} }\n"
                 "async function d() { try { await api(4) } finally { done() } }\n"
                 "async function e() { try { await api(5) } catch (e) { throw e } }\n"
                 "async function f() { try { x() } catch (e) { await api(6) } }\n"
                 "async function g() { try { [1].forEach(async () => { await api(7) }) } "
                 "catch (e) { log(e) } }\n");
  PromiseUse a = useOf(m, "api(1)");
  EXPECT_TRUE(hasFate(a, PromiseFate::Awaited));
  EXPECT_EQ("a", std::string(a.function.field("name").text(m.source())));
  EXPECT_TRUE(hasFate(useOf(m, "api(2)"), PromiseFate::Handled));
  EXPECT_TRUE(hasFate(useOf(m, "api(3)"), PromiseFate::Swallowed));
  EXPECT_TRUE(hasFate(useOf(m, "api(4)"), PromiseFate::Awaited));
  EXPECT_TRUE(hasFate(useOf(m, "api(5)"), PromiseFate::Awaited));
  EXPECT_TRUE(hasFate(useOf(m, "api(6)"), PromiseFate::Awaited));
  PromiseUse nested = useOf(m, "api(7)");
  EXPECT_TRUE(hasFate(nested, PromiseFate::Awaited)) << "the try is outside the arrow";
  EXPECT_TRUE(nested.function.is("arrow_function"));
}

TEST(PromiseUse, ReturnsAndOuterChains) {
  ParsedModule m("function a() { return api(1) }\n"
                 "const b = () => api(2)\n"
                 "login().then((r) => api(3)).catch(g)\n"
                 "login().then((r) => api(4))\n"
                 "login().then(async (r) => { await api(5) }).catch(g)\n"
                 "Promise.all(ids.map((id) => api(6))).catch(g)\n"
                 "Promise.allSettled([api(7)])\n"
                 "function c() { return new Promise((resolve) => resolve(api(8))) }\n");
  PromiseUse a = useOf(m, "api(1)");
  EXPECT_TRUE(hasFate(a, PromiseFate::Returned));
  EXPECT_TRUE(a.function.is("function_declaration"));
  PromiseUse b = useOf(m, "api(2)");
  EXPECT_TRUE(hasFate(b, PromiseFate::Returned));
  EXPECT_TRUE(b.function.is("arrow_function"));
  EXPECT_TRUE(hasFate(useOf(m, "api(3)"), PromiseFate::Handled));
  PromiseUse d = useOf(m, "api(4)");
  EXPECT_TRUE(hasFate(d, PromiseFate::Dropped));
  EXPECT_TRUE(d.chained);
  EXPECT_TRUE(hasFate(useOf(m, "api(5)"), PromiseFate::Handled));
  EXPECT_TRUE(hasFate(useOf(m, "api(6)"), PromiseFate::Handled));
  EXPECT_TRUE(hasFate(useOf(m, "api(7)"), PromiseFate::Handled));
  PromiseUse adopted = useOf(m, "api(8)");
  EXPECT_TRUE(hasFate(adopted, PromiseFate::Returned)) << "resolve(p) adopts p";
  EXPECT_TRUE(adopted.function.is("function_declaration")) << adopted.function.type();
}

TEST(PromiseUse, VariablesAndStores) {
  ParsedModule m("async function a() { const p = api(1); try { await p } catch (e) { log(e) } }\n"
                 "async function b() { const p = api(2); await p }\n"
                 "function c() { const p = api(3) }\n"
                 "function d() { this.task = api(4) }\n"
                 "async function e() { const t = []; t.push(api(5)); await Promise.all(t) }\n"
                 "function f() { use({ p: api(6) }) }\n");
  EXPECT_TRUE(hasFate(useOf(m, "api(1)"), PromiseFate::Handled));
  EXPECT_TRUE(hasFate(useOf(m, "api(2)"), PromiseFate::Awaited));
  EXPECT_TRUE(hasFate(useOf(m, "api(3)"), PromiseFate::Unused));
  EXPECT_TRUE(hasFate(useOf(m, "api(4)"), PromiseFate::PassedOn));
  EXPECT_TRUE(hasFate(useOf(m, "api(5)"), PromiseFate::Awaited));
  EXPECT_TRUE(hasFate(useOf(m, "api(6)"), PromiseFate::PassedOn));
}

TEST(PromiseUse, RejectOfAPromiseWrapper) {
  ParsedModule m("function a() { return new Promise((resolve, reject) => {\n"
                 "  wx.login({ success: resolve, fail: reject })\n"
                 "  wx.login({ success: resolve, fail: (e) => { log(e); reject(e) } })\n"
                 "  wx.login({ success: resolve, fail: (e) => log(e) })\n"
                 "}) }\n");
  Node reject = m.node("reject", 1);
  Node wrapper = rejectedPromiseOf(m.semantics(), reject);
  EXPECT_TRUE(wrapper.is("new_expression"));
  Node calling = m.node("(e) => { log(e); reject(e) }");
  EXPECT_TRUE(rejectedPromiseOf(m.semantics(), calling) == wrapper);
  EXPECT_TRUE(rejectedPromiseOf(m.semantics(), m.node("(e) => log(e)")).isNull());
}

TEST(Reachability, CodeAfterReturnOrThrow) {
  ParsedModule m("function a() { return\n  api(1) }\n"
                 "function b() { if (x) { return } api(2) }\n"
                 "function c() { throw new Error('x'); api(3) }\n"
                 "function d() { return helper(); function helper() { api(4) } }\n");
  EXPECT_TRUE(isUnreachable(m.node("api(1)")));
  EXPECT_FALSE(isUnreachable(m.node("api(2)")));
  EXPECT_TRUE(isUnreachable(m.node("api(3)")));
  EXPECT_FALSE(isUnreachable(m.node("api(4)"))) << "a hoisted function runs";
}

TEST(HandlerRoles, OptionCallbacksStoredMethodsAndBoundCallbacks) {
  ParsedModule m("Page({\n"
                 "  onLoad() {\n"
                 "    wx.showModal({ success: async (res) => {}, fail(e) {} })\n"
                 "    this.setData({ load: this.load })\n"
                 "    wx.onNetworkStatusChange(this.onNet.bind(this))\n"
                 "  },\n"
                 "  async load() {},\n"
                 "  async onNet() {},\n"
                 "  async lonely() {},\n"
                 "})\n");
  HandlerModel handlers(m.semantics(), {});
  auto methodNamed = [&](std::string_view name) {
    const ComponentMethod *method = m->components()[0].method(name);
    EXPECT_NE(nullptr, method) << name;
    return method ? method->function : Node();
  };
  EXPECT_EQ(FunctionRole::Callback, handlers.roleOf(m.node("async (res) => {}")));
  EXPECT_EQ(FunctionRole::Callback, handlers.roleOf(m.node("fail(e) {}")));
  EXPECT_EQ(FunctionRole::Helper, handlers.roleOf(methodNamed("load")));
  EXPECT_EQ(FunctionRole::Callback, handlers.roleOf(methodNamed("onNet")));
  EXPECT_EQ(FunctionRole::UncalledMethod, handlers.roleOf(methodNamed("lonely")));
  EXPECT_EQ(FunctionRole::Lifecycle, handlers.roleOf(methodNamed("onLoad")));
}

} // namespace
} // namespace mpauth
