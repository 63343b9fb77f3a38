#include "analyzer/syntax/Syntax.h"

#include "llvm/Support/Path.h"

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

Parser::Parser() : P(ts_parser_new()) {}

Tree Parser::parse(std::string_view text, Dialect dialect, uint64_t timeoutMicros) {
  ts_parser_set_language(P.get(), languageOf(dialect));
  ts_parser_set_timeout_micros(P.get(), timeoutMicros);
  TSTree *tree =
      ts_parser_parse_string(P.get(), nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (!tree)
    ts_parser_reset(P.get());
  return Tree(tree);
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
  for (int guard = 0; guard < 64 && !node.isNull(); ++guard) {
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

std::optional<std::string> stringValue(Node node, std::string_view source) {
  if (node.is("string")) {
    std::string out;
    for (Node child : node.namedChildren()) {
      if (child.is("string_fragment")) {
        out += child.text(source);
      } else if (child.is("escape_sequence")) {
        std::string_view esc = child.text(source);
        if (esc.size() == 2) {
          switch (esc[1]) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '0':
            out += '\0';
            break;
          default:
            out += esc[1];
            break;
          }
        } else {
          out += esc; // \uXXXX and friends: kept verbatim, good enough for identifiers
        }
      }
    }
    return out;
  }
  if (node.is("template_string")) {
    std::string out;
    for (Node child : node.namedChildren()) {
      if (child.is("template_substitution"))
        return std::nullopt;
      if (child.is("string_fragment"))
        out += child.text(source);
      else if (child.is("escape_sequence"))
        out += child.text(source).substr(1);
    }
    return out;
  }
  return std::nullopt;
}

} // namespace mpauth
