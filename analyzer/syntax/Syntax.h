// The syntax layer: RAII over the tree-sitter C API. Knows nothing of rules or mini programs.
#pragma once

#include <tree_sitter/api.h>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
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

class TreeIndex;

// A thin value over TSNode. Cheap to copy; valid while its Tree lives. Every accessor is safe on
// a null node (an absent field, the parent of the root), where it answers "nothing": tree-sitter
// itself dereferences null there, and broken input yields absent fields anywhere.
//
// A node handed out by a TreeIndex (walks, parents, siblings, children) remembers its position
// there: its type, parent and siblings are then read from the index without a search. Positions
// are only trusted while the thread's index covers the node's tree.
class Node {
public:
  Node() : N{} {}
  explicit Node(TSNode n) : N(n) {}

  bool isNull() const { return N.id == nullptr; } // ts_node_is_null, without the call
  explicit operator bool() const { return !isNull(); }
  inline std::string_view type() const;
  bool is(std::string_view t) const { return !isNull() && type() == t; }
  // The usual call, with a literal: the comparison is inlined at the literal's length.
  template <size_t N> bool is(const char (&t)[N]) const {
    if (isNull())
      return false;
    std::string_view own = type();
    return own.size() == N - 1 && std::memcmp(own.data(), t, N - 1) == 0;
  }
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

  // From the thread's TreeIndex when one covers this node's tree (constant time), else
  // ts_node_parent (a walk down from the root).
  Node parent() const;
  uint32_t childCount() const { return isNull() ? 0 : ts_node_child_count(N); }
  uint32_t namedChildCount() const { return isNull() ? 0 : ts_node_named_child_count(N); }
  Node child(uint32_t i) const;
  Node namedChild(uint32_t i) const;
  // A node handed out by the index finds the field among its children there (each knows its
  // field); else tree-sitter searches, with the field's id from a per-language table.
  Node field(std::string_view name) const;
  // Siblings and children read the thread's TreeIndex when it covers the tree (tree-sitter 0.20
  // finds a previous sibling through the parent, and the i-th child from the first).
  Node nextNamedSibling() const;
  Node prevNamedSibling() const;

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
  friend class TreeIndex;
  static constexpr uint32_t kNoPosition = UINT32_MAX;
  Node(TSNode n, uint32_t position) : N(n), Position(position) {}
  static TSFieldId fieldId(TSNode n, std::string_view name);
  // This node's position in the index covering its tree, or kNoPosition.
  uint32_t positionIn(const TreeIndex &index) const;
  TSNode N;
  uint32_t Position = kNoPosition; // in the TreeIndex that handed the node out
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

// Every node of one tree in pre-order (exactly what a cursor walk visits), with its type, its
// parent, its previous sibling and the end of its subtree, built in one cursor walk.
// tree-sitter 0.20 (Debian's core) finds a parent by walking down from the root, O(depth x
// siblings) per call, and its cursor re-derives each step; a file is walked by every rule, so the
// driver builds one index per file and `Node` and `walk()` read it instead.
//
// Constructing an index installs it as the current thread's index until it is destroyed (the
// previous one is restored): the tree must outlive it. Nodes of other trees, and threads without
// an index, take the tree-sitter paths, with identical results. Cost: 48 bytes a node.
class TreeIndex {
public:
  explicit TreeIndex(Node root); // any node of the tree: the index covers the whole tree
  ~TreeIndex();
  TreeIndex(const TreeIndex &) = delete;
  TreeIndex &operator=(const TreeIndex &) = delete;

  // The index of the current thread when it covers `node`'s tree, else nullptr.
  static const TreeIndex *covering(Node node) {
    const TreeIndex *index = Current;
    return index && index->Tree == node.N.tree ? index : nullptr;
  }

  static constexpr uint32_t npos = UINT32_MAX;
  // Position of `node` in pre-order, or npos (a node of another tree).
  uint32_t indexOf(Node node) const { return node.positionIn(*this); }
  size_t size() const { return Entries.size(); }
  Node node(uint32_t i) const {
    const Entry &e = Entries[i];
    return Node(TSNode{{e.context[0], e.context[1], e.context[2], e.context[3]},
                       e.id,
                       static_cast<const TSTree *>(Tree)},
                i);
  }
  std::string_view type(uint32_t i) const { return {Entries[i].type, Entries[i].typeLength}; }
  TSFieldId fieldOf(uint32_t i) const { return Entries[i].field; }
  // Position of the parent (npos for the root), one past the last node of the subtree, and
  // the previous sibling (npos for a first child). The first child is i + 1 when
  // subtreeEnd(i) > i + 1; the next sibling is subtreeEnd(i) when that is below the parent's.
  uint32_t parentIndex(uint32_t i) const { return Entries[i].parent; }
  uint32_t subtreeEnd(uint32_t i) const { return Entries[i].end; }
  uint32_t prevSiblingIndex(uint32_t i) const { return Entries[i].prev; }
  // The positions of the nodes of `type`, ascending; computed on first use per type.
  const std::vector<uint32_t> &positionsOfType(std::string_view type) const;
  uint32_t nextSiblingIndex(uint32_t i) const {
    uint32_t p = Entries[i].parent, next = Entries[i].end;
    return p != npos && next < Entries[p].end ? next : npos;
  }

private:
  friend class Node;
  struct Entry { // 48 bytes: the TSNode without its tree, and what the index adds
    uint32_t context[4];
    const void *id;
    const char *type; // ts_node_type
    uint32_t parent;
    uint32_t end;
    uint32_t prev;
    uint16_t typeLength;
    TSFieldId field; // the field of the parent this node is, or 0
  };
  static constinit thread_local const TreeIndex *Current;
  uint32_t find(const void *id) const; // by tree-sitter node id; builds ById on first use
  const void *Tree = nullptr;
  const void *Tables = nullptr; // the language's field ids (Syntax.cpp)
  std::vector<Entry> Entries;
  // For nodes that did not come from the index (the root, a cursor's, ts_node_* results).
  mutable llvm::DenseMap<const void *, uint32_t> ById;
  mutable bool Mapped = false;
  mutable llvm::StringMap<std::vector<uint32_t>> ByType;
  const TreeIndex *Previous = nullptr;
};

std::string_view Node::type() const {
  if (Position != kNoPosition)
    if (const TreeIndex *index = TreeIndex::covering(*this))
      return index->type(Position);
  return isNull() ? std::string_view() : ts_node_type(N);
}

inline uint32_t Node::positionIn(const TreeIndex &index) const {
  if (N.tree != index.Tree)
    return TreeIndex::npos;
  if (Position != kNoPosition)
    return Position;
  return index.find(N.id);
}

// Pre-order walk with an explicit cursor (never recursion: real code nests deep).
// `enter(node)` returns false to skip the node's children; `leave(node)` runs after them.
// Under a TreeIndex of the node's tree the walk reads the index (same nodes, same order).
template <typename Enter, typename Leave> void walk(Node root, Enter &&enter, Leave &&leave) {
  if (root.isNull())
    return;
  if (const TreeIndex *index = TreeIndex::covering(root)) {
    uint32_t i = index->indexOf(root);
    if (i != TreeIndex::npos) {
      const uint32_t last = index->subtreeEnd(i);
      llvm::SmallVector<uint32_t, 64> open; // entered nodes whose children are being visited
      while (i < last) {
        while (!open.empty() && index->subtreeEnd(open.back()) <= i) {
          leave(index->node(open.back()));
          open.pop_back();
        }
        Node node = index->node(i);
        if (enter(node)) {
          if (index->subtreeEnd(i) > i + 1) {
            open.push_back(i++);
            continue;
          }
          leave(node);
          ++i;
        } else {
          leave(node);
          i = index->subtreeEnd(i);
        }
      }
      while (!open.empty()) {
        leave(index->node(open.back()));
        open.pop_back();
      }
      return;
    }
  }
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

// The nodes of the given types in `root`'s subtree (`root` included), in pre-order: what a walk
// that never skips a subtree would pick out, read from the TreeIndex when one covers the tree
// (one scan per type and file, shared by every rule).
std::vector<Node> nodesOfTypes(Node root, llvm::ArrayRef<std::string_view> types);

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
