// The semantic model of one module (file): scopes and bindings, a small evaluator of
// expressions to abstract Values, cloud function handlers, and the module's exports.
// Built once per file while its tree is alive; everything rules keep is tree-free.
#pragma once

#include "analyzer/semantics/Value.h"
#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpauth {

enum class BindingKind : uint8_t { Var, Let, Const, Param, Function, Class, Import, CatchParam };

struct Binding {
  std::string name;
  BindingKind kind = BindingKind::Var;
  Node id;   // the declaring identifier
  Node init; // the initializer (whole right-hand side for destructuring); null if none
  // For destructuring: property names from `init` to this binding ("0", "1" for arrays).
  std::vector<std::string> path;
  // Import: the module specifier and imported name ("default", "*" or the name).
  std::string importSource;
  std::string importedName;
  Node function; // Param: the function that declares it
  unsigned paramIndex = 0;
  unsigned writes = 0; // assignments after the declaration
  uint32_t scope = 0;
};

struct Scope {
  uint32_t parent = 0; // the program scope is its own parent (index 0)
  uint32_t begin = 0, end = 0;
  bool functionScope = false;
  Node node;
  llvm::StringMap<uint32_t> names; // name -> index in bindings
};

enum class ComponentKind : uint8_t { App, Page, Component, Behavior, VueOptions, ClassComponent };
const char *componentKindName(ComponentKind kind);

// A method of a component: `onLoad() {}`, `onTap: function () {}`, `methods: { save() {} }`.
struct ComponentMethod {
  std::string name;
  std::string group; // "" (top level), "methods", "lifetimes", "pageLifetimes", "observers"
  Node function;
};

// An App/Page/Component/Behavior options object, a uni-app/Vue options object, or a Taro/React
// class component.
struct ComponentInfo {
  ComponentKind kind = ComponentKind::Page;
  Node call;   // the App/Page/Component call (null for classes and Vue options)
  Node object; // the options object literal, or the class body
  std::vector<ComponentMethod> methods;
  // `this.name = expr` anywhere in the component, and non-function properties of the object.
  llvm::StringMap<std::vector<Node>> thisFields;
  const ComponentMethod *method(std::string_view name) const {
    for (const ComponentMethod &m : methods)
      if (m.name == name)
        return &m;
    return nullptr;
  }
};

// Resolves a relative module specifier to a project file index (or -1).
using ImportResolver = std::function<int(llvm::StringRef specifier)>;

class ModuleSemantics {
public:
  ModuleSemantics(Node root, std::string_view source, int fileIndex, ImportResolver resolver);

  std::string_view source() const { return Source; }
  Node root() const { return Root; }
  int fileIndex() const { return FileIndex; }

  // The binding an identifier refers to, or nullptr for a global.
  const Binding *resolve(Node identifier) const;
  const Binding *lookup(std::string_view name, uint32_t offset) const;
  const std::vector<Binding> &bindings() const { return Bindings; }

  // Evaluates an expression to an abstract value.
  ValuePtr evaluate(Node expression) const;
  Origin originOf(Node node) const { return {FileIndex, node.begin(), node.end()}; }

  // Cloud function handlers: `exports.main = …`, `module.exports.main`, `export const main`,
  // `export function main`, `module.exports = { main }` (also `{ main: f }`, `{ main() {} }` and
  // chains such as `exports = module.exports = { main }`).
  const std::vector<Node> &handlers() const { return Handlers; }
  bool isHandler(Node function) const;
  // The function (arrow, expression, declaration or method) that contains `node`, if any.
  Node enclosingFunction(Node node) const;

  // What the module exports: an Object whose fields are the named exports (ES `default` is a
  // field too; CommonJS `module.exports = x` makes `x` the whole value).
  ValuePtr exports() const { return Exports; }

  // Interprocedural, one level: the values passed for parameter `param` at every call of its
  // function in this file (calls by name, `this.method(…)` for component methods, and
  // `.call`-free direct calls). Empty when the function is never called here (exported,
  // a callback, a handler).
  std::vector<ValuePtr> argumentValues(const Binding &param) const;
  // The client's `event`: the first parameter of a handler, or any first parameter named `event`.
  bool isEventParam(const Binding &binding) const;
  // The first parameter of a tcb-router route handler (`ctx`).
  bool isRouterContextParam(const Binding &binding) const;
  // The call expressions of `function` in this file.
  // Memoized; the reference stays valid as long as the ModuleSemantics.
  const std::vector<Node> &callsOf(Node function) const;
  // The values assigned to a variable after its declaration, in source order: the right-hand
  // sides of `x = v`, `x ||= v` and `x ??= v` (not `+=` and the like, which compute a value).
  const std::vector<Node> &assignedValues(const Binding &binding) const;
  // What `function` returns: the expressions of its `return` statements (not those of nested
  // functions) and an arrow function's expression body.
  std::vector<Node> returnedExpressions(Node function) const;

  // App/Page/Component objects and component classes, in source order.
  const std::vector<ComponentInfo> &components() const { return Components; }
  // The component whose method (or a function nested in it, through arrows) `node` is in;
  // -1 when none. `method` receives the method when it is not null.
  int componentOf(Node node, const ComponentMethod **method = nullptr) const;

  // Module specifiers this file requires or imports (for the module graph).
  const std::vector<std::string> &imports() const { return Imports; }

  // Content evidence for the file's role (SPEC 2).
  bool requiresServerSdk() const { return RequiresServerSdk; }
  bool callsAppPageOrComponent() const { return CallsAppPageComponent; }
  bool usesClientApis() const { return UsesClientApis; }

private:
  void buildScopes();
  void declare(BindingKind kind, Node id, Node init, std::vector<std::string> path, uint32_t scope);
  void declarePattern(BindingKind kind, Node pattern, Node init, std::vector<std::string> path,
                      uint32_t scope, Node function = Node(), unsigned paramIndex = 0);
  void declareParams(Node function, uint32_t scope);
  void declareImport(Node importStatement, uint32_t scope);
  void noteWrite(Node target);
  void findHandlers();
  void findComponents();
  void collectThisFields();
  ValuePtr evalThis(Node thisNode) const;
  ValuePtr evalThisField(int component, std::string_view name, Origin origin, unsigned depth) const;
  void computeExports();
  uint32_t scopeAt(uint32_t offset) const;
  uint32_t functionScopeOf(uint32_t scope) const;

  ValuePtr eval(Node expression, unsigned depth) const;
  ValuePtr evalIdentifier(Node identifier, unsigned depth) const;
  ValuePtr evalBinding(const Binding &binding, Node use, unsigned depth) const;
  ValuePtr evalObject(Node object, unsigned depth) const;
  ValuePtr arrayCallbackElement(const Binding &binding, unsigned depth) const;

  Node Root;
  std::string_view Source;
  int FileIndex;
  ImportResolver Resolver;
  std::vector<Scope> Scopes;
  std::vector<Binding> Bindings;
  std::vector<Node> Handlers;
  std::vector<Node> ComponentCandidates; // collected by the scope walk for findComponents
  std::vector<ComponentInfo> Components;
  ValuePtr Exports;
  std::vector<std::string> Imports;
  bool RequiresServerSdk = false;
  bool CallsAppPageComponent = false;
  bool UsesClientApis = false;

  // Indexes built on first use (a ModuleSemantics serves one thread; see docs/architecture.md,
  // "Performance"). Keys are tree-sitter node ids.
  void indexMethods() const;
  void indexCalls() const;
  mutable bool MethodsIndexed = false;
  // A function -> the first component method it is: (component, method index).
  mutable llvm::DenseMap<const void *, std::pair<uint32_t, uint32_t>> MethodOf;
  // A class body -> the first class component whose body it is.
  mutable llvm::DenseMap<const void *, uint32_t> ClassComponentOf;
  mutable bool CallsIndexed = false;
  mutable std::vector<Node> AllCalls; // every call_expression, in pre-order
  // Positions in AllCalls by the callee's name: `f(…)` and `x.f(…)` (parentheses unwrapped).
  mutable llvm::StringMap<std::vector<uint32_t>> CallsByName, CallsByProperty;
  // A function -> the first binding that names it (what callsOf looks for).
  mutable llvm::DenseMap<const void *, uint32_t> NamingBinding;
  // callsOf, memoized (node-based so that references survive later insertions).
  mutable std::unordered_map<const void *, std::vector<Node>> CallsOfFunction;
  void indexAssignments() const;
  mutable bool AssignmentsIndexed = false;
  mutable llvm::DenseMap<const Binding *, std::vector<Node>> Assignments;
  bool Built = false;                                       // the constructor has finished
  mutable llvm::DenseMap<const void *, ValuePtr> Evaluated; // evaluate(), memoized once Built
};

// True for function-like nodes (declarations, expressions, arrows, methods).
bool isFunctionNode(Node node);
// The node types isFunctionNode accepts, and the function-like nodes of a subtree in pre-order
// (what a full walk testing isFunctionNode visits).
extern const std::string_view kFunctionNodeTypes[7];
std::vector<Node> functionNodesIn(Node root);

// The package names of the server SDKs (wx-server-sdk, @cloudbase/node-sdk, tcb-admin-node).
enum class ServerSdk { None, WxServerSdk, CloudbaseNode, TcbAdmin };
ServerSdk serverSdkOf(llvm::StringRef packageName);

} // namespace mpauth
