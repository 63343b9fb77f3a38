// ModuleLoad: which code runs while a module loads, references of bindings, write targets.
#include "EngineTestSupport.h"

#include "analyzer/semantics/ModuleLoad.h"

#include <gtest/gtest.h>

namespace mpauth {
namespace {

using engine_test::ParsedModule;

bool atLoad(const std::string &source, std::string_view needle, unsigned occurrence = 0) {
  ParsedModule m(source);
  return runsAtModuleLoad(m.semantics(), m.node(needle, occurrence));
}

TEST(EngineModuleLoad, ModuleScopeAndIifes) {
  EXPECT_TRUE(atLoad("read()", "read()"));
  EXPECT_TRUE(atLoad("if (x) { read() }", "read()"));
  EXPECT_TRUE(atLoad("const v = (() => read())()", "read()"));
  EXPECT_TRUE(atLoad("(function () { read() })()", "read()"));
  EXPECT_TRUE(atLoad("(function () { read() }).call(this)", "read()"));
  EXPECT_FALSE(atLoad("exports.main = async () => { read() }", "read()"));
  EXPECT_FALSE(atLoad("exports.main = async () => { (() => read())() }", "read()"));
}

TEST(EngineModuleLoad, FunctionsOnlyLoadTimeCodeCalls) {
  EXPECT_TRUE(atLoad("function f() { read() }\nf()", "read()"));
  EXPECT_TRUE(atLoad("const f = () => read()\nconst v = f()", "read()"));
  EXPECT_TRUE(atLoad("function g() { read() }\nfunction f() { g() }\nf()", "read()"));
  EXPECT_TRUE(atLoad("class S { constructor() { read() } }\nconst s = new S()", "read()"));
  std::vector<LoadTimeCall> why;
  ParsedModule m("function g() { read() }\nfunction f() { g() }\nf()");
  ASSERT_TRUE(runsAtModuleLoad(m.semantics(), m.node("read()"), &why));
  ASSERT_EQ(2u, why.size());
  EXPECT_EQ("g", why[0].function.field("name").text(m.source()));
  EXPECT_EQ("f()", why[1].call.text(m.source()));
}

TEST(EngineModuleLoad, FunctionsThatMayRunLater) {
  // Called per invocation, also called later, exported, passed as a callback, never called.
  EXPECT_FALSE(atLoad("function f() { read() }\nexports.main = async () => f()", "read()"));
  EXPECT_FALSE(atLoad("function f() { read() }\nf()\nexports.main = async () => f()", "read()"));
  EXPECT_FALSE(atLoad("function f() { read() }\nf()\nexports.f = f", "read()"));
  EXPECT_FALSE(atLoad("function f() { read() }\nsetTimeout(f, 0)", "read()"));
  EXPECT_FALSE(atLoad("function f() { read() }", "read()"));
  EXPECT_FALSE(atLoad("function f() { read() }\nmodule.exports = { f }", "read()"));
  EXPECT_FALSE(
      atLoad("class S { constructor() { read() } }\nexports.main = () => new S()", "read()"));
  EXPECT_FALSE(atLoad("app.router('x', async (ctx) => { read() })", "read()"));
}

TEST(EngineModuleLoad, ReferencesAndWrites) {
  ParsedModule m("let a = 1\na = 2\na++\n({ a } = o)\nuse(a, { a })\nfunction f(a) { return a }");
  const Binding *b = m.resolve("a");
  ASSERT_NE(nullptr, b);
  std::vector<Node> refs = referencesOf(m.semantics(), *b);
  ASSERT_EQ(5u, refs.size()); // a = 2, a++, ({ a } = o), use(a, { a }); not the parameter
  EXPECT_TRUE(isWriteTarget(refs[0]));
  EXPECT_TRUE(isWriteTarget(refs[1]));
  EXPECT_TRUE(isWriteTarget(refs[2]));
  EXPECT_FALSE(isWriteTarget(refs[3]));
  EXPECT_FALSE(isWriteTarget(refs[4]));
}

} // namespace
} // namespace mpauth
