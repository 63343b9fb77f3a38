// Guards: presence facts of conditions, early exits, and dominance of a use by a check.
#include "EngineTestSupport.h"

#include "analyzer/semantics/Guards.h"

#include <gtest/gtest.h>

namespace mpauth {
namespace {

using engine_test::ParsedModule;

// "Same value" for these tests: an identifier spelled `u`, or the member `ctx.u`.
bool isU(const ParsedModule &m, Node n) {
  n = unwrapExpression(n);
  std::string_view text = n.text(m.source());
  return (n.is("identifier") && text == "u") || (n.is("member_expression") && text == "ctx.u");
}

// Is the `occurrence`-th identifier `needle` (the use) guarded?
bool guarded(const std::string &source, std::string_view needle, unsigned occurrence = 0) {
  ParsedModule m(source);
  Node use = m.identifier(needle, occurrence);
  return isGuarded(use, m.semantics(), [&](Node n) { return isU(m, n); });
}

PresenceFacts factsOf(const std::string &condition) {
  ParsedModule m("(" + condition + ");");
  Node expression = m.root().namedChild(0).namedChild(0);
  return presenceFacts(expression, m.semantics(), [&](Node n) { return isU(m, n); });
}

TEST(EngineGuards, PresenceFactsOfConditions) {
  struct Case {
    const char *condition;
    bool whenTrue, whenFalse;
  } cases[] = {
      {"u", true, false},
      {"!u", false, true},
      {"!!u", true, false},
      {"Boolean(u)", true, false},
      {"u.length > 0", false, false},
      {"u.length", true, false},
      {"u?.length", true, false},
      {"ctx.u", true, false},
      {"u !== undefined", true, false},
      {"undefined !== u", true, false},
      {"u != null", true, false},
      {"u !== null", false, false}, // undefined !== null
      {"u === undefined", false, true},
      {"u == null", false, true},
      {"typeof u !== 'undefined'", true, false},
      {"typeof u === 'undefined'", false, true},
      {"typeof u === 'string'", true, false},
      {"u === 'abc'", true, false},
      {"u === other", false, false},
      {"u && other", true, false},
      {"other && u", true, false},
      {"u || other", false, false},
      {"!u || other", false, true},
      {"!u && other", false, false},
      {"!(u && other)", false, true},
      {"other", false, false},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.condition);
    PresenceFacts f = factsOf(c.condition);
    EXPECT_EQ(c.whenTrue, f.presentWhenTrue);
    EXPECT_EQ(c.whenFalse, f.presentWhenFalse);
  }
}

TEST(EngineGuards, AlwaysExits) {
  auto exits = [](const std::string &statement) {
    ParsedModule m("function f() {\n" + statement + "\n}");
    Node body = m.root().namedChild(0).field("body");
    return alwaysExits(body.namedChild(0));
  };
  EXPECT_TRUE(exits("return"));
  EXPECT_TRUE(exits("throw new Error('x')"));
  EXPECT_TRUE(exits("{ log(); return 1 }"));
  EXPECT_TRUE(exits("{ { throw e } }"));
  EXPECT_TRUE(exits("if (a) return; else throw e"));
  EXPECT_TRUE(exits("{ if (a) log(); return }"));
  EXPECT_FALSE(exits("if (a) return"));
  EXPECT_FALSE(exits("{ log() }"));
  EXPECT_FALSE(exits("log()"));
}

TEST(EngineGuards, ConsequentsAndAlternatives) {
  EXPECT_TRUE(guarded("if (u) { use(u) }", "u", 1));
  EXPECT_FALSE(guarded("if (u) { } else { use(u) }", "u", 1));
  EXPECT_TRUE(guarded("if (!u) { } else { use(u) }", "u", 1));
  EXPECT_TRUE(guarded("if (u == null) skip(); else use(u)", "u", 1));
  EXPECT_TRUE(guarded("const a = u ? use(u) : 0", "u", 1));
  EXPECT_TRUE(guarded("const a = !u ? 0 : use(u)", "u", 1));
  EXPECT_FALSE(guarded("const a = u ? 0 : use(u)", "u", 1));
  EXPECT_TRUE(guarded("const a = u && use(u)", "u", 1));
  EXPECT_TRUE(guarded("const a = !u || use(u)", "u", 1));
  EXPECT_FALSE(guarded("const a = u || use(u)", "u", 1));
  EXPECT_TRUE(guarded("while (u) { use(u) }", "u", 1));
  EXPECT_TRUE(guarded("if (ctx.u) { use(u) }", "u"));
  EXPECT_FALSE(guarded("if (other) { use(u) }", "u"));
  EXPECT_FALSE(guarded("use(u)", "u"));
}

TEST(EngineGuards, EarlyExits) {
  EXPECT_TRUE(guarded("function f() {\n  if (!u) return\n  use(u)\n}", "u", 1));
  EXPECT_TRUE(
      guarded("function f() {\n  if (!u) { log(); throw new Error() }\n  use(u)\n}", "u", 1));
  EXPECT_TRUE(guarded("function f() {\n  if (u) {} else return\n  use(u)\n}", "u", 1));
  EXPECT_TRUE(guarded("for (const x of xs) {\n  if (!u) continue\n  use(u, x)\n}", "u", 1));
  // In an enclosing block, and in a closure created after the check.
  EXPECT_TRUE(guarded("function f() {\n  if (!u) return\n  if (a) { use(u) }\n}", "u", 1));
  EXPECT_TRUE(guarded("function f() {\n  if (!u) return\n  xs.map((x) => x === u)\n}", "u", 1));
  // A check that does not exit, or comes after the use, is no guard.
  EXPECT_FALSE(guarded("function f() {\n  if (!u) log()\n  use(u)\n}", "u", 1));
  EXPECT_FALSE(guarded("function f() {\n  use(u)\n  if (!u) return\n}", "u"));
  EXPECT_FALSE(guarded("function f() {\n  if (u) return\n  use(u)\n}", "u", 1));
  // A const that holds the check stands for it; a reassigned one does not.
  EXPECT_TRUE(guarded("const ok = !!u && u !== ''\nif (!ok) throw e\nuse(u)", "u", 2));
  EXPECT_TRUE(guarded("const missing = u == null\nif (missing) { } else { use(u) }", "u", 1));
  EXPECT_FALSE(guarded("let ok = !!u\nok = true\nif (!ok) throw e\nuse(u)", "u", 1));
}

} // namespace
} // namespace mpauth
