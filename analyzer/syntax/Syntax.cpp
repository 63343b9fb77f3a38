#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

extern "C" {
const TSLanguage *tree_sitter_javascript();
const TSLanguage *tree_sitter_typescript();
const TSLanguage *tree_sitter_tsx();
}

namespace mpauth {

const TSLanguage *languageOf(Dialect dialect) {
  switch (dialect) {
  case Dialect::JavaScript:
    return tree_sitter_javascript();
  case Dialect::TypeScript:
    return tree_sitter_typescript();
  case Dialect::Tsx:
    return tree_sitter_tsx();
  }
  return tree_sitter_javascript();
}

std::optional<Dialect> dialectForPath(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".js" || ext == ".mjs" || ext == ".cjs" || ext == ".jsx" || ext == ".vue" ||
      ext == ".wxs")
    return Dialect::JavaScript;
  if (ext == ".ts" || ext == ".mts" || ext == ".cts")
    return Dialect::TypeScript;
  if (ext == ".tsx")
    return Dialect::Tsx;
  return std::nullopt;
}

const char *dialectName(Dialect dialect) {
  switch (dialect) {
  case Dialect::JavaScript:
    return "javascript";
  case Dialect::TypeScript:
    return "typescript";
  case Dialect::Tsx:
    return "tsx";
  }
  return "javascript";
}

constinit thread_local const TreeIndex *TreeIndex::Current = nullptr;

namespace {

// Per-language field ids by name, built once for the three grammars (tree-sitter compares the
// name with every field name of the language).
struct LanguageTables {
  const TSLanguage *language;
  llvm::StringMap<TSFieldId> fieldIds;
  std::vector<std::string_view> symbolNames; // by symbol, so the index needs no strlen a node

  explicit LanguageTables(const TSLanguage *l) : language(l) {
    uint32_t fields = ts_language_field_count(l);
    for (uint32_t f = 1; f <= fields; ++f)
      if (const char *name = ts_language_field_name_for_id(l, static_cast<TSFieldId>(f)))
        fieldIds.try_emplace(name, static_cast<TSFieldId>(f));
    uint32_t symbols = ts_language_symbol_count(l);
    for (uint32_t s = 0; s < symbols; ++s) {
      const char *name = ts_language_symbol_name(l, static_cast<TSSymbol>(s));
      symbolNames.emplace_back(name ? name : "");
    }
  }
};

const LanguageTables *tablesOf(const TSLanguage *language) {
  static const LanguageTables tables[] = {LanguageTables(languageOf(Dialect::JavaScript)),
                                          LanguageTables(languageOf(Dialect::TypeScript)),
                                          LanguageTables(languageOf(Dialect::Tsx))};
  for (const LanguageTables &t : tables)
    if (t.language == language)
      return &t;
  return nullptr;
}

} // namespace

TreeIndex::TreeIndex(Node root) : Tree(root.raw().tree), Previous(Current) {
  if (!root.isNull()) {
    const LanguageTables *tables = tablesOf(ts_tree_language(root.raw().tree));
    Tables = tables;
    auto typeName = [tables](TSNode node) -> std::string_view {
      TSSymbol symbol = ts_node_symbol(node);
      if (tables && symbol < tables->symbolNames.size())
        return tables->symbolNames[symbol];
      const char *type = ts_node_type(node);
      return type ? type : "";
    };
    root = Node(ts_tree_root_node(root.raw().tree)); // parents must reach the real root
    // One cursor walk from the root; `open` holds the positions of the nodes whose children
    // are being visited, innermost last, and `prev` the last child seen at each of its levels.
    std::vector<uint32_t> open, prev{npos};
    Entries.reserve(ts_node_end_byte(root.raw()) / 3 + 16); // real code: 4 to 5 bytes a node
    TSTreeCursor cursor = ts_tree_cursor_new(root.raw());
    for (;;) {
      uint32_t self = static_cast<uint32_t>(Entries.size());
      TSNode node = ts_tree_cursor_current_node(&cursor);
      std::string_view type = typeName(node);
      Entries.push_back({{node.context[0], node.context[1], node.context[2], node.context[3]},
                         node.id,
                         type.data(),
                         open.empty() ? npos : open.back(),
                         self + 1,
                         prev.back(),
                         static_cast<uint16_t>(type.size()),
                         ts_tree_cursor_current_field_id(&cursor)});
      prev.back() = self;
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        open.push_back(self);
        prev.push_back(npos);
        continue;
      }
      bool done = false;
      while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (open.empty() || !ts_tree_cursor_goto_parent(&cursor)) {
          done = true;
          break;
        }
        Entries[open.back()].end = static_cast<uint32_t>(Entries.size());
        open.pop_back();
        prev.pop_back();
      }
      if (done)
        break;
    }
    ts_tree_cursor_delete(&cursor);
  }
  Current = this;
}

TreeIndex::~TreeIndex() {
  Current = Previous;
}

uint32_t TreeIndex::find(const void *id) const {
  if (!Entries.empty() && Entries[0].id == id)
    return 0;
  if (!Mapped) {
    Mapped = true;
    ById.reserve(static_cast<unsigned>(Entries.size()));
    for (uint32_t i = 0; i < Entries.size(); ++i)
      ById.try_emplace(Entries[i].id, i);
  }
  auto it = ById.find(id);
  return it == ById.end() ? npos : it->second;
}

const std::vector<uint32_t> &TreeIndex::positionsOfType(std::string_view type) const {
  auto [it, inserted] = ByType.try_emplace(llvm::StringRef(type.data(), type.size()));
  if (inserted)
    for (uint32_t i = 0; i < Entries.size(); ++i)
      if (this->type(i) == type)
        it->second.push_back(i);
  return it->second;
}

std::vector<Node> nodesOfTypes(Node root, llvm::ArrayRef<std::string_view> types) {
  std::vector<Node> out;
  if (root.isNull())
    return out;
  const TreeIndex *index = TreeIndex::covering(root);
  uint32_t first = index ? index->indexOf(root) : TreeIndex::npos;
  if (first == TreeIndex::npos) {
    walk(root, [&](Node n) {
      for (std::string_view t : types)
        if (n.type() == t) {
          out.push_back(n);
          break;
        }
      return true;
    });
    return out;
  }
  uint32_t last = index->subtreeEnd(first);
  std::vector<uint32_t> positions;
  for (std::string_view t : types) {
    const std::vector<uint32_t> &all = index->positionsOfType(t);
    positions.insert(positions.end(), std::lower_bound(all.begin(), all.end(), first),
                     std::lower_bound(all.begin(), all.end(), last));
  }
  if (types.size() > 1) {
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  }
  out.reserve(positions.size());
  for (uint32_t p : positions)
    out.push_back(index->node(p));
  return out;
}

Node Node::parent() const {
  if (isNull())
    return Node();
  if (const TreeIndex *index = TreeIndex::covering(*this)) {
    uint32_t i = index->indexOf(*this);
    if (i != TreeIndex::npos) {
      uint32_t p = index->parentIndex(i);
      return p == TreeIndex::npos ? Node() : index->node(p);
    }
  }
  return Node(ts_node_parent(N));
}

namespace {

// The nearest named sibling in one direction, from the index when one covers the node.
Node namedSibling(Node node, uint32_t (TreeIndex::*step)(uint32_t) const,
                  TSNode (*fallback)(TSNode)) {
  if (node.isNull())
    return Node();
  if (const TreeIndex *index = TreeIndex::covering(node)) {
    uint32_t i = index->indexOf(node);
    if (i != TreeIndex::npos) {
      for (i = (index->*step)(i); i != TreeIndex::npos; i = (index->*step)(i))
        if (index->node(i).isNamed())
          return index->node(i);
      return Node();
    }
  }
  return Node(fallback(node.raw()));
}

} // namespace

Node Node::nextNamedSibling() const {
  return namedSibling(*this, &TreeIndex::nextSiblingIndex, ts_node_next_named_sibling);
}

Node Node::prevNamedSibling() const {
  return namedSibling(*this, &TreeIndex::prevSiblingIndex, ts_node_prev_named_sibling);
}

std::vector<Node> Node::namedChildren() const {
  std::vector<Node> out;
  if (const TreeIndex *index = isNull() ? nullptr : TreeIndex::covering(*this)) {
    uint32_t i = index->indexOf(*this);
    if (i != TreeIndex::npos) {
      for (uint32_t c = i + 1; c < index->subtreeEnd(i); c = index->subtreeEnd(c))
        if (index->node(c).isNamed())
          out.push_back(index->node(c));
      return out;
    }
  }
  uint32_t n = namedChildCount();
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(namedChild(i));
  return out;
}

std::vector<Node> Node::children() const {
  std::vector<Node> out;
  if (const TreeIndex *index = isNull() ? nullptr : TreeIndex::covering(*this)) {
    uint32_t i = index->indexOf(*this);
    if (i != TreeIndex::npos) {
      for (uint32_t c = i + 1; c < index->subtreeEnd(i); c = index->subtreeEnd(c))
        out.push_back(index->node(c));
      return out;
    }
  }
  uint32_t n = childCount();
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(child(i));
  return out;
}

namespace {

// The `i`-th child (of all children, or of the named ones), from the index when one covers
// the node.
Node childAt(Node node, uint32_t i, bool named) {
  if (node.isNull())
    return Node();
  if (const TreeIndex *index = TreeIndex::covering(node)) {
    uint32_t p = index->indexOf(node);
    if (p != TreeIndex::npos) {
      for (uint32_t c = p + 1; c < index->subtreeEnd(p); c = index->subtreeEnd(c))
        if ((!named || index->node(c).isNamed()) && i-- == 0)
          return index->node(c);
      return Node();
    }
  }
  return Node(named ? ts_node_named_child(node.raw(), i) : ts_node_child(node.raw(), i));
}

} // namespace

Node Node::child(uint32_t i) const {
  return childAt(*this, i, false);
}

Node Node::namedChild(uint32_t i) const {
  return childAt(*this, i, true);
}

Node Node::field(std::string_view name) const {
  if (isNull())
    return Node();
  TSFieldId id = fieldId(N, name);
  if (Position != kNoPosition)
    if (const TreeIndex *index = TreeIndex::covering(*this)) {
      if (!id)
        return Node();
      for (uint32_t c = Position + 1; c < index->subtreeEnd(Position); c = index->subtreeEnd(c))
        if (index->fieldOf(c) == id)
          return index->node(c);
      return Node();
    }
  return Node(ts_node_child_by_field_id(N, id));
}

// Under an index, the tables come with it (no call into tree-sitter for the language).
TSFieldId Node::fieldId(TSNode n, std::string_view name) {
  const TreeIndex *index = TreeIndex::Current;
  const auto *t = index && index->Tree == n.tree
                      ? static_cast<const LanguageTables *>(index->Tables)
                      : tablesOf(ts_tree_language(n.tree));
  if (t) {
    auto it = t->fieldIds.find(llvm::StringRef(name.data(), name.size()));
    return it == t->fieldIds.end() ? 0 : it->second;
  }
  return ts_language_field_id_for_name(ts_tree_language(n.tree), name.data(),
                                       static_cast<uint32_t>(name.size()));
}

namespace {

// tree-sitter before 0.20.8 (Debian 12 ships 0.20.7) keeps a node's child count in 16 bits
// (tree-sitter issue #2134). A node with 65536 or more children — 70,000 comment lines in a
// row, a long run of unclosed brackets — is built with the count cut to its low 16 bits: its
// children read as the last few of them, and ts_tree_delete frees a pointer into the middle of
// an allocation and crashes. Such a tree can be neither trusted nor freed.
constexpr uint32_t kChildCountLimit = 65536;

// JavaScript whitespace (what the grammars skip between tokens) at `text[i]`: its length in
// bytes, or 0.
size_t whitespaceAt(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r'))
    return 1;
  if (c < 0x80)
    return 0;
  llvm::UTF32 cp = 0;
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.data() + i);
  const llvm::UTF8 *next = begin;
  if (llvm::convertUTF8Sequence(&next, begin + (text.size() - i), &cp, llvm::strictConversion) !=
      llvm::conversionOK)
    return 0;
  bool space = cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
               cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x2060 || cp == 0x3000 ||
               cp == 0xFEFF;
  return space ? static_cast<size_t>(next - begin) : 0;
}

bool onlyWhitespace(std::string_view text, uint32_t begin, uint32_t end) {
  for (size_t i = begin; i < end && i < text.size();) {
    size_t n = whitespaceAt(text, i);
    if (!n)
      return false;
    i += n;
  }
  return true;
}

// Child positions are computed from the parent's start and the children's sizes, so a
// truncated count shows as a node whose (last few) children end before it does, with text
// other than whitespace in between (invisible tokens such as the end of input only add
// whitespace), or, when the node's own size was summed from the truncated children, as a root
// that does not span the text. A count cut to exactly zero shows as a large `program` or
// `ERROR` without children. Only a text of 64 KiB or more can hold that many children.
bool hasTruncatedChildCount(TSNode root, std::string_view text) {
  if (text.size() < kChildCountLimit)
    return false;
  // A node summarized from its truncated children is too short, and so are its ancestors: the
  // root no longer spans the text.
  if (!onlyWhitespace(text, 0, ts_node_start_byte(root)) ||
      !onlyWhitespace(text, ts_node_end_byte(root), static_cast<uint32_t>(text.size())))
    return true;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool truncated = false, done = false;
  while (!done && !truncated) {
    if (ts_tree_cursor_goto_first_child(&cursor))
      continue;
    TSNode leaf = ts_tree_cursor_current_node(&cursor);
    std::string_view type = ts_node_type(leaf);
    if (ts_node_end_byte(leaf) - ts_node_start_byte(leaf) >= kChildCountLimit &&
        (type == "program" || type == "ERROR")) {
      truncated = true;
      break;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      uint32_t lastEnd = ts_node_end_byte(ts_tree_cursor_current_node(&cursor));
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      uint32_t parentEnd = ts_node_end_byte(ts_tree_cursor_current_node(&cursor));
      if (lastEnd != parentEnd && !onlyWhitespace(text, lastEnd, parentEnd)) {
        truncated = true;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
  return truncated;
}

// Keeps a tree that must not be freed reachable for the life of the process (so that leak
// checkers do not report it), and out of every caller's hands.
void keepForever(TSTree *tree) {
  static std::mutex mutex;
  static auto *kept = new std::vector<TSTree *>();
  std::lock_guard<std::mutex> lock(mutex);
  kept->push_back(tree);
}

} // namespace

Parser::Parser() : P(ts_parser_new()) {}

Tree Parser::parse(std::string_view text, Dialect dialect, uint64_t timeoutMicros) {
  LastFailure = ParseFailure::None;
  ts_parser_set_language(P.get(), languageOf(dialect));
  ts_parser_set_timeout_micros(P.get(), timeoutMicros);
  TSTree *tree =
      ts_parser_parse_string(P.get(), nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree) {
    ts_parser_reset(P.get());
    LastFailure = ParseFailure::Timeout;
    return Tree();
  }
  if (hasTruncatedChildCount(ts_tree_root_node(tree), text)) {
    keepForever(tree);
    LastFailure = ParseFailure::TooManyChildren;
    return Tree();
  }
  return Tree(tree);
}

uint32_t unclosedBrackets(std::string_view text) {
  uint32_t open = 0;
  for (char c : text) {
    if (c == '(' || c == '[' || c == '{')
      ++open;
    else if ((c == ')' || c == ']' || c == '}') && open > 0)
      --open;
  }
  return open;
}

std::optional<Node> firstSyntaxError(Node root) {
  if (root.isNull() || !root.hasError())
    return std::nullopt;
  std::optional<Node> found;
  walk(root, [&](Node n) {
    if (found)
      return false;
    if (n.isError() || n.isMissing()) {
      found = n;
      return false;
    }
    return n.hasError();
  });
  return found;
}

Node unwrapExpression(Node node) {
  // Each step moves to a child, so the loop ends; no depth limit (`((((x))))` nests freely).
  while (!node.isNull()) {
    std::string_view t = node.type();
    if (t == "parenthesized_expression" || t == "non_null_expression" || t == "as_expression" ||
        t == "satisfies_expression" || t == "type_assertion") {
      Node inner =
          t == "type_assertion" ? node.namedChild(node.namedChildCount() - 1) : node.namedChild(0);
      if (inner.isNull())
        return node;
      node = inner;
      continue;
    }
    break;
  }
  return node;
}

namespace {

// Decodes the escape sequences of one string or template, in order. Surrogate pairs written as
// two `\uXXXX` escapes combine into one code point; a lone surrogate, which UTF-8 cannot hold,
// becomes U+FFFD.
class EscapeDecoder {
public:
  explicit EscapeDecoder(std::string &out) : Out(out) {}
  ~EscapeDecoder() { flush(); }

  void text(std::string_view fragment) {
    flush();
    Out += fragment;
  }

  void escape(std::string_view esc) {
    if (esc.size() < 2 || esc[0] != '\\') {
      text(esc);
      return;
    }
    std::string_view body = esc.substr(1);
    switch (body[0]) {
    case 'n':
      return text("\n");
    case 't':
      return text("\t");
    case 'r':
      return text("\r");
    case 'b':
      return text("\b");
    case 'f':
      return text("\f");
    case 'v':
      return text("\v");
    case '\n':
    case '\r':
      return text({}); // a line continuation (LF, CR or CRLF after the backslash)
    case 'x':
      if (auto cp = hex(body.substr(1)))
        return codePoint(*cp);
      return text(body);
    case 'u':
      if (body.size() > 2 && body[1] == '{') {
        if (auto cp = hex(body.substr(2, body.size() - 3)))
          return codePoint(*cp);
      } else if (auto cp = hex(body.substr(1))) {
        return codePoint(*cp);
      }
      return text(body);
    default:
      break;
    }
    if (body[0] >= '0' && body[0] <= '7') { // legacy octal, `\0` included
      uint32_t value = 0;
      for (char c : body)
        value = value * 8 + static_cast<uint32_t>(c - '0');
      return codePoint(value);
    }
    if (body == "\xE2\x80\xA8" || body == "\xE2\x80\xA9")
      return text({}); // a line continuation before LS/PS
    text(body);        // `\'`, `\"`, `\\`, `\``, and any other character stands for itself
  }

private:
  static std::optional<uint32_t> hex(std::string_view digits) {
    if (digits.empty() || digits.size() > 6)
      return std::nullopt;
    uint32_t value = 0;
    for (char c : digits) {
      uint32_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<uint32_t>(c - 'A' + 10);
      else
        return std::nullopt;
      value = value * 16 + d;
    }
    return value;
  }

  void codePoint(uint32_t cp) {
    if (PendingHigh && cp >= 0xDC00 && cp <= 0xDFFF) {
      uint32_t high = *PendingHigh;
      PendingHigh.reset();
      return encode(0x10000 + ((high - 0xD800) << 10) + (cp - 0xDC00));
    }
    flush();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      PendingHigh = cp;
      return;
    }
    encode(cp);
  }

  void flush() {
    if (PendingHigh) {
      PendingHigh.reset();
      encode(0xFFFD);
    }
  }

  void encode(uint32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      cp = 0xFFFD;
    char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
    char *end = buffer;
    llvm::ConvertCodePointToUTF8(cp, end);
    Out.append(buffer, end);
  }

  std::string &Out;
  std::optional<uint32_t> PendingHigh;
};

} // namespace

std::optional<std::string> stringValue(Node node, std::string_view source) {
  bool isTemplate = node.is("template_string");
  if (!node.is("string") && !isTemplate)
    return std::nullopt;
  std::string out;
  {
    EscapeDecoder decoder(out);
    for (Node child : node.namedChildren()) {
      if (child.is("template_substitution"))
        return std::nullopt;
      if (child.is("string_fragment"))
        decoder.text(child.text(source));
      else if (child.is("escape_sequence"))
        decoder.escape(child.text(source));
    }
  }
  return out;
}

} // namespace mpauth
