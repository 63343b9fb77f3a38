// Clang-style text: what a developer reads in a terminal or an editor's build pane.
#include "analyzer/report/ReportModel.h"

#include "fmt/format.h"
#include "llvm/Support/Unicode.h"

#include <cstdint>
#include <vector>

namespace mpauth {

namespace {

using Colors = llvm::raw_ostream::Colors;

Colors severityColor(Severity s) {
  switch (s) {
  case Severity::Error:
    return Colors::RED;
  case Severity::Warning:
    return Colors::MAGENTA;
  case Severity::Note:
    return Colors::CYAN;
  }
  return Colors::MAGENTA;
}

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// How many terminal columns a code point takes: 2 for East Asian wide characters, 0 for
// combining marks, 1 for anything else (control characters and invalid bytes included).
unsigned displayWidth(llvm::StringRef codePoint) {
  int width = llvm::sys::unicode::columnWidthUTF8(codePoint);
  return width < 0 ? 1 : static_cast<unsigned>(width);
}

// The line under a source line that marks columns [startColumn, endColumn) with "^~~~".
// Code points are delimited as countCodePoints() does, so columns agree with lineColumn().
// Tabs before and inside the range are copied as tabs so that the marks stay under their
// characters whatever the terminal's tab stops are.
std::string underline(llvm::StringRef line, uint32_t startColumn, uint32_t endColumn) {
  std::string out;
  uint32_t column = 1;
  size_t i = 0;
  auto mark = [&](char c, unsigned width) {
    for (unsigned k = 0; k < width; ++k)
      out += c;
  };
  while (i < line.size() && column < std::max(endColumn, startColumn + 1)) {
    size_t next = i + 1;
    while (next < line.size() && isContinuation(static_cast<unsigned char>(line[next])))
      ++next;
    llvm::StringRef codePoint = line.slice(i, next);
    if (column < startColumn) {
      if (codePoint == "\t")
        out += '\t';
      else
        mark(' ', displayWidth(codePoint));
    } else if (codePoint == "\t") {
      out += column == startColumn ? "^\t" : "\t";
    } else {
      unsigned width = std::max(1u, displayWidth(codePoint));
      if (column == startColumn) {
        out += '^';
        if (endColumn > startColumn) // an insertion point gets a bare caret
          mark('~', width - 1);
      } else {
        mark('~', width);
      }
    }
    i = next;
    ++column;
  }
  // A range that starts at the end of the line (or is empty there) still gets its caret.
  if (column <= startColumn)
    out += '^';
  return out;
}

class TextReporter final : public Reporter {
public:
  explicit TextReporter(TextOptions options) : Options(options) {}

  void write(const RunResult &run, llvm::raw_ostream &out) override {
    bool colorsWere = out.colors_enabled();
    out.enable_colors(Options.color);
    bool printedAny = false;
    for (const Diagnostic &d : run.diagnostics) {
      if (d.suppression)
        continue;
      writeFinding(run, d, out);
      printedAny = true;
    }
    for (const Notification &n : run.notifications) {
      writeNotification(n, out);
      printedAny = true;
    }
    if (!Options.quiet) {
      if (printedAny)
        out << '\n';
      for (const std::string &line : run.projectSummary)
        out << line << '\n';
      out << summaryLine(run) << '\n';
    }
    out.enable_colors(colorsWere);
  }

private:
  void writeHeader(llvm::raw_ostream &out, llvm::StringRef location, Severity severity,
                   llvm::StringRef message, llvm::StringRef tag) {
    out.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
    out << location << ": ";
    out.changeColor(severityColor(severity), /*Bold=*/true);
    out << severityName(severity) << ':';
    out.resetColor();
    out.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
    out << ' ' << message;
    if (!tag.empty())
      out << " [" << tag << ']';
    out.resetColor();
    out << '\n';
  }

  static std::string locationText(const SourceSpan &span) {
    if (!span.file)
      return "<unknown>";
    return fmt::format("{}:{}:{}", span.path.str(), span.start.line, span.start.column);
  }

  void writeSnippet(llvm::raw_ostream &out, const SourceSpan &span) {
    if (!span.file)
      return;
    llvm::StringRef line = span.file->lineText(span.start.line);
    // Only the first line of a multi-line range is shown, underlined to its end.
    uint32_t endColumn = span.end.line == span.start.line ? span.end.column : UINT32_MAX;
    out << line << '\n';
    out.changeColor(Colors::GREEN, /*Bold=*/true);
    out << underline(line, span.start.column, endColumn);
    out.resetColor();
    out << '\n';
  }

  void writeNote(const RunResult &run, llvm::raw_ostream &out, const Location &where,
                 llvm::StringRef message) {
    SourceSpan span = resolveSpan(run, where);
    writeHeader(out, locationText(span), Severity::Note, message, {});
    writeSnippet(out, span);
  }

  void writeFinding(const RunResult &run, const Diagnostic &d, llvm::raw_ostream &out) {
    SourceSpan span = resolveSpan(run, d.primary);
    writeHeader(out, locationText(span), d.severity, messageOf(d), ruleIdOf(d));
    writeSnippet(out, span);
    for (const RelatedLocation &related : d.related)
      writeNote(run, out, related.where, related.message);
    for (const FlowStep &step : d.flow)
      writeNote(run, out, step.where, step.message);
    if (d.fix)
      out << (run.lang == "zh-CN" ? "  可自动修复：" : "  fix available: ") << d.fix->description
          << '\n';
  }

  void writeNotification(const Notification &n, llvm::raw_ostream &out) {
    std::string location = n.path.empty() ? std::string("mpauth") : n.path;
    if (!n.path.empty() && n.line) {
      location += fmt::format(":{}", *n.line);
      if (n.column)
        location += fmt::format(":{}", *n.column);
    }
    std::string tag = n.id.empty() ? std::string() : "mpauth:" + n.id;
    writeHeader(out, location, n.level, n.message, tag);
  }

  static std::string plural(size_t count, llvm::StringRef noun) {
    return fmt::format("{} {}{}", count, noun.str(), count == 1 ? "" : "s");
  }

  // "3 problems (1 error, 1 warning, 1 note) in 12 files, 2 suppressed, 4 baselined", or
  // "no problems in 12 files"; in Chinese with --lang zh-CN.
  static std::string summaryLine(const RunResult &run) {
    FindingCounts counts = countFindings(run);
    if (run.lang == "zh-CN")
      return summaryLineZhCN(run, counts);
    std::string line;
    if (counts.reported() == 0) {
      line = "no problems";
    } else {
      std::vector<std::string> parts;
      if (counts.errors)
        parts.push_back(plural(counts.errors, "error"));
      if (counts.warnings)
        parts.push_back(plural(counts.warnings, "warning"));
      if (counts.notes)
        parts.push_back(plural(counts.notes, "note"));
      line = fmt::format("{} ({})", plural(counts.reported(), "problem"), fmt::join(parts, ", "));
    }
    line += " in " + plural(run.filesAnalyzed, "file");
    if (counts.suppressed)
      line += fmt::format(", {} suppressed", counts.suppressed);
    if (run.baselined)
      line += fmt::format(", {} baselined", run.baselined);
    return line;
  }

  // "3 个问题（1 个错误，1 个警告，1 个提示），共检查 12 个文件，2 个已抑制，4 个已在基线中".
  static std::string summaryLineZhCN(const RunResult &run, const FindingCounts &counts) {
    std::string line;
    if (counts.reported() == 0) {
      line = "未发现问题";
    } else {
      std::vector<std::string> parts;
      if (counts.errors)
        parts.push_back(fmt::format("{} 个错误", counts.errors));
      if (counts.warnings)
        parts.push_back(fmt::format("{} 个警告", counts.warnings));
      if (counts.notes)
        parts.push_back(fmt::format("{} 个提示", counts.notes));
      line = fmt::format("{} 个问题（{}）", counts.reported(), fmt::join(parts, "，"));
    }
    line += fmt::format("，共检查 {} 个文件", run.filesAnalyzed);
    if (counts.suppressed)
      line += fmt::format("，{} 个已抑制", counts.suppressed);
    if (run.baselined)
      line += fmt::format("，{} 个已在基线中", run.baselined);
    return line;
  }

  TextOptions Options;
};

} // namespace

std::unique_ptr<Reporter> makeTextReporter(TextOptions options) {
  return std::make_unique<TextReporter>(options);
}

} // namespace mpauth
