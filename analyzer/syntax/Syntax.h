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

// A thin value over TSNode. Cheap to copy; valid while its Tree lives.
class Node {
public:
  Node() : N{} {}
  explicit Node(TSNode n) : N(n) {}

  bool isNull() const { return ts_node_is_null(N); }
  explicit operator bool() const { return !isNull(); }
  std::string_view type() const { return ts_node_type(N); }
  bool is(std::string_view t) const { return !isNull() && type() == t; }
  TSSymbol symbol() const { return ts_node_symbol(N); }
  bool isNamed() const { return ts_node_is_named(N); }
  bool isMissing() const { return ts_node_is_missing(N); }
  bool isError() const { return !isNull() && type() == "ERROR"; }
  bool hasError() const { return ts_node_has_error(N); }
  uint32_t begin() const { return ts_node_start_byte(N); }
  uint32_t end() const { return ts_node_end_byte(N); }
  bool contains(const Node &other) const {
    return begin() <= other.begin() && other.end() <= end();
  }

  Node parent() const { return Node(ts_node_parent(N)); }
  uint32_t childCount() const { return ts_node_child_count(N); }
  uint32_t namedChildCount() const { return ts_node_named_child_count(N); }
  Node child(uint32_t i) const { return Node(ts_node_child(N, i)); }
  Node namedChild(uint32_t i) const { return Node(ts_node_named_child(N, i)); }
  Node field(std::string_view name) const {
    return Node(ts_node_child_by_field_name(N, name.data(), static_cast<uint32_t>(name.size())));
  }
  Node nextNamedSibling() const { return Node(ts_node_next_named_sibling(N)); }
  Node prevNamedSibling() const { return Node(ts_node_prev_named_sibling(N)); }

  std::string_view text(std::string_view source) const {
    uint32_t b = begin(), e = end();
    if (e > source.size() || b > e)
      return {};
    return source.substr(b, e - b);
  }

  // Named children, usable in range-for.
  std::vector<Node> namedChildren() const;
  std::vector<Node> children() const;

  TSNode raw() const { return N; }
  friend bool operator==(const Node &a, const Node &b) { return ts_node_eq(a.N, b.N); }

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

// One per thread (tree-sitter parsers are not thread-safe).
class Parser {
public:
  Parser();
  // Returns an empty Tree only when tree-sitter gives up (timeout or cancellation).
  Tree parse(std::string_view text, Dialect dialect, uint64_t timeoutMicros = 0);

private:
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

// The first syntax error of a tree (an ERROR node or a MISSING token), if any.
std::optional<Node> firstSyntaxError(Node root);

// Strips parentheses and TypeScript-only wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`).
Node unwrapExpression(Node node);

// The string value of a `string` node or of a template without substitutions.
std::optional<std::string> stringValue(Node node, std::string_view source);

} // namespace mpauth
