// The source layer: BOM, line terminators, code point and UTF-16 columns, text problems.
#include "analyzer/source/SourceFile.h"
#include "support/TempDir.h"

#include <gtest/gtest.h>

#include <string>

namespace mpauth {
namespace {

std::unique_ptr<SourceFile> fromText(std::string text) {
  return SourceFile::fromText("test.js", std::move(text));
}

TEST(EngineSourceFile, StripsBomAndRemembersIt) {
  auto file = fromText("\xEF\xBB\xBF"
                       "const a = 1\n");
  EXPECT_TRUE(file->hadBom());
  EXPECT_EQ(file->text(), "const a = 1\n");
  EXPECT_EQ(file->problem(), TextProblem::None);
  // Offsets refer to the text without the BOM, and the BOM is not a column.
  EXPECT_EQ(file->lineColumn(0), (LineColumn{1, 1}));
  EXPECT_EQ(file->lineColumn(6), (LineColumn{1, 7}));
  EXPECT_EQ(file->lineText(1), "const a = 1");

  auto plain = fromText("x");
  EXPECT_FALSE(plain->hadBom());
  EXPECT_EQ(plain->text(), "x");
}

TEST(EngineSourceFile, OnlyALeadingBomIsStripped) {
  auto file = fromText("a\xEF\xBB\xBF");
  EXPECT_FALSE(file->hadBom());
  EXPECT_EQ(file->text().size(), 4u);
}

TEST(EngineSourceFile, CrlfLines) {
  //                     0 1  2  3 4 5  6  7
  auto file = fromText("a\r\nbc\r\nd");
  EXPECT_TRUE(file->usesCrlf());
  ASSERT_EQ(file->lineCount(), 3u);
  EXPECT_EQ(file->lineText(1), "a");
  EXPECT_EQ(file->lineText(2), "bc");
  EXPECT_EQ(file->lineText(3), "d");
  EXPECT_EQ(file->lineColumn(3), (LineColumn{2, 1}));
  EXPECT_EQ(file->lineColumn(4), (LineColumn{2, 2}));
  EXPECT_EQ(file->lineColumn(7), (LineColumn{3, 1}));
  EXPECT_EQ(file->offsetOf({2, 2}), 4u);
  EXPECT_EQ(file->offsetOf({3, 1}), 7u);
  // A column past the end of a CRLF line stops before the terminator.
  EXPECT_EQ(file->offsetOf({2, 99}), 5u);
}

TEST(EngineSourceFile, LoneCrEndsALine) {
  auto file = fromText("ab\rcd\ne");
  EXPECT_FALSE(file->usesCrlf());
  ASSERT_EQ(file->lineCount(), 3u);
  EXPECT_EQ(file->lineText(1), "ab");
  EXPECT_EQ(file->lineText(2), "cd");
  EXPECT_EQ(file->lineText(3), "e");
  EXPECT_EQ(file->lineColumn(3), (LineColumn{2, 1}));
  EXPECT_EQ(file->lineColumn(4), (LineColumn{2, 2}));
  EXPECT_EQ(file->lineColumn(6), (LineColumn{3, 1}));
}

TEST(EngineSourceFile, MixedTerminatorsCountEachOnce) {
  auto file = fromText("a\n\r\n\rb");
  ASSERT_EQ(file->lineCount(), 4u);
  EXPECT_EQ(file->lineText(1), "a");
  EXPECT_EQ(file->lineText(2), "");
  EXPECT_EQ(file->lineText(3), "");
  EXPECT_EQ(file->lineText(4), "b");
  EXPECT_EQ(file->lineColumn(5), (LineColumn{4, 1}));
}

TEST(EngineSourceFile, ColumnsCountCodePointsForCjk) {
  // "const 名字 = '值'": 名 and 字 are three bytes each.
  std::string text = "const \xE5\x90\x8D\xE5\xAD\x97 = '\xE5\x80\xBC'";
  auto file = fromText(text);
  EXPECT_EQ(file->problem(), TextProblem::None);
  size_t equals = text.find('=');
  ASSERT_EQ(equals, 13u);
  EXPECT_EQ(file->lineColumn(static_cast<uint32_t>(equals)), (LineColumn{1, 10}));
  EXPECT_EQ(file->utf16Column(static_cast<uint32_t>(equals)), 10u);
  size_t quote = text.rfind('\'');
  EXPECT_EQ(file->lineColumn(static_cast<uint32_t>(quote)), (LineColumn{1, 14}));
  EXPECT_EQ(countCodePoints(text), 14u);
}

TEST(EngineSourceFile, EmojiIsOneColumnButTwoUtf16Units) {
  // U+1F600 is four bytes in UTF-8 and a surrogate pair in UTF-16.
  std::string text = "x\n'\xF0\x9F\x98\x80' + b";
  auto file = fromText(text);
  EXPECT_EQ(file->problem(), TextProblem::None);
  uint32_t plus = static_cast<uint32_t>(text.find('+'));
  EXPECT_EQ(file->lineColumn(plus), (LineColumn{2, 5}));
  EXPECT_EQ(file->utf16Column(plus), 6u);
  uint32_t b = static_cast<uint32_t>(text.find('b'));
  EXPECT_EQ(file->lineColumn(b), (LineColumn{2, 7}));
  EXPECT_EQ(file->utf16Column(b), 8u);
  // A three-byte character is one UTF-16 unit.
  auto cjk = fromText("\xE7\x99\xBB"
                      "a");
  EXPECT_EQ(cjk->utf16Column(3), 2u);
}

TEST(EngineSourceFile, OffsetOfRoundTripsEveryCodePoint) {
  std::string text = "a\xE5\x90\x8D\xF0\x9F\x98\x80z\r\n\xC3\xA9t\xC3\xA9\n\n"
                     "last\xE5\xAD\x97";
  auto file = fromText(text);
  ASSERT_EQ(file->problem(), TextProblem::None);
  unsigned checked = 0;
  for (uint32_t offset = 0; offset <= text.size(); ++offset) {
    if (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
      continue; // not the start of a code point
    if (offset < text.size() && text[offset] == '\n' && offset > 0 && text[offset - 1] == '\r')
      continue; // inside a CRLF terminator
    LineColumn lc = file->lineColumn(offset);
    EXPECT_EQ(file->offsetOf(lc), offset)
        << "offset " << offset << " -> " << lc.line << ":" << lc.column;
    ++checked;
  }
  EXPECT_EQ(checked, 16u);
}

TEST(EngineSourceFile, OffsetOfClampsOutOfRangePositions) {
  auto file = fromText("ab\ncd");
  EXPECT_EQ(file->offsetOf({0, 5}), 0u);
  EXPECT_EQ(file->offsetOf({1, 99}), 2u);
  EXPECT_EQ(file->offsetOf({99, 1}), 3u); // the last line
  EXPECT_EQ(file->offsetOf({2, 99}), 5u);
  EXPECT_EQ(file->lineColumn(999), (LineColumn{2, 3}));
  EXPECT_EQ(file->lineText(0), "");
  EXPECT_EQ(file->lineText(3), "");
}

TEST(EngineSourceFile, InvalidUtf8IsAProblem) {
  EXPECT_EQ(fromText("const a = '\xFF\xFE'")->problem(), TextProblem::InvalidUtf8);
  EXPECT_EQ(fromText("\xC3")->problem(), TextProblem::InvalidUtf8);         // truncated
  EXPECT_EQ(fromText("\xC0\xAF")->problem(), TextProblem::InvalidUtf8);     // overlong '/'
  EXPECT_EQ(fromText("\xED\xA0\x80")->problem(), TextProblem::InvalidUtf8); // surrogate
  EXPECT_EQ(fromText("\xE5\x90\x8D")->problem(), TextProblem::None);
}

TEST(EngineSourceFile, Utf8IsCheckedWhereverItStands) {
  // ASCII is skipped in runs of eight bytes: a bad or good sequence at any offset, and one cut
  // off by the end of the text, must still be seen.
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    std::string ascii(prefix, 'a');
    EXPECT_EQ(fromText(ascii + "\xC3")->problem(), TextProblem::InvalidUtf8) << prefix;
    EXPECT_EQ(fromText(ascii + "\x80" + ascii)->problem(), TextProblem::InvalidUtf8) << prefix;
    EXPECT_EQ(fromText(ascii + "\xF4\x90\x80\x80")->problem(), TextProblem::InvalidUtf8)
        << prefix; // above U+10FFFF
    EXPECT_EQ(fromText(ascii + "\xE4\xB8\xAD" + ascii + "\xF0\x9F\x98\x80")->problem(),
              TextProblem::None)
        << prefix;
  }
}

TEST(EngineSourceFile, NulMeansBinary) {
  std::string text("var a = 1;\0\0\x01", 13);
  auto file = fromText(text);
  EXPECT_EQ(file->problem(), TextProblem::Binary);
  EXPECT_EQ(file->text().size(), 13u);
}

TEST(EngineSourceFile, EmptyFile) {
  auto file = fromText("");
  EXPECT_EQ(file->problem(), TextProblem::None);
  EXPECT_FALSE(file->hadBom());
  EXPECT_EQ(file->lineCount(), 1u);
  EXPECT_EQ(file->lineText(1), "");
  EXPECT_EQ(file->lineColumn(0), (LineColumn{1, 1}));
  EXPECT_EQ(file->utf16Column(0), 1u);
  EXPECT_EQ(file->offsetOf({1, 1}), 0u);
  EXPECT_EQ(file->offsetOf({5, 5}), 0u);

  auto bomOnly = fromText("\xEF\xBB\xBF");
  EXPECT_TRUE(bomOnly->hadBom());
  EXPECT_EQ(bomOnly->text(), "");
  EXPECT_EQ(bomOnly->lineCount(), 1u);
}

TEST(EngineSourceFile, LastLineWithAndWithoutNewline) {
  auto open = fromText("a\nlast");
  ASSERT_EQ(open->lineCount(), 2u);
  EXPECT_EQ(open->lineText(2), "last");
  EXPECT_EQ(open->lineColumn(6), (LineColumn{2, 5})); // end of text

  auto closed = fromText("a\nlast\n");
  ASSERT_EQ(closed->lineCount(), 3u);
  EXPECT_EQ(closed->lineText(2), "last");
  EXPECT_EQ(closed->lineText(3), "");
  EXPECT_EQ(closed->lineColumn(7), (LineColumn{3, 1}));
}

TEST(EngineSourceFile, SetAnalyzedTextKeepsTheOriginalLines) {
  std::string original = "<template>\xE4\xBD\xA0</template>\r\n<script>\nlet x = 1\n</script>\n";
  auto file = SourceFile::fromText("App.vue", original);
  std::string blanked(original.size(), ' ');
  for (size_t i = 0; i < original.size(); ++i)
    if (original[i] == '\n' || original[i] == '\r')
      blanked[i] = original[i];
  size_t code = original.find("let x");
  blanked.replace(code, 9, "let x = 1");
  file->setAnalyzedText(blanked);

  EXPECT_EQ(file->text(), blanked);
  EXPECT_EQ(file->originalText(), original);
  EXPECT_EQ(file->lineCount(), 5u);
  EXPECT_EQ(file->lineText(1), "<template>\xE4\xBD\xA0</template>");
  EXPECT_EQ(file->lineText(2), "<script>");
  EXPECT_EQ(file->lineText(3), "let x = 1");
  EXPECT_EQ(file->lineColumn(static_cast<uint32_t>(code)), (LineColumn{3, 1}));
  // Columns are those of the original file (the CJK character counts once).
  EXPECT_EQ(file->lineColumn(static_cast<uint32_t>(original.find("</template>"))),
            (LineColumn{1, 12}));
  // A second replacement still keeps the file's own text as the original.
  file->setAnalyzedText(std::string(original.size(), ' '));
  EXPECT_EQ(file->originalText(), original);
  EXPECT_EQ(file->lineText(3), "let x = 1");
}

class EngineSourceFileLoad : public ::testing::Test {
protected:
  std::string write(llvm::StringRef name, llvm::StringRef content) {
    return Dir.write(name, content);
  }
  testing::TempDir Dir{"mpauth-source-test"};
};

TEST_F(EngineSourceFileLoad, ReadsBytesAsTheyAre) {
  std::string path = write("a.js", "\xEF\xBB\xBF"
                                   "a\r\nb");
  auto file = SourceFile::load(path, "pages/a.js", 1024);
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_EQ((*file)->path(), "pages/a.js");
  EXPECT_EQ((*file)->absolutePath(), path);
  EXPECT_TRUE((*file)->hadBom());
  EXPECT_TRUE((*file)->usesCrlf());
  EXPECT_EQ((*file)->text(), "a\r\nb");
}

TEST_F(EngineSourceFileLoad, TooLargeIsAProblemNotAnError) {
  std::string path = write("big.js", std::string(100, 'a'));
  auto file = SourceFile::load(path, "big.js", 99);
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());
  EXPECT_EQ((*file)->problem(), TextProblem::TooLarge);
  EXPECT_EQ((*file)->text(), "");
  auto exact = SourceFile::load(path, "big.js", 100);
  ASSERT_TRUE(static_cast<bool>(exact));
  EXPECT_EQ((*exact)->problem(), TextProblem::None);
}

TEST_F(EngineSourceFileLoad, MissingFileNamesTheFile) {
  std::string path = Dir.path("nope.js");
  auto file = SourceFile::load(path, "cloud/nope.js", 1024);
  ASSERT_FALSE(static_cast<bool>(file));
  std::string message = llvm::toString(file.takeError());
  EXPECT_NE(message.find("cloud/nope.js"), std::string::npos) << message;
}

} // namespace
} // namespace mpauth
