// unknown-cloud-function (SPEC 3.10): the name given to wx.cloud.callFunction must be a function
// that exists under the cloud function root.
//
// File phase: every call of wx.cloud.callFunction (Taro.cloud, aliases, instances) and every
// call that may reach it through a wrapper, kept tree-free: who is called (a function of this
// file, `this.method`, or a value to resolve across files), and for each argument its value,
// the parameter of a function it comes from, and the fields of an object literal.
// Project phase: per-function summaries "parameter i (then the members P) becomes the name",
// grown to a fixed point from callFunction outwards through the wrappers; then every constant
// name that reaches callFunction is looked up among the functions of the root.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/ClientApis.h"
#include "analyzer/semantics/Reachability.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "cloudbase"};

constexpr MessageTemplate kMessages[] = {
    {"unknown",
     "{call}() calls the cloud function '{name}', but {root} has no function of that name: the "
     "call fails at run time (a typo, or a function renamed, deleted or never added to this "
     "project).",
     "{call}() 调用了云函数 '{name}'，但 {root} 中没有该名称的云函数：调用会在运行时失败（可能是"
     "拼写错误，或云函数已改名、删除或从未加入本项目）。"},
    {"unknown-suggestion",
     "{call}() calls the cloud function '{name}', but {root} has no function of that name (did "
     "you mean '{suggestion}'?): the call fails at run time.",
     "{call}() 调用了云函数 '{name}'，但 {root} 中没有该名称的云函数（是否想调用 "
     "'{suggestion}'？）：调用会在运行时失败。"},
    {"case-mismatch",
     "{call}() calls the cloud function '{name}', but the function in {root} is '{suggestion}': "
     "cloud function names are case-sensitive, so the call fails at run time.",
     "{call}() 调用了云函数 '{name}'，但 {root} 中的云函数是 '{suggestion}'：云函数名区分大小写，"
     "调用会在运行时失败。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "unknown-cloud-function",
      .name = "UnknownCloudFunction",
      .title = "Call of a cloud function that does not exist in the project",
      .titleZhCN = "调用了项目中不存在的云函数",
      .description =
          "wx.cloud.callFunction({ name }) (also Taro.cloud, aliases and Cloud instances) must "
          "name a function under the cloud function root. A name that matches no function folder "
          "is a typo, or a function that was renamed, deleted or never added to this project: "
          "the call fails at run time with 'FunctionName parameter could not be found'. Names "
          "are followed through constants, config modules and wrapper functions "
          "(callCloud('getList'), this.call('getList'), app.callFunction({ name: 'getList' })). "
          "Function names are case-sensitive; the closest existing name is suggested, and a fix "
          "is offered only when exactly one function differs from the name in case alone. "
          "Nothing is reported without a cloud function root or for names built at run time.",
      .defaultSeverity = Severity::Warning,
      .fix = FixSafety::Safe,
      .precision = Precision::High,
      .securitySeverity = "1.0",
      .roles = AppliesToClient,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("unknown-cloud-function"),
  };
  return d;
}

// A function anywhere in the run: its file and the byte range of its node (or, for a
// declaration evaluated through its name, of that name — see FileCalls::aliases).
struct FunctionKey {
  int file = -1;
  uint32_t begin = 0, end = 0;
  friend auto operator<=>(const FunctionKey &, const FunctionKey &) = default;
};

FunctionKey keyOf(const Origin &o) {
  return {o.file, o.begin, o.end};
}

// Parameter `index` of `function`, then the members `path` of it.
struct ParamRef {
  FunctionKey function;
  unsigned index = 0;
  std::vector<std::string> path;
};

// A field of an object literal passed as an argument (`{ name: fn, data }`).
struct FieldArg {
  std::string key;
  Location at; // the field's value
  std::optional<ParamRef> param;
  bool pageState = false; // `this.data.x`: changed by setData, not a constant
};

struct CallArg {
  Location at;
  ValuePtr value; // unresolved; null when nothing constant can come of it
  std::optional<ParamRef> param;
  std::vector<FieldArg> fields;   // an object literal written at the call, or bound by a const
  std::optional<ParamRef> spread; // `{ ...options }`: fields not written come from a parameter
  // A function passed on (`zx.refund(app.callFunction)`, `getToken(getApp())`): what a call of
  // the parameter inside the callee reaches.
  ValuePtr callable;

  const FieldArg *field(std::string_view key) const {
    const FieldArg *found = nullptr;
    for (const FieldArg &f : fields)
      if (f.key == key)
        found = &f; // the last one wins, as in JavaScript
    return found;
  }
};

enum class CalleeKind : uint8_t {
  CallFunction, // wx.cloud.callFunction and its aliases
  Function,     // a function of this file (or `this.method`)
  Value,        // to resolve in the project phase (an import, getApp().method)
  Parameter,    // a parameter (or a member of one): whatever its callers pass
};

struct CallSite {
  CalleeKind kind = CalleeKind::Value;
  FunctionKey function;
  ValuePtr callee;
  std::optional<ParamRef> calleeParam;
  std::string calleeText; // "wx.cloud.callFunction", "callCloud", "this.call"
  Location call, context;
  std::vector<CallArg> args;
};

struct FileCalls : Deferred {
  std::vector<CallSite> sites;
  // A function declaration evaluates to its name's range: name -> declaration.
  std::vector<std::pair<FunctionKey, FunctionKey>> aliases;
  // Methods of App({...}), reachable from pages as getApp().name.
  std::vector<std::pair<std::string, FunctionKey>> appMethods;
};

bool isIdentifierLike(Node n) {
  return n.is("identifier") || n.is("shorthand_property_identifier");
}

std::string propertyKey(Node key, std::string_view src) {
  if (key.is("property_identifier") || key.is("identifier") || key.is("number"))
    return std::string(key.text(src));
  if (auto s = stringValue(key, src))
    return *s;
  return {};
}

std::string collapseWhitespace(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
      continue; // `wx.cloud\n  .callFunction` reads as one name
    out += c;
  }
  if (out.size() > 60)
    out = out.substr(0, 57) + "...";
  return out;
}

// ---------------------------------------------------------------------------------------------
// File phase
// ---------------------------------------------------------------------------------------------

class CallCollector {
public:
  explicit CallCollector(FileContext &ctx)
      : Ctx(ctx), M(ctx.semantics), Src(ctx.text()), Out(std::make_unique<FileCalls>()) {}

  std::unique_ptr<FileCalls> run() {
    for (Node n : nodesOfTypes(M.root(), {"call_expression", "function_declaration",
                                          "generator_function_declaration"})) {
      if (n.is("call_expression"))
        collectCall(n);
      else if (Node name = n.field("name"))
        Out->aliases.push_back({keyOf(M.originOf(name)), keyOf(M.originOf(n))});
    }
    for (const ComponentInfo &c : M.components())
      if (c.kind == ComponentKind::App)
        for (const ComponentMethod &m : c.methods)
          if (m.group.empty() && !m.name.empty())
            Out->appMethods.push_back({m.name, keyOf(M.originOf(m.function))});
    if (Out->sites.empty() && Out->appMethods.empty())
      return nullptr;
    return std::move(Out);
  }

private:
  static bool singleAssignment(const Binding &b) {
    return (b.kind == BindingKind::Const || b.kind == BindingKind::Let ||
            b.kind == BindingKind::Var) &&
           b.writes == 0 && !b.init.isNull();
  }

  // Where an expression comes from when it is a parameter of a function, or a member of one:
  // `name`, `options.name`, `const { name } = options`, `function f({ name })`.
  std::optional<ParamRef> paramSource(Node node) const {
    std::vector<std::string> pending; // members read from the source, outermost last
    for (int guard = 0; guard < 16; ++guard) {
      node = unwrapExpression(node);
      if (node.is("member_expression")) {
        Node property = node.field("property");
        if (!property.is("property_identifier"))
          return std::nullopt;
        pending.insert(pending.begin(), std::string(property.text(Src)));
        node = node.field("object");
        continue;
      }
      if (node.is("subscript_expression")) {
        auto index = stringValue(unwrapExpression(node.field("index")), Src);
        if (!index)
          return std::nullopt;
        pending.insert(pending.begin(), *index);
        node = node.field("object");
        continue;
      }
      if (!isIdentifierLike(node))
        return std::nullopt;
      const Binding *b = M.resolve(node);
      if (!b)
        return std::nullopt;
      for (const std::string &p : b->path)
        if (p == "...")
          return std::nullopt;
      if (b->kind == BindingKind::Param) {
        if (b->function.isNull())
          return std::nullopt;
        ParamRef ref{keyOf(M.originOf(b->function)), b->paramIndex, b->path};
        ref.path.insert(ref.path.end(), pending.begin(), pending.end());
        return ref;
      }
      if (!singleAssignment(*b) || b->init.contains(node))
        return std::nullopt;
      pending.insert(pending.begin(), b->path.begin(), b->path.end());
      node = b->init;
    }
    return std::nullopt;
  }

  // Page and component state (`this.data.x`, `this.properties.x`, `const { x } = this.data`)
  // starts from the literal in the options object, but setData and the parent change it.
  bool readsComponentState(Node node) const {
    for (int guard = 0; guard < 16; ++guard) {
      node = unwrapExpression(node);
      if (node.is("member_expression") || node.is("subscript_expression")) {
        Node object = unwrapExpression(node.field("object"));
        if (node.is("member_expression") && (object.is("this") || object.is("identifier")) &&
            M.evaluate(object)->is(Value::Kind::ComponentThis)) {
          std::string_view member = node.field("property").text(Src);
          return member == "data" || member == "properties";
        }
        node = object;
        continue;
      }
      if (!isIdentifierLike(node))
        return false;
      const Binding *b = M.resolve(node);
      if (!b || !singleAssignment(*b) || b->init.contains(node))
        return false;
      node = b->init;
    }
    return false;
  }

  // The object literal an expression stands for: written there, or bound by a const.
  Node objectLiteralOf(Node node) const {
    for (int guard = 0; guard < 8; ++guard) {
      node = unwrapExpression(node);
      if (node.is("object"))
        return node;
      if (!isIdentifierLike(node))
        return Node();
      const Binding *b = M.resolve(node);
      if (!b || !singleAssignment(*b) || !b->path.empty() || b->init.contains(node))
        return Node();
      node = b->init;
    }
    return Node();
  }

  CallArg describeArg(Node node) const {
    CallArg arg;
    arg.at = Ctx.locationOf(node);
    arg.param = paramSource(node);
    ValuePtr v = M.evaluate(node);
    if ((v->is(Value::Kind::String) || v->is(Value::Kind::Object) ||
         (v->is(Value::Kind::Module) && v->file >= 0)) &&
        !readsComponentState(node))
      arg.value = v;
    // A function handed on, maybe bound: `app.callFunction.bind(app)`.
    Node function = unwrapExpression(node);
    if (function.is("call_expression")) {
      Node callee = unwrapExpression(function.field("function"));
      if (callee.is("member_expression") && callee.field("property").text(Src) == "bind")
        function = unwrapExpression(callee.field("object"));
    }
    Node method;
    if (thisMethod(function, node, method) == ThisMethod::Found) {
      arg.callable = Value::make(Value::Kind::Function, M.originOf(method));
    } else if (ValuePtr f = function == unwrapExpression(node) ? v : M.evaluate(function);
               maybeCallable(*f)) {
      arg.callable = f;
    }
    Node object = objectLiteralOf(node);
    if (object.isNull())
      return arg;
    for (Node member : object.namedChildren()) {
      if (member.is("pair")) {
        std::string key = propertyKey(member.field("key"), Src);
        if (key.empty())
          continue;
        Node value = member.field("value");
        arg.fields.push_back({std::move(key), Ctx.locationOf(value), paramSource(value),
                              readsComponentState(value)});
      } else if (member.is("shorthand_property_identifier")) {
        arg.fields.push_back({std::string(member.text(Src)), Ctx.locationOf(member),
                              paramSource(member), readsComponentState(member)});
      } else if (member.is("spread_element") && !arg.spread) {
        arg.spread = paramSource(member.namedChild(0));
      }
    }
    return arg;
  }

  static bool interesting(const CallArg &a) {
    return a.value || a.param || a.spread || !a.fields.empty() || a.callable;
  }

  // Values that can stand for a function to call: a function, an import, wx / Taro / getApp().
  static bool maybeCallable(const Value &v) {
    if (v.is(Value::Kind::Function))
      return v.origin.valid();
    if (v.is(Value::Kind::Module))
      return v.file >= 0 || v.text == "@tarojs/taro";
    return v.is(Value::Kind::Global) && (v.text == "wx" || v.text == "Taro" || v.text == "getApp");
  }

  enum class ThisMethod { NotThis, Unknown, Found };

  // `this.name` (or `that.name`) naming a method of the component, object literal or class the
  // code is in.
  ThisMethod thisMethod(Node member, Node at, Node &function) const {
    if (!member.is("member_expression"))
      return ThisMethod::NotThis;
    Node object = unwrapExpression(member.field("object"));
    std::string_view property = member.field("property").text(Src);
    if (!object.is("this") && !object.is("identifier"))
      return ThisMethod::NotThis;
    ValuePtr self = M.evaluate(object);
    if (self->is(Value::Kind::ComponentThis)) {
      const ComponentInfo &c = M.components()[static_cast<size_t>(self->file)];
      const ComponentMethod *method = c.method(property);
      if (!method)
        return ThisMethod::Unknown; // setData, data fields, methods we do not see
      function = method->function;
      return ThisMethod::Found;
    }
    if (!object.is("this"))
      return ThisMethod::NotThis;
    function = siblingMethod(at, property);
    return function.isNull() ? ThisMethod::Unknown : ThisMethod::Found;
  }

  // `this.method(...)` inside a method of a plain object literal or a class: the sibling.
  Node siblingMethod(Node call, std::string_view name) const {
    Node function;
    for (Node n = call.parent(); n; n = n.parent())
      if (isFunctionNode(n) && !n.is("arrow_function")) {
        function = n;
        break;
      }
    if (function.isNull())
      return Node();
    Node container = function.is("method_definition") ? function.parent()
                     : function.parent().is("pair")   ? function.parent().parent()
                                                      : Node();
    if (!container.is("object") && !container.is("class_body"))
      return Node();
    Node found;
    for (Node member : container.namedChildren()) {
      if (member.is("method_definition") && propertyKey(member.field("name"), Src) == name) {
        found = member;
      } else if (member.is("pair") && propertyKey(member.field("key"), Src) == name) {
        Node value = unwrapExpression(member.field("value"));
        if (isFunctionNode(value))
          found = value;
      } else if ((member.is("field_definition") || member.is("public_field_definition"))) {
        Node key = member.field("property");
        if (!key)
          key = member.field("name");
        Node value = unwrapExpression(member.field("value"));
        if (propertyKey(key, Src) == name && isFunctionNode(value))
          found = value;
      }
    }
    return found;
  }

  // A `new wx.cloud.Cloud({ resourceAppid })` instance shares another account's resources: its
  // functions are not this project's.
  bool onCrossAccountInstance(Node callee) const {
    if (!callee.is("member_expression"))
      return false;
    Node node = callee.field("object");
    for (int guard = 0; guard < 8; ++guard) {
      node = unwrapExpression(node);
      if (node.is("new_expression")) {
        Node options = node.field("arguments").namedChild(0);
        ValuePtr v = M.evaluate(options);
        ValuePtr appid = v->is(Value::Kind::Object) ? v->field("resourceAppid") : nullptr;
        return v->is(Value::Kind::Object) ? (appid && !appid->is(Value::Kind::Undefined))
                                          : !options.isNull(); // options we cannot see
      }
      if (node.is("member_expression") && unwrapExpression(node.field("object")).is("this")) {
        ValuePtr self = M.evaluate(node.field("object"));
        if (!self->is(Value::Kind::ComponentThis))
          return false;
        const ComponentInfo &c = M.components()[static_cast<size_t>(self->file)];
        auto it = c.thisFields.find(node.field("property").text(Src));
        if (it == c.thisFields.end() || it->second.size() != 1)
          return false;
        node = it->second.front();
        continue;
      }
      if (!isIdentifierLike(node))
        return false;
      const Binding *b = M.resolve(node);
      if (!b || !singleAssignment(*b) || !b->path.empty())
        return false;
      node = b->init;
    }
    return false;
  }

  bool classifyCallee(Node callee, CallSite &site) const {
    ValuePtr v = M.evaluate(callee);
    ClientApiCall api = classifyClientCallee(*v);
    if (api.kind == ClientApiKind::CloudApi && api.name == "callFunction") {
      if (api.onInstance && onCrossAccountInstance(callee))
        return false;
      site.kind = CalleeKind::CallFunction;
      return true;
    }
    if (api.kind != ClientApiKind::None)
      return false;
    if (v->is(Value::Kind::Function) && v->origin.valid()) {
      site.kind = CalleeKind::Function;
      site.function = keyOf(v->origin);
      return true;
    }
    if ((v->is(Value::Kind::Module) && v->file >= 0) ||
        (v->is(Value::Kind::Global) && v->text == "getApp" && v->path.size() == 2 &&
         v->path[0] == "()")) {
      site.kind = CalleeKind::Value;
      site.callee = v;
      return true;
    }
    return false;
  }

  void collectCall(Node call) {
    Node callee = unwrapExpression(call.field("function"));
    if (!callee.is("identifier") && !callee.is("member_expression"))
      return;
    CallSite site;
    Node method;
    switch (thisMethod(callee, call, method)) {
    case ThisMethod::Unknown:
      return;
    case ThisMethod::Found:
      site.kind = CalleeKind::Function;
      site.function = keyOf(M.originOf(method));
      break;
    case ThisMethod::NotThis:
      if (auto param = paramSource(callee)) {
        site.kind = CalleeKind::Parameter;
        site.calleeParam = std::move(param);
        break;
      }
      if (!classifyCallee(callee, site))
        return;
      break;
    }

    bool anyInteresting = false;
    for (Node a : call.field("arguments").namedChildren()) {
      if (a.is("comment"))
        continue;
      if (a.is("spread_element"))
        break; // later arguments no longer have known positions
      site.args.push_back(describeArg(a));
      anyInteresting |= interesting(site.args.back());
    }
    if (!anyInteresting || isUnreachable(call))
      return;
    site.calleeText = collapseWhitespace(callee.text(Src));
    site.call = Ctx.locationOf(call);
    site.context = Ctx.locationOf(enclosingStatement(call));
    Out->sites.push_back(std::move(site));
  }

  FileContext &Ctx;
  const ModuleSemantics &M;
  std::string_view Src;
  std::unique_ptr<FileCalls> Out;
};

// ---------------------------------------------------------------------------------------------
// Project phase
// ---------------------------------------------------------------------------------------------

// "Argument `index` of a call, then its members `path`, is the name given to callFunction."
struct SummaryEntry {
  unsigned index = 0;
  std::vector<std::string> path;
  Location nameAt;     // the name in the innermost callFunction call
  std::string via;     // that call's callee ("wx.cloud.callFunction")
  bool direct = false; // the call is callFunction itself
};

constexpr size_t kMaxPath = 4;

// Optimal string alignment distance (a transposition counts once: getLsit -> getList is 1).
unsigned editDistance(llvm::StringRef a, llvm::StringRef b) {
  std::vector<std::vector<unsigned>> d(a.size() + 1, std::vector<unsigned>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = static_cast<unsigned>(i);
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = static_cast<unsigned>(j);
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

struct Suggestion {
  std::string name;
  bool caseOnly = false; // the only function equal to the name but for case and blanks
};

std::optional<Suggestion> suggest(llvm::StringRef name, const std::vector<std::string> &known) {
  std::string wanted = name.trim().lower();
  std::vector<const std::string *> sameLetters;
  for (const std::string &k : known)
    if (llvm::StringRef(k).lower() == wanted)
      sameLetters.push_back(&k);
  if (sameLetters.size() == 1)
    return Suggestion{*sameLetters.front(), true};
  if (!sameLetters.empty() || wanted.size() > 64)
    return std::nullopt; // getList and GetList both exist: which one was meant?
  // Short names are too close to everything; long ones tolerate more typos.
  unsigned limit = wanted.size() <= 3 ? 0 : wanted.size() <= 5 ? 1 : wanted.size() <= 10 ? 2 : 3;
  unsigned best = limit + 1;
  std::vector<const std::string *> closest;
  for (const std::string &k : known) {
    unsigned distance = editDistance(wanted, llvm::StringRef(k).lower());
    if (distance < best) {
      best = distance;
      closest = {&k};
    } else if (distance == best) {
      closest.push_back(&k);
    }
  }
  if (best > limit || closest.size() != 1)
    return std::nullopt;
  return Suggestion{*closest.front(), false};
}

// `dir` as the output shows paths: relative to the source root, with a trailing slash.
std::string displayDir(llvm::StringRef dir, llvm::StringRef base) {
  namespace path = llvm::sys::path;
  auto d = path::begin(dir), dEnd = path::end(dir);
  auto b = path::begin(base), bEnd = path::end(base);
  while (d != dEnd && b != bEnd && *d == *b) {
    ++d;
    ++b;
  }
  std::vector<std::string> parts;
  for (; b != bEnd; ++b)
    if (*b != "/" && !b->empty())
      parts.push_back("..");
  for (; d != dEnd; ++d)
    if (*d != "/" && !d->empty())
      parts.push_back(d->str());
  return parts.empty() ? "./" : llvm::join(parts, "/") + "/";
}

class ProjectCheck {
public:
  ProjectCheck(ProjectContext &ctx, const std::vector<const FileCalls *> &files)
      : Ctx(ctx), Files(files) {}

  void run() {
    if (!collectFunctionNames())
      return; // no cloud function root: nothing can be said (SPEC 3.10)
    Root = displayDir(Ctx.project.cloudfunctionRoot, Ctx.project.srcRoot);
    for (const FileCalls *f : Files) {
      for (const auto &[alias, function] : f->aliases)
        Aliases[alias] = function;
      for (const auto &[name, function] : f->appMethods) {
        // Two App() objects (a copied template, a test) that disagree: getApp() is one of
        // them, we cannot tell which.
        auto [it, inserted] = AppMethods.try_emplace(name, function);
        if (!inserted && it->second != function)
          it->second = FunctionKey{};
      }
    }
    for (const FileCalls *f : Files)
      for (const CallSite &site : f->sites)
        if (auto target = resolveTarget(site))
          Sites.push_back({&site, *target});
    resolveParameterCallees();
    growSummaries();
    for (const ResolvedSite &s : Sites)
      for (const SummaryEntry &e : entriesOf(s))
        check(s, e);
  }

private:
  struct Target {
    bool callFunction = false;
    FunctionKey function;
  };
  struct ResolvedSite {
    const CallSite *site;
    Target target;
  };

  bool collectFunctionNames() {
    const ProjectModel &project = Ctx.project;
    if (project.cloudfunctionRoot.empty() || project.functions.empty())
      return false;
    llvm::StringSet<> seen;
    auto add = [&](llvm::StringRef name) {
      if (seen.insert(name).second)
        Known.push_back(name.str());
    };
    for (const CloudFunction &f : project.functions)
      add(f.name);
    // Any folder of the root counts: a function whose entry we do not recognise (another
    // language, sources not committed) is still deployed under that name.
    std::error_code error;
    for (llvm::sys::fs::directory_iterator it(project.cloudfunctionRoot, error), end;
         it != end && !error; it.increment(error)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      if (name.startswith(".") || name == "node_modules")
        continue;
      if (llvm::sys::fs::is_directory(it->path()))
        add(name);
    }
    for (const std::string &k : Known)
      KnownSet.insert(k);
    return true;
  }

  FunctionKey canonical(FunctionKey key) const {
    auto it = Aliases.find(key);
    return it == Aliases.end() ? key : it->second;
  }

  std::optional<Target> resolveTarget(const CallSite &site) const {
    switch (site.kind) {
    case CalleeKind::CallFunction:
      return Target{true, {}};
    case CalleeKind::Function:
      return Target{false, canonical(site.function)};
    case CalleeKind::Value:
      return targetOf(site.callee);
    case CalleeKind::Parameter:
      break; // resolveParameterCallees
    }
    return std::nullopt;
  }

  std::optional<Target> targetOf(const ValuePtr &value) const {
    ValuePtr v = Ctx.modules.resolve(value);
    if (v->is(Value::Kind::Function) && v->origin.valid())
      return Target{false, canonical(keyOf(v->origin))};
    ClientApiCall api = classifyClientCallee(*v);
    if (api.kind == ClientApiKind::CloudApi && api.name == "callFunction")
      return Target{true, {}};
    if (v->is(Value::Kind::Global) && v->text == "getApp" && v->path.size() == 2 &&
        v->path[0] == "()") {
      auto it = AppMethods.find(v->path[1]);
      if (it != AppMethods.end() && it->second.file >= 0)
        return Target{false, it->second};
    }
    return std::nullopt;
  }

  // A call of a parameter (`callFunction({ name })` in `getOneOrder(callFunction, id)`) reaches
  // what the callers of the enclosing function pass for it; those callers may themselves be
  // found only now, hence the rounds.
  void resolveParameterCallees() {
    std::vector<const CallSite *> pending;
    for (const FileCalls *f : Files)
      for (const CallSite &site : f->sites)
        if (site.kind == CalleeKind::Parameter)
          pending.push_back(&site);
    if (pending.empty())
      return;
    std::set<std::tuple<const CallSite *, bool, FunctionKey>> known;
    bool changed = true;
    for (int round = 0; changed && round < 8; ++round) {
      changed = false;
      size_t resolvedSoFar = Sites.size();
      for (const CallSite *site : pending) {
        const ParamRef &param = *site->calleeParam;
        FunctionKey owner = canonical(param.function);
        for (size_t i = 0; i < resolvedSoFar; ++i) {
          const ResolvedSite &caller = Sites[i];
          if (caller.target.callFunction || caller.target.function != owner ||
              param.index >= caller.site->args.size())
            continue;
          ValuePtr v = caller.site->args[param.index].callable;
          if (!v)
            continue;
          for (const std::string &member : param.path)
            v = memberOf(Ctx.modules.resolve(v), member, v->origin);
          std::optional<Target> target = targetOf(v);
          if (!target || !known.insert({site, target->callFunction, target->function}).second)
            continue;
          Sites.push_back({site, *target});
          changed = true;
        }
      }
    }
  }

  static Location nameLocation(const CallSite &site) {
    if (site.args.empty())
      return site.call;
    const CallArg &options = site.args.front();
    if (const FieldArg *name = options.field("name"))
      return name->at;
    return options.at;
  }

  std::vector<SummaryEntry> entriesOf(const ResolvedSite &s) const {
    if (s.target.callFunction) {
      SummaryEntry e;
      e.path = {"name"};
      e.nameAt = nameLocation(*s.site);
      e.via = s.site->calleeText;
      e.direct = true;
      return {e};
    }
    auto it = Summaries.find(s.target.function);
    return it == Summaries.end() ? std::vector<SummaryEntry>{} : it->second;
  }

  // When the part `path` of an argument comes from a parameter of a function: that parameter.
  static std::optional<ParamRef> forwardOf(const CallArg &arg,
                                           const std::vector<std::string> &path) {
    auto extend = [&](const ParamRef &base, size_t skip) {
      ParamRef r = base;
      r.path.insert(r.path.end(), path.begin() + static_cast<long>(skip), path.end());
      return r;
    };
    if (path.empty())
      return arg.param;
    if (const FieldArg *f = arg.field(path.front()))
      return f->param ? std::optional(extend(*f->param, 1)) : std::nullopt;
    if (!arg.fields.empty() || arg.spread)
      return arg.spread ? std::optional(extend(*arg.spread, 0)) : std::nullopt;
    return arg.param ? std::optional(extend(*arg.param, 0)) : std::nullopt;
  }

  ValuePtr valueOf(const CallArg &arg, const std::vector<std::string> &path) const {
    if (!arg.value)
      return nullptr;
    if (!path.empty())
      if (const FieldArg *f = arg.field(path.front()); f && f->pageState)
        return nullptr;
    ValuePtr v = Ctx.modules.resolve(arg.value);
    for (const std::string &member : path)
      v = Ctx.modules.resolve(memberOf(v, member, v->origin));
    return v;
  }

  static Location locationOf(const CallArg &arg, const std::vector<std::string> &path) {
    if (!path.empty())
      if (const FieldArg *f = arg.field(path.front()))
        return f->at;
    return arg.at;
  }

  void growSummaries() {
    bool changed = true;
    for (int round = 0; changed && round < 32; ++round) {
      changed = false;
      for (const ResolvedSite &s : Sites) {
        for (const SummaryEntry &e : entriesOf(s)) {
          if (e.index >= s.site->args.size())
            continue;
          std::optional<ParamRef> param = forwardOf(s.site->args[e.index], e.path);
          if (!param || param->path.size() > kMaxPath)
            continue;
          std::vector<SummaryEntry> &list = Summaries[canonical(param->function)];
          bool known = std::any_of(list.begin(), list.end(), [&](const SummaryEntry &x) {
            return x.index == param->index && x.path == param->path;
          });
          if (known)
            continue;
          list.push_back({param->index, param->path, e.nameAt, e.via, false});
          changed = true;
        }
      }
    }
  }

  static bool within(const Origin &o, const Location &l) {
    return o.file == static_cast<int>(l.file) && l.begin <= o.begin && o.end <= l.end;
  }

  void check(const ResolvedSite &s, const SummaryEntry &e) {
    const CallSite &site = *s.site;
    if (e.index >= site.args.size())
      return;
    const CallArg &arg = site.args[e.index];
    if (forwardOf(arg, e.path))
      return; // a parameter: checked where the enclosing function is called
    ValuePtr name = valueOf(arg, e.path);
    if (!name || !name->is(Value::Kind::String) || KnownSet.contains(name->text))
      return;
    Location at = locationOf(arg, e.path);
    if (!Reported.insert({at.file, at.begin, at.end}).second)
      return;

    std::optional<Suggestion> suggestion = suggest(name->text, Known);
    bool caseOnly =
        suggestion && suggestion->caseOnly &&
        llvm::StringRef(name->text).trim() == llvm::StringRef(name->text) &&
        llvm::StringRef(name->text).lower() == llvm::StringRef(suggestion->name).lower();
    MessageArgs args = {{"call", site.calleeText}, {"name", name->text}, {"root", Root}};
    std::string messageId = "unknown";
    if (suggestion) {
      args.push_back({"suggestion", suggestion->name});
      messageId = caseOnly ? "case-mismatch" : "unknown-suggestion";
    }
    DiagnosticBuilder b = Ctx.report(at, site.context, messageId, std::move(args));
    if (!e.direct)
      b.related(e.nameAt, "The name reaches " + e.via + "() here.");
    const Origin &o = name->origin;
    if (o.valid() && !within(o, at))
      b.related(Location{static_cast<uint32_t>(o.file), o.begin, o.end},
                "'" + name->text + "' is defined here.");
    if (suggestion && suggestion->caseOnly && o.valid() && within(o, site.call))
      if (auto edit = renameLiteral(o, name->text, suggestion->name))
        b.fix("Call '" + suggestion->name + "', the only function of " + Root +
                  " whose name differs from '" + name->text + "' in case or blanks alone",
              {*edit});
  }

  // Replaces the text of a plain string literal (no escapes) at `o`.
  std::optional<TextEdit> renameLiteral(const Origin &o, const std::string &name,
                                        const std::string &replacement) const {
    if (static_cast<size_t>(o.file) >= Ctx.files.size() || !Ctx.files[o.file])
      return std::nullopt;
    llvm::StringRef text = Ctx.files[o.file]->text();
    if (o.end > text.size() || o.end < o.begin + 2)
      return std::nullopt;
    llvm::StringRef literal = text.slice(o.begin, o.end);
    char quote = literal.front();
    if ((quote != '\'' && quote != '"' && quote != '`') || literal.back() != quote)
      return std::nullopt;
    if (literal.drop_front().drop_back() != name)
      return std::nullopt;
    return TextEdit{Location{static_cast<uint32_t>(o.file), o.begin + 1, o.end - 1}, replacement};
  }

  ProjectContext &Ctx;
  const std::vector<const FileCalls *> &Files;
  std::vector<std::string> Known;
  llvm::StringSet<> KnownSet;
  std::string Root;
  std::map<FunctionKey, FunctionKey> Aliases;
  std::map<std::string, FunctionKey, std::less<>> AppMethods;
  std::vector<ResolvedSite> Sites;
  std::map<FunctionKey, std::vector<SummaryEntry>> Summaries;
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> Reported;
};

class UnknownCloudFunctionRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  // No trigger: a page that calls callCloud('x') mentions no cloud API at all.

  void checkFile(FileContext &ctx) const override {
    if (auto facts = CallCollector(ctx).run())
      ctx.defer(std::move(facts));
  }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    std::vector<const FileCalls *> files;
    for (const Deferred *d : deferred)
      files.push_back(static_cast<const FileCalls *>(d));
    ProjectCheck(ctx, files).run();
  }
};

} // namespace

std::unique_ptr<Rule> createUnknownCloudFunctionRule() {
  return std::make_unique<UnknownCloudFunctionRule>();
}

} // namespace mpauth
