// .vue single-file components: script blocks keep the offsets, lines and columns of the file.
#include "analyzer/source/EmbeddedScript.h"
#include "analyzer/source/SourceFile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace mpauth {
namespace {

// Every byte outside [begin, end) ranges must be a space or the file's own line break.
void expectBlankedOutside(const std::string &file, const std::string &out,
                          std::vector<std::pair<size_t, size_t>> kept) {
  ASSERT_EQ(out.size(), file.size());
  for (size_t i = 0; i < file.size(); ++i) {
    bool inside = false;
    for (auto [b, e] : kept)
      inside = inside || (b <= i && i < e);
    if (inside)
      EXPECT_EQ(out[i], file[i]) << "byte " << i << " of a script block changed";
    else if (file[i] == '\n' || file[i] == '\r')
      EXPECT_EQ(out[i], file[i]) << "line break at " << i << " lost";
    else
      EXPECT_EQ(out[i], ' ') << "byte " << i << " outside the scripts was kept";
  }
}

std::pair<size_t, size_t> bodyOf(const std::string &file, size_t occurrence = 0) {
  size_t open = 0;
  for (size_t i = 0; i <= occurrence; ++i) {
    open = file.find("<script", i == 0 ? 0 : open + 1);
    EXPECT_NE(open, std::string::npos);
  }
  size_t begin = file.find('>', open) + 1;
  size_t end = file.find("</script", begin);
  return {begin, end};
}

TEST(EngineEmbeddedScript, BlanksEverythingButTheScript) {
  std::string file = "<template>\n  <view class=\"a\">{{ name }}</view>\n</template>\n\n"
                     "<script>\nexport default {\n  data() { return { a: 1 } }\n}\n</script>\n\n"
                     "<style>\n.a { color: red }\n</style>\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 1u);
  EXPECT_FALSE(script.typescript);
  EXPECT_FALSE(script.tsx);
  expectBlankedOutside(file, script.text, {bodyOf(file)});
  size_t code = file.find("export default");
  EXPECT_EQ(script.text.substr(code, 14), "export default");
  // Same number of lines, same line for the code.
  EXPECT_EQ(std::count(script.text.begin(), script.text.end(), '\n'),
            std::count(file.begin(), file.end(), '\n'));
}

TEST(EngineEmbeddedScript, KeepsCrlf) {
  std::string file =
      "<template>\r\n<view/>\r\n</template>\r\n<script>\r\nlet a = 1\r\n</script>\r\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 1u);
  expectBlankedOutside(file, script.text, {bodyOf(file)});
  auto source = SourceFile::fromText("a.vue", file);
  source->setAnalyzedText(script.text);
  uint32_t let = static_cast<uint32_t>(file.find("let a"));
  EXPECT_EQ(source->lineColumn(let), (LineColumn{5, 1}));
  EXPECT_EQ(source->text().substr(let, 9), "let a = 1");
}

TEST(EngineEmbeddedScript, DetectsTypeScript) {
  EXPECT_TRUE(extractVueScripts("<script lang=\"ts\">let a: number = 1</script>").typescript);
  EXPECT_TRUE(extractVueScripts("<script setup lang='ts'>let a: number = 1</script>").typescript);
  EmbeddedScript tsx = extractVueScripts("<script lang=\"tsx\">let a = <div/></script>");
  EXPECT_TRUE(tsx.typescript);
  EXPECT_TRUE(tsx.tsx);
  EmbeddedScript js = extractVueScripts("<script lang=\"js\">let a = 1</script>");
  EXPECT_FALSE(js.typescript);
  EXPECT_FALSE(js.tsx);
  EXPECT_EQ(js.blocks, 1u);
  EXPECT_FALSE(extractVueScripts("<script>let a = 1</script>").typescript);
}

TEST(EngineEmbeddedScript, TwoBlocks) {
  std::string file = "<script>\nexport default { name: 'A' }\n</script>\n"
                     "<template><view/></template>\n"
                     "<script setup>\nconst b = 2\n</script>\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 2u);
  expectBlankedOutside(file, script.text, {bodyOf(file, 0), bodyOf(file, 1)});
  size_t b = file.find("const b");
  EXPECT_EQ(script.text.substr(b, 11), "const b = 2");
}

TEST(EngineEmbeddedScript, IgnoresScriptSrcAndTemplates) {
  std::string file = "<script src=\"./logic.js\"></script>\n"
                     "<script type=\"text/template\">not code</script>\n"
                     "<script>\nlet real = 1\n</script>\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 1u);
  expectBlankedOutside(file, script.text, {bodyOf(file, 2)});
  EXPECT_EQ(script.text.find("not code"), std::string::npos);

  EmbeddedScript srcOnly = extractVueScripts("<script src=\"./a.js\"></script>\n");
  EXPECT_EQ(srcOnly.blocks, 0u);
  EXPECT_EQ(srcOnly.text, std::string(30, ' ') + "\n");
}

TEST(EngineEmbeddedScript, CjkInTheTemplateDoesNotShiftTheScript) {
  std::string file = "<template>\n  <text>\xE7\x99\xBB\xE5\xBD\x95\xF0\x9F\x98\x80</text>\n"
                     "</template>\n<script>\nwx.cloud.init({ env: 'prod' })\n</script>\n";
  EmbeddedScript script = extractVueScripts(file);
  ASSERT_EQ(script.text.size(), file.size());
  size_t init = file.find("wx.cloud.init");
  EXPECT_EQ(script.text.substr(init, 13), "wx.cloud.init");
  // The blanked text is plain ASCII outside the script, so it is valid UTF-8 to parse.
  auto blanked = SourceFile::fromText("x.vue", script.text);
  EXPECT_EQ(blanked->problem(), TextProblem::None);
  auto source = SourceFile::fromText("x.vue", file);
  source->setAnalyzedText(script.text);
  EXPECT_EQ(source->lineColumn(static_cast<uint32_t>(file.find("env"))), (LineColumn{5, 17}));
}

TEST(EngineEmbeddedScript, NoScript) {
  std::string file = "<template>\n<view>hi</view>\n</template>\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 0u);
  expectBlankedOutside(file, script.text, {});
  EXPECT_EQ(extractVueScripts("").text, "");
}

TEST(EngineEmbeddedScript, UnclosedScriptRunsToTheEnd) {
  std::string file = "<script>\nlet a = 1\n";
  EmbeddedScript script = extractVueScripts(file);
  EXPECT_EQ(script.blocks, 1u);
  EXPECT_EQ(script.text, "        \nlet a = 1\n");
  // A tag that never closes has no body.
  EXPECT_EQ(extractVueScripts("<script lang=\"ts\"").blocks, 0u);
}

} // namespace
} // namespace mpauth
