#include "analyzer/syntax/Syntax.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Path.h"

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

std::vector<Node> Node::namedChildren() const {
  std::vector<Node> out;
  uint32_t n = namedChildCount();
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(namedChild(i));
  return out;
}

std::vector<Node> Node::children() const {
  std::vector<Node> out;
  uint32_t n = childCount();
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(child(i));
  return out;
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
