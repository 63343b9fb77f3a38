// GitLab Code Quality: the subset of the Code Climate issue format that GitLab reads from an
// `artifacts: reports: codequality` file and shows in merge requests. GitLab tracks an issue
// between the base and the head of a merge request by its fingerprint alone, and drops all but
// one of the issues that share a fingerprint, so every fingerprint here is unique.
//
// Severity: GitLab has five levels and mpauth three. Note -> info, warning -> major,
// error -> critical: evenly spaced, with `minor` left for style-level findings (mpauth has
// none) and `blocker` left unused, because whether a finding blocks a merge is the pipeline's
// decision (`--fail-on`), not the report's.
#include "analyzer/report/ReportModel.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SHA256.h"

#include <algorithm>

namespace mpauth {

namespace {

using llvm::json::OStream;

const char *gitlabSeverity(Severity s) {
  switch (s) {
  case Severity::Note:
    return "info";
  case Severity::Warning:
    return "major";
  case Severity::Error:
    return "critical";
  }
  return "major";
}

// Code Climate's categories; mpauth's findings are security findings unless their rule says
// otherwise.
const char *categoryOf(const Diagnostic &d) {
  if (!d.rule)
    return "Bug Risk";
  bool security = std::any_of(d.rule->tags.begin(), d.rule->tags.end(),
                              [](std::string_view tag) { return tag == "security"; });
  return security ? "Security" : "Bug Risk";
}

// The n-th (n >= 1) repeat of a fingerprint: two findings with the same rule, path and code
// text (the same statement written twice in one file) hash alike, and GitLab would show one.
// The first keeps the plain fingerprint, equal to the JSON and SARIF ones.
std::string repeatFingerprint(llvm::StringRef base, unsigned n) {
  llvm::SHA256 hasher;
  hasher.update(base);
  hasher.update(llvm::StringRef("\0", 1));
  hasher.update(std::to_string(n));
  return llvm::toHex(hasher.final(), /*LowerCase=*/true).substr(0, 32);
}

class GitlabReporter final : public Reporter {
public:
  void write(const RunResult &run, llvm::raw_ostream &out) override {
    llvm::StringSet<> used;
    {
      OStream j(out, /*IndentSize=*/2);
      j.array([&] {
        for (const Diagnostic &d : run.diagnostics) {
          if (d.suppression)
            continue;
          std::string base = findingFingerprint(run, d);
          std::string fingerprint = base;
          for (unsigned n = 1; !used.insert(fingerprint).second; ++n)
            fingerprint = repeatFingerprint(base, n);
          SourceSpan span = resolveSpan(run, d.primary);
          j.object([&] {
            j.attribute("type", "issue");
            j.attribute("engine_name", "mpauth");
            j.attribute("check_name", jsonText(ruleIdOf(d)));
            j.attribute("description", jsonText(messageOf(d)));
            j.attributeArray("categories", [&] { j.value(categoryOf(d)); });
            j.attribute("severity", gitlabSeverity(d.severity));
            j.attribute("fingerprint", fingerprint);
            j.attributeObject("location", [&] {
              j.attribute("path", jsonText(span.path));
              j.attributeObject("lines", [&] {
                j.attribute("begin", std::max<uint32_t>(1, span.start.line));
                j.attribute("end", std::max<uint32_t>({1, span.start.line, span.end.line}));
              });
            });
          });
        }
      });
    }
    out << '\n';
  }
};

} // namespace

std::unique_ptr<Reporter> makeGitlabReporter() {
  return std::make_unique<GitlabReporter>();
}

} // namespace mpauth
