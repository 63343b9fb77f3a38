#include "analyzer/source/EmbeddedScript.h"

#include "llvm/ADT/StringExtras.h"

namespace mpauth {

EmbeddedScript extractVueScripts(llvm::StringRef fileText) {
  EmbeddedScript out;
  out.text.assign(fileText.size(), ' ');
  for (size_t i = 0; i < fileText.size(); ++i)
    if (fileText[i] == '\n' || fileText[i] == '\r')
      out.text[i] = fileText[i];

  std::string lower = fileText.lower();
  llvm::StringRef hay(lower);
  size_t pos = 0;
  while ((pos = hay.find("<script", pos)) != llvm::StringRef::npos) {
    size_t tagEnd = hay.find('>', pos);
    if (tagEnd == llvm::StringRef::npos)
      break;
    llvm::StringRef tag = hay.slice(pos, tagEnd);
    // <script src="..."> has no inline code; <script type="text/template"> is not code.
    bool isCode = !tag.contains(" src=") && !tag.contains("text/template");
    if (tag.contains("lang=\"ts\"") || tag.contains("lang='ts'")) {
      out.typescript = true;
    } else if (tag.contains("lang=\"tsx\"") || tag.contains("lang='tsx'")) {
      out.typescript = out.tsx = true;
    }
    size_t bodyBegin = tagEnd + 1;
    size_t close = hay.find("</script", bodyBegin);
    size_t bodyEnd = close == llvm::StringRef::npos ? hay.size() : close;
    if (isCode) {
      for (size_t i = bodyBegin; i < bodyEnd; ++i)
        out.text[i] = fileText[i];
      ++out.blocks;
    }
    pos = bodyEnd;
  }
  return out;
}

} // namespace mpauth
