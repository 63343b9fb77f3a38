// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
// Escaping follows the runner's own rules (actions/toolkit command.ts): a value that is not
// escaped can end the command early or inject a second one.
#include "analyzer/report/ReportModel.h"

#include "fmt/format.h"

namespace mpauth {

namespace {

std::string escapeData(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string escapeProperty(llvm::StringRef text) {
  std::string out;
  for (char c : escapeData(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

const char *command(Severity s) {
  switch (s) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "notice";
  }
  return "warning";
}

class GithubReporter final : public Reporter {
public:
  void write(const RunResult &run, llvm::raw_ostream &out) override {
    for (const Diagnostic &d : run.diagnostics) {
      if (d.suppression)
        continue;
      SourceSpan span = resolveSpan(run, d.primary);
      std::string properties;
      if (span.file)
        properties = fmt::format("file={},line={},col={},endLine={},endColumn={},",
                                 escapeProperty(span.path), span.start.line, span.start.column,
                                 span.end.line, span.end.column);
      properties += "title=" + escapeProperty(ruleIdOf(d));
      out << "::" << command(d.severity) << ' ' << properties << "::" << escapeData(messageOf(d))
          << '\n';
    }
    for (const Notification &n : run.notifications) {
      std::vector<std::string> properties;
      if (!n.path.empty()) {
        properties.push_back("file=" + escapeProperty(n.path));
        if (n.line)
          properties.push_back(fmt::format("line={}", *n.line));
        if (n.line && n.column)
          properties.push_back(fmt::format("col={}", *n.column));
      }
      properties.push_back("title=" + escapeProperty(n.id.empty() ? "mpauth" : "mpauth:" + n.id));
      out << "::" << command(n.level) << ' ' << fmt::format("{}", fmt::join(properties, ","))
          << "::" << escapeData(n.message) << '\n';
    }
  }
};

} // namespace

std::unique_ptr<Reporter> makeGithubReporter() {
  return std::make_unique<GithubReporter>();
}

} // namespace mpauth
