// Parses a snippet and builds its ModuleSemantics, with helpers that find nodes by their text.
#pragma once

#include "analyzer/semantics/Module.h"
#include "analyzer/syntax/Syntax.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mpauth::engine_test {

// Owns the source and the tree the semantics point into; neither moves after construction.
class ParsedModule {
public:
  explicit ParsedModule(std::string source, Dialect dialect = Dialect::JavaScript,
                        ImportResolver resolver = {}, int fileIndex = 0)
      : Source(std::move(source)) {
    Tree = Parser().parse(Source, dialect);
    EXPECT_TRUE(static_cast<bool>(Tree));
    if (auto error = firstSyntaxError(Tree.root()))
      ADD_FAILURE() << "syntax error at byte " << error->begin() << " in:\n" << Source;
    Semantics =
        std::make_unique<ModuleSemantics>(Tree.root(), Source, fileIndex, std::move(resolver));
  }
  ParsedModule(const ParsedModule &) = delete;
  ParsedModule &operator=(const ParsedModule &) = delete;

  const ModuleSemantics &semantics() const { return *Semantics; }
  const ModuleSemantics *operator->() const { return Semantics.get(); }
  const std::string &source() const { return Source; }
  Node root() const { return Tree.root(); }

  // Byte offset of the `occurrence`-th (0-based) `needle`.
  uint32_t offsetOf(std::string_view needle, unsigned occurrence = 0) const {
    size_t at = Source.find(needle);
    for (unsigned i = 0; i < occurrence && at != std::string::npos; ++i)
      at = Source.find(needle, at + 1);
    EXPECT_NE(at, std::string::npos) << "no occurrence " << occurrence << " of '" << needle << "'";
    return at == std::string::npos ? 0 : static_cast<uint32_t>(at);
  }

  // The smallest named node spanning the `occurrence`-th `needle` (an identifier, a member
  // expression, a string, ...); the test fails unless its range is exactly the needle's.
  Node node(std::string_view needle, unsigned occurrence = 0) const {
    uint32_t begin = offsetOf(needle, occurrence);
    uint32_t end = begin + static_cast<uint32_t>(needle.size());
    Node n(ts_node_named_descendant_for_byte_range(Tree.root().raw(), begin, end));
    EXPECT_TRUE(n.begin() == begin && n.end() == end)
        << "no node spans '" << needle << "' exactly; found " << n.type() << " '" << n.text(Source)
        << "'";
    return n;
  }

  // The `occurrence`-th (0-based, in source order) identifier token spelled `name`: variable
  // references and declarations, including shorthand properties and patterns, but not property
  // names after a dot.
  Node identifier(std::string_view name, unsigned occurrence = 0) const {
    std::vector<Node> found = identifiers(name);
    EXPECT_LT(occurrence, found.size())
        << "no identifier occurrence " << occurrence << " of '" << name << "'";
    return occurrence < found.size() ? found[occurrence] : Node();
  }

  const Binding *resolve(std::string_view name, unsigned occurrence = 0) const {
    return Semantics->resolve(identifier(name, occurrence));
  }

  // Evaluates the `occurrence`-th identifier `expression` when the source has identifiers of
  // that name, else the node spanning the `occurrence`-th text `expression` (`a.b`, `'x'`,
  // `undefined`).
  ValuePtr evaluate(std::string_view expression, unsigned occurrence = 0) const {
    if (!identifiers(expression).empty())
      return Semantics->evaluate(identifier(expression, occurrence));
    return Semantics->evaluate(node(expression, occurrence));
  }

private:
  std::vector<Node> identifiers(std::string_view name) const {
    std::vector<Node> found;
    walk(Tree.root(), [&](Node n) {
      if ((n.is("identifier") || n.is("shorthand_property_identifier") ||
           n.is("shorthand_property_identifier_pattern")) &&
          n.text(Source) == name)
        found.push_back(n);
      return true;
    });
    return found;
  }

  std::string Source;
  mpauth::Tree Tree;
  std::unique_ptr<ModuleSemantics> Semantics;
};

} // namespace mpauth::engine_test
