// ModuleGraph: values read through imports resolve across files, re-exports and cycles.
#include "EngineTestSupport.h"

#include "analyzer/semantics/ModuleGraph.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace mpauth {
namespace {

using engine_test::ParsedModule;
using Kind = Value::Kind;

// A small project: file i has name names[i]; every module resolves "./<name>" to its index.
class Project {
public:
  explicit Project(std::vector<std::pair<std::string, std::string>> files) : Graph(files.size()) {
    std::vector<std::string> names;
    for (const auto &[name, source] : files)
      names.push_back(name);
    auto resolver = [names](llvm::StringRef spec) -> int {
      for (size_t i = 0; i < names.size(); ++i)
        if (spec == "./" + names[i])
          return static_cast<int>(i);
      return -1;
    };
    for (size_t i = 0; i < files.size(); ++i) {
      Modules.push_back(std::make_unique<ParsedModule>(files[i].second, Dialect::JavaScript,
                                                       resolver, static_cast<int>(i)));
      Graph.setExports(i, (*Modules.back())->exports());
    }
  }
  const ParsedModule &operator[](size_t i) const { return *Modules[i]; }
  ModuleGraph Graph;

private:
  std::vector<std::unique_ptr<ParsedModule>> Modules;
};

TEST(EngineModuleGraph, ResolvesAConfigModule) {
  Project p({{"index", "const cfg = require('./config');\nconst { ENV } = require('./config');\n"
                       "use(cfg.ENV, ENV, cfg.OTHER, cfg);\n"},
             {"config", "module.exports = { ENV: 'prod-1a2b', OTHER: process.env.TCB_ENV };\n"}});
  EXPECT_TRUE(p.Graph.analyzed(0));
  EXPECT_TRUE(p.Graph.analyzed(1));
  EXPECT_FALSE(p.Graph.analyzed(2));

  ValuePtr env = p.Graph.resolve(p[0].evaluate("cfg.ENV"));
  ASSERT_TRUE(env->is(Kind::String)) << env->describe();
  EXPECT_EQ(env->text, "prod-1a2b");
  // The origin is where the literal is written, in the config module.
  EXPECT_EQ(env->origin.file, 1);
  EXPECT_EQ(env->origin.begin, p[1].offsetOf("'prod-1a2b'"));

  ValuePtr destructured = p.Graph.resolve(p[0].evaluate("ENV", 1));
  ASSERT_TRUE(destructured->is(Kind::String)) << destructured->describe();
  EXPECT_EQ(destructured->text, "prod-1a2b");

  ValuePtr other = p.Graph.resolve(p[0].evaluate("cfg.OTHER"));
  EXPECT_TRUE(other->isGlobalPath("process", {"env", "TCB_ENV"})) << other->describe();

  ValuePtr whole = p.Graph.resolve(p[0].evaluate("cfg", 3));
  ASSERT_TRUE(whole->is(Kind::Object));
  EXPECT_EQ(whole->fields.size(), 2u);
}

TEST(EngineModuleGraph, ReExportChain) {
  Project p({{"a", "import { ENV } from './b';\nimport * as all from './b';\nuse(ENV, all.ENV);\n"},
             {"b", "export { ENV } from './c';\n"},
             {"c", "export { VALUE as ENV } from './d';\n"},
             {"d", "export const VALUE = 'prod-2';\n"}});
  for (auto [expr, occurrence] :
       std::vector<std::pair<const char *, unsigned>>{{"ENV", 1}, {"all.ENV", 0}}) {
    ValuePtr v = p.Graph.resolve(p[0].evaluate(expr, occurrence));
    ASSERT_TRUE(v->is(Kind::String)) << expr << ": " << v->describe();
    EXPECT_EQ(v->text, "prod-2");
    EXPECT_EQ(v->origin.file, 3);
  }
}

TEST(EngineModuleGraph, EsDefaultImportOfCommonJs) {
  Project p(
      {{"a", "import cfg from './cfg';\nimport dflt from './esm';\nuse(cfg.ENV, dflt.ENV);\n"},
       {"cfg", "module.exports = { ENV: 'cjs-env' };\n"},
       {"esm", "export default { ENV: 'esm-env' };\n"}});
  ValuePtr cjs = p.Graph.resolve(p[0].evaluate("cfg.ENV"));
  ASSERT_TRUE(cjs->is(Kind::String)) << cjs->describe();
  EXPECT_EQ(cjs->text, "cjs-env");
  ValuePtr esm = p.Graph.resolve(p[0].evaluate("dflt.ENV"));
  ASSERT_TRUE(esm->is(Kind::String)) << esm->describe();
  EXPECT_EQ(esm->text, "esm-env");
}

TEST(EngineModuleGraph, WholeModuleReExport) {
  Project p({{"a", "const sdk = require('./wrap');\nuse(sdk.DYNAMIC_CURRENT_ENV);\n"},
             {"wrap", "module.exports = require('./inner');\n"},
             {"inner", "module.exports = require('wx-server-sdk');\n"}});
  ValuePtr v = p.Graph.resolve(p[0].evaluate("sdk.DYNAMIC_CURRENT_ENV"));
  EXPECT_TRUE(v->isPackage("wx-server-sdk")) << v->describe();
  EXPECT_TRUE(v->pathIs({"DYNAMIC_CURRENT_ENV"})) << v->describe();
}

TEST(EngineModuleGraph, CyclesTerminateAsUnknown) {
  Project p({{"x", "module.exports = require('./y');\n"},
             {"y", "module.exports = require('./x');\n"},
             {"main", "const v = require('./x');\nuse(v.ENV);\n"},
             {"p", "export { A } from './q';\n"},
             {"q", "export { A } from './p';\n"},
             {"user", "import { A } from './p';\nuse(A);\n"}});
  EXPECT_TRUE(p.Graph.resolve(p[2].evaluate("v.ENV"))->is(Kind::Unknown));
  EXPECT_TRUE(p.Graph.resolve(p[0]->exports())->is(Kind::Unknown));
  EXPECT_TRUE(p.Graph.resolve(p[5].evaluate("A", 1))->is(Kind::Unknown));
}

TEST(EngineModuleGraph, UnanalyzedAndPackageValues) {
  ModuleGraph graph(3);
  auto unresolved = std::make_shared<Value>();
  unresolved->kind = Kind::Module;
  unresolved->text = "./missing";
  unresolved->file = 2; // never analyzed
  unresolved->path = {"ENV"};
  EXPECT_TRUE(graph.resolve(unresolved)->is(Kind::Unknown));
  auto outOfRange = std::make_shared<Value>(*unresolved);
  outOfRange->file = 99;
  EXPECT_TRUE(graph.resolve(outOfRange)->is(Kind::Unknown));

  // Values that do not point at a project file come back as they are.
  auto package = std::make_shared<Value>();
  package->kind = Kind::Module;
  package->text = "wx-server-sdk";
  package->path = {"DYNAMIC_CURRENT_ENV"};
  EXPECT_EQ(graph.resolve(package), package);
  ValuePtr literal = Value::string("lit");
  EXPECT_EQ(graph.resolve(literal), literal);
  EXPECT_TRUE(graph.resolve(nullptr)->is(Kind::Unknown));
}

TEST(EngineModuleGraph, MissingExportIsUndefined) {
  Project p({{"a", "const c = require('./c');\nuse(c.NOPE);\n"},
             {"c", "module.exports = { ENV: 'e' };\n"}});
  EXPECT_TRUE(p.Graph.resolve(p[0].evaluate("c.NOPE"))->is(Kind::Undefined));
}

} // namespace
} // namespace mpauth
