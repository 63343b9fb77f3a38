#include "report/Golden.h"
#include "report/JsonAccess.h"
#include "report/SampleRun.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"
#include <set>

namespace mpauth::report_test {
namespace {

llvm::json::Value parseJson(const RunResult &run) {
  std::string out = render(*makeJsonReporter(), run);
  auto parsed = llvm::json::parse(out);
  if (!parsed) {
    ADD_FAILURE() << "invalid JSON: " << llvm::toString(parsed.takeError()) << "\n" << out;
    return nullptr;
  }
  return std::move(*parsed);
}

TEST(JsonReporter, MatchesGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.json", render(*makeJsonReporter(), sample->run));
}

TEST(JsonReporter, TopLevelShape) {
  auto sample = makeSampleRun();
  llvm::json::Value root = parseJson(sample->run);
  const llvm::json::Object *top = root.getAsObject();
  ASSERT_TRUE(top);
  EXPECT_EQ(num(*top, "schemaVersion"), kJsonSchemaVersion);
  EXPECT_EQ(str(*top->getObject("tool"), "name"), "mpauth");
  // Suppressed findings are listed (flagged), notifications are apart.
  EXPECT_EQ(top->getArray("findings")->size(), 4u);
  EXPECT_EQ(top->getArray("notifications")->size(), 2u);
  const llvm::json::Object *summary = top->getObject("summary");
  EXPECT_EQ(num(*summary, "problems"), 3);
  EXPECT_EQ(num(*summary, "suppressed"), 1);
  EXPECT_EQ(num(*summary, "filesAnalyzed"), 12);
}

TEST(JsonReporter, FindingFields) {
  auto sample = makeSampleRun();
  llvm::json::Value root = parseJson(sample->run);
  const llvm::json::Array &findings = *root.getAsObject()->getArray("findings");

  const llvm::json::Object &leak = *findings[1].getAsObject();
  EXPECT_EQ(str(leak, "ruleId"), "openid-leak");
  EXPECT_EQ(str(leak, "severity"), "error");
  // Line 9 of a CRLF file; column 53 counts the two CJK characters before it as one each.
  EXPECT_EQ(num(leak, "line"), 9);
  EXPECT_EQ(num(leak, "column"), 53);
  EXPECT_EQ(num(leak, "endColumn"), 59);
  EXPECT_EQ(leak.getArray("flow")->size(), 3u);
  EXPECT_EQ(leak.getArray("related")->size(), 1u);
  EXPECT_EQ(leak.get("fix")->kind(), llvm::json::Value::Null);
  EXPECT_EQ(flag(leak, "suppressed"), "false");
  EXPECT_EQ(leak.get("justification")->kind(), llvm::json::Value::Null);
  EXPECT_EQ(str(leak, "fingerprint"), findingFingerprint(sample->run, sample->run.diagnostics[1]));

  // The insertion edit is in a file with a BOM: the offset counts the BOM's three bytes.
  const llvm::json::Object &insertion = *findings[2].getAsObject();
  const llvm::json::Object &edit =
      *insertion.getObject("fix")->getArray("edits")->front().getAsObject();
  EXPECT_EQ(num(edit, "offset"), sample->run.diagnostics[2].fix->edits[0].range.begin + 3);
  EXPECT_EQ(num(edit, "length"), 0);
  EXPECT_EQ(num(edit, "line"), 3);
  EXPECT_EQ(num(edit, "column"), 12);

  const llvm::json::Object &suppressed = *findings[3].getAsObject();
  EXPECT_EQ(flag(suppressed, "suppressed"), "true");
  EXPECT_EQ(str(suppressed, "justification"), "测试环境专用, never deployed");
  EXPECT_EQ(str(suppressed, "path"), "cloudfunctions/获取 openid/index.js");
}

TEST(JsonReporter, InvalidUtf8InAMessageDegradesInsteadOfBreakingTheDocument) {
  auto sample = makeEmptyRun();
  uint32_t file = sample->addFile("a.js", "x\n");
  Diagnostic d;
  d.rule = &kHardcodedEnv;
  d.message = "Bad \xC3 byte.";
  d.primary = sample->find(file, "x");
  sample->run.diagnostics.push_back(d);
  llvm::json::Value root = parseJson(sample->run);
  const llvm::json::Object &finding =
      *root.getAsObject()->getArray("findings")->front().getAsObject();
  EXPECT_EQ(str(finding, "message"), "Bad \xEF\xBF\xBD byte.");
}

void collectKeys(const llvm::json::Value &value, std::set<std::string> &keys) {
  if (const llvm::json::Object *object = value.getAsObject()) {
    for (const auto &[key, member] : *object) {
      keys.insert(key.str());
      if (key != "arguments") // its keys are the message's argument names, not fields
        collectKeys(member, keys);
    }
  } else if (const llvm::json::Array *array = value.getAsArray()) {
    for (const llvm::json::Value &element : *array)
      collectKeys(element, keys);
  }
}

// docs/json-output.md is the contract: every field the reporter writes is documented there,
// and its example is valid JSON of the current schema version.
TEST(JsonReporter, EveryFieldIsDocumented) {
  auto doc = llvm::MemoryBuffer::getFile(std::string(MPAUTH_SOURCE_DIR) + "/docs/json-output.md");
  ASSERT_TRUE(doc) << "docs/json-output.md is missing";
  llvm::StringRef text = (*doc)->getBuffer();

  auto sample = makeSampleRun();
  std::set<std::string> keys;
  collectKeys(parseJson(sample->run), keys);
  for (const std::string &key : keys)
    EXPECT_TRUE(text.contains("`" + key + "`")) << "field '" << key << "' is not documented";

  size_t begin = text.find("```json\n");
  ASSERT_TRUE(begin != llvm::StringRef::npos) << "the doc has no JSON example";
  begin += 8;
  llvm::StringRef example = text.slice(begin, text.find("```", begin));
  auto parsed = llvm::json::parse(example);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(num(*parsed->getAsObject(), "schemaVersion"), kJsonSchemaVersion);
}

} // namespace
} // namespace mpauth::report_test
