#include "analyzer/report/ReportModel.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace mpauth {

const SourceFile *fileOf(const RunResult &run, const Location &where) {
  if (where.file >= run.files.size())
    return nullptr;
  return run.files[where.file];
}

SourceSpan resolveSpan(const RunResult &run, const Location &where) {
  SourceSpan span;
  span.file = fileOf(run, where);
  if (!span.file)
    return span;
  span.path = span.file->path();
  span.start = span.file->lineColumn(where.begin);
  span.end = span.file->lineColumn(std::max(where.begin, where.end));
  return span;
}

llvm::StringRef ruleIdOf(const Diagnostic &d) {
  if (!d.rule || d.rule->id.empty())
    return "mpauth";
  return llvm::StringRef(d.rule->id.data(), d.rule->id.size());
}

std::string messageOf(const Diagnostic &d) {
  if (!d.message.empty() || !d.rule)
    return d.message;
  if (const MessageTemplate *templ = d.rule->message(d.messageId))
    return renderMessage(templ->en, d.args);
  return d.message;
}

std::string jsonText(llvm::StringRef text) {
  return llvm::json::isUTF8(text) ? text.str() : llvm::json::fixUTF8(text);
}

FindingCounts countFindings(const RunResult &run) {
  FindingCounts counts;
  for (const Diagnostic &d : run.diagnostics) {
    if (d.suppression) {
      ++counts.suppressed;
      continue;
    }
    switch (d.severity) {
    case Severity::Error:
      ++counts.errors;
      break;
    case Severity::Warning:
      ++counts.warnings;
      break;
    case Severity::Note:
      ++counts.notes;
      break;
    }
  }
  return counts;
}

namespace {

bool isUnreserved(unsigned char c) {
  return llvm::isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

void appendEncoded(std::string &out, llvm::StringRef text) {
  for (unsigned char c : text) {
    if (isUnreserved(c) || c == '/') {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += llvm::hexdigit(c >> 4, /*LowerCase=*/false);
    out += llvm::hexdigit(c & 0xF, /*LowerCase=*/false);
  }
}

} // namespace

std::string encodeUriPath(llvm::StringRef path) {
  std::string out;
  out.reserve(path.size());
  appendEncoded(out, path);
  return out;
}

std::string directoryFileUri(llvm::StringRef directory) {
  std::string path = directory.str();
  std::replace(path.begin(), path.end(), '\\', '/');
  std::string uri = "file://";
  llvm::StringRef rest = path;
  // A Windows drive ("C:/src") keeps its colon: "file:///C:/src/".
  if (rest.size() >= 2 && llvm::isAlpha(rest[0]) && rest[1] == ':') {
    uri += '/';
    uri += rest.take_front(2);
    rest = rest.drop_front(2);
  } else if (!rest.startswith("/")) {
    uri += '/';
  }
  appendEncoded(uri, rest);
  if (uri.back() != '/')
    uri += '/';
  return uri;
}

} // namespace mpauth
