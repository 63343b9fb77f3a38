// Fingerprints hash what a finding is about, never where it is: code scanning and baselines
// must recognize the same finding after lines are inserted above it or it is re-indented.
#include "analyzer/report/ReportModel.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"

#include <algorithm>

namespace mpauth {

namespace {

// Collapses every run of whitespace (line breaks included) into one space and trims the ends,
// so that re-indentation, re-wrapping and CRLF/LF changes keep the fingerprint.
std::string normalizeWhitespace(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  bool pendingSpace = false;
  for (char c : text) {
    if (llvm::isSpace(c)) {
      pendingSpace = !out.empty();
      continue;
    }
    if (pendingSpace)
      out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

llvm::StringRef bytesOf(const SourceFile &file, const Location &where) {
  llvm::StringRef text = file.text();
  size_t begin = std::min<size_t>(where.begin, text.size());
  size_t end = std::clamp<size_t>(where.end, begin, text.size());
  return text.slice(begin, end);
}

// The whole lines the range touches: the context used when the rule gave none.
std::string linesOf(const SourceFile &file, const Location &where) {
  uint32_t first = file.lineColumn(where.begin).line;
  uint32_t last = where.end > where.begin ? file.lineColumn(where.end - 1).line : first;
  std::string out;
  for (uint32_t line = first; line <= last; ++line) {
    out += file.lineText(line);
    out += '\n';
  }
  return out;
}

} // namespace

std::string findingFingerprint(const RunResult &run, const Diagnostic &d) {
  const SourceFile *file = fileOf(run, d.primary);
  std::string context, primary;
  if (file) {
    primary = normalizeWhitespace(bytesOf(*file, d.primary));
    bool hasContext = d.context.end > d.context.begin && d.context.file == d.primary.file;
    context = normalizeWhitespace(hasContext ? bytesOf(*file, d.context).str()
                                             : linesOf(*file, d.primary));
  }
  llvm::SHA256 hasher;
  // NUL separators keep ("ab", "c") and ("a", "bc") apart.
  const llvm::StringRef separator("\0", 1);
  hasher.update(ruleIdOf(d));
  hasher.update(separator);
  hasher.update(file ? file->path() : llvm::StringRef());
  hasher.update(separator);
  hasher.update(context);
  hasher.update(separator);
  hasher.update(primary);
  return llvm::toHex(hasher.final(), /*LowerCase=*/true).substr(0, 32);
}

} // namespace mpauth
