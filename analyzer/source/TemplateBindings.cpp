#include "analyzer/source/TemplateBindings.h"

#include "llvm/ADT/StringExtras.h"

namespace mpauth {

namespace {

bool isNameChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '$';
}
bool isAttrChar(char c) {
  return llvm::isAlnum(c) || c == '-' || c == ':' || c == '@' || c == '_';
}

// Calls `onAttribute(name, value, offset)` for each `name="value"` / `name='value'`.
template <typename F> void forEachAttribute(llvm::StringRef text, F &&onAttribute) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=')
      continue;
    size_t nameEnd = i;
    while (nameEnd > 0 && (text[nameEnd - 1] == ' ' || text[nameEnd - 1] == '\t'))
      --nameEnd;
    size_t nameBegin = nameEnd;
    while (nameBegin > 0 && isAttrChar(text[nameBegin - 1]))
      --nameBegin;
    size_t v = i + 1;
    while (v < text.size() && (text[v] == ' ' || text[v] == '\t'))
      ++v;
    if (v >= text.size() || (text[v] != '"' && text[v] != '\''))
      continue;
    char quote = text[v];
    size_t close = text.find(quote, v + 1);
    if (close == llvm::StringRef::npos)
      return;
    onAttribute(text.slice(nameBegin, nameEnd), text.slice(v + 1, close), nameBegin);
    i = close;
  }
}

unsigned lineAt(llvm::StringRef text, size_t offset) {
  return 1 + static_cast<unsigned>(text.take_front(offset).count('\n'));
}

} // namespace

std::vector<TemplateBinding> wxmlBindings(llvm::StringRef wxml) {
  std::vector<TemplateBinding> out;
  forEachAttribute(wxml, [&](llvm::StringRef name, llvm::StringRef value, size_t at) {
    llvm::StringRef event;
    for (llvm::StringRef prefix :
         {"capture-bind:", "capture-catch:", "mut-bind:", "bind:", "catch:", "bind", "catch"}) {
      if (name.startswith(prefix)) {
        event = name.drop_front(prefix.size());
        break;
      }
    }
    value = value.trim();
    if (event.empty() || value.empty() || value.contains("{{"))
      return;
    if (!llvm::all_of(value, isNameChar))
      return;
    out.push_back({event.str(), value.str(), lineAt(wxml, at)});
  });
  return out;
}

std::vector<TemplateBinding> vueTemplateBindings(llvm::StringRef vue) {
  std::vector<TemplateBinding> out;
  size_t end = vue.find("<script");
  llvm::StringRef templ = end == llvm::StringRef::npos ? vue : vue.take_front(end);
  forEachAttribute(templ, [&](llvm::StringRef name, llvm::StringRef value, size_t at) {
    llvm::StringRef event;
    if (name.startswith("@"))
      event = name.drop_front(1);
    else if (name.startswith("v-on:"))
      event = name.drop_front(5);
    else
      return;
    event = event.split('.').first; // @tap.stop
    value = value.trim();
    // `save` or `save(item)`: the method name is what is bound.
    llvm::StringRef handler = value.take_while(isNameChar);
    if (event.empty() || handler.empty())
      return;
    out.push_back({event.str(), handler.str(), lineAt(vue, at)});
  });
  return out;
}

} // namespace mpauth
