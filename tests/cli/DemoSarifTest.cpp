// The acceptance check of the SARIF output on a real project: `mpauth check examples/demo
// --format sarif` passes the SARIF Multitool with GitHub's ingestion rules, with no error and
// no warning, and carries the demo's findings.
#include "support/SarifValidator.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

namespace mpauth::testing {
namespace {

TEST(DemoSarif, PassesTheMultitoolWithFindings) {
  llvm::SmallString<128> output;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("mpauth-demo", "sarif", output));
  auto cleanup = llvm::make_scope_exit([&] { llvm::sys::fs::remove(output); });
  std::string demo = std::string(MPAUTH_SOURCE_DIR) + "/examples/demo";
  llvm::StringRef args[] = {MPAUTH_BINARY, "check", demo, "--format", "sarif", "--output", output};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(MPAUTH_BINARY, args, llvm::None, {}, 120, 0, &error);
  ASSERT_EQ(1, status) << "the demo has warnings, so mpauth exits 1: " << error;

  auto buffer = llvm::MemoryBuffer::getFile(output);
  ASSERT_TRUE(bool(buffer));
  std::string sarif = (*buffer)->getBuffer().str();
  auto log = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Object &run = *log->getAsObject()->getArray("runs")->front().getAsObject();
  const llvm::json::Array *results = run.getArray("results");
  ASSERT_NE(nullptr, results);
  unsigned hardcoded = 0;
  for (const llvm::json::Value &r : *results)
    if (r.getAsObject()->getString("ruleId") == llvm::StringRef("hardcoded-env"))
      ++hardcoded;
  EXPECT_GE(hardcoded, 4u) << "the demo's README lists four hardcoded-env defects";

  auto problems = validateSarif(sarif);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

} // namespace
} // namespace mpauth::testing
