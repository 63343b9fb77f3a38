// ModuleSemantics: scopes and bindings, the evaluator, handlers, exports and role evidence.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mpauth {
namespace {

using engine_test::ParsedModule;
using Kind = Value::Kind;

// `./config` -> 1, `./b` -> 2, ... as a project would resolve them; anything else -> -1.
ImportResolver fakeResolver(std::vector<std::pair<std::string, int>> table) {
  return [table = std::move(table)](llvm::StringRef spec) -> int {
    for (const auto &[name, index] : table)
      if (spec == name)
        return index;
    return -1;
  };
}

std::string kindName(Kind k) {
  switch (k) {
  case Kind::Unknown:
    return "Unknown";
  case Kind::String:
    return "String";
  case Kind::Number:
    return "Number";
  case Kind::Boolean:
    return "Boolean";
  case Kind::Null:
    return "Null";
  case Kind::Undefined:
    return "Undefined";
  case Kind::Object:
    return "Object";
  case Kind::Array:
    return "Array";
  case Kind::Function:
    return "Function";
  case Kind::Module:
    return "Module";
  case Kind::Global:
    return "Global";
  case Kind::EventField:
    return "EventField";
  default: // kinds added later print as their number
    return "kind " + std::to_string(static_cast<int>(k));
  }
}

::testing::AssertionResult isString(const ValuePtr &v, const std::string &text) {
  if (!v)
    return ::testing::AssertionFailure() << "null value";
  if (!v->is(Kind::String) || v->text != text)
    return ::testing::AssertionFailure() << "expected '" << text << "', got " << v->describe();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult isKind(const ValuePtr &v, Kind kind) {
  if (!v)
    return ::testing::AssertionFailure() << "null value";
  if (v->kind != kind)
    return ::testing::AssertionFailure()
           << "expected " << kindName(kind) << ", got " << v->describe();
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------------------------
// Scopes and resolution
// ---------------------------------------------------------------------------------------------

TEST(EngineSemanticsScopes, ShadowingInBlocksAndFunctions) {
  ParsedModule m("const x = 'outer';\n"
                 "function f(x) { return x; }\n"
                 "{ const x = 'block'; use(x); }\n"
                 "use(x);\n"
                 "const g = () => { let x = 'inner'; { use(x); } };\n");
  const Binding *outer = m.resolve("x", 0);
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer->kind, BindingKind::Const);
  EXPECT_EQ(outer->id.begin(), m.identifier("x").begin());

  const Binding *param = m.resolve("x", 2); // `return x`
  ASSERT_NE(param, nullptr);
  EXPECT_EQ(param->kind, BindingKind::Param);
  EXPECT_EQ(param->id.begin(), m.identifier("x", 1).begin());
  EXPECT_EQ(param->paramIndex, 0u);

  const Binding *block = m.resolve("x", 4); // `use(x)` in the block
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->id.begin(), m.identifier("x", 3).begin());
  EXPECT_TRUE(isString(m.evaluate("x", 4), "block"));

  EXPECT_EQ(m.resolve("x", 5), outer); // after the block
  EXPECT_TRUE(isString(m.evaluate("x", 5), "outer"));

  const Binding *inner = m.resolve("x", 7); // nested block inside the arrow
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->kind, BindingKind::Let);
  EXPECT_EQ(inner->id.begin(), m.identifier("x", 6).begin());
  EXPECT_TRUE(isString(m.evaluate("x", 7), "inner"));

  EXPECT_EQ(m.resolve("use"), nullptr); // a global
}

TEST(EngineSemanticsScopes, VarIsHoistedToTheFunction) {
  ParsedModule m("function g() {\n"
                 "  use(v);\n"
                 "  if (ok) { var v = 'hoisted'; }\n"
                 "  return v;\n"
                 "}\n"
                 "use(v);\n");
  const Binding *early = m.resolve("v", 0);
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(early->kind, BindingKind::Var);
  EXPECT_EQ(early->id.begin(), m.offsetOf("v = "));
  EXPECT_EQ(m.resolve("v", 2), early); // `return v`, outside the if block
  EXPECT_TRUE(isString(m.evaluate("v", 2), "hoisted"));
  EXPECT_EQ(m.resolve("v", 3), nullptr); // outside the function
}

TEST(EngineSemanticsScopes, LetInABlockIsNotHoisted) {
  ParsedModule m("function g() {\n  if (ok) { let w = 1; }\n  return w;\n}\n");
  EXPECT_EQ(m.resolve("w", 1), nullptr);
}

TEST(EngineSemanticsScopes, FunctionDeclarationsAndClasses) {
  ParsedModule m("use(h, K);\n"
                 "function h() { return h; }\n"
                 "class K {}\n"
                 "const e = function named() { return named; };\n"
                 "use(named);\n");
  const Binding *h = m.resolve("h", 0);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->kind, BindingKind::Function);
  EXPECT_TRUE(h->init.is("function_declaration"));
  EXPECT_EQ(m.resolve("h", 2), h); // inside itself
  EXPECT_TRUE(isKind(m.evaluate("h", 0), Kind::Function));

  const Binding *k = m.resolve("K", 0);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->kind, BindingKind::Class);
  EXPECT_TRUE(isKind(m.evaluate("K", 0), Kind::Function));

  // A function expression's own name is visible inside it only.
  const Binding *named = m.resolve("named", 1);
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->kind, BindingKind::Function);
  EXPECT_EQ(m.resolve("named", 2), nullptr);
}

TEST(EngineSemanticsScopes, Parameters) {
  ParsedModule m("function p(a, { b, c: [d] }, e = 'dflt', ...rest) {\n"
                 "  use(a, b, d, e, rest);\n"
                 "}\n"
                 "const q = y => y;\n"
                 "const r = ([first, , third] = []) => use(first, third);\n");
  struct Expect {
    const char *name;
    unsigned index;
    std::vector<std::string> path;
  };
  for (const Expect &e : std::vector<Expect>{{"a", 0, {}},
                                             {"b", 1, {"b"}},
                                             {"d", 1, {"c", "0"}},
                                             {"e", 2, {}},
                                             {"rest", 3, {"..."}}}) {
    const Binding *b = m.resolve(e.name, 1);
    ASSERT_NE(b, nullptr) << e.name;
    EXPECT_EQ(b->kind, BindingKind::Param) << e.name;
    EXPECT_EQ(b->paramIndex, e.index) << e.name;
    EXPECT_EQ(b->path, e.path) << e.name;
    EXPECT_TRUE(b->function.is("function_declaration")) << e.name;
    EXPECT_TRUE(b->id == m.identifier(e.name, 0)) << e.name;
  }
  const Binding *y = m.resolve("y", 1);
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->kind, BindingKind::Param);
  EXPECT_TRUE(y->function.is("arrow_function"));

  const Binding *first = m.resolve("first", 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->kind, BindingKind::Param);
  EXPECT_EQ(first->path, (std::vector<std::string>{"0"}));
  // A parameter that is not a handler's event is unknown.
  EXPECT_TRUE(isKind(m.evaluate("e", 1), Kind::Unknown));
}

// A hole (`[first, , third]`, `[, second]`) is only a comma in the tree, yet it is an element.
TEST(EngineSemanticsScopes, ArrayPatternHolesCountAsElements) {
  ParsedModule m("const [first, , third] = list;\nconst [, second] = list;\n"
                 "const [, , { deep: [, inner] }, ...rest] = list;\n"
                 "function f([, b = 1]) { return b; }\n");
  const Binding *first = m.resolve("first");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->path, (std::vector<std::string>{"0"}));
  const Binding *third = m.resolve("third");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->path, (std::vector<std::string>{"2"}));
  const Binding *second = m.resolve("second");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->path, (std::vector<std::string>{"1"}));
  const Binding *inner = m.resolve("inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->path, (std::vector<std::string>{"2", "deep", "1"}));
  const Binding *rest = m.resolve("rest");
  ASSERT_NE(rest, nullptr);
  EXPECT_EQ(rest->path, (std::vector<std::string>{"..."}));
  const Binding *b = m.resolve("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->kind, BindingKind::Param);
  EXPECT_EQ(b->path, (std::vector<std::string>{"1"}));
}

TEST(EngineSemanticsScopes, CatchParameters) {
  ParsedModule m("const err = 'outer';\n"
                 "try { f(); } catch (err) { use(err); }\n"
                 "try { f(); } catch ({ message }) { use(message); }\n"
                 "use(err);\n");
  const Binding *caught = m.resolve("err", 2);
  ASSERT_NE(caught, nullptr);
  EXPECT_EQ(caught->kind, BindingKind::CatchParam);
  EXPECT_TRUE(isKind(m.evaluate("err", 2), Kind::Unknown));
  const Binding *message = m.resolve("message", 1);
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(message->kind, BindingKind::CatchParam);
  const Binding *after = m.resolve("err", 3);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->kind, BindingKind::Const);
  EXPECT_TRUE(isString(m.evaluate("err", 3), "outer"));
}

TEST(EngineSemanticsScopes, LoopVariables) {
  ParsedModule m("const item = 'outer';\n"
                 "for (const item of list) { use(item); }\n"
                 "for (let i = 0; i < 3; i++) { use(i); }\n"
                 "function f() { for (var key in obj) {} return key; }\n"
                 "use(item, i);\n");
  const Binding *item = m.resolve("item", 2);
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(item->id == m.identifier("item", 1));
  // Each element in turn: no single value.
  EXPECT_TRUE(isKind(m.evaluate("item", 2), Kind::Unknown));
  const Binding *i = m.resolve("i", 3); // use(i) in the body
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->kind, BindingKind::Let);
  EXPECT_GT(i->writes, 0u); // i++
  const Binding *key = m.resolve("key", 1);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kind, BindingKind::Var);
  EXPECT_TRUE(isString(m.evaluate("item", 3), "outer"));
  EXPECT_EQ(m.resolve("i", 4), nullptr);
}

TEST(EngineSemanticsScopes, Imports) {
  ParsedModule m("import cloud from 'wx-server-sdk';\n"
                 "import { init as start, database } from 'wx-server-sdk';\n"
                 "import * as config from './config';\n"
                 "import settings, { ENV } from './settings';\n"
                 "use(cloud, start, database, config, settings, ENV);\n",
                 Dialect::JavaScript, fakeResolver({{"./config", 1}, {"./settings", 2}}));
  struct Expect {
    const char *name;
    const char *source;
    const char *imported;
  };
  for (const Expect &e : std::vector<Expect>{{"cloud", "wx-server-sdk", "default"},
                                             {"start", "wx-server-sdk", "init"},
                                             {"database", "wx-server-sdk", "database"},
                                             {"config", "./config", "*"},
                                             {"settings", "./settings", "default"},
                                             {"ENV", "./settings", "ENV"}}) {
    const Binding *b = m.resolve(e.name, 1);
    ASSERT_NE(b, nullptr) << e.name;
    EXPECT_EQ(b->kind, BindingKind::Import) << e.name;
    EXPECT_EQ(b->importSource, e.source) << e.name;
    EXPECT_EQ(b->importedName, e.imported) << e.name;
  }
  ValuePtr cloud = m.evaluate("cloud", 1);
  ASSERT_TRUE(isKind(cloud, Kind::Module));
  EXPECT_TRUE(cloud->isPackage("wx-server-sdk"));
  EXPECT_TRUE(cloud->path.empty());
  EXPECT_EQ(cloud->file, -1);
  ValuePtr start = m.evaluate("start", 1);
  EXPECT_TRUE(start->isPackage("wx-server-sdk"));
  EXPECT_TRUE(start->pathIs({"init"}));
  ValuePtr config = m.evaluate("config", 1);
  EXPECT_TRUE(config->isPackage("./config"));
  EXPECT_EQ(config->file, 1);
  EXPECT_TRUE(config->path.empty());
  ValuePtr settings = m.evaluate("settings", 1);
  EXPECT_EQ(settings->file, 2);
  EXPECT_TRUE(settings->pathIs({"default"}));
  ValuePtr env = m.evaluate("ENV", 1);
  EXPECT_EQ(env->file, 2);
  EXPECT_TRUE(env->pathIs({"ENV"}));

  EXPECT_TRUE(m->requiresServerSdk());
  EXPECT_EQ(m->imports(),
            (std::vector<std::string>{"wx-server-sdk", "wx-server-sdk", "./config", "./settings"}));
}

// TypeScript's `import x = require('y')` (tree-sitter-typescript keeps the `source` on the
// import_require_clause) binds `x` to the whole module, as `const x = require('y')` does.
TEST(EngineSemanticsScopes, TypeScriptImportRequire) {
  ParsedModule m("import cloud = require('wx-server-sdk');\n"
                 "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });\n",
                 Dialect::TypeScript);
  const Binding *b = m.resolve("cloud", 1);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->kind, BindingKind::Import);
  EXPECT_EQ(b->importSource, "wx-server-sdk");
  ValuePtr v = m.evaluate("cloud.DYNAMIC_CURRENT_ENV");
  EXPECT_TRUE(v->isPackage("wx-server-sdk"));
  EXPECT_TRUE(v->pathIs({"DYNAMIC_CURRENT_ENV"}));
  EXPECT_TRUE(m->requiresServerSdk());
  EXPECT_EQ(m->imports(), (std::vector<std::string>{"wx-server-sdk"}));
}

TEST(EngineSemanticsScopes, LookupByNameAndOffset) {
  ParsedModule m("const a = 1;\nfunction f() { const a = 2; return a; }\n");
  const Binding *top = m->lookup("a", 0);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->id.begin(), m.offsetOf("a"));
  const Binding *inner = m->lookup("a", m.offsetOf("return"));
  ASSERT_NE(inner, nullptr);
  EXPECT_TRUE(inner->id == m.identifier("a", 1));
  EXPECT_EQ(m->lookup("zzz", 0), nullptr);
  EXPECT_EQ(m->resolve(Node()), nullptr);
}

// ---------------------------------------------------------------------------------------------
// evaluate()
// ---------------------------------------------------------------------------------------------

TEST(EngineSemanticsEvaluate, LiteralsAndConcatenation) {
  ParsedModule m("use('abc', \"d\" + 'e' + `f`, 1, true, null, undefined, [], {}, () => 1,\n"
                 "    'a' + x, void 0, (0, 'seq'), `t${x}`);\n");
  EXPECT_TRUE(isString(m.evaluate("'abc'"), "abc"));
  EXPECT_TRUE(isString(m.evaluate("\"d\" + 'e' + `f`"), "def"));
  EXPECT_TRUE(isKind(m.evaluate("1"), Kind::Number));
  EXPECT_TRUE(isKind(m.evaluate("true"), Kind::Boolean));
  EXPECT_TRUE(isKind(m.evaluate("null"), Kind::Null));
  EXPECT_TRUE(isKind(m.evaluate("undefined"), Kind::Undefined));
  EXPECT_TRUE(isKind(m.evaluate("[]"), Kind::Array));
  EXPECT_TRUE(isKind(m.evaluate("{}"), Kind::Object));
  EXPECT_TRUE(isKind(m.evaluate("() => 1"), Kind::Function));
  EXPECT_TRUE(isKind(m.evaluate("'a' + x"), Kind::Unknown));
  EXPECT_TRUE(isKind(m.evaluate("void 0"), Kind::Undefined));
  EXPECT_TRUE(isString(m.evaluate("(0, 'seq')"), "seq"));
  EXPECT_TRUE(isKind(m.evaluate("`t${x}`"), Kind::Unknown));
  // The origin is the literal's range.
  ValuePtr abc = m.evaluate("'abc'");
  EXPECT_EQ(abc->origin.file, 0);
  EXPECT_EQ(abc->origin.begin, m.offsetOf("'abc'"));
  EXPECT_EQ(abc->origin.end, m.offsetOf("'abc'") + 5);
}

TEST(EngineSemanticsEvaluate, ConstChains) {
  ParsedModule m("const A = 'prod';\nconst B = A;\nconst C = B + '-' + `1a2b`;\n"
                 "var D = C;\nlet E = D;\nuse(C, D, E);\n");
  EXPECT_TRUE(isString(m.evaluate("C", 2), "prod-1a2b"));
  EXPECT_TRUE(isString(m.evaluate("D", 2), "prod-1a2b"));
  EXPECT_TRUE(isString(m.evaluate("E", 1), "prod-1a2b"));
}

TEST(EngineSemanticsEvaluate, ObjectsMembersAndDestructuring) {
  ParsedModule m("const O = { env: 'e1', nested: { k: 'v' }, 'quoted': 'q', [`c`]: 'comp',\n"
                 "  m() {}, short };\n"
                 "const short = 's';\n"
                 "const { env, nested: { k }, missing } = O;\n"
                 "const [first] = ['x'];\n"
                 "const { ...others } = O;\n"
                 "const P = { ...O, own: 1 };\n"
                 "use(O.nested.k, O['env'], O.quoted, O.c, O.m, O.missing, env, k, missing,\n"
                 "    first, others, P.env, P.own);\n");
  ValuePtr o = m.evaluate("O", 1);
  ASSERT_TRUE(isKind(o, Kind::Object));
  EXPECT_FALSE(o->open);
  std::vector<std::string> keys;
  for (const auto &[key, value] : o->fields)
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"env", "nested", "quoted", "c", "m", "short"}));
  EXPECT_TRUE(isString(m.evaluate("O.nested.k"), "v"));
  EXPECT_TRUE(isString(m.evaluate("O['env']"), "e1"));
  EXPECT_TRUE(isString(m.evaluate("O.quoted"), "q"));
  EXPECT_TRUE(isString(m.evaluate("O.c"), "comp"));
  EXPECT_TRUE(isKind(m.evaluate("O.m"), Kind::Function));
  EXPECT_TRUE(isKind(m.evaluate("O.missing"), Kind::Undefined)); // a closed object
  EXPECT_TRUE(isString(m.evaluate("env", 1), "e1"));
  EXPECT_TRUE(isString(m.evaluate("k", 1), "v"));
  EXPECT_TRUE(isKind(m.evaluate("missing", 1), Kind::Undefined));
  EXPECT_TRUE(isKind(m.evaluate("first", 1), Kind::Unknown)); // arrays are not tracked
  EXPECT_TRUE(isKind(m.evaluate("others", 1), Kind::Unknown));
  // A spread opens the object: absent fields are unknown, not undefined.
  ValuePtr p = m.evaluate("P", 1);
  ASSERT_TRUE(isKind(p, Kind::Object));
  EXPECT_TRUE(p->open);
  EXPECT_TRUE(isKind(m.evaluate("P.env"), Kind::Unknown));
  EXPECT_TRUE(isKind(m.evaluate("P.own"), Kind::Number));
}

TEST(EngineSemanticsEvaluate, ServerSdkValues) {
  ParsedModule m("const cloud = require('wx-server-sdk');\n"
                 "const { DYNAMIC_CURRENT_ENV: current } = require('wx-server-sdk');\n"
                 "const db = cloud.database();\n"
                 "const config = require('./config');\n"
                 "use(cloud.DYNAMIC_CURRENT_ENV, cloud.init, current, db, config.ENV,\n"
                 "    process.env.TCB_ENV, new cloud.Cloud(), require(name));\n",
                 Dialect::JavaScript, fakeResolver({{"./config", 7}}));
  ValuePtr cloud = m.evaluate("require('wx-server-sdk')");
  ASSERT_TRUE(isKind(cloud, Kind::Module));
  EXPECT_EQ(cloud->text, "wx-server-sdk");
  EXPECT_EQ(cloud->file, -1);
  EXPECT_TRUE(cloud->path.empty());

  ValuePtr dynamic = m.evaluate("cloud.DYNAMIC_CURRENT_ENV");
  EXPECT_TRUE(dynamic->isPackage("wx-server-sdk"));
  EXPECT_TRUE(dynamic->pathIs({"DYNAMIC_CURRENT_ENV"}));
  EXPECT_EQ(dynamic->describe(), "module(wx-server-sdk).DYNAMIC_CURRENT_ENV");
  EXPECT_TRUE(m.evaluate("cloud.init")->pathIs({"init"}));
  ValuePtr current = m.evaluate("current", 1);
  EXPECT_TRUE(current->isPackage("wx-server-sdk"));
  EXPECT_TRUE(current->pathIs({"DYNAMIC_CURRENT_ENV"}));
  ValuePtr db = m.evaluate("db", 1);
  EXPECT_TRUE(db->pathIs({"database", "()"}));
  EXPECT_EQ(db->describe(), "module(wx-server-sdk).database()");
  ValuePtr env = m.evaluate("config.ENV");
  EXPECT_TRUE(isKind(env, Kind::Module));
  EXPECT_EQ(env->text, "./config");
  EXPECT_EQ(env->file, 7);
  EXPECT_TRUE(env->pathIs({"ENV"}));
  ValuePtr tcbEnv = m.evaluate("process.env.TCB_ENV");
  EXPECT_TRUE(tcbEnv->isGlobalPath("process", {"env", "TCB_ENV"}));
  EXPECT_TRUE(m.evaluate("new cloud.Cloud()")->pathIs({"Cloud", "new"}));
  EXPECT_TRUE(isKind(m.evaluate("require(name)"), Kind::Unknown));
}

TEST(EngineSemanticsEvaluate, AShadowedRequireIsNotAModule) {
  ParsedModule m("function load(require) { return require('wx-server-sdk'); }\n");
  EXPECT_FALSE(m.evaluate("require('wx-server-sdk')")->is(Kind::Module));
}

TEST(EngineSemanticsEvaluate, EventFieldsOfCommonJsHandler) {
  ParsedModule m("const cloud = require('wx-server-sdk');\n"
                 "exports.main = async (event, context) => {\n"
                 "  use(event.env, event.data.openid, event, context.x);\n"
                 "};\n");
  ValuePtr env = m.evaluate("event.env");
  ASSERT_TRUE(isKind(env, Kind::EventField));
  EXPECT_TRUE(env->pathIs({"env"}));
  EXPECT_TRUE(m.evaluate("event.data.openid")->pathIs({"data", "openid"}));
  ValuePtr event = m.evaluate("event", 3);
  ASSERT_TRUE(isKind(event, Kind::EventField));
  EXPECT_TRUE(event->path.empty());
  EXPECT_TRUE(isKind(m.evaluate("context.x"), Kind::Unknown));
}

TEST(EngineSemanticsEvaluate, EventFieldsOfEsHandler) {
  ParsedModule m("export async function main(evt) {\n  return use(evt.env);\n}\n");
  ValuePtr env = m.evaluate("evt.env");
  ASSERT_TRUE(isKind(env, Kind::EventField));
  EXPECT_TRUE(env->pathIs({"env"}));
}

// `module.exports = { main }` (shorthand) makes `main` the handler, so its first parameter is the
// event whatever it is called.
TEST(EngineSemanticsEvaluate, EventFieldsOfModuleExportsObject) {
  ParsedModule m("async function main(req) { return use(req.env); }\n"
                 "function helper(req) { return use(req.env); }\n"
                 "module.exports = { main };\n");
  ValuePtr inHandler = m.evaluate("req.env", 0);
  ASSERT_TRUE(isKind(inHandler, Kind::EventField));
  EXPECT_TRUE(inHandler->pathIs({"env"}));
  // The same code in a function that is not the handler reads no event.
  EXPECT_TRUE(isKind(m.evaluate("req.env", 1), Kind::Unknown));
}

TEST(EngineSemanticsEvaluate, DestructuredEvent) {
  ParsedModule m("exports.main = async ({ env, data: { id }, ...rest }) => use(env, id, rest);\n");
  ValuePtr env = m.evaluate("env", 1);
  ASSERT_TRUE(isKind(env, Kind::EventField));
  EXPECT_TRUE(env->pathIs({"env"}));
  ValuePtr id = m.evaluate("id", 1);
  ASSERT_TRUE(isKind(id, Kind::EventField));
  EXPECT_TRUE(id->pathIs({"data", "id"}));
  EXPECT_TRUE(isKind(m.evaluate("rest", 1), Kind::Unknown));
}

TEST(EngineSemanticsEvaluate, ReassignedVariablesAreUnknown) {
  ParsedModule m("let env = 'a';\nenv = 'b';\n"
                 "let plus = 'x';\nplus += 'y';\n"
                 "var n = 'v';\nn++;\n"
                 "let pair = 'p';\n[pair] = other;\n"
                 "var twice = 'one';\nvar twice = 'two';\n"
                 "let kept = 'k';\n"
                 "use(env, plus, n, pair, twice, kept);\n");
  for (const char *name : {"env", "plus", "n", "pair", "twice"})
    EXPECT_TRUE(isKind(m.evaluate(name, 2), Kind::Unknown)) << name; // the use in `use(...)`
  EXPECT_TRUE(isString(m.evaluate("kept", 1), "k"));
  const Binding *env = m.resolve("env");
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->writes, 1u);
}

TEST(EngineSemanticsEvaluate, SelfReferencesTerminate) {
  ParsedModule m("const a = a;\nconst b = b + 'x';\nconst c = d;\nconst d = c;\n"
                 "const o = { self: o };\n"
                 "use(a, b, c, o.self);\n");
  EXPECT_TRUE(isKind(m.evaluate("a", 2), Kind::Unknown));
  EXPECT_TRUE(isKind(m.evaluate("b", 2), Kind::Unknown));
  EXPECT_TRUE(isKind(m.evaluate("c", 2), Kind::Unknown));
  EXPECT_TRUE(isKind(m.evaluate("o.self"), Kind::Unknown));
}

TEST(EngineSemanticsEvaluate, LongChainsStayBounded) {
  std::string source = "const v0 = 'x';\n";
  for (int i = 1; i <= 200; ++i)
    source += "const v" + std::to_string(i) + " = v" + std::to_string(i - 1) + " + v" +
              std::to_string(i - 1) + ";\n";
  source += "use(v200);\n";
  ParsedModule m(source);
  // Past the evaluator's depth the value is unknown, and this returns promptly.
  EXPECT_TRUE(isKind(m.evaluate("v200", 1), Kind::Unknown));
  EXPECT_TRUE(isString(m.evaluate("v2", 1), "xxxx"));
}

// ---------------------------------------------------------------------------------------------
// Handlers and role evidence
// ---------------------------------------------------------------------------------------------

TEST(EngineSemanticsHandlers, RecognizedForms) {
  struct Case {
    const char *source;
    const char *handlerText; // the start of the handler function's text
  };
  const std::vector<Case> cases = {
      {"exports.main = async (event) => ({});\n", "async (event)"},
      {"module.exports.main = function (event) {};\n", "function (event)"},
      {"export const main = async (event) => {};\n", "async (event)"},
      {"export async function main(event) {}\n", "export async function"},
      {"async function main(event) {}\nmodule.exports = { main: main };\n", "async function main"},
      {"module.exports = { async main(event) {} };\n", "async main(event)"},
      {"const handler = async (e) => {};\nmodule.exports = { main: handler };\n", "async (e)"},
      {"const handler = async (e) => {};\nexports.main = handler;\n", "async (e)"},
      {"async function main(event) {}\nmodule.exports = { main };\n", "async function main"},
      {"module.exports = { main: async (event) => {} };\n", "async (event)"},
      {"async function main(event) {}\nexports = module.exports = { main };\n",
       "async function main"},
      {"module.exports = exports = { main: async (event) => {} };\n", "async (event)"},
      {"exports.main = module.exports.main = async (event) => {};\n", "async (event)"},
  };
  for (const Case &c : cases) {
    ParsedModule m(c.source);
    ASSERT_EQ(m->handlers().size(), 1u) << c.source;
    Node handler = m->handlers()[0];
    EXPECT_TRUE(isFunctionNode(handler)) << c.source;
    uint32_t expected = m.offsetOf(c.handlerText);
    if (std::string(c.handlerText) == "export async function")
      expected += 7; // the declaration, not the export statement
    EXPECT_EQ(handler.begin(), expected) << c.source << " -> " << handler.type();
    EXPECT_TRUE(m->isHandler(handler));
  }
}

TEST(EngineSemanticsHandlers, ShorthandModuleExportsMain) {
  ParsedModule m("async function main(event) {}\nmodule.exports = { main };\n");
  ASSERT_EQ(m->handlers().size(), 1u);
  EXPECT_EQ(m->handlers()[0].begin(), m.offsetOf("async function main"));
  ParsedModule arrow("const main = async (e) => {};\nmodule.exports = { main, other };\n");
  ASSERT_EQ(arrow->handlers().size(), 1u);
  EXPECT_EQ(arrow->handlers()[0].begin(), arrow.offsetOf("async (e)"));
  // A shorthand `main` that is not a function, or an unbound one, is no handler.
  EXPECT_TRUE(ParsedModule("const main = 'x';\nmodule.exports = { main };\n")->handlers().empty());
  EXPECT_TRUE(ParsedModule("module.exports = { main };\n")->handlers().empty());
}

TEST(EngineSemanticsHandlers, OtherExportsAreNotHandlers) {
  ParsedModule m("exports.other = async (event) => {};\n"
                 "module.exports.helper = function () {};\n"
                 "function main(event) {}\n"
                 "exports.main = notAFunction;\n");
  EXPECT_TRUE(m->handlers().empty());
  EXPECT_FALSE(m->isHandler(m.node("async (event) => {}")));
}

TEST(EngineSemanticsHandlers, EnclosingFunction) {
  ParsedModule m("exports.main = async (event) => {\n  const f = function () { return x; };\n"
                 "  return y;\n};\nuse(z);\n");
  Node x = m.identifier("x");
  Node inner = m->enclosingFunction(x);
  EXPECT_TRUE(inner.is("function_expression"));
  Node outer = m->enclosingFunction(m.identifier("y"));
  EXPECT_TRUE(outer.is("arrow_function"));
  EXPECT_TRUE(m->isHandler(outer));
  EXPECT_TRUE(m->enclosingFunction(m.identifier("z")).isNull());
}

TEST(EngineSemanticsRoles, ServerSdkEvidence) {
  EXPECT_TRUE(ParsedModule("const cloud = require('wx-server-sdk')\n")->requiresServerSdk());
  EXPECT_TRUE(ParsedModule("import tcb from '@cloudbase/node-sdk'\n")->requiresServerSdk());
  EXPECT_TRUE(ParsedModule("const t = require(\"tcb-admin-node\")\n")->requiresServerSdk());
  EXPECT_FALSE(ParsedModule("const axios = require('axios')\n")->requiresServerSdk());
  EXPECT_FALSE(ParsedModule("const s = 'wx-server-sdk'\n")->requiresServerSdk());
  EXPECT_EQ(serverSdkOf("wx-server-sdk"), ServerSdk::WxServerSdk);
  EXPECT_EQ(serverSdkOf("@cloudbase/node-sdk"), ServerSdk::CloudbaseNode);
  EXPECT_EQ(serverSdkOf("tcb-admin-node"), ServerSdk::TcbAdmin);
  EXPECT_EQ(serverSdkOf("wx-server-sdk/lib"), ServerSdk::None);
}

TEST(EngineSemanticsRoles, AppPageComponentEvidence) {
  EXPECT_TRUE(ParsedModule("App({ onLaunch() {} })\n")->callsAppPageOrComponent());
  EXPECT_TRUE(ParsedModule("Page({ data: {} })\n")->callsAppPageOrComponent());
  EXPECT_TRUE(ParsedModule("Component({})\n")->callsAppPageOrComponent());
  EXPECT_FALSE(ParsedModule("page({})\nconst App = 1\n")->callsAppPageOrComponent());
  EXPECT_FALSE(ParsedModule("x.Page({})\n")->callsAppPageOrComponent());
}

TEST(EngineSemanticsRoles, ClientApiEvidence) {
  EXPECT_TRUE(ParsedModule("wx.login()\n")->usesClientApis());
  EXPECT_TRUE(ParsedModule("Taro.cloud.callFunction({})\n")->usesClientApis());
  EXPECT_TRUE(ParsedModule("uni.request({})\n")->usesClientApis());
  EXPECT_FALSE(ParsedModule("foo.wx.login()\nwx()\n")->usesClientApis());
}

TEST(EngineSemanticsRoles, ImportsListsEverySpecifier) {
  ParsedModule m("const a = require('./a');\nimport b from 'b';\nexport { c } from './c';\n"
                 "export * from './d';\nrequire(dynamic);\n");
  EXPECT_EQ(m->imports(), (std::vector<std::string>{"./a", "b", "./c", "./d"}));
}

// ---------------------------------------------------------------------------------------------
// exports()
// ---------------------------------------------------------------------------------------------

TEST(EngineSemanticsExports, ModuleExportsObject) {
  ParsedModule m("const B = 'b';\nmodule.exports = { A: 'a', B, f() {} };\n");
  ValuePtr e = m->exports();
  ASSERT_TRUE(isKind(e, Kind::Object));
  EXPECT_TRUE(isString(e->field("A"), "a"));
  EXPECT_TRUE(isString(e->field("B"), "b"));
  EXPECT_TRUE(isKind(e->field("f"), Kind::Function));
  EXPECT_EQ(e->field("C"), nullptr);
  EXPECT_FALSE(e->open);
}

TEST(EngineSemanticsExports, ExportsAssignments) {
  ParsedModule m("exports.X = 'x';\nmodule.exports.Y = 'y';\nexports.X = 'x2';\n");
  ValuePtr e = m->exports();
  ASSERT_TRUE(isKind(e, Kind::Object));
  ASSERT_EQ(e->fields.size(), 2u);
  EXPECT_TRUE(isString(e->field("X"), "x2")); // the last assignment wins
  EXPECT_TRUE(isString(e->field("Y"), "y"));
}

TEST(EngineSemanticsExports, ChainedModuleExports) {
  ParsedModule m("exports = module.exports = { A: 'a' };\nexports.B = 'b';\n"
                 "exports.C = module.exports.D = 'cd';\n");
  ValuePtr e = m->exports();
  ASSERT_TRUE(isKind(e, Kind::Object));
  EXPECT_TRUE(isString(e->field("A"), "a"));
  EXPECT_TRUE(isString(e->field("B"), "b"));
  EXPECT_TRUE(isString(e->field("C"), "cd"));
  EXPECT_TRUE(isString(e->field("D"), "cd"));
  ParsedModule whole("module.exports = exports = 'whole';\n");
  EXPECT_TRUE(isString(whole->exports(), "whole"));
}

TEST(EngineSemanticsExports, ModuleExportsAWholeValue) {
  EXPECT_TRUE(isString(ParsedModule("module.exports = 'whole';\n")->exports(), "whole"));
  ParsedModule sdk("module.exports = require('wx-server-sdk');\n");
  EXPECT_TRUE(sdk->exports()->isPackage("wx-server-sdk"));
}

TEST(EngineSemanticsExports, EsExports) {
  ParsedModule m("export const C = 'c';\n"
                 "export function F() {}\n"
                 "export class K {}\n"
                 "export default 'd';\n"
                 "const a = 'aa';\n"
                 "export { a as b, a };\n"
                 "export { z, y as w } from './z';\n",
                 Dialect::JavaScript, fakeResolver({{"./z", 4}}));
  ValuePtr e = m->exports();
  ASSERT_TRUE(isKind(e, Kind::Object));
  EXPECT_TRUE(isString(e->field("C"), "c"));
  EXPECT_TRUE(isKind(e->field("F"), Kind::Function));
  EXPECT_TRUE(isKind(e->field("K"), Kind::Function));
  EXPECT_TRUE(isString(e->field("default"), "d"));
  EXPECT_TRUE(isString(e->field("b"), "aa"));
  EXPECT_TRUE(isString(e->field("a"), "aa"));
  ValuePtr z = e->field("z");
  ASSERT_TRUE(isKind(z, Kind::Module));
  EXPECT_EQ(z->text, "./z");
  EXPECT_EQ(z->file, 4);
  EXPECT_TRUE(z->pathIs({"z"}));
  ValuePtr w = e->field("w");
  ASSERT_TRUE(isKind(w, Kind::Module));
  EXPECT_TRUE(w->pathIs({"y"}));
}

TEST(EngineSemanticsExports, ExportStarOpensTheExports) {
  ParsedModule m("export const A = 1;\nexport * from './more';\n");
  ValuePtr e = m->exports();
  ASSERT_TRUE(isKind(e, Kind::Object));
  EXPECT_TRUE(e->open);
  EXPECT_TRUE(isKind(memberOf(e, "unlisted", {}), Kind::Unknown));
  ParsedModule closed("export const A = 1;\n");
  EXPECT_FALSE(closed->exports()->open);
  EXPECT_TRUE(isKind(memberOf(closed->exports(), "unlisted", {}), Kind::Undefined));
}

TEST(EngineSemanticsExports, ExportDefaultObject) {
  ParsedModule m("export default { ENV: 'prod-9' };\n");
  ValuePtr d = m->exports()->field("default");
  ASSERT_TRUE(isKind(d, Kind::Object));
  EXPECT_TRUE(isString(d->field("ENV"), "prod-9"));
}

} // namespace
} // namespace mpauth
