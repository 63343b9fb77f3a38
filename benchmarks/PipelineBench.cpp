// Micro benchmarks of the per-file pipeline (parse -> semantics -> free) and of a whole run on
// the demo project. Speed targets are checked here and with scripts/bench-corpus, never by
// timed unit tests.
#include "analyzer/driver/Driver.h"
#include "analyzer/semantics/Handlers.h"
#include "analyzer/semantics/Module.h"
#include "analyzer/source/SourceFile.h"
#include "analyzer/syntax/Syntax.h"

#include <benchmark/benchmark.h>

#include <optional>
#include <string>

namespace {

// A cloud function of `functions` handlers, each with a query chain, the shape mpauth reads.
std::string syntheticCloudFunction(int functions) {
  std::string out = "const cloud = require('wx-server-sdk')\n"
                    "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
                    "const db = cloud.database()\nconst _ = db.command\n";
  for (int i = 0; i < functions; ++i) {
    std::string n = std::to_string(i);
    out += "async function handler" + n +
           "(event) {\n"
           "  const { OPENID } = cloud.getWXContext()\n"
           "  const res = await db.collection('orders" +
           n +
           "').where({ _openid: OPENID, "
           "status: _.in(['paid', 'sent']) }).orderBy('createdAt', 'desc').limit(20).get()\n"
           "  return { list: res.data.map(r => ({ id: r._id, total: r.total })) }\n}\n";
  }
  out += "exports.main = async (event) => handler0(event)\n";
  return out;
}

std::string syntheticPage(int methods) {
  std::string out = "const db = wx.cloud.database()\nPage({\n  data: { list: [] },\n"
                    "  onLoad() { this.load() },\n";
  for (int i = 0; i < methods; ++i)
    out += "  async load" + std::to_string(i) +
           "() {\n    try {\n      const res = await db.collection('c').get()\n"
           "      this.setData({ list: res.data })\n    } catch (e) { console.error(e) }\n  },\n";
  out += "  load() { return this.load0() },\n})\n";
  return out;
}

void BM_ParseAndModel(benchmark::State &state, std::string text) {
  mpauth::Parser parser;
  for (auto _ : state) {
    mpauth::Tree tree = parser.parse(text, mpauth::Dialect::JavaScript);
    mpauth::ModuleSemantics semantics(tree.root(), text, 0, nullptr);
    benchmark::DoNotOptimize(semantics.exports());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_ParseModelAndHandlers(benchmark::State &state) {
  std::string text = syntheticPage(static_cast<int>(state.range(0)));
  mpauth::Parser parser;
  for (auto _ : state) {
    mpauth::Tree tree = parser.parse(text, mpauth::Dialect::JavaScript);
    mpauth::ModuleSemantics semantics(tree.root(), text, 0, nullptr);
    mpauth::HandlerModel handlers(semantics, {});
    benchmark::DoNotOptimize(handlers.isMethodCalled(0, "load0"));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_LineIndex(benchmark::State &state) {
  std::string text = syntheticCloudFunction(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto file = mpauth::SourceFile::fromText("index.js", text);
    benchmark::DoNotOptimize(file->lineColumn(static_cast<uint32_t>(text.size() / 2)));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

// Helpers called from many places, the shape that made callsOf quadratic: argumentValues of
// every parameter must stay linear in the file (one call index per file, ModuleSemantics).
std::string syntheticHelpers(int helpers) {
  std::string out = "const db = wx.cloud.database()\n";
  for (int i = 0; i < helpers; ++i)
    out +=
        "function helper" + std::to_string(i) + "(name, options) { return db.collection(name) }\n";
  out += "Page({\n  onLoad() {\n";
  for (int i = 0; i < helpers; ++i)
    for (int call = 0; call < 4; ++call)
      out += "    helper" + std::to_string(i) + "('c" + std::to_string(call) +
             "', { n: " + std::to_string(call) + " })\n";
  out += "  },\n})\n";
  return out;
}

void BM_ArgumentValuesOfEveryParameter(benchmark::State &state) {
  std::string text = syntheticHelpers(static_cast<int>(state.range(0)));
  mpauth::Parser parser;
  mpauth::Tree tree = parser.parse(text, mpauth::Dialect::JavaScript);
  mpauth::TreeIndex index(tree.root());
  for (auto _ : state) {
    mpauth::ModuleSemantics semantics(tree.root(), text, 0, nullptr);
    size_t values = 0;
    for (const mpauth::Binding &b : semantics.bindings())
      if (b.kind == mpauth::BindingKind::Param)
        values += semantics.argumentValues(b).size();
    benchmark::DoNotOptimize(values);
  }
  state.SetComplexityN(state.range(0));
}

// What every rule does on a file: walks, and parents up to the enclosing function. With the
// TreeIndex (range 1) both are linear; tree-sitter's own ts_node_parent (range 0) is not.
void BM_WalksAndParents(benchmark::State &state) {
  std::string text = syntheticPage(200);
  mpauth::Parser parser;
  mpauth::Tree tree = parser.parse(text, mpauth::Dialect::JavaScript);
  std::optional<mpauth::TreeIndex> index;
  if (state.range(0))
    index.emplace(tree.root());
  for (auto _ : state) {
    size_t functions = 0;
    mpauth::walk(tree.root(), [&](mpauth::Node n) {
      if (n.is("call_expression"))
        for (mpauth::Node p = n.parent(); p; p = p.parent())
          if (p.is("method_definition")) {
            ++functions;
            break;
          }
      return true;
    });
    benchmark::DoNotOptimize(functions);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_AnalyzeDemo(benchmark::State &state) {
  mpauth::AnalysisOptions options;
  options.targets = {std::string(MPAUTH_SOURCE_DIR) + "/examples/demo"};
  options.jobs = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto analysis = mpauth::analyze(options);
    if (!analysis) {
      state.SkipWithError(llvm::toString(analysis.takeError()).c_str());
      return;
    }
    benchmark::DoNotOptimize((*analysis)->run.diagnostics.size());
  }
}

} // namespace

BENCHMARK_CAPTURE(BM_ParseAndModel, cloud_function_50, syntheticCloudFunction(50));
BENCHMARK_CAPTURE(BM_ParseAndModel, cloud_function_500, syntheticCloudFunction(500));
BENCHMARK(BM_ParseModelAndHandlers)->Arg(20)->Arg(200);
BENCHMARK(BM_LineIndex)->Arg(500);
BENCHMARK(BM_ArgumentValuesOfEveryParameter)->Arg(50)->Arg(200)->Arg(800)->Complexity();
BENCHMARK(BM_WalksAndParents)->Arg(0)->Arg(1);
BENCHMARK(BM_AnalyzeDemo)->Arg(1)->Arg(2);

BENCHMARK_MAIN();
