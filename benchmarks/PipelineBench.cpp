// Micro benchmarks of the per-file pipeline (parse -> semantics -> free) and of a whole run on
// the demo project. Speed targets are checked here and with scripts/bench-corpus, never by
// timed unit tests.
#include "analyzer/driver/Driver.h"
#include "analyzer/semantics/Handlers.h"
#include "analyzer/semantics/Module.h"
#include "analyzer/source/SourceFile.h"
#include "analyzer/syntax/Syntax.h"

#include <benchmark/benchmark.h>

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
BENCHMARK(BM_AnalyzeDemo)->Arg(1)->Arg(2);

BENCHMARK_MAIN();
