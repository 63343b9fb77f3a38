#include "analyzer/semantics/Module.h"

#include <algorithm>

namespace mpauth {

namespace {

constexpr unsigned kMaxEvalDepth = 24;

bool isScopeOwner(std::string_view t) {
  return t == "for_statement" || t == "for_in_statement" || t == "catch_clause" ||
         t == "statement_block" || t == "switch_statement" || t == "class_body";
}

// The name of a property key node (`a`, `'a'`, `[“a”]`), or empty when dynamic.
std::string keyName(Node key, std::string_view source) {
  if (key.isNull())
    return {};
  std::string_view t = key.type();
  if (t == "property_identifier" || t == "identifier" || t == "shorthand_property_identifier" ||
      t == "shorthand_property_identifier_pattern" || t == "private_property_identifier" ||
      t == "number")
    return std::string(key.text(source));
  if (auto s = stringValue(key, source))
    return *s;
  if (t == "computed_property_name")
    if (auto s = stringValue(key.namedChild(0), source))
      return *s;
  return {};
}

// Dotted text of a member chain made of identifiers only ("module.exports.main"), else "".
std::string dottedName(Node node, std::string_view source) {
  std::vector<std::string_view> parts;
  for (int guard = 0; guard < 16; ++guard) {
    node = unwrapExpression(node);
    if (node.is("identifier")) {
      parts.push_back(node.text(source));
      break;
    }
    if (!node.is("member_expression"))
      return {};
    parts.push_back(node.field("property").text(source));
    node = node.field("object");
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty())
      out += '.';
    out += *it;
  }
  return out;
}

BindingKind lexicalKind(Node declaration, std::string_view source) {
  Node keyword = declaration.child(0);
  return keyword.text(source) == "const" ? BindingKind::Const : BindingKind::Let;
}

} // namespace

const std::string_view kFunctionNodeTypes[7] = {"function_declaration",
                                                "function_expression",
                                                "arrow_function",
                                                "method_definition",
                                                "generator_function",
                                                "generator_function_declaration",
                                                "function"};

std::vector<Node> functionNodesIn(Node root) {
  return nodesOfTypes(root, kFunctionNodeTypes);
}

bool isFunctionNode(Node node) {
  std::string_view t = node.type();
  return t == "function_declaration" || t == "function_expression" || t == "arrow_function" ||
         t == "method_definition" || t == "generator_function" ||
         t == "generator_function_declaration" || t == "function";
}

ServerSdk serverSdkOf(llvm::StringRef packageName) {
  if (packageName == "wx-server-sdk")
    return ServerSdk::WxServerSdk;
  if (packageName == "@cloudbase/node-sdk")
    return ServerSdk::CloudbaseNode;
  if (packageName == "tcb-admin-node")
    return ServerSdk::TcbAdmin;
  return ServerSdk::None;
}

ModuleSemantics::ModuleSemantics(Node root, std::string_view source, int fileIndex,
                                 ImportResolver resolver)
    : Root(root), Source(source), FileIndex(fileIndex), Resolver(std::move(resolver)) {
  buildScopes();
  findHandlers();
  findComponents();
  collectThisFields();
  computeExports();
  Built = true; // from here on the model no longer changes: evaluate() may memoize
}

const char *componentKindName(ComponentKind kind) {
  switch (kind) {
  case ComponentKind::App:
    return "App";
  case ComponentKind::Page:
    return "Page";
  case ComponentKind::Component:
    return "Component";
  case ComponentKind::Behavior:
    return "Behavior";
  case ComponentKind::VueOptions:
    return "component";
  case ComponentKind::ClassComponent:
    return "component class";
  }
  return "component";
}

namespace {

bool isLifetimeGroup(std::string_view key) {
  return key == "methods" || key == "lifetimes" || key == "pageLifetimes" || key == "observers";
}

// Vue/uni-app options objects are recognised by the keys only they have.
bool looksLikeVueOptions(Node object, std::string_view source) {
  for (Node member : object.namedChildren()) {
    Node key = member.is("pair") ? member.field("key") : member.field("name");
    std::string_view k = key.text(source);
    if (k == "methods" || k == "mounted" || k == "onLoad" || k == "onLaunch" || k == "setup" ||
        k == "computed" || k == "created")
      return true;
  }
  return false;
}

} // namespace

void ModuleSemantics::findComponents() {
  auto addMethods = [&](ComponentInfo &c, Node object, const std::string &group) {
    for (Node member : object.namedChildren()) {
      if (member.is("method_definition")) {
        c.methods.push_back({keyName(member.field("name"), Source), group, member});
      } else if (member.is("pair")) {
        std::string key = keyName(member.field("key"), Source);
        Node value = unwrapExpression(member.field("value"));
        if (isFunctionNode(value))
          c.methods.push_back({key, group, value});
      }
    }
  };
  auto addOptions = [&](ComponentKind kind, Node call, Node object) {
    ComponentInfo c;
    c.kind = kind;
    c.call = call;
    c.object = object;
    addMethods(c, object, "");
    for (Node member : object.namedChildren()) {
      if (!member.is("pair"))
        continue;
      std::string key = keyName(member.field("key"), Source);
      Node value = unwrapExpression(member.field("value"));
      if (isLifetimeGroup(key) && value.is("object"))
        addMethods(c, value, key);
      else if (!isFunctionNode(value) && !key.empty())
        c.thisFields[key].push_back(value);
    }
    Components.push_back(std::move(c));
  };

  // Candidates were collected by the scope walk (one walk fewer per file).
  for (Node n : ComponentCandidates) {
    std::string_view t = n.type();
    if (t == "call_expression") {
      Node callee = unwrapExpression(n.field("function"));
      if (!callee.is("identifier") || resolve(callee))
        continue;
      std::string_view name = callee.text(Source);
      ComponentKind kind;
      if (name == "App")
        kind = ComponentKind::App;
      else if (name == "Page")
        kind = ComponentKind::Page;
      else if (name == "Component")
        kind = ComponentKind::Component;
      else if (name == "Behavior")
        kind = ComponentKind::Behavior;
      else
        continue;
      Node object = unwrapExpression(n.field("arguments").namedChild(0));
      if (object.is("object"))
        addOptions(kind, n, object);
      continue;
    }
    if (t == "class_declaration" || t == "class") {
      Node heritage;
      for (Node child : n.namedChildren())
        if (child.is("class_heritage"))
          heritage = child;
      std::string_view base = heritage.text(Source);
      if (base.find("Component") == std::string_view::npos)
        continue;
      ComponentInfo c;
      c.kind = ComponentKind::ClassComponent;
      c.object = n.field("body");
      for (Node member : c.object.namedChildren()) {
        if (member.is("method_definition")) {
          c.methods.push_back({keyName(member.field("name"), Source), "", member});
        } else if (member.is("field_definition") || member.is("public_field_definition")) {
          Node value = unwrapExpression(member.field("value"));
          Node name = member.field("property");
          if (!name)
            name = member.field("name");
          if (isFunctionNode(value))
            c.methods.push_back({keyName(name, Source), "", value});
          else if (value)
            c.thisFields[keyName(name, Source)].push_back(value);
        }
      }
      Components.push_back(std::move(c));
      continue;
    }
    if (t == "export_statement") {
      Node value = unwrapExpression(n.field("value"));
      if (value.is("call_expression")) // export default defineComponent({...})
        value = unwrapExpression(value.field("arguments").namedChild(0));
      if (value.is("object") && looksLikeVueOptions(value, Source))
        addOptions(ComponentKind::VueOptions, Node(), value);
      continue;
    }
    continue;
  }
  ComponentCandidates.clear();
  ComponentCandidates.shrink_to_fit();
}

int ModuleSemantics::componentOf(Node node, const ComponentMethod **method) const {
  if (Components.empty())
    return -1;
  indexMethods();
  for (Node n = node; n; n = n.parent()) {
    if (isFunctionNode(n)) {
      if (auto it = MethodOf.find(n.raw().id); it != MethodOf.end()) {
        if (method)
          *method = &Components[it->second.first].methods[it->second.second];
        return static_cast<int>(it->second.first);
      }
      if (!n.is("arrow_function"))
        return -1; // a function of its own: its own `this`
      continue;
    }
    if (auto it = ClassComponentOf.find(n.raw().id); it != ClassComponentOf.end())
      return static_cast<int>(it->second);
  }
  return -1;
}

void ModuleSemantics::indexMethods() const {
  if (MethodsIndexed)
    return;
  MethodsIndexed = true;
  // In component order, then method order: the first match wins, as a linear search would.
  for (uint32_t c = 0; c < Components.size(); ++c) {
    const ComponentInfo &component = Components[c];
    for (uint32_t m = 0; m < component.methods.size(); ++m)
      if (Node f = component.methods[m].function)
        MethodOf.try_emplace(f.raw().id, c, m);
    if (component.kind == ComponentKind::ClassComponent && component.object)
      ClassComponentOf.try_emplace(component.object.raw().id, c);
  }
}

void ModuleSemantics::collectThisFields() {
  if (Components.empty())
    return;
  for (Node n : nodesOfTypes(Root, {"assignment_expression"})) {
    Node left = unwrapExpression(n.field("left"));
    if (!left.is("member_expression"))
      continue;
    Node object = unwrapExpression(left.field("object"));
    ValuePtr owner = object.is("this") ? evalThis(object) : Value::unknown();
    if (object.is("identifier"))
      owner = evalIdentifier(object, 1);
    if (!owner->is(Value::Kind::ComponentThis))
      continue;
    Components[owner->file].thisFields[left.field("property").text(Source)].push_back(
        n.field("right"));
  }
}

ValuePtr ModuleSemantics::evalThis(Node thisNode) const {
  int c = componentOf(thisNode);
  if (c < 0)
    return Value::unknown();
  auto v = Value::make(Value::Kind::ComponentThis, originOf(thisNode));
  std::const_pointer_cast<Value>(v)->file = c;
  return v;
}

ValuePtr ModuleSemantics::evalThisField(int component, std::string_view name, Origin origin,
                                        unsigned depth) const {
  const ComponentInfo &c = Components[component];
  auto it = c.thisFields.find(llvm::StringRef(name.data(), name.size()));
  if (it == c.thisFields.end())
    return Value::unknown();
  // One value, or several assignments that all evaluate alike (`this.db = wx.cloud.database()`
  // in onLoad and again in onShow): anything else is not a single known value.
  ValuePtr result;
  for (Node source : it->second) {
    ValuePtr v = eval(source, depth + 1);
    if (!result) {
      result = v;
    } else if (result->describe() != v->describe()) {
      return Value::unknown();
    }
  }
  (void)origin;
  return result ? result : Value::unknown();
}

void ModuleSemantics::declare(BindingKind kind, Node id, Node init, std::vector<std::string> path,
                              uint32_t scope) {
  if (id.isNull())
    return;
  std::string name(id.text(Source));
  if (name.empty())
    return;
  auto [it, inserted] = Scopes[scope].names.try_emplace(name, Bindings.size());
  if (!inserted) {
    // A redeclaration (`var x` twice, a function and a var): no longer a single value.
    ++Bindings[it->second].writes;
    return;
  }
  Binding b;
  b.name = std::move(name);
  b.kind = kind;
  b.id = id;
  b.init = init;
  b.path = std::move(path);
  b.scope = scope;
  Bindings.push_back(std::move(b));
}

void ModuleSemantics::declarePattern(BindingKind kind, Node pattern, Node init,
                                     std::vector<std::string> path, uint32_t scope, Node function,
                                     unsigned paramIndex) {
  // Patterns nest (`{ a: { b: [c] } }`): an explicit stack, never recursion.
  struct Item {
    Node node;
    std::vector<std::string> path;
  };
  std::vector<Item> work{{pattern, std::move(path)}};
  while (!work.empty()) {
    Item item = std::move(work.back());
    work.pop_back();
    Node n = item.node;
    if (n.isNull())
      continue;
    std::string_view t = n.type();
    if (t == "identifier" || t == "shorthand_property_identifier_pattern") {
      size_t before = Bindings.size();
      std::vector<std::string> p = item.path;
      if (t == "shorthand_property_identifier_pattern")
        p.emplace_back(n.text(Source));
      declare(kind, n, init, std::move(p), scope);
      if (Bindings.size() > before && kind == BindingKind::Param) {
        Bindings.back().function = function;
        Bindings.back().paramIndex = paramIndex;
      }
    } else if (t == "object_pattern") {
      for (Node child : n.namedChildren()) {
        std::string_view ct = child.type();
        if (ct == "shorthand_property_identifier_pattern") {
          work.push_back({child, item.path});
        } else if (ct == "pair_pattern") {
          std::vector<std::string> p = item.path;
          std::string key = keyName(child.field("key"), Source);
          p.push_back(key.empty() ? "..." : key);
          work.push_back({child.field("value"), std::move(p)});
        } else if (ct == "object_assignment_pattern") {
          Node left = child.field("left");
          work.push_back({left, item.path});
        } else if (ct == "rest_pattern") {
          std::vector<std::string> p = item.path;
          p.emplace_back("...");
          work.push_back({child.namedChild(0), std::move(p)});
        }
      }
    } else if (t == "array_pattern") {
      // An element's index is the number of commas before it: a hole (`[a, , c]`, `[, b]`)
      // is a comma without a node.
      unsigned index = 0;
      for (Node child : n.children()) {
        if (child.type() == ",") {
          ++index;
          continue;
        }
        if (!child.isNamed() || child.is("comment"))
          continue;
        std::vector<std::string> p = item.path;
        p.push_back(child.is("rest_pattern") ? "..." : std::to_string(index));
        work.push_back({child.is("rest_pattern") ? child.namedChild(0) : child, std::move(p)});
      }
    } else if (t == "assignment_pattern" || t == "object_assignment_pattern") {
      work.push_back({n.field("left"), item.path});
    } else if (t == "rest_pattern") {
      std::vector<std::string> p = item.path;
      p.emplace_back("...");
      work.push_back({n.namedChild(0), std::move(p)});
    } else if (t == "required_parameter" || t == "optional_parameter") {
      work.push_back({n.field("pattern"), item.path});
    }
  }
}

void ModuleSemantics::declareParams(Node function, uint32_t scope) {
  if (Node single = function.field("parameter")) {
    declarePattern(BindingKind::Param, single, Node(), {}, scope, function, 0);
    return;
  }
  Node params = function.field("parameters");
  if (params.isNull())
    return;
  unsigned index = 0;
  for (Node p : params.namedChildren()) {
    if (p.is("comment"))
      continue;
    declarePattern(BindingKind::Param, p, Node(), {}, scope, function, index++);
  }
}

void ModuleSemantics::declareImport(Node statement, uint32_t scope) {
  // TypeScript's `import x = require('y')` keeps its source on the import_require_clause,
  // not on the statement.
  Node requireClause;
  for (Node child : statement.namedChildren())
    if (child.is("import_require_clause"))
      requireClause = child;
  Node sourceNode = requireClause ? requireClause.field("source") : statement.field("source");
  std::optional<std::string> spec = stringValue(sourceNode, Source);
  if (!spec)
    return;
  Imports.push_back(*spec);
  if (serverSdkOf(*spec) != ServerSdk::None)
    RequiresServerSdk = true;
  auto add = [&](Node id, std::string imported) {
    size_t before = Bindings.size();
    declare(BindingKind::Import, id, Node(), {}, scope);
    if (Bindings.size() > before) {
      Bindings.back().importSource = *spec;
      Bindings.back().importedName = std::move(imported);
    }
  };
  if (requireClause) { // the whole module, as `const x = require('y')`
    add(requireClause.namedChild(0), "*");
    return;
  }
  for (Node child : statement.namedChildren()) {
    if (!child.is("import_clause"))
      continue;
    for (Node part : child.namedChildren()) {
      if (part.is("identifier")) {
        add(part, "default");
      } else if (part.is("namespace_import")) {
        add(part.namedChild(0), "*");
      } else if (part.is("named_imports")) {
        for (Node specifier : part.namedChildren()) {
          if (!specifier.is("import_specifier"))
            continue;
          Node name = specifier.field("name");
          Node alias = specifier.field("alias");
          add(alias ? alias : name, keyName(name, Source));
        }
      }
    }
  }
}

uint32_t ModuleSemantics::functionScopeOf(uint32_t scope) const {
  while (scope != 0 && !Scopes[scope].functionScope)
    scope = Scopes[scope].parent;
  return scope;
}

void ModuleSemantics::buildScopes() {
  Scopes.push_back(Scope{0, Root.begin(), Root.end(), true, Root, {}});
  std::vector<uint32_t> stack{0};
  std::vector<Node> writeTargets;

  auto openScope = [&](Node n, bool functionScope) {
    Scopes.push_back(Scope{stack.back(), n.begin(), n.end(), functionScope, n, {}});
    stack.push_back(static_cast<uint32_t>(Scopes.size() - 1));
    return stack.back();
  };

  walk(
      Root,
      [&](Node n) {
        std::string_view t = n.type();
        uint32_t current = stack.back();
        if (isFunctionNode(n)) {
          Node name = n.field("name");
          bool isDeclaration = t == "function_declaration" || t == "generator_function_declaration";
          if (isDeclaration)
            declare(BindingKind::Function, name, n, {}, current);
          uint32_t scope = openScope(n, true);
          if (!isDeclaration && !t.starts_with("method") && name)
            declare(BindingKind::Function, name, n, {}, scope);
          declareParams(n, scope);
          return true;
        }
        if (t == "class_declaration") {
          declare(BindingKind::Class, n.field("name"), n, {}, current);
          ComponentCandidates.push_back(n);
          return true;
        }
        if (t == "class") {
          ComponentCandidates.push_back(n);
          return true;
        }
        if (isScopeOwner(t)) {
          // A function's body block shares the function's scope (params and body decls).
          const Scope &s = Scopes[current];
          if (t == "statement_block" && isFunctionNode(s.node) && s.node.field("body") == n)
            return true;
          uint32_t scope = openScope(n, false);
          if (t == "catch_clause")
            declarePattern(BindingKind::CatchParam, n.field("parameter"), Node(), {}, scope);
          if (t == "for_in_statement") {
            if (Node kind = n.field("kind")) {
              std::string_view k = kind.text(Source);
              BindingKind bk = k == "const" ? BindingKind::Const
                               : k == "let" ? BindingKind::Let
                                            : BindingKind::Var;
              // The loop variable takes each element in turn: no single initializer.
              declarePattern(bk == BindingKind::Const ? BindingKind::Let : bk, n.field("left"),
                             Node(), {}, bk == BindingKind::Var ? functionScopeOf(scope) : scope);
            } else {
              writeTargets.push_back(n.field("left"));
            }
          }
          return true;
        }
        if (t == "variable_declaration" || t == "lexical_declaration") {
          BindingKind kind =
              t == "variable_declaration" ? BindingKind::Var : lexicalKind(n, Source);
          uint32_t scope = kind == BindingKind::Var ? functionScopeOf(current) : current;
          for (Node declarator : n.namedChildren())
            if (declarator.is("variable_declarator"))
              declarePattern(kind, declarator.field("name"), declarator.field("value"), {}, scope);
          return true;
        }
        if (t == "import_statement") {
          declareImport(n, 0);
          return false;
        }
        if (t == "export_statement") {
          // `export { a } from './x'` and `export * from './x'` read another module too.
          if (auto spec = stringValue(n.field("source"), Source))
            Imports.push_back(*spec);
          ComponentCandidates.push_back(n);
          return true;
        }
        if (t == "assignment_expression" || t == "augmented_assignment_expression") {
          writeTargets.push_back(n.field("left"));
          return true;
        }
        if (t == "update_expression") {
          writeTargets.push_back(n.field("argument"));
          return true;
        }
        if (t == "call_expression") {
          Node callee = n.field("function");
          if (callee.is("identifier")) {
            std::string_view name = callee.text(Source);
            if (name == "require") {
              Node args = n.field("arguments");
              if (auto spec = stringValue(args.namedChild(0), Source)) {
                Imports.push_back(*spec);
                if (serverSdkOf(*spec) != ServerSdk::None)
                  RequiresServerSdk = true;
              }
            } else if (name == "App" || name == "Page" || name == "Component" ||
                       name == "Behavior") {
              CallsAppPageComponent |= name != "Behavior";
              ComponentCandidates.push_back(n);
            }
          }
          return true;
        }
        if (t == "member_expression" && !UsesClientApis) {
          Node object = n.field("object");
          if (object.is("identifier")) {
            std::string_view name = object.text(Source);
            UsesClientApis = name == "wx" || name == "Taro" || name == "uni";
          }
        }
        return true;
      },
      [&](Node n) {
        if (stack.size() > 1 && Scopes[stack.back()].node == n)
          stack.pop_back();
      });

  for (Node target : writeTargets)
    noteWrite(target);
}

void ModuleSemantics::noteWrite(Node target) {
  target = unwrapExpression(target);
  if (target.isNull())
    return;
  if (target.is("identifier")) {
    if (const Binding *b = resolve(target))
      ++const_cast<Binding *>(b)->writes;
    return;
  }
  if (target.is("object_pattern") || target.is("array_pattern")) {
    walk(target, [&](Node n) {
      if (n.is("identifier") || n.is("shorthand_property_identifier_pattern")) {
        if (const Binding *b = lookup(n.text(Source), n.begin()))
          ++const_cast<Binding *>(b)->writes;
      }
      return true;
    });
  }
}

uint32_t ModuleSemantics::scopeAt(uint32_t offset) const {
  // Scopes are stored in pre-order, so begins are sorted and scopes nest.
  auto it = std::upper_bound(Scopes.begin(), Scopes.end(), offset,
                             [](uint32_t o, const Scope &s) { return o < s.begin; });
  if (it == Scopes.begin())
    return 0;
  uint32_t s = static_cast<uint32_t>(it - Scopes.begin()) - 1;
  while (s != 0 && !(Scopes[s].begin <= offset && offset < Scopes[s].end))
    s = Scopes[s].parent;
  return s;
}

const Binding *ModuleSemantics::lookup(std::string_view name, uint32_t offset) const {
  uint32_t s = scopeAt(offset);
  for (;;) {
    auto it = Scopes[s].names.find(llvm::StringRef(name.data(), name.size()));
    if (it != Scopes[s].names.end())
      return &Bindings[it->second];
    if (s == 0)
      return nullptr;
    s = Scopes[s].parent;
  }
}

const Binding *ModuleSemantics::resolve(Node identifier) const {
  if (identifier.isNull())
    return nullptr;
  return lookup(identifier.text(Source), identifier.begin());
}

Node ModuleSemantics::enclosingFunction(Node node) const {
  for (Node n = node.parent(); n; n = n.parent())
    if (isFunctionNode(n))
      return n;
  return Node();
}

bool ModuleSemantics::isHandler(Node function) const {
  return std::find(Handlers.begin(), Handlers.end(), function) != Handlers.end();
}

void ModuleSemantics::findHandlers() {
  auto functionOf = [&](Node value) -> Node {
    value = unwrapExpression(value);
    if (isFunctionNode(value))
      return value;
    if (value.is("identifier") || value.is("shorthand_property_identifier")) // `{ main }` too
      if (const Binding *b = resolve(value)) {
        if (b->kind == BindingKind::Function)
          return b->init;
        if (b->init && isFunctionNode(unwrapExpression(b->init)))
          return unwrapExpression(b->init);
      }
    return Node();
  };
  auto addMainOf = [&](Node object) {
    for (Node member : object.namedChildren()) {
      if (member.is("pair") && keyName(member.field("key"), Source) == "main") {
        if (Node f = functionOf(member.field("value")))
          Handlers.push_back(f);
      } else if (member.is("method_definition") &&
                 keyName(member.field("name"), Source) == "main") {
        Handlers.push_back(member);
      } else if (member.is("shorthand_property_identifier") && member.text(Source) == "main") {
        if (Node f = functionOf(member))
          Handlers.push_back(f);
      }
    }
  };
  for (Node statement : Root.namedChildren()) {
    if (statement.is("expression_statement")) {
      Node e = unwrapExpression(statement.namedChild(0));
      if (!e.is("assignment_expression"))
        continue;
      // `exports = module.exports = {…}`, `exports.main = module.exports.main = …`: every
      // target of a chain receives the last right-hand side.
      Node right = e;
      bool main = false, whole = false;
      for (; right.is("assignment_expression"); right = unwrapExpression(right.field("right"))) {
        std::string target = dottedName(right.field("left"), Source);
        main |= target == "exports.main" || target == "module.exports.main";
        whole |= target == "module.exports";
      }
      if (main) {
        if (Node f = functionOf(right))
          Handlers.push_back(f);
      } else if (whole && right.is("object")) {
        addMainOf(right);
      }
    } else if (statement.is("export_statement")) {
      Node decl = statement.field("declaration");
      if (decl.is("function_declaration") && keyName(decl.field("name"), Source) == "main") {
        Handlers.push_back(decl);
      } else if (decl.is("lexical_declaration") || decl.is("variable_declaration")) {
        for (Node d : decl.namedChildren())
          if (d.is("variable_declarator") && d.field("name").text(Source) == "main")
            if (Node f = functionOf(d.field("value")))
              Handlers.push_back(f);
      }
    }
  }
}

// The first parameter of a callback of an array method is an element of the array:
// `res.data.map(r => r._openid)`, `list.forEach(function (item) {…})`.
ValuePtr ModuleSemantics::arrayCallbackElement(const Binding &b, unsigned depth) const {
  if (b.kind != BindingKind::Param || b.paramIndex != 0 || b.function.isNull())
    return nullptr;
  Node parent = b.function.parent();
  if (!parent.is("arguments"))
    return nullptr;
  Node call = parent.parent();
  Node callee = unwrapExpression(call.field("function"));
  if (!call.is("call_expression") || !callee.is("member_expression"))
    return nullptr;
  std::string_view method = callee.field("property").text(Source);
  static constexpr std::string_view kElementMethods[] = {
      "map", "forEach", "filter", "find", "findIndex", "some", "every", "flatMap"};
  if (std::find(std::begin(kElementMethods), std::end(kElementMethods), method) ==
      std::end(kElementMethods))
    return nullptr;
  ValuePtr array = eval(callee.field("object"), depth + 1);
  if (!array->is(Value::Kind::Module) && !array->is(Value::Kind::Global) &&
      !array->is(Value::Kind::EventField))
    return nullptr;
  ValuePtr element = memberOf(array, "[]", originOf(b.id));
  for (const std::string &p : b.path) {
    if (p == "...")
      return Value::unknown();
    element = memberOf(element, p, originOf(b.id));
  }
  return element;
}

// tcb-router: `app.router('name', async (ctx, next) => …)` and `app.use(async (ctx, next) =>
// …)` where `app = new TcbRouter({ event })`.
bool ModuleSemantics::isRouterContextParam(const Binding &b) const {
  if (b.kind != BindingKind::Param || b.paramIndex != 0 || !b.path.empty() || b.function.isNull())
    return false;
  Node parent = b.function.parent();
  if (!parent.is("arguments"))
    return false;
  Node call = parent.parent();
  Node callee = unwrapExpression(call.field("function"));
  if (!callee.is("member_expression"))
    return false;
  std::string_view method = callee.field("property").text(Source);
  if (method != "router" && method != "use")
    return false;
  ValuePtr router = eval(callee.field("object"), 1);
  return router->is(Value::Kind::Module) && router->text == "tcb-router" && router->pathIs({"new"});
}

bool ModuleSemantics::isEventParam(const Binding &b) const {
  if (b.kind != BindingKind::Param || b.paramIndex != 0)
    return false;
  if (isHandler(b.function))
    return true;
  return b.path.empty() && b.name == "event";
}

void ModuleSemantics::computeExports() {
  auto exports = std::make_shared<Value>();
  exports->kind = Value::Kind::Object;
  exports->origin = originOf(Root);
  ValuePtr whole; // module.exports = <non-object>
  auto setField = [&](std::string name, ValuePtr v) {
    for (auto &[key, value] : exports->fields)
      if (key == name) {
        value = std::move(v);
        return;
      }
    exports->fields.emplace_back(std::move(name), std::move(v));
  };

  for (Node statement : Root.namedChildren()) {
    if (statement.is("expression_statement")) {
      Node e = unwrapExpression(statement.namedChild(0));
      if (!e.is("assignment_expression"))
        continue;
      // A chain (`exports = module.exports = {…}`) assigns its last right-hand side to every
      // target, outermost last.
      std::vector<Node> targets;
      Node right = e;
      for (; right.is("assignment_expression"); right = unwrapExpression(right.field("right")))
        targets.push_back(unwrapExpression(right.field("left")));
      for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
        Node left = *it;
        std::string target = dottedName(left, Source);
        if (target == "module.exports") {
          ValuePtr v = evaluate(right);
          if (v->is(Value::Kind::Object)) {
            exports->fields = v->fields;
            exports->open = v->open;
            whole = nullptr;
          } else {
            whole = v;
          }
        } else if (left.is("member_expression")) {
          std::string object = dottedName(left.field("object"), Source);
          if (object == "exports" || object == "module.exports")
            setField(std::string(left.field("property").text(Source)), evaluate(right));
        }
      }
      continue;
    }
    if (!statement.is("export_statement"))
      continue;
    std::optional<std::string> from = stringValue(statement.field("source"), Source);
    bool isDefault = false;
    for (Node child : statement.children())
      if (child.type() == "default")
        isDefault = true;
    Node decl = statement.field("declaration");
    if (isDefault) {
      Node value = statement.field("value");
      setField("default", evaluate(value ? value : decl));
      continue;
    }
    if (decl) {
      if (decl.is("lexical_declaration") || decl.is("variable_declaration")) {
        for (Node d : decl.namedChildren()) {
          Node name = d.field("name");
          if (d.is("variable_declarator") && name.is("identifier"))
            setField(std::string(name.text(Source)), evaluate(name));
        }
      } else if (Node name = decl.field("name")) {
        setField(std::string(name.text(Source)),
                 Value::make(Value::Kind::Function, originOf(name)));
      }
      continue;
    }
    for (Node child : statement.namedChildren()) {
      if (child.is("export_clause")) {
        for (Node spec : child.namedChildren()) {
          if (!spec.is("export_specifier"))
            continue;
          Node name = spec.field("name");
          Node alias = spec.field("alias");
          std::string exported = keyName(alias ? alias : name, Source);
          if (from) {
            auto v = std::make_shared<Value>();
            v->kind = Value::Kind::Module;
            v->text = *from;
            v->file = Resolver ? Resolver(*from) : -1;
            v->path.push_back(keyName(name, Source));
            v->origin = originOf(spec);
            setField(exported, v);
          } else {
            setField(exported, evaluate(name));
          }
        }
      } else if (child.is("namespace_export") || (from && child == statement.field("source"))) {
        exports->open = true; // `export * from`: names we do not enumerate
      }
    }
  }
  Exports = whole ? whole : ValuePtr(exports);
}

ValuePtr ModuleSemantics::evaluate(Node expression) const {
  if (!Built || expression.isNull())
    return eval(expression, 0);
  // Values are immutable and depend only on the node and the (finished) model: every rule
  // evaluates the same callees, so each node is evaluated once.
  auto [it, inserted] = Evaluated.try_emplace(expression.raw().id);
  if (inserted)
    it->second = eval(expression, 0);
  return it->second;
}

ValuePtr ModuleSemantics::evalObject(Node object, unsigned depth) const {
  auto v = std::make_shared<Value>();
  v->kind = Value::Kind::Object;
  v->origin = originOf(object);
  for (Node member : object.namedChildren()) {
    std::string_view t = member.type();
    if (t == "pair") {
      std::string key = keyName(member.field("key"), Source);
      if (key.empty()) {
        v->open = true;
        continue;
      }
      v->fields.emplace_back(std::move(key), eval(member.field("value"), depth + 1));
    } else if (t == "shorthand_property_identifier") {
      v->fields.emplace_back(std::string(member.text(Source)), evalIdentifier(member, depth + 1));
    } else if (t == "method_definition") {
      v->fields.emplace_back(keyName(member.field("name"), Source),
                             Value::make(Value::Kind::Function, originOf(member)));
    } else if (t == "spread_element") {
      v->open = true;
    }
  }
  return v;
}

ValuePtr ModuleSemantics::evalBinding(const Binding &b, Node use, unsigned depth) const {
  Origin useOrigin = originOf(use);
  switch (b.kind) {
  case BindingKind::Import: {
    auto v = std::make_shared<Value>();
    v->kind = Value::Kind::Module;
    v->text = b.importSource;
    // The resolver decides what is a project file: "./x", "/utils/x", and aliases such as "@/x".
    v->file = Resolver ? Resolver(b.importSource) : -1;
    bool relative = v->file >= 0 || llvm::StringRef(b.importSource).startswith(".") ||
                    llvm::StringRef(b.importSource).startswith("/");
    if (b.importedName != "*" && (relative || b.importedName != "default"))
      v->path.push_back(b.importedName);
    v->origin = useOrigin;
    return v;
  }
  case BindingKind::Param: {
    if (ValuePtr element = arrayCallbackElement(b, depth); element)
      return element;
    if (isRouterContextParam(b))
      return Value::make(Value::Kind::RouterContext, useOrigin);
    if (!isEventParam(b))
      return Value::unknown();
    auto v = Value::make(Value::Kind::EventField, useOrigin);
    for (const std::string &p : b.path)
      if (p == "...")
        return Value::unknown();
    std::const_pointer_cast<Value>(v)->path = b.path;
    return v;
  }
  case BindingKind::Function:
  case BindingKind::Class:
    return Value::make(Value::Kind::Function, originOf(b.id));
  case BindingKind::Const:
  case BindingKind::Let:
  case BindingKind::Var: {
    if (b.init.isNull() || (b.kind != BindingKind::Const && b.writes > 0))
      return Value::unknown();
    if (b.kind == BindingKind::Const && b.writes > 0)
      return Value::unknown();
    ValuePtr v = eval(b.init, depth + 1);
    for (const std::string &p : b.path) {
      if (p == "...")
        return Value::unknown();
      v = memberOf(v, p, useOrigin);
    }
    return v;
  }
  case BindingKind::CatchParam:
    return Value::unknown();
  }
  return Value::unknown();
}

ValuePtr ModuleSemantics::evalIdentifier(Node identifier, unsigned depth) const {
  std::string_view name = identifier.text(Source);
  const Binding *b = lookup(name, identifier.begin());
  if (!b) {
    if (name == "undefined")
      return Value::make(Value::Kind::Undefined, originOf(identifier));
    auto v = Value::make(Value::Kind::Global, originOf(identifier));
    std::const_pointer_cast<Value>(v)->text = std::string(name);
    return v;
  }
  // `const x = x + 1` style self references and long chains end here. A function or class
  // naming itself inside its body (recursion, `Api.helper()` in a static method) is fine.
  bool declaresItself = b->kind == BindingKind::Function || b->kind == BindingKind::Class;
  if (depth > kMaxEvalDepth || (b->init && !declaresItself && b->init.contains(identifier)))
    return Value::unknown();
  return evalBinding(*b, identifier, depth);
}

ValuePtr ModuleSemantics::eval(Node e, unsigned depth) const {
  if (depth > kMaxEvalDepth)
    return Value::unknown();
  e = unwrapExpression(e);
  if (e.isNull())
    return Value::unknown();
  Origin o = originOf(e);
  std::string_view t = e.type();
  if (t == "string" || t == "template_string") {
    if (auto s = stringValue(e, Source))
      return Value::string(std::move(*s), o);
    return Value::unknown();
  }
  if (t == "number")
    return Value::make(Value::Kind::Number, o);
  if (t == "true" || t == "false")
    return Value::make(Value::Kind::Boolean, o);
  if (t == "null")
    return Value::make(Value::Kind::Null, o);
  if (t == "undefined")
    return Value::make(Value::Kind::Undefined, o);
  if (t == "identifier" || t == "shorthand_property_identifier") // `{ x }` reads `x`
    return evalIdentifier(e, depth + 1);
  if (t == "member_expression") {
    ValuePtr base = eval(e.field("object"), depth + 1);
    std::string_view property = e.field("property").text(Source);
    if (base->is(Value::Kind::ComponentThis))
      return evalThisField(base->file, property, o, depth);
    // `Api.call` where Api is a class of this module: its static method.
    if (base->is(Value::Kind::Function)) {
      Node object = unwrapExpression(e.field("object"));
      const Binding *b = object.is("identifier") ? resolve(object) : nullptr;
      if (b && b->kind == BindingKind::Class)
        for (Node member : b->init.field("body").namedChildren())
          if (member.is("method_definition") && keyName(member.field("name"), Source) == property)
            for (Node token : member.children())
              if (token.type() == "static")
                return Value::make(Value::Kind::Function, originOf(member));
    }
    return memberOf(base, property, o);
  }
  if (t == "this")
    return evalThis(e);
  if (t == "subscript_expression") {
    ValuePtr index = eval(e.field("index"), depth + 1);
    ValuePtr base = eval(e.field("object"), depth + 1);
    if (index->is(Value::Kind::String))
      return memberOf(base, index->text, o);
    // res.data[0], list[i]: an element of the array.
    if (index->is(Value::Kind::Number) || index->is(Value::Kind::Unknown))
      return base->is(Value::Kind::Object) ? Value::unknown() : memberOf(base, "[]", o);
    return Value::unknown();
  }
  if (t == "call_expression") {
    Node callee = unwrapExpression(e.field("function"));
    if (callee.is("identifier") && callee.text(Source) == "require" && !resolve(callee)) {
      std::optional<std::string> spec = stringValue(e.field("arguments").namedChild(0), Source);
      if (!spec)
        return Value::unknown();
      auto v = Value::make(Value::Kind::Module, o);
      auto *m = const_cast<Value *>(v.get());
      m->text = *spec;
      m->file = Resolver ? Resolver(*spec) : -1;
      return v;
    }
    // `fn.bind(thisArg)` is the same function.
    if (callee.is("member_expression") && callee.field("property").text(Source) == "bind") {
      ValuePtr bound = eval(callee.field("object"), depth + 1);
      if (bound->is(Value::Kind::Function))
        return bound;
    }
    ValuePtr f = eval(callee, depth + 1);
    if (f->is(Value::Kind::Module) || f->is(Value::Kind::Global) || f->is(Value::Kind::EventField))
      return memberOf(f, "()", o, originOf(e.field("arguments")));
    return Value::unknown();
  }
  if (t == "new_expression") {
    ValuePtr f = eval(e.field("constructor"), depth + 1);
    if (f->is(Value::Kind::Module) || f->is(Value::Kind::Global))
      return memberOf(f, "new", o);
    return Value::unknown();
  }
  if (t == "await_expression")
    return eval(e.namedChild(0), depth + 1);
  if (t == "object")
    return evalObject(e, depth);
  if (t == "array")
    return Value::make(Value::Kind::Array, o);
  if (isFunctionNode(e) || t == "class")
    return Value::make(Value::Kind::Function, o);
  if (t == "binary_expression") {
    Node op = e.field("operator");
    if (op.text(Source) == "+") {
      ValuePtr l = eval(e.field("left"), depth + 1);
      ValuePtr r = eval(e.field("right"), depth + 1);
      if (l->is(Value::Kind::String) && r->is(Value::Kind::String))
        return Value::string(l->text + r->text, o);
    }
    return Value::unknown();
  }
  if (t == "unary_expression") {
    if (e.field("operator").text(Source) == "void")
      return Value::make(Value::Kind::Undefined, o);
    return Value::unknown();
  }
  if (t == "sequence_expression") {
    uint32_t n = e.namedChildCount();
    return n ? eval(e.namedChild(n - 1), depth + 1) : Value::unknown();
  }
  if (t == "assignment_expression")
    return eval(e.field("right"), depth + 1);
  return Value::unknown();
}

} // namespace mpauth

namespace mpauth {

void ModuleSemantics::indexCalls() const {
  if (CallsIndexed)
    return;
  CallsIndexed = true;
  AllCalls = nodesOfTypes(Root, {"call_expression"});
  for (uint32_t position = 0; position < AllCalls.size(); ++position) {
    Node callee = unwrapExpression(AllCalls[position].field("function"));
    if (callee.is("identifier"))
      CallsByName[callee.text(Source)].push_back(position);
    else if (callee.is("member_expression"))
      CallsByProperty[callee.field("property").text(Source)].push_back(position);
  }
  // How a function can be named at a call: its declaration's name, or the variable its
  // expression initializes. The first binding in declaration order wins.
  for (uint32_t i = 0; i < Bindings.size(); ++i) {
    const Binding &b = Bindings[i];
    if (b.init.isNull())
      continue;
    if (b.kind == BindingKind::Function)
      NamingBinding.try_emplace(b.init.raw().id, i);
    if ((b.kind == BindingKind::Const || b.writes == 0) && b.path.empty())
      if (Node value = unwrapExpression(b.init))
        NamingBinding.try_emplace(value.raw().id, i);
  }
}

const std::vector<Node> &ModuleSemantics::callsOf(Node function) const {
  static const std::vector<Node> none;
  if (function.isNull())
    return none;
  indexCalls();
  indexMethods();
  const void *id = function.raw().id;
  if (auto cached = CallsOfFunction.find(id); cached != CallsOfFunction.end())
    return cached->second;
  // By its name (a declaration, or the variable its expression initializes), or as the
  // component method it is (`this.name(…)` in that component).
  const Binding *named = nullptr;
  if (auto it = NamingBinding.find(id); it != NamingBinding.end())
    named = &Bindings[it->second];
  const ComponentMethod *method = nullptr;
  int component = -1;
  if (auto it = MethodOf.find(id); it != MethodOf.end()) {
    component = static_cast<int>(it->second.first);
    method = &Components[it->second.first].methods[it->second.second];
  }
  std::vector<uint32_t> positions;
  if (named)
    if (auto it = CallsByName.find(named->name); it != CallsByName.end())
      for (uint32_t p : it->second)
        if (resolve(unwrapExpression(AllCalls[p].field("function"))) == named)
          positions.push_back(p);
  if (method)
    if (auto it = CallsByProperty.find(method->name); it != CallsByProperty.end())
      for (uint32_t p : it->second) {
        Node callee = unwrapExpression(AllCalls[p].field("function"));
        ValuePtr owner = eval(callee.field("object"), 1);
        if (owner->is(Value::Kind::ComponentThis) && owner->file == component)
          positions.push_back(p);
      }
  std::sort(positions.begin(), positions.end()); // source (pre-)order, as one walk finds them
  std::vector<Node> out;
  out.reserve(positions.size());
  for (uint32_t p : positions)
    out.push_back(AllCalls[p]);
  return CallsOfFunction.try_emplace(id, std::move(out)).first->second;
}

void ModuleSemantics::indexAssignments() const {
  if (AssignmentsIndexed)
    return;
  AssignmentsIndexed = true;
  for (Node n : nodesOfTypes(Root, {"assignment_expression", "augmented_assignment_expression"})) {
    if (n.is("augmented_assignment_expression")) {
      std::string_view op = n.field("operator").text(Source);
      if (op != "||=" && op != "?\?=")
        continue;
    }
    Node left = unwrapExpression(n.field("left"));
    if (left.is("identifier"))
      if (const Binding *b = resolve(left))
        Assignments[b].push_back(n.field("right"));
  }
}

const std::vector<Node> &ModuleSemantics::assignedValues(const Binding &binding) const {
  static const std::vector<Node> none;
  indexAssignments();
  auto it = Assignments.find(&binding);
  return it == Assignments.end() ? none : it->second;
}

std::vector<ValuePtr> ModuleSemantics::argumentValues(const Binding &param) const {
  std::vector<ValuePtr> out;
  if (param.kind != BindingKind::Param || param.function.isNull())
    return out;
  for (Node call : callsOf(param.function)) {
    Node arg;
    unsigned index = 0;
    for (Node a : call.field("arguments").namedChildren()) {
      if (a.is("comment"))
        continue;
      if (index++ == param.paramIndex) {
        arg = a;
        break;
      }
    }
    if (arg.isNull() || arg.is("spread_element")) {
      out.push_back(Value::make(Value::Kind::Undefined, originOf(call)));
      continue;
    }
    ValuePtr v = eval(arg, 1);
    for (const std::string &p : param.path)
      v = p == "..." ? Value::unknown() : memberOf(v, p, originOf(arg));
    out.push_back(v);
  }
  return out;
}

std::vector<Node> ModuleSemantics::returnedExpressions(Node function) const {
  std::vector<Node> out;
  Node body = function.field("body");
  if (body.isNull())
    return out;
  if (!body.is("statement_block")) { // an arrow's expression body
    out.push_back(body);
    return out;
  }
  walk(body, [&](Node n) {
    if (n != body && isFunctionNode(n))
      return false; // a nested function returns to its own caller
    if (n.is("return_statement")) {
      if (Node value = n.namedChild(0); value && !value.is("comment"))
        out.push_back(value);
      return false;
    }
    return true;
  });
  return out;
}

} // namespace mpauth
