// The SARIF of the identity and secret rules passes the SARIF Multitool (GitHub's ingestion
// rules): client-trusted-identity and openid-leak carry code flows (the source, each variable
// and helper parameter, the sink), appsecret-in-client related locations.
#include "support/SarifValidator.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mpauth::testing {
namespace {

// Runs `mpauth check <fixture> --enable <rule> --format sarif`; returns the log's text.
std::string sarifOf(const std::string &fixture, const std::string &rule) {
  llvm::SmallString<128> output;
  if (llvm::sys::fs::createTemporaryFile("mpauth-identity", "sarif", output))
    return {};
  auto cleanup = llvm::make_scope_exit([&] { llvm::sys::fs::remove(output); });
  std::string dir = std::string(MPAUTH_SOURCE_DIR) + "/fixtures/" + fixture;
  llvm::StringRef args[] = {MPAUTH_BINARY, "check", dir,        "--enable", rule,
                            "--format",    "sarif", "--output", output};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(MPAUTH_BINARY, args, llvm::None, {}, 120, 0, &error);
  EXPECT_EQ(1, status) << "the fixture has findings, so mpauth exits 1: " << error;
  auto buffer = llvm::MemoryBuffer::getFile(output);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

const llvm::json::Array *resultsOf(const llvm::json::Value &log) {
  const llvm::json::Object *root = log.getAsObject();
  if (!root || !root->getArray("runs") || root->getArray("runs")->empty())
    return nullptr;
  return root->getArray("runs")->front().getAsObject()->getArray("results");
}

TEST(IdentitySarif, ClientTrustedIdentityCodeFlowsPassTheMultitool) {
  std::string sarif =
      sarifOf("client-trusted-identity/helper-parameters", "client-trusted-identity");
  auto log = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Array *results = resultsOf(*log);
  ASSERT_NE(nullptr, results);
  ASSERT_FALSE(results->empty());
  size_t longest = 0;
  for (const llvm::json::Value &r : *results) {
    const llvm::json::Object &result = *r.getAsObject();
    EXPECT_EQ(llvm::StringRef("client-trusted-identity"), result.getString("ruleId"));
    const llvm::json::Array *flows = result.getArray("codeFlows");
    ASSERT_NE(nullptr, flows) << "a taint finding carries its code flow";
    const llvm::json::Array *threads = flows->front().getAsObject()->getArray("threadFlows");
    ASSERT_NE(nullptr, threads);
    const llvm::json::Array *steps = threads->front().getAsObject()->getArray("locations");
    ASSERT_NE(nullptr, steps);
    EXPECT_GE(steps->size(), 2u) << "the read of event and the use";
    longest = std::max(longest, steps->size());
    EXPECT_NE(nullptr, result.getArray("relatedLocations")) << "the read of event";
  }
  EXPECT_GE(longest, 4u) << "source, variable, helper parameter, use";
  auto problems = validateSarif(sarif);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

// openid-leak: the read of the record's openid field, the variable it is pushed into, and the
// response, each with its message, in one thread flow.
TEST(IdentitySarif, OpenidLeakCodeFlowsPassTheMultitool) {
  std::string sarif = sarifOf("openid-leak/pushed-into-list", "openid-leak");
  auto log = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Array *results = resultsOf(*log);
  ASSERT_NE(nullptr, results);
  ASSERT_EQ(1u, results->size());
  const llvm::json::Object &result = *results->front().getAsObject();
  EXPECT_EQ(llvm::StringRef("openid-leak"), result.getString("ruleId"));
  const llvm::json::Array *flows = result.getArray("codeFlows");
  ASSERT_NE(nullptr, flows) << "an openid-leak finding carries its code flow";
  const llvm::json::Array *threads = flows->front().getAsObject()->getArray("threadFlows");
  ASSERT_NE(nullptr, threads);
  const llvm::json::Array *steps = threads->front().getAsObject()->getArray("locations");
  ASSERT_NE(nullptr, steps);
  ASSERT_EQ(3u, steps->size()) << "source, variable, response";
  std::vector<std::string> messages;
  for (const llvm::json::Value &step : *steps) {
    const llvm::json::Object *location = step.getAsObject()->getObject("location");
    ASSERT_NE(nullptr, location);
    const llvm::json::Object *message = location->getObject("message");
    ASSERT_NE(nullptr, message) << "each step says what happens there";
    messages.push_back(message->getString("text").getValueOr("").str());
  }
  EXPECT_NE(std::string::npos, messages[0].find("openid field of a 'posts' record"));
  EXPECT_NE(std::string::npos, messages[1].find("held in 'authors'"));
  EXPECT_NE(std::string::npos, messages[2].find("returned by main"));
  auto problems = validateSarif(sarif);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

TEST(IdentitySarif, AppsecretInClientPassesTheMultitool) {
  std::string sarif =
      sarifOf("appsecret-in-client/cloud-returns-session-key", "appsecret-in-client");
  auto log = llvm::json::parse(sarif);
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Array *results = resultsOf(*log);
  ASSERT_NE(nullptr, results);
  EXPECT_GE(results->size(), 4u);
  auto problems = validateSarif(sarif);
  ASSERT_TRUE(bool(problems)) << llvm::toString(problems.takeError());
  EXPECT_TRUE(problems->empty()) << "the SARIF Multitool reports:\n" << listedProblems(*problems);
}

} // namespace
} // namespace mpauth::testing
