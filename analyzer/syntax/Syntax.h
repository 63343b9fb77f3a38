// The syntax layer: RAII over the tree-sitter C API. Knows nothing of rules or mini programs.
#pragma once

#include <tree_sitter/api.h>

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace mpauth {

enum class Dialect { JavaScript, TypeScript, Tsx };

const TSLanguage *languageOf(Dialect dialect);
// .js .mjs .cjs .jsx .vue -> JavaScript, .ts .mts .cts -> TypeScript, .tsx -> Tsx.
std::optional<Dialect> dialectForPath(llvm::StringRef path);
const char *dialectName(Dialect dialect);

// A thin value over TSNode. Cheap to copy; valid while its Tree lives. Every accessor is safe on
// a null node (an absent field, the parent of the root), where it answers "nothing": tree-sitter
// itself dereferences null there, and broken input yields absent fields anywhere.
class Node {
public:
  Node() : N{} {}
  explicit Node(TSNode n) : N(n) {}

  bool isNull() const { return ts_node_is_null(N); }
  explicit operator bool() const { return !isNull(); }
  std::string_view type() const { return isNull() ? std::string_view() : ts_node_type(N); }
  bool is(std::string_view t) const { return !isNull() && type() == t; }
  TSSymbol symbol() const { return isNull() ? 0 : ts_node_symbol(N); }
  bool isNamed() const { return !isNull() && ts_node_is_named(N); }
  bool isMissing() const { return !isNull() && ts_node_is_missing(N); }
  bool isError() const { return !isNull() && type() == "ERROR"; }
  bool hasError() const { return !isNull() && ts_node_has_error(N); }
  uint32_t begin() const { return isNull() ? 0 : ts_node_start_byte(N); }
  uint32_t end() const { return isNull() ? 0 : ts_node_end_byte(N); }
  bool contains(const Node &other) const {
    return !isNull() && !other.isNull() && begin() <= other.begin() && other.end() <= end();
  }

  Node parent() const { return isNull() ? Node() : Node(ts_node_parent(N)); }
  uint32_t childCount() const { return isNull() ? 0 : ts_node_child_count(N); }
  uint32_t namedChildCount() const { return isNull() ? 0 : ts_node_named_child_count(N); }
  Node child(uint32_t i) const { return isNull() ? Node() : Node(ts_node_child(N, i)); }
  Node namedChild(uint32_t i) const { return isNull() ? Node() : Node(ts_node_named_child(N, i)); }
  Node field(std::string_view name) const {
    if (isNull())
      return Node();
    return Node(ts_node_child_by_field_name(N, name.data(), static_cast<uint32_t>(name.size())));
  }
  Node nextNamedSibling() const { return isNull() ? Node() : Node(ts_node_next_named_sibling(N)); }
  Node prevNamedSibling() const { return isNull() ? Node() : Node(ts_node_prev_named_sibling(N)); }

  std::string_view text(std::string_view source) const {
    if (isNull())
      return {};
    uint32_t b = begin(), e = end();
    if (e > source.size() || b > e)
      return {};
    return source.substr(b, e - b);
  }

  // Named children, usable in range-for.
  std::vector<Node> namedChildren() const;
  std::vector<Node> children() const;

  TSNode raw() const { return N; }
  friend bool operator==(const Node &a, const Node &b) {
    return (a.isNull() && b.isNull()) || ts_node_eq(a.N, b.N);
  }

private:
  TSNode N;
};

class Tree {
public:
  Tree() = default;
  explicit Tree(TSTree *tree) : T(tree) {}
  Node root() const { return T ? Node(ts_tree_root_node(T.get())) : Node(); }
  explicit operator bool() const { return T != nullptr; }

private:
  struct Deleter {
    void operator()(TSTree *t) const { ts_tree_delete(t); }
  };
  std::unique_ptr<TSTree, Deleter> T;
};

// Why Parser::parse returned an empty Tree.
enum class ParseFailure {
  None,
  Timeout, // tree-sitter gave up (timeout or cancellation)
  // The tree has a node with 65536 or more children, which tree-sitter before 0.20.8 cannot
  // represent (see Syntax.cpp); the file cannot be analyzed.
  TooManyChildren,
};

// One per thread (tree-sitter parsers are not thread-safe).
class Parser {
public:
  Parser();
  // Returns an empty Tree when tree-sitter gives up or builds a tree it cannot represent;
  // lastFailure() says which.
  Tree parse(std::string_view text, Dialect dialect, uint64_t timeoutMicros = 0);
  ParseFailure lastFailure() const { return LastFailure; }

private:
  ParseFailure LastFailure = ParseFailure::None;
  struct Deleter {
    void operator()(TSParser *p) const { ts_parser_delete(p); }
  };
  std::unique_ptr<TSParser, Deleter> P;
};

// Move-only cursor.
class Cursor {
public:
  explicit Cursor(Node start) : C(ts_tree_cursor_new(start.raw())) {}
  ~Cursor() { ts_tree_cursor_delete(&C); }
  Cursor(const Cursor &) = delete;
  Cursor &operator=(const Cursor &) = delete;
  Cursor(Cursor &&other) noexcept : C(ts_tree_cursor_copy(&other.C)) {}

  Node node() const { return Node(ts_tree_cursor_current_node(&C)); }
  std::string_view fieldName() const {
    const char *name = ts_tree_cursor_current_field_name(&C);
    return name ? std::string_view(name) : std::string_view();
  }
  bool gotoFirstChild() { return ts_tree_cursor_goto_first_child(&C); }
  bool gotoNextSibling() { return ts_tree_cursor_goto_next_sibling(&C); }
  bool gotoParent() { return ts_tree_cursor_goto_parent(&C); }

private:
  TSTreeCursor C;
};

// Pre-order walk with an explicit cursor (never recursion: real code nests deep).
// `enter(node)` returns false to skip the node's children; `leave(node)` runs after them.
template <typename Enter, typename Leave> void walk(Node root, Enter &&enter, Leave &&leave) {
  if (root.isNull())
    return;
  Cursor cursor(root);
  for (;;) {
    Node node = cursor.node();
    if (enter(node) && cursor.gotoFirstChild())
      continue;
    leave(node);
    for (;;) {
      if (cursor.node() == root)
        return;
      if (cursor.gotoNextSibling())
        break;
      if (!cursor.gotoParent())
        return;
      leave(cursor.node());
    }
  }
}

template <typename Enter> void walk(Node root, Enter &&enter) {
  walk(root, std::forward<Enter>(enter), [](Node) {});
}

// How many of `(`, `[` and `{` are still open at the end of `text`, counted on the raw
// characters (brackets in strings and comments count too; a closer with nothing open is
// ignored). tree-sitter before 0.20.8 crashes while recovering from tens of thousands of
// unclosed brackets (see Parser), so callers refuse such input before parsing it.
uint32_t unclosedBrackets(std::string_view text);

// The first syntax error of a tree (an ERROR node or a MISSING token), if any.
std::optional<Node> firstSyntaxError(Node root);

// Strips parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`).
Node unwrapExpression(Node node);

// The string value of a `string` node or of a template without substitutions.
std::optional<std::string> stringValue(Node node, std::string_view source);

} // namespace mpauth
