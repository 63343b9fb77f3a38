#include "analyzer/source/SourceFile.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace mpauth {

namespace {

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

TextProblem classify(llvm::StringRef bytes) {
  if (bytes.find('\0') != llvm::StringRef::npos)
    return TextProblem::Binary;
  // What llvm::isLegalUTF8String checks, with runs of ASCII skipped eight bytes at a time.
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(bytes.data());
  const llvm::UTF8 *end = p + bytes.size();
  while (p != end) {
    uint64_t word;
    while (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ULL) == 0))
      p += 8;
    while (p != end && *p < 0x80)
      ++p;
    if (p == end)
      break;
    if (!llvm::isLegalUTF8Sequence(p, end))
      return TextProblem::InvalidUtf8;
    p += llvm::getNumBytesForUTF8(*p);
  }
  return TextProblem::None;
}

} // namespace

uint32_t countCodePoints(llvm::StringRef bytes) {
  uint32_t count = 0;
  for (unsigned char c : bytes)
    if (!isContinuation(c))
      ++count;
  return count;
}

SourceFile::SourceFile(std::string absolutePath, std::string displayPath, std::string text)
    : AbsolutePath(std::move(absolutePath)), DisplayPath(std::move(displayPath)),
      Text(std::move(text)) {
  if (llvm::StringRef(Text).startswith("\xEF\xBB\xBF")) {
    HadBom = true;
    Text.erase(0, 3);
  }
  Problem = classify(Text);
  indexLines();
}

llvm::Expected<std::unique_ptr<SourceFile>>
SourceFile::load(llvm::StringRef absolutePath, llvm::StringRef displayPath, uint64_t maxBytes) {
  auto buffer = llvm::MemoryBuffer::getFile(absolutePath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: cannot read file: %s",
                                   displayPath.str().c_str(), buffer.getError().message().c_str());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() > maxBytes) {
    std::unique_ptr<SourceFile> file(new SourceFile(absolutePath.str(), displayPath.str(), ""));
    file->Problem = TextProblem::TooLarge;
    return file;
  }
  return std::unique_ptr<SourceFile>(
      new SourceFile(absolutePath.str(), displayPath.str(), bytes.str()));
}

std::unique_ptr<SourceFile> SourceFile::fromText(llvm::StringRef displayPath, std::string text) {
  return std::unique_ptr<SourceFile>(
      new SourceFile(displayPath.str(), displayPath.str(), std::move(text)));
}

void SourceFile::indexLines() {
  LineStarts.clear();
  LineStarts.push_back(0);
  const std::string &t = Original.empty() ? Text : Original;
  for (uint32_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\n') {
      LineStarts.push_back(i + 1);
    } else if (c == '\r') {
      if (i + 1 < t.size() && t[i + 1] == '\n') {
        UsesCrlf = true;
        continue; // the '\n' starts the next line
      }
      LineStarts.push_back(i + 1);
    }
  }
}

void SourceFile::setAnalyzedText(std::string text) {
  if (Original.empty())
    Original = Text;
  Text = std::move(text);
}

LineColumn SourceFile::lineColumn(uint32_t offset) const {
  llvm::StringRef t = originalText();
  offset = std::min<uint32_t>(offset, t.size());
  auto it = std::upper_bound(LineStarts.begin(), LineStarts.end(), offset);
  uint32_t lineIndex = static_cast<uint32_t>(it - LineStarts.begin()) - 1;
  uint32_t start = LineStarts[lineIndex];
  return {lineIndex + 1, countCodePoints(t.substr(start, offset - start)) + 1};
}

uint32_t SourceFile::utf16Column(uint32_t offset) const {
  llvm::StringRef t = originalText();
  offset = std::min<uint32_t>(offset, t.size());
  auto it = std::upper_bound(LineStarts.begin(), LineStarts.end(), offset);
  uint32_t start = *(it - 1);
  uint32_t units = 0;
  for (uint32_t i = start; i < offset; ++i) {
    unsigned char c = t[i];
    if (isContinuation(c))
      continue;
    units += (c >= 0xF0) ? 2 : 1; // four-byte sequences are surrogate pairs in UTF-16
  }
  return units + 1;
}

uint32_t SourceFile::offsetOf(LineColumn position) const {
  if (position.line == 0 || LineStarts.empty())
    return 0;
  uint32_t lineIndex = std::min<uint32_t>(position.line, lineCount()) - 1;
  llvm::StringRef line = lineText(lineIndex + 1);
  uint32_t offset = LineStarts[lineIndex];
  uint32_t column = 1;
  for (size_t i = 0; i < line.size() && column < position.column; ++i) {
    ++offset;
    if (i + 1 >= line.size() || !isContinuation(static_cast<unsigned char>(line[i + 1])))
      ++column;
  }
  return offset;
}

llvm::StringRef SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineCount())
    return {};
  llvm::StringRef t = originalText();
  uint32_t start = LineStarts[line - 1];
  uint32_t end = line < lineCount() ? LineStarts[line] : static_cast<uint32_t>(t.size());
  llvm::StringRef text = t.substr(start, end - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text = text.drop_back();
  return text;
}

} // namespace mpauth
