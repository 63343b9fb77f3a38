#include "FixtureSupport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mpauth::testing {

std::string sourceDir() {
  return MPAUTH_SOURCE_DIR;
}

std::string Expectation::describe() const {
  std::string out = path + ":" + std::to_string(line) + ": " + rule;
  if (!messageId.empty())
    out += ":" + messageId;
  if (!severity.empty())
    out += "@" + severity;
  return out;
}

namespace {

bool isSourceFile(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".js" || ext == ".ts" || ext == ".tsx" || ext == ".jsx" || ext == ".mjs" ||
         ext == ".cjs" || ext == ".vue" || ext == ".wxml";
}

void parseList(llvm::StringRef list, Expectation base, std::vector<Expectation> &out) {
  llvm::SmallVector<llvm::StringRef, 4> items;
  list.split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    item = item.trim();
    // Anything after the first blank is commentary: `// expect: rule -- why`.
    item = item.take_until([](char c) { return c == ' ' || c == '\t'; });
    if (item.empty())
      continue;
    Expectation e = base;
    auto [ruleAndId, severity] = item.split('@');
    auto [rule, id] = ruleAndId.split(':');
    e.rule = rule.str();
    e.messageId = id.str();
    e.severity = severity.str();
    out.push_back(e);
  }
}

} // namespace

std::vector<Expectation> readExpectations(const std::string &fixtureDir) {
  std::vector<Expectation> out;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(fixtureDir, ec), end; it != end && !ec;
       it.increment(ec)) {
    if (!isSourceFile(it->path()) || llvm::StringRef(it->path()).endswith(".fixed"))
      continue;
    auto buffer = llvm::MemoryBuffer::getFile(it->path());
    if (!buffer)
      continue;
    llvm::SmallString<128> rel(it->path());
    llvm::sys::path::replace_path_prefix(rel, fixtureDir + "/", "");
    llvm::SmallVector<llvm::StringRef, 64> lines;
    (*buffer)->getBuffer().split(lines, '\n');
    for (unsigned i = 0; i < lines.size(); ++i) {
      llvm::StringRef line = lines[i];
      static const std::pair<const char *, Expectation::Kind> kMarkers[] = {
          {"expect-missing:", Expectation::Kind::Missing},
          {"expect-spurious:", Expectation::Kind::Spurious},
          {"expect:", Expectation::Kind::Expect}};
      for (const auto &[marker, kind] : kMarkers) {
        size_t at = line.find(marker);
        if (at == llvm::StringRef::npos)
          continue;
        // Only inside a comment: `// expect:` or `/* expect: */` or `<!-- expect: -->`.
        llvm::StringRef before = line.substr(0, at).rtrim();
        if (!before.endswith("//") && !before.endswith("/*") && !before.endswith("<!--"))
          continue;
        Expectation base;
        base.path = std::string(rel.str());
        base.line = i + 1;
        base.kind = kind;
        llvm::StringRef list = line.substr(at + strlen(marker));
        list = list.take_until([](char c) { return c == '*' || c == '\r'; });
        if (list.contains("-->"))
          list = list.substr(0, list.find("-->"));
        parseList(list, base, out);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Expectation &a, const Expectation &b) {
    return std::tie(a.path, a.line, a.rule) < std::tie(b.path, b.line, b.rule);
  });
  return out;
}

std::unique_ptr<Analysis> analyzeFixture(const std::string &fixtureDir) {
  AnalysisOptions options;
  options.targets = {fixtureDir};
  options.srcRoot = fixtureDir;
  options.jobs = 1;
  auto analysis = analyze(options);
  if (!analysis) {
    ADD_FAILURE() << "analysis failed: " << llvm::toString(analysis.takeError());
    return nullptr;
  }
  return std::move(*analysis);
}

std::vector<std::string> fixtureCases() {
  std::vector<std::string> cases;
  std::string root = sourceDir() + "/fixtures";
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator rule(root, ec), end; rule != end && !ec;
       rule.increment(ec)) {
    if (!llvm::sys::fs::is_directory(rule->path()))
      continue;
    std::error_code ec2;
    for (llvm::sys::fs::directory_iterator c(rule->path(), ec2), end2; c != end2 && !ec2;
         c.increment(ec2))
      if (llvm::sys::fs::is_directory(c->path()))
        cases.push_back(c->path().substr(root.size() + 1));
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

} // namespace mpauth::testing
