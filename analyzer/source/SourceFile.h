// The source layer: the bytes of one file, decoded once, with offset <-> line/column mapping.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpauth {

// 1-based line; 1-based column counted in Unicode code points (text output, SARIF).
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
  friend bool operator==(const LineColumn &, const LineColumn &) = default;
};

enum class TextProblem { None, Binary, InvalidUtf8, TooLarge };

class SourceFile {
public:
  // Reads `absolutePath`; `displayPath` is how the file is named in output (project-relative).
  // Fails with a message naming the file when it cannot be read. A file that is not text is
  // still returned, with problem() set, so that callers can report the skip.
  static llvm::Expected<std::unique_ptr<SourceFile>>
  load(llvm::StringRef absolutePath, llvm::StringRef displayPath, uint64_t maxBytes);
  static std::unique_ptr<SourceFile> fromText(llvm::StringRef displayPath, std::string text);

  llvm::StringRef absolutePath() const { return AbsolutePath; }
  llvm::StringRef path() const { return DisplayPath; }
  // The text without a leading UTF-8 BOM; all byte offsets in mpauth refer to this text.
  llvm::StringRef text() const { return Text; }
  bool hadBom() const { return HadBom; }
  bool usesCrlf() const { return UsesCrlf; }
  TextProblem problem() const { return Problem; }

  LineColumn lineColumn(uint32_t offset) const;
  // Column in UTF-16 code units (LSP); 1-based.
  uint32_t utf16Column(uint32_t offset) const;
  // Byte offset of a 1-based line/code point column (clamped to the text).
  uint32_t offsetOf(LineColumn position) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(LineStarts.size()); }
  // The line's text without its terminator.
  llvm::StringRef lineText(uint32_t line) const;

  // Replaces the text (used for embedded languages such as .vue, where everything outside the
  // script blocks is blanked so that offsets stay those of the file).
  void setAnalyzedText(std::string text);
  llvm::StringRef originalText() const {
    return Original.empty() ? llvm::StringRef(Text) : Original;
  }

private:
  SourceFile(std::string absolutePath, std::string displayPath, std::string text);
  void indexLines();

  std::string AbsolutePath;
  std::string DisplayPath;
  std::string Text;
  std::string Original; // set only when the analyzed text differs from the file's text
  std::vector<uint32_t> LineStarts;
  bool HadBom = false;
  bool UsesCrlf = false;
  TextProblem Problem = TextProblem::None;
};

// Counts code points in a UTF-8 byte range (invalid bytes count as one each).
uint32_t countCodePoints(llvm::StringRef bytes);

} // namespace mpauth
