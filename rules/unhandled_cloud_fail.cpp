// unhandled-cloud-fail (SPEC 3.3): the failure of an async client API (wx.cloud, a database
// chain, wx.login and friends) must reach someone.
//
// File phase: callback-style calls are judged on the spot (fail/complete present, fail not
// empty). For promise-style calls, and for every call of a function of this file or of another
// project file, record where the promise ends up (PromiseUse) and which function takes over
// the duty when it is awaited or returned. Project phase: a helper that passes on the
// rejection of a cloud promise becomes a cloud API itself; iterate over all files to a
// fixpoint, then report the cloud promises that end up unhandled.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/ClientApis.h"
#include "analyzer/semantics/PromiseUse.h"
#include "analyzer/semantics/Reachability.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "reliability", "cloudbase"};

constexpr MessageTemplate kMessages[] = {
    {"callback-no-fail",
     "{api}() in {function} has no fail or complete callback: when it fails, nobody hears of it. "
     "Add a fail callback.",
     "{function} 中的 {api}() 没有 fail 或 complete 回调：调用失败时无人知晓。请添加 fail 回调。"},
    {"swallowed",
     "The failure of {api}() in {function} is swallowed by an empty {handler}: nobody hears of "
     "it. Handle it (log it, tell the user).",
     "{function} 中 {api}() 的失败被空的 {handler} 吞掉了，无人知晓。请处理它（记录日志、提示用户）"
     "。"},
    {"dropped",
     "The promise of {api}() is dropped in {function}: a failure becomes an unhandled rejection. "
     "Await it inside try/catch or add .catch().",
     "{function} 中丢弃了 {api}() 返回的 Promise：失败会变成未处理的 rejection。请在 try/catch 中 "
     "await 它，或添加 .catch()。"},
    {"then-no-catch",
     "{api}().then(...) in {function} has no .catch() and no rejection handler: a failure "
     "becomes an unhandled rejection. Add .catch().",
     "{function} 中的 {api}().then(...) 没有 .catch()，也没有失败处理函数：失败会变成未处理的 "
     "rejection。请添加 .catch()。"},
    {"await-unguarded",
     "{api}() is awaited outside any try/catch in {function}, whose own promise nobody handles: "
     "a failure becomes an unhandled rejection. Wrap the await in try/catch.",
     "{function} 在 try/catch 之外 await 了 {api}()，而 {function} 自身的 Promise "
     "无人处理：失败会变成未处理的 rejection。请用 try/catch 包裹该 await。"},
    {"returned-ignored",
     "The promise of {api}() is returned from {function}, whose caller ignores it: a failure "
     "becomes an unhandled rejection. Add .catch() or await it inside try/catch.",
     "{function} 返回了 {api}() 的 Promise，但其调用方会忽略它：失败会变成未处理的 "
     "rejection。请添加 .catch()，或在 try/catch 中 await 它。"},
    {"watch-no-onerror",
     "{api}() in {function} has no onError: when the watcher fails (network, permissions, "
     "limits) nobody hears of it and updates stop silently. Add onError.",
     "{function} 中的 {api}() 没有 onError：监听失败（网络、权限、配额）时无人知晓，更新会悄无声息"
     "地停止。请添加 onError。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "unhandled-cloud-fail",
      .name = "UnhandledCloudFail",
      .title = "Failure of a cloud, database or login call is not handled",
      .titleZhCN = "云调用、数据库或登录调用的失败未被处理",
      .description =
          "Async client APIs (wx.cloud.callFunction and the other wx.cloud APIs, database "
          "operations, wx.login, wx.checkSession, wx.getUserProfile; also through Taro and uni) "
          "fail: the network drops, the function throws, a permission rule refuses. In callback "
          "style the call needs a fail (or complete) callback that is not empty; in promise "
          "style the promise needs a .catch(), a rejection handler, or an await inside "
          "try/catch — or it must be returned to a caller that handles it. Helpers that pass "
          "the promise on (also across files, and new Promise wrappers with fail: reject) move "
          "the duty to their callers. A database watcher needs onError.",
      .defaultSeverity = Severity::Warning,
      .fix = FixSafety::None,
      .precision = Precision::High,
      .securitySeverity = "3.0",
      .roles = AppliesToClient,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("unhandled-cloud-fail"),
  };
  return d;
}

// One function of the file, tree-free.
struct FunctionFacts {
  uint32_t begin = 0, end = 0;
  uint32_t nameBegin = 0, nameEnd = 0; // a function declaration's name (Function values)
  FunctionRole role = FunctionRole::Helper;
  bool returnIgnored = false; // a callback whose caller ignores what it returns
  std::string name;           // for messages
};

enum class CalleeKind : uint8_t { Api, Local, Imported, AppMethod };

// A call whose promise may be a cloud promise, and what becomes of that promise.
struct PromiseSite {
  CalleeKind callee = CalleeKind::Api;
  std::string api;       // how messages name the callee
  int local = -1;        // Local: index into functions
  ValuePtr imported;     // Imported: the callee, a member of a project module
  std::string appMethod; // AppMethod: getApp().<name>
  Location at, context;
  PromiseFate fate = PromiseFate::PassedOn;
  bool chained = false;
  std::string handler;
  Location decidedAt;
  int duty = -1;        // Awaited/Returned: the function that takes over; -1: top level
  std::string function; // where the finding is, for messages
};

struct FileFacts : Deferred {
  std::vector<FunctionFacts> functions;
  std::vector<PromiseSite> sites;
  std::vector<std::pair<std::string, int>> appMethods; // App({ name() {} }) -> function
  std::optional<Location> rejectionHandler;            // onUnhandledRejection registered here

  int functionAt(uint32_t begin, uint32_t end) const {
    for (size_t i = 0; i < functions.size(); ++i) {
      const FunctionFacts &f = functions[i];
      if ((f.begin == begin && f.end == end) ||
          (f.nameEnd && f.nameBegin == begin && f.nameEnd == end))
        return static_cast<int>(i);
    }
    return -1;
  }
};

constexpr std::string_view kIgnoringGlobals[] = {"setTimeout", "setInterval", "setImmediate",
                                                 "requestAnimationFrame", "queueMicrotask"};
constexpr std::string_view kIgnoringMethods[] = {
    "forEach",  "setData",          "on",   "once",     "$on", "$once", "$nextTick",
    "nextTick", "addEventListener", "then", "subscribe"};

template <size_t N> bool in(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

bool isHookName(std::string_view name) {
  return name.size() > 3 && name.starts_with("use") && name[3] >= 'A' && name[3] <= 'Z';
}

// A short name of a call's callee for messages: `this.loadList`, `api.getList`, `callCloud`.
std::string calleeName(Node callee, std::string_view src) {
  std::string_view text = callee.text(src);
  if (text.size() <= 40 && text.find('\n') == std::string_view::npos &&
      text.find('(') == std::string_view::npos)
    return std::string(text);
  if (callee.is("member_expression"))
    return std::string(callee.field("property").text(src));
  return "the call";
}

class FilePass {
public:
  FilePass(FileContext &ctx) : Ctx(ctx), Sem(ctx.semantics), Src(ctx.text()) {}

  void run() {
    Facts = std::make_unique<FileFacts>();
    collectFunctions();
    for (Node n : nodesOfTypes(Sem.root(), {"call_expression"}))
      inspectCall(n);
    for (const ComponentInfo &c : Sem.components()) {
      if (c.kind != ComponentKind::App)
        continue;
      for (const ComponentMethod &m : c.methods) {
        if (!m.group.empty())
          continue;
        int index = functionIndex(m.function);
        if (index >= 0)
          Facts->appMethods.emplace_back(m.name, index);
        if (m.name == "onUnhandledRejection" && !Facts->rejectionHandler)
          Facts->rejectionHandler = Ctx.locationOf(m.function);
      }
    }
    if (!Facts->sites.empty() || !Facts->appMethods.empty() || Facts->rejectionHandler ||
        !Facts->functions.empty())
      Ctx.defer(std::move(Facts));
  }

private:
  void collectFunctions() {
    const HandlerModel &handlers = Ctx.handlers();
    for (Node n : functionNodesIn(Sem.root())) {
      FunctionFacts f;
      f.begin = n.begin();
      f.end = n.end();
      if (n.is("function_declaration") || n.is("generator_function_declaration")) {
        Node name = n.field("name");
        f.nameBegin = name.begin();
        f.nameEnd = name.end();
      }
      f.role = handlers.roleOf(n);
      f.returnIgnored = f.role == FunctionRole::Callback && receiverIgnoresResult(n);
      f.name = describeFunction(n, handlers);
      Index[{n.begin(), n.end()}] = static_cast<int>(Facts->functions.size());
      Facts->functions.push_back(std::move(f));
      FunctionNodes.push_back(n);
    }
  }

  int functionIndex(Node fn) const {
    auto it = Index.find({fn.begin(), fn.end()});
    return it == Index.end() ? -1 : it->second;
  }

  // A human name: "onLoad", "loadList", "the callback of setTimeout", "the onClick handler".
  std::string describeFunction(Node fn, const HandlerModel &handlers) const {
    if (Sem.componentOf(fn) >= 0) {
      const ComponentMethod *m = nullptr;
      Sem.componentOf(fn, &m);
      if (m && m->function == fn)
        return handlers.describe(fn);
    }
    if (Node name = fn.field("name"); name && !fn.is("method_definition"))
      return std::string(name.text(Src));
    if (fn.is("method_definition")) {
      std::string key(fn.field("name").text(Src));
      if (key == "success" || key == "fail" || key == "complete")
        return "the " + key + " callback";
      return key;
    }
    Node parent = fn.parent();
    while (parent.is("parenthesized_expression"))
      parent = parent.parent();
    if (parent.is("variable_declarator"))
      return std::string(parent.field("name").text(Src));
    if (parent.is("pair")) {
      std::string key(parent.field("key").text(Src));
      if (key == "success" || key == "fail" || key == "complete" || key == "onChange" ||
          key == "onError")
        return "the " + key + " callback";
      return key;
    }
    if (parent.is("assignment_expression")) {
      Node left = unwrapExpression(parent.field("left"));
      if (left.is("member_expression"))
        return std::string(left.field("property").text(Src));
      return std::string(left.text(Src));
    }
    if (parent.is("jsx_expression") && parent.parent().is("jsx_attribute")) {
      Node attribute = parent.parent();
      return "the " + std::string(attribute.namedChild(0).text(Src)) + " handler";
    }
    if (parent.is("arguments")) {
      Node call = parent.parent();
      Node callee = unwrapExpression(call.is("new_expression") ? call.field("constructor")
                                                               : call.field("function"));
      if (call.is("new_expression") && callee.text(Src) == "Promise")
        return "a Promise executor";
      if (callee.is("member_expression")) {
        std::string_view method = callee.field("property").text(Src);
        if (method == "then" || method == "catch" || method == "finally")
          return "a ." + std::string(method) + "() callback";
      }
      std::string name = calleeName(callee, Src);
      return "the callback of " + name;
    }
    return "a callback";
  }

  // Does the code that calls this callback ignore what it returns (a promise)? Timers, event
  // registrations, forEach, the wx/Taro/uni APIs, React/Taro hooks, JSX event props.
  bool receiverIgnoresResult(Node fn) const {
    Node parent = fn.parent();
    while (parent.is("parenthesized_expression"))
      parent = parent.parent();
    if (parent.is("jsx_expression"))
      return true;
    if (parent.is("pair")) // { success: () => … } passed to an API
      return true;
    if (!parent.is("arguments"))
      return false;
    Node call = parent.parent();
    if (!call.is("call_expression"))
      return false;
    Node callee = unwrapExpression(call.field("function"));
    if (callee.is("identifier")) {
      std::string_view name = callee.text(Src);
      return (in(kIgnoringGlobals, name) && !Sem.resolve(callee)) || isHookName(name);
    }
    if (!callee.is("member_expression"))
      return false;
    std::string_view method = callee.field("property").text(Src);
    if (in(kIgnoringMethods, method) || isHookName(method))
      return true;
    ValuePtr v = Sem.evaluate(callee);
    if (v->is(Value::Kind::Global))
      return v->text == "wx" || v->text == "Taro" || v->text == "uni";
    return v->isPackage("@tarojs/taro");
  }

  std::string whereName(Node node) const {
    Node fn = Sem.enclosingFunction(node);
    if (!fn)
      return "the top level";
    int index = functionIndex(fn);
    return index >= 0 ? Facts->functions[index].name : std::string("a callback");
  }

  // Primary location of a call: its callee's last name (`callFunction`, `get`, `loadList`).
  Node anchorOf(Node call) const {
    Node callee = unwrapExpression(call.field("function"));
    if (callee.is("member_expression"))
      return callee.field("property");
    return callee;
  }

  void inspectCall(Node call) {
    Node callee = unwrapExpression(call.field("function"));
    ValuePtr value = Sem.evaluate(callee);
    ClientApiCall api = classifyClientCallee(*value);
    if (isRejectionRegistration(*value)) {
      if (!Facts->rejectionHandler)
        Facts->rejectionHandler = Ctx.locationOf(call);
      return;
    }
    if (api.kind == ClientApiKind::Watch)
      return inspectWatch(call, api);
    if (api.isAsync())
      return inspectApiCall(call, api);

    PromiseSite site;
    if (!resolveProjectCallee(callee, value, site))
      return;
    handCallbacksTo(call, site);
    site.api = calleeName(callee, Src);
    addSite(std::move(site), call, anchorOf(call));
  }

  // Is the callee a function of the project: of this file (a function, a component method
  // through `this`/`that`), of another file (an import), or of the App (`getApp().x`)?
  bool resolveProjectCallee(Node callee, const ValuePtr &value, PromiseSite &site) const {
    if (value->is(Value::Kind::Global) && value->text == "getApp" && value->path.size() == 2 &&
        value->path[0] == "()") {
      site.callee = CalleeKind::AppMethod;
      site.appMethod = value->path[1];
      return true;
    }
    if (value->is(Value::Kind::Module) && value->file >= 0 && !value->path.empty() &&
        value->path.back() != "()") {
      site.callee = CalleeKind::Imported;
      site.imported = value;
      return true;
    }
    if (value->is(Value::Kind::Function) && value->origin.file == Sem.fileIndex()) {
      site.callee = CalleeKind::Local;
      site.local = Facts->functionAt(value->origin.begin, value->origin.end);
      return site.local >= 0;
    }
    if (!callee.is("member_expression"))
      return false;
    ValuePtr object = Sem.evaluate(callee.field("object"));
    if (!object->is(Value::Kind::ComponentThis))
      return false;
    const ComponentInfo &c = Sem.components()[object->file];
    const ComponentMethod *m = c.method(callee.field("property").text(Src));
    if (!m)
      return false;
    site.callee = CalleeKind::Local;
    site.local = functionIndex(m->function);
    return site.local >= 0;
  }

  // A function handed to a function of the project (`this.try(async () => …)`,
  // `this.dbQuery(id, this.update)`, `withLoading(() => callCloud('x'))`) is called by that
  // function, which may handle what it returns: it is a helper. For a function of this file,
  // each call of the parameter (`await fn()`) is a call of the callback, checked like any other.
  void handCallbacksTo(Node call, const PromiseSite &receiver) {
    unsigned position = 0;
    for (Node a : call.field("arguments").namedChildren()) {
      if (a.is("comment"))
        continue;
      unsigned at = position++;
      int callback = functionIndex(functionArgument(a));
      if (callback < 0)
        continue;
      FunctionFacts &f = Facts->functions[callback];
      if (f.role == FunctionRole::Callback || f.role == FunctionRole::UncalledMethod)
        f.role = FunctionRole::Helper;
      if (receiver.callee != CalleeKind::Local)
        continue;
      Node param = parameterAt(FunctionNodes[receiver.local], at);
      const Binding *binding = param ? Sem.resolve(param) : nullptr;
      if (!binding || binding->kind != BindingKind::Param)
        continue;
      walk(FunctionNodes[receiver.local], [&](Node n) {
        if (!n.is("call_expression"))
          return true;
        Node inner = unwrapExpression(n.field("function"));
        if (inner.is("identifier") && Sem.resolve(inner) == binding) {
          PromiseSite site;
          site.callee = CalleeKind::Local;
          site.local = callback;
          site.api = std::string(inner.text(Src));
          addSite(std::move(site), n, inner);
        }
        return true;
      });
    }
  }

  // The function an argument denotes: a literal, a function bound to an identifier, or a
  // method of the component (`this.update`, `this.update.bind(this)`).
  Node functionArgument(Node argument) const {
    argument = unwrapExpression(argument);
    if (argument.is("call_expression")) {
      Node bind = unwrapExpression(argument.field("function"));
      if (!bind.is("member_expression") || bind.field("property").text(Src) != "bind")
        return Node();
      argument = unwrapExpression(bind.field("object"));
    }
    if (Node fn = functionDenotedBy(Sem, argument))
      return fn;
    if (!argument.is("member_expression"))
      return Node();
    ValuePtr object = Sem.evaluate(argument.field("object"));
    if (!object->is(Value::Kind::ComponentThis))
      return Node();
    const ComponentMethod *m =
        Sem.components()[object->file].method(argument.field("property").text(Src));
    return m ? m->function : Node();
  }

  // The identifier of a function's parameter at `position` (plain or with a default), if any.
  static Node parameterAt(Node function, unsigned position) {
    if (Node single = function.field("parameter"))
      return position == 0 && single.is("identifier") ? single : Node();
    unsigned index = 0;
    for (Node p : function.field("parameters").namedChildren()) {
      if (p.is("comment"))
        continue;
      if (index++ != position)
        continue;
      if (p.is("required_parameter") || p.is("optional_parameter"))
        p = p.field("pattern");
      if (p.is("assignment_pattern"))
        p = p.field("left");
      return p.is("identifier") ? p : Node();
    }
    return Node();
  }

  static bool isRejectionRegistration(const Value &v) {
    if (v.is(Value::Kind::Global) && (v.text == "wx" || v.text == "Taro" || v.text == "uni"))
      return v.pathIs({"onUnhandledRejection"});
    if (v.isPackage("@tarojs/taro"))
      return v.pathIs({"onUnhandledRejection"}) || v.pathIs({"default", "onUnhandledRejection"});
    return false;
  }

  // Records what becomes of the promise of `expression` (the call, or a `new Promise` wrapper).
  void addSite(PromiseSite site, Node expression, Node anchor) {
    if (isUnreachable(expression))
      return;
    PromiseUse use = promiseUseOf(Sem, expression);
    site.at = Ctx.locationOf(anchor);
    site.context = Ctx.locationOf(enclosingStatement(expression));
    site.fate = use.fate;
    site.chained = use.chained;
    site.handler = use.handler;
    if (use.decidedAt)
      site.decidedAt = Ctx.locationOf(use.decidedAt);
    if (use.fate == PromiseFate::Awaited || use.fate == PromiseFate::Returned) {
      site.duty = use.function ? functionIndex(use.function) : -1;
      site.function = site.duty >= 0 ? Facts->functions[site.duty].name : "the top level";
    } else {
      site.function = whereName(use.decidedAt ? use.decidedAt : expression);
    }
    Facts->sites.push_back(std::move(site));
  }

  // The options object of a call: an object literal, or a const bound to one. `skip` is set
  // when the argument is something else (a parameter, a computed value): the style is unknown.
  struct Options {
    Node object;
    bool open = false; // a spread or computed key may add anything
    Node fail, complete, success, onError;
    bool hasFail = false, hasComplete = false, hasSuccess = false, hasOnError = false;
  };

  std::optional<Options> optionsOf(Node argument, bool &skip) const {
    skip = false;
    Node object = unwrapExpression(argument);
    const Binding *binding = nullptr;
    if (object.is("identifier")) {
      binding = Sem.resolve(object);
      if (!binding || !binding->path.empty() || binding->kind == BindingKind::Param ||
          (binding->kind != BindingKind::Const && binding->writes > 0)) {
        skip = true;
        return std::nullopt;
      }
      object = unwrapExpression(binding->init);
    }
    if (!object.is("object")) {
      skip = !isFunctionNode(object); // runTransaction(async t => …) is promise style
      return std::nullopt;
    }
    Options o;
    o.object = object;
    for (Node member : object.namedChildren()) {
      std::string_view t = member.type();
      std::string key;
      Node value;
      if (t == "pair") {
        Node k = member.field("key");
        if (k.is("computed_property_name")) {
          o.open = true;
          continue;
        }
        key = k.is("property_identifier") ? std::string(k.text(Src))
                                          : stringValue(k, Src).value_or("");
        value = member.field("value");
      } else if (t == "shorthand_property_identifier") {
        key = std::string(member.text(Src));
        value = member;
      } else if (t == "method_definition") {
        key = std::string(member.field("name").text(Src));
        value = member;
      } else if (t == "spread_element") {
        o.open = true;
        continue;
      } else {
        continue;
      }
      if (key == "fail") {
        o.hasFail = true;
        o.fail = value;
      } else if (key == "complete") {
        o.hasComplete = true;
        o.complete = value;
      } else if (key == "success") {
        o.hasSuccess = true;
        o.success = value;
      } else if (key == "onError") {
        o.hasOnError = true;
        o.onError = value;
      }
    }
    // `options.fail = …` or Object.assign(options, …) later adds what the literal lacks.
    if (binding) {
      Node region = Sem.enclosingFunction(binding->id);
      walk(region ? region : Sem.root(), [&](Node n) {
        if (n.is("assignment_expression")) {
          Node left = unwrapExpression(n.field("left"));
          if (left.is("member_expression")) {
            Node base = unwrapExpression(left.field("object"));
            if (base.is("identifier") && Sem.resolve(base) == binding)
              o.open = true;
          }
        } else if (n.is("call_expression")) {
          for (Node a : n.field("arguments").namedChildren())
            if (a.is("identifier") && Sem.resolve(a) == binding &&
                !(unwrapExpression(argument) == a)) {
              Node callee = unwrapExpression(n.field("function"));
              if (callee.text(Src) == "Object.assign")
                o.open = true;
            }
        }
        return true;
      });
    }
    return o;
  }

  static std::vector<Node> argumentsOf(Node call) {
    std::vector<Node> out;
    for (Node a : call.field("arguments").namedChildren())
      if (!a.is("comment"))
        out.push_back(a);
    return out;
  }

  void inspectApiCall(Node call, const ClientApiCall &api) {
    std::vector<Node> args = argumentsOf(call);
    std::optional<Options> options;
    if (!args.empty()) {
      bool skip = false;
      options = optionsOf(args[0], skip);
      if (skip)
        return;
    }
    bool callbackStyle =
        options && (options->hasSuccess || options->hasFail || options->hasComplete);
    Node anchor = anchorOf(call);
    if (!callbackStyle) {
      if (options && options->open)
        return; // a spread may bring the callbacks
      PromiseSite site;
      site.api = api.display;
      return addSite(std::move(site), call, anchor);
    }
    if (isUnreachable(call))
      return;
    MessageArgs args_ = {{"api", api.display}, {"function", whereName(call)}};
    if (options->hasFail) {
      Node fn = functionDenotedBy(Sem, options->fail);
      if (options->fail.is("method_definition"))
        fn = options->fail;
      if (fn && isEmptyFunction(fn)) {
        args_.emplace_back("handler", "fail callback");
        Ctx.report(anchor, "swallowed", std::move(args_))
            .related(Ctx.locationOf(options->fail), "The empty fail callback.");
        return;
      }
      // new Promise((resolve, reject) => wx.cloud.callFunction({ …, fail: reject })): the
      // wrapper's promise carries the failure.
      if (Node wrapper = rejectedPromiseOf(Sem, options->fail)) {
        PromiseSite site;
        site.api = api.display;
        addSite(std::move(site), wrapper, anchor);
      }
      return;
    }
    if (options->hasComplete || options->open)
      return;
    Ctx.report(anchor, "callback-no-fail", std::move(args_));
  }

  void inspectWatch(Node call, const ClientApiCall &api) {
    std::vector<Node> args = argumentsOf(call);
    if (args.empty() || isUnreachable(call))
      return;
    bool skip = false;
    std::optional<Options> options = optionsOf(args[0], skip);
    if (!options)
      return;
    Node anchor = anchorOf(call);
    MessageArgs args_ = {{"api", api.display}, {"function", whereName(call)}};
    if (options->hasOnError) {
      Node fn = functionDenotedBy(Sem, options->onError);
      if (options->onError.is("method_definition"))
        fn = options->onError;
      if (fn && isEmptyFunction(fn)) {
        args_.emplace_back("handler", "onError callback");
        Ctx.report(anchor, "swallowed", std::move(args_))
            .related(Ctx.locationOf(options->onError), "The empty onError callback.");
      }
      return;
    }
    if (!options->open)
      Ctx.report(anchor, "watch-no-onerror", std::move(args_));
  }

  FileContext &Ctx;
  const ModuleSemantics &Sem;
  std::string_view Src;
  std::unique_ptr<FileFacts> Facts;
  std::map<std::pair<uint32_t, uint32_t>, int> Index;
  std::vector<Node> FunctionNodes; // parallel to Facts->functions
};

// ---------------------------------------------------------------------------------------------
// Project phase
// ---------------------------------------------------------------------------------------------

struct FunctionRef {
  const FileFacts *file = nullptr;
  int index = -1;
  bool valid() const { return file && index >= 0; }
  bool operator<(const FunctionRef &o) const {
    return std::tie(file, index) < std::tie(o.file, o.index);
  }
};

class ProjectPass {
public:
  ProjectPass(ProjectContext &ctx, const std::vector<const Deferred *> &deferred) : Ctx(ctx) {
    for (const Deferred *d : deferred) {
      const auto *f = static_cast<const FileFacts *>(d);
      Files.push_back(f);
      ByFile[f->file] = f;
      if (f->rejectionHandler && !RejectionHandler)
        RejectionHandler = f->rejectionHandler;
      for (const auto &[name, index] : f->appMethods)
        AppMethods.try_emplace(name, FunctionRef{f, index});
    }
    std::sort(Files.begin(), Files.end(),
              [](const FileFacts *a, const FileFacts *b) { return a->file < b->file; });
  }

  void run() {
    resolveTargets();
    // A helper that passes on the rejection of a cloud promise is a cloud API; so is a helper
    // of that helper, across files: iterate to a fixpoint.
    for (bool changed = true; changed;) {
      changed = false;
      for (const FileFacts *f : Files)
        for (size_t s = 0; s < f->sites.size(); ++s) {
          const PromiseSite &site = f->sites[s];
          if (!isCloud(f, s) || !passesDuty(*f, site))
            continue;
          FunctionRef duty{f, site.duty};
          if (CloudHelpers.try_emplace(duty, Witness{f, s}).second)
            changed = true;
        }
    }
    report();
  }

private:
  struct Witness {
    const FileFacts *file;
    size_t site;
  };

  FunctionRole roleOf(FunctionRef ref) const {
    if (CalledFromElsewhere.count(ref) &&
        ref.file->functions[ref.index].role == FunctionRole::UncalledMethod)
      return FunctionRole::Helper; // an App method that pages call through getApp()
    return ref.file->functions[ref.index].role;
  }

  bool passesDuty(const FileFacts &f, const PromiseSite &site) const {
    if (site.duty < 0)
      return false;
    FunctionRole role = roleOf({&f, site.duty});
    if (site.fate == PromiseFate::Awaited)
      return role == FunctionRole::Helper;
    if (site.fate == PromiseFate::Returned)
      return role == FunctionRole::Helper || role == FunctionRole::LoadTime;
    return false;
  }

  void resolveTargets() {
    for (const FileFacts *f : Files)
      for (size_t s = 0; s < f->sites.size(); ++s) {
        const PromiseSite &site = f->sites[s];
        FunctionRef target;
        switch (site.callee) {
        case CalleeKind::Api:
          continue;
        case CalleeKind::Local:
          target = {f, site.local};
          break;
        case CalleeKind::AppMethod: {
          auto it = AppMethods.find(site.appMethod);
          if (it != AppMethods.end())
            target = it->second;
          break;
        }
        case CalleeKind::Imported: {
          ValuePtr v = Ctx.modules.resolve(site.imported);
          if (!v->is(Value::Kind::Function) || !v->origin.valid())
            break;
          auto file = ByFile.find(static_cast<size_t>(v->origin.file));
          if (file == ByFile.end())
            break;
          target = {file->second, file->second->functionAt(v->origin.begin, v->origin.end)};
          break;
        }
        }
        if (!target.valid())
          continue;
        Targets[{f, s}] = target;
        if (target.file != f)
          CalledFromElsewhere.insert(target);
      }
  }

  bool isCloud(const FileFacts *f, size_t s) const {
    if (f->sites[s].callee == CalleeKind::Api)
      return true;
    auto it = Targets.find({f, s});
    return it != Targets.end() && CloudHelpers.count(it->second);
  }

  void report() {
    std::set<std::tuple<uint32_t, uint32_t, uint32_t, int>> decided;
    for (const FileFacts *f : Files)
      for (size_t s = 0; s < f->sites.size(); ++s) {
        const PromiseSite &site = f->sites[s];
        if (!isCloud(f, s) || passesDuty(*f, site))
          continue;
        std::string_view messageId = messageFor(*f, site);
        if (messageId.empty())
          continue;
        // One finding per place of decision: `wx.login().then(() => callCloud())` without a
        // catch is one missing catch, reported at its first call.
        if (site.decidedAt.end && !decided
                                       .insert({site.decidedAt.file, site.decidedAt.begin,
                                                site.decidedAt.end, static_cast<int>(site.fate)})
                                       .second)
          continue;
        MessageArgs args = {{"api", site.api}, {"function", site.function}};
        if (messageId == "swallowed")
          args.emplace_back("handler", site.handler);
        // A helper's finding also names the cloud API whose failure it passes on.
        HelperChain chain = helperChainOf(f, s);
        if (!chain.via.empty())
          args.emplace_back("via", chain.via);
        auto b = Ctx.report(site.at, site.context, messageId, std::move(args));
        if (messageId == "swallowed")
          b.related(site.decidedAt, "The empty handler.");
        for (RelatedLocation &r : chain.related)
          b.related(r.where, std::move(r.message));
        if (messageId != "swallowed" && RejectionHandler) {
          b.severity(Severity::Note);
          b.related(*RejectionHandler, "Unhandled rejections are reported to this handler.");
        }
      }
  }

  std::string_view messageFor(const FileFacts &f, const PromiseSite &site) const {
    switch (site.fate) {
    case PromiseFate::Handled:
    case PromiseFate::PassedOn:
    case PromiseFate::Unused:
      return {};
    case PromiseFate::Swallowed:
      return "swallowed";
    case PromiseFate::Dropped:
      return site.chained ? "then-no-catch" : "dropped";
    case PromiseFate::Awaited:
      return "await-unguarded"; // a helper passed the duty on (passesDuty) before we get here
    case PromiseFate::Returned: {
      if (site.duty < 0)
        return {};
      const FunctionFacts &fn = f.functions[site.duty];
      FunctionRole role = roleOf({&f, site.duty});
      if (role == FunctionRole::Lifecycle || role == FunctionRole::BoundHandler ||
          role == FunctionRole::ChainCallback ||
          (role == FunctionRole::Callback && fn.returnIgnored))
        return "returned-ignored";
      return {}; // an uncalled method or a callback whose caller may use the promise
    }
    }
    return {};
  }

  // For a helper: where it passes on the failure (its own call inside), and the cloud API at
  // the end of the chain of helpers (`via`; empty for a direct API call).
  struct HelperChain {
    std::vector<RelatedLocation> related;
    std::string via;
  };
  HelperChain helperChainOf(const FileFacts *f, size_t s) const {
    HelperChain chain;
    auto target = Targets.find({f, s});
    if (target == Targets.end())
      return chain;
    auto witness = CloudHelpers.find(target->second);
    const std::string &helper = f->sites[s].api;
    for (int hops = 0; witness != CloudHelpers.end() && hops < 32; ++hops) {
      const PromiseSite &inner = witness->second.file->sites[witness->second.site];
      if (hops == 0)
        chain.related.push_back(
            {inner.at,
             fmt::format("{}() passes on the failure of {}() from here.", helper, inner.api)});
      if (inner.callee == CalleeKind::Api) {
        if (hops > 0)
          chain.related.push_back(
              {inner.at, fmt::format("The failure starts at {}().", inner.api)});
        chain.via = inner.api;
        return chain;
      }
      auto next = Targets.find({witness->second.file, witness->second.site});
      if (next == Targets.end())
        break;
      witness = CloudHelpers.find(next->second);
    }
    return chain;
  }

  ProjectContext &Ctx;
  std::vector<const FileFacts *> Files;
  std::map<size_t, const FileFacts *> ByFile;
  std::map<std::string, FunctionRef> AppMethods;
  std::optional<Location> RejectionHandler;
  std::map<std::pair<const FileFacts *, size_t>, FunctionRef> Targets;
  std::set<FunctionRef> CalledFromElsewhere;
  std::map<FunctionRef, Witness> CloudHelpers;
};

class UnhandledCloudFailRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }

  // No trigger words: a page that only calls an imported wrapper (`callCloud('x')`) matters.
  void checkFile(FileContext &ctx) const override { FilePass(ctx).run(); }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    ProjectPass(ctx, deferred).run();
  }
};

} // namespace

std::unique_ptr<Rule> createUnhandledCloudFailRule() {
  return std::make_unique<UnhandledCloudFailRule>();
}

} // namespace mpauth
