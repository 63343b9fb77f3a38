// The SARIF of assumed-unionid (code flows: getWXContext(), the variables, the sink) and of
// wxcontext-outside-handler (related locations) passes the SARIF Multitool with GitHub's
// ingestion rules, with no error and no warning.
#include "support/SarifValidator.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

namespace mpauth::testing {
namespace {

struct SarifRun {
  std::string text;
  unsigned results = 0;
  unsigned withCodeFlows = 0;
  unsigned withRelated = 0;
};

SarifRun runSarif(const std::string &fixture, const std::string &rule) {
  SarifRun out;
  llvm::SmallString<128> output;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("mpauth-identity", "sarif", output));
  auto cleanup = llvm::make_scope_exit([&] { llvm::sys::fs::remove(output); });
  std::string dir = std::string(MPAUTH_SOURCE_DIR) + "/fixtures/" + fixture;
  llvm::StringRef args[] = {MPAUTH_BINARY, "check", dir,        "--enable", rule,
                            "--format",    "sarif", "--output", output};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(MPAUTH_BINARY, args, llvm::None, {}, 120, 0, &error);
  EXPECT_EQ(1, status) << "the fixture has findings, so mpauth exits 1: " << error;
  auto buffer = llvm::MemoryBuffer::getFile(output);
  if (!buffer) {
    ADD_FAILURE() << "no SARIF written";
    return out;
  }
  out.text = (*buffer)->getBuffer().str();
  auto log = llvm::json::parse(out.text);
  if (!log) {
    ADD_FAILURE() << llvm::toString(log.takeError());
    return out;
  }
  const llvm::json::Object &run = *log->getAsObject()->getArray("runs")->front().getAsObject();
  if (const llvm::json::Array *results = run.getArray("results"))
    for (const llvm::json::Value &r : *results) {
      const llvm::json::Object &result = *r.getAsObject();
      if (result.getString("ruleId") != llvm::StringRef(rule))
        continue;
      ++out.results;
      if (result.getArray("codeFlows"))
        ++out.withCodeFlows;
      if (result.getArray("relatedLocations"))
        ++out.withRelated;
    }
  return out;
}

TEST(IdentityContextSarif, AssumedUnionidCodeFlowsPassTheMultitool) {
  SarifRun run = runSarif("assumed-unionid/helper-parameters", "assumed-unionid");
  EXPECT_EQ(4u, run.results);
  EXPECT_EQ(run.results, run.withCodeFlows) << "every finding shows source, steps and sink";
  auto problems = validateSarif(run.text);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

TEST(IdentityContextSarif, WxcontextRelatedLocationsPassTheMultitool) {
  SarifRun run =
      runSarif("wxcontext-outside-handler/shared-variables", "wxcontext-outside-handler");
  EXPECT_EQ(5u, run.results);
  EXPECT_EQ(run.results, run.withRelated) << "every finding points at a read";
  auto problems = validateSarif(run.text);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

} // namespace
} // namespace mpauth::testing
