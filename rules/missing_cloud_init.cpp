// missing-cloud-init (SPEC 3.1): a cloud API used where no init is guaranteed to have run.
//
// Every wx.cloud API throws synchronously until wx.cloud.init() has run; app.js (or the
// framework entry) runs first, so one init at launch covers the whole main package. Without
// one, a page is safe only when it initialises itself before its first use, and the pages of
// an independent subpackage never see app.js at all. A `new wx.cloud.Cloud()` instance needs
// its own init, and a cloud function needs `cloud.init()` somewhere in its modules.
//
// File phase: each file becomes a tree-free summary. Its functions are "units" (the module top
// level is unit 0; callbacks written inline belong to the function around them), each with the
// steps that may run an init: a direct init, a call of a local function, a call of a value
// imported from another module (kept as a Module Value), a require/import that runs another
// module's top level. Uses of cloud APIs are kept with their unit and position. Cloud instances
// are decided here, since they never cross files in practice.
// Project phase: resolve imported calls through the module graph, compute which units reach an
// init (a fixpoint over No < Maybe < Yes; Maybe is what cannot be seen, and counts as an init,
// precision first), then decide each file.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/ClientApis.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "cloudbase", "reliability"};

constexpr MessageTemplate kMessages[] = {
    {"no-init",
     "{api} throws: wx.cloud.init() is never called in this mini program, and every cloud API "
     "fails until it is. Call {init}() at launch, in {launch} of {entry}.",
     "{api} 会抛出异常：本小程序从未调用 wx.cloud.init()，在此之前所有云开发 API 都会失败。请在"
     "启动时（{entry} 的 {launch} 中）调用 {init}()。"},
    {"init-not-at-launch",
     "{api} may run before wx.cloud.init(): the init in {initWhere} does not run at launch. Call "
     "{init}() in {launch} of {entry} (or at its top level).",
     "{api} 可能在 wx.cloud.init() 之前执行：{initWhere} 中的初始化不会在启动时运行。请在 {entry} "
     "的 {launch}（或其顶层）中调用 {init}()。"},
    {"init-only-in-pages",
     "{api} throws when the user enters the mini program through this page (a shared card, a "
     "scanned code): wx.cloud.init() is called only in some pages (such as {initWhere}), not at "
     "launch. Call {init}() in {launch} of {entry}.",
     "当用户从本页面进入小程序（分享卡片、扫码）时，{api} 会抛出异常：wx.cloud.init() 只在 "
     "部分页面（如 {initWhere}）中调用，而不是在启动时。请在 {entry} 的 {launch} 中调用 "
     "{init}()。"},
    {"use-before-own-init",
     "{api} runs before this file's own {init}(); every cloud API throws until init has run. "
     "Move the init before the first use.",
     "{api} 在本文件自己的 {init}() 之前执行；在初始化完成前所有云开发 API 都会抛出异常。请把"
     "初始化移到第一次使用之前。"},
    {"independent-subpackage",
     "{api} is used in the independent subpackage '{root}', whose pages start without running "
     "app.js, so the app's wx.cloud.init() does not apply. Call {init}() in this page before the "
     "use (at its top level or in {lifecycle}).",
     "{api} 位于独立分包 '{root}' 中，独立分包的页面启动时不会运行 app.js，因此 app 中的 "
     "wx.cloud.init() 不起作用。请在本页面使用前（顶层或 {lifecycle} 中）调用 {init}()。"},
    {"instance-not-initialized",
     "{api} is called on a {constructor} instance that is never initialised: wx.cloud.init() "
     "does not initialise new {constructor}(...) instances. Call await {instance}.init() before "
     "using it.",
     "{api} 调用在一个从未初始化的 {constructor} 实例上：wx.cloud.init() 不会初始化 new "
     "{constructor}(...) 创建的实例。请在使用前调用 await {instance}.init()。"},
    {"instance-used-before-init",
     "{api} is called on a {constructor} instance before its init() has run. Call await "
     "{instance}.init() before the first use.",
     "{api} 在 {constructor} 实例的 init() 执行之前被调用。请在第一次使用前调用 await "
     "{instance}.init()。"},
    {"cloud-function-no-init",
     "{api}() is called, but this cloud function never calls {sdk}.init(): the SDK throws "
     "\"Cloud API isn't enabled\". Call {sdk}.init({{ env: {sdk}.{constant} }}) right after "
     "requiring {package}.",
     "调用了 {api}()，但该云函数从未调用 {sdk}.init()：SDK 会抛出 \"Cloud API isn't enabled\"。"
     "请在引入 {package} 后立即调用 {sdk}.init({{ env: {sdk}.{constant} }})。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "missing-cloud-init",
      .name = "MissingCloudInit",
      .title = "Cloud API used where no init is guaranteed to have run",
      .titleZhCN = "云开发 API 在未保证初始化的位置被调用",
      .description =
          "Every wx.cloud API (callFunction, database(), uploadFile, CloudID, ...) throws "
          "synchronously until wx.cloud.init() has run; a fail callback does not catch it. The "
          "init belongs at launch: at the top level or in onLaunch of app.js (or the framework "
          "entry), directly or through a function or module it calls. Reported: a cloud API "
          "used when no init runs at launch and the page does not initialise itself before the "
          "use (a page that inits fails only when the user enters through another page), pages "
          "of an independent subpackage (which start without app.js) that use the cloud "
          "without their own init, a new wx.cloud.Cloud() instance used without its own "
          "init(), and a cloud function that uses cloud APIs without cloud.init(). One finding "
          "per file, at the first unsafe use.",
      .defaultSeverity = Severity::Error,
      .fix = FixSafety::None,
      .precision = Precision::High,
      .securitySeverity = "3.0",
      .roles = AppliesToClient | AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("missing-cloud-init"),
  };
  return d;
}

// ------------------------------------------------------------------------------------------
// Facts kept from the file phase
// ------------------------------------------------------------------------------------------

enum class Reach : uint8_t { No, Maybe, Yes };

// Something a unit does that may run wx.cloud.init().
struct Step {
  enum class Kind : uint8_t {
    Init,       // wx.cloud.init(...) itself
    CallLocal,  // a function of this file (`unit`)
    CallModule, // a value imported from another project module (`callee`)
    RunModule,  // require/import: runs the top level of `file`
    Unresolved, // a project module that cannot be resolved ("@/x" without a client root)
    CallApp,    // getApp().name(): a method of the App in the entry file
  };
  Kind kind = Kind::Init;
  uint32_t at = 0;             // when it runs, as a position in the file (ES imports: 0, hoisted)
  uint32_t begin = 0, end = 0; // where it is written
  uint32_t unit = 0;
  int file = -1;
  ValuePtr callee;
  std::string name; // CallApp
};

// The module top level (unit 0) or one named function of a file.
struct Unit {
  std::string name;
  // 0: runs later (handlers, helpers). Otherwise the order in which the framework runs it:
  // entry files at launch (onLaunch 3, onShow 5, ...), pages before their other methods
  // (onLoad 1, onShow 2), components (created 1, attached 2).
  uint8_t early = 0;
  std::vector<Step> steps;
};

struct CloudUse {
  uint32_t begin = 0, end = 0;
  uint32_t contextBegin = 0, contextEnd = 0;
  uint32_t unit = 0;
  std::string api;
  bool operator<(const CloudUse &o) const {
    return std::tie(begin, end) < std::tie(o.begin, o.end);
  }
};

struct InitFacts : Deferred {
  FileRole role = FileRole::Client;
  // Client files
  bool entry = false;    // app.js, the framework entry
  bool pageLike = false; // a page or component: it can initialise itself in onLoad/attached
  bool page = false;     // a page proper (app.json, Page(), pages/): what users enter through
  std::vector<Unit> units;
  llvm::DenseMap<uint32_t, uint32_t> unitByOrigin; // byte offset of a function value -> unit
  std::vector<CloudUse> uses;                      // global wx.cloud uses, in source order
  std::vector<size_t> reexports; // `export … from` targets: what this module's exports may be
  std::string anchorName;        // where an init belongs in this file: "onLaunch", "onLoad", "App"
  uint32_t anchorBegin = 0, anchorEnd = 0;
  bool hasAnchor = false;
  // Cloud files
  bool cloudInits = false;
  bool cloudUnresolved = false;
  std::vector<size_t> loads;
  std::string sdkName, sdkPackage;
  uint32_t sdkBegin = 0, sdkEnd = 0;
  bool hasSdkRequire = false;
};

// ------------------------------------------------------------------------------------------
// Small syntax helpers
// ------------------------------------------------------------------------------------------

// A specifier that names a script of the project (not a package, not a style sheet or image).
bool looksLikeProjectModule(llvm::StringRef spec) {
  if (!spec.startswith(".") && !spec.startswith("/") && !spec.startswith("@/") &&
      !spec.startswith("~/") && !spec.startswith("~@/"))
    return false;
  static constexpr llvm::StringLiteral kAssets[] = {
      ".css",  ".less", ".scss", ".sass", ".styl", ".wxss", ".wxml", ".wxs",
      ".json", ".png",  ".jpg",  ".jpeg", ".gif",  ".svg",  ".webp", ".html",
      ".md",   ".txt",  ".mp3",  ".mp4",  ".ttf",  ".woff", ".woff2"};
  std::string extension = llvm::sys::path::extension(spec).lower();
  return !llvm::is_contained(kAssets, extension);
}

Node parentSkippingParens(Node n) {
  Node p = n.parent();
  while (p.is("parenthesized_expression"))
    p = p.parent();
  return p;
}

// Code after an unconditional return/throw in the same block never runs (SPEC 2).
bool isUnreachable(Node node) {
  for (Node n = node; n && !isFunctionNode(n); n = n.parent()) {
    Node parent = n.parent();
    if (!parent.is("statement_block") && !parent.is("program") && !parent.is("switch_case"))
      continue;
    for (Node before = n.prevNamedSibling(); before; before = before.prevNamedSibling())
      if (before.is("return_statement") || before.is("throw_statement"))
        return true;
  }
  return false;
}

bool endsWithCloudConstructor(const Value &v) {
  if (!v.is(Value::Kind::Global) && !v.is(Value::Kind::Module))
    return false;
  size_t n = v.path.size();
  return n >= 3 && v.path[n - 3] == "cloud" && v.path[n - 2] == "Cloud" && v.path[n - 1] == "new";
}

std::string cloudInitName(std::string_view api) {
  return api.starts_with("Taro.") ? "Taro.cloud.init" : "wx.cloud.init";
}

// ------------------------------------------------------------------------------------------
// File phase
// ------------------------------------------------------------------------------------------

// A `new wx.cloud.Cloud(...)` of this file, its init() calls and its uses. File phase only
// (it holds nodes).
struct Instance {
  Node created;     // the new expression
  std::string text; // how the code names it: "c", "this.cloud"
  struct Call {
    Node at;
    CloudUse use; // for inits only unit and begin matter
  };
  std::vector<Call> inits, uses;
  bool escapes = false;
};

class FileSummarizer {
public:
  FileSummarizer(FileContext &ctx, InitFacts &facts)
      : Ctx(ctx), Sem(ctx.semantics), Src(ctx.text()), Facts(facts) {}

  void summarizeClient() {
    findUnits();
    classifyComponents();
    // The unit of each node is tracked on the way down (asking for parents is not cheap).
    std::vector<std::pair<Node, uint32_t>> open{{Sem.root(), 0}};
    walk(
        Sem.root(),
        [&](Node n) {
          std::string_view t = n.type();
          if (isFunctionNode(n)) {
            auto found = UnitOfFunction.find({n.begin(), n.end()});
            if (found != UnitOfFunction.end()) {
              open.emplace_back(n, found->second);
              CurrentUnit = found->second;
            }
          }
          if (t == "import_statement" || (t == "export_statement" && n.field("source"))) {
            std::optional<std::string> spec = stringValue(n.field("source"), Src);
            if (t == "export_statement" && spec)
              if (auto target = Ctx.project.resolveImport(Ctx.fileIndex, *spec))
                Facts.reexports.push_back(*target);
            moduleRun(n, std::move(spec), /*hoisted=*/true);
            return t == "export_statement";
          }
          if (t == "call_expression")
            clientCall(n);
          else if (t == "new_expression")
            cloudConstructor(n);
          return true;
        },
        [&](Node n) {
          if (open.size() > 1 && open.back().first == n) {
            open.pop_back();
            CurrentUnit = open.back().second;
          }
        });
    std::sort(Facts.uses.begin(), Facts.uses.end());
    reportInstances();
  }

  void summarizeCloud() {
    for (Node n : nodesOfTypes(Sem.root(), {"import_statement", "call_expression"})) {
      if (n.is("import_statement")) {
        if (auto spec = stringValue(n.field("source"), Src))
          noteSdkRequire(*spec, n);
      } else {
        cloudCall(n);
      }
    }
    for (const std::string &spec : Sem.imports()) {
      if (auto target = Ctx.project.resolveImport(Ctx.fileIndex, spec))
        Facts.loads.push_back(*target);
      else if (looksLikeProjectModule(spec))
        Facts.cloudUnresolved = true;
    }
    std::sort(Facts.uses.begin(), Facts.uses.end());
  }

private:
  // --- units -------------------------------------------------------------------------------

  // A function reached only by calling it (a declaration, a method, a value bound to a name),
  // as opposed to a callback written inline, which belongs to the function around it.
  bool isNamedFunction(Node f) const {
    std::string_view t = f.type();
    if (t == "function_declaration" || t == "generator_function_declaration")
      return true;
    if (ComponentMethods.count({f.begin(), f.end()}))
      return true;
    auto objectIsArgument = [](Node object) {
      return object.is("object") && parentSkippingParens(object).is("arguments");
    };
    if (t == "method_definition") {
      Node holder = f.parent();
      return holder.is("class_body") || !objectIsArgument(holder);
    }
    Node parent = parentSkippingParens(f);
    if (parent.is("pair"))
      return !objectIsArgument(parent.parent());
    return parent.is("variable_declarator") || parent.is("assignment_expression") ||
           parent.is("field_definition") || parent.is("public_field_definition") ||
           parent.is("export_statement");
  }

  std::string functionName(Node f) const {
    if (Node name = f.field("name"); name && !f.is("function_expression"))
      return std::string(name.text(Src));
    Node parent = parentSkippingParens(f);
    if (parent.is("pair"))
      return std::string(parent.field("key").text(Src));
    if (parent.is("variable_declarator"))
      return std::string(parent.field("name").text(Src));
    if (parent.is("assignment_expression")) {
      Node left = unwrapExpression(parent.field("left"));
      return std::string(left.is("member_expression") ? left.field("property").text(Src)
                                                      : left.text(Src));
    }
    if (Node name = f.field("name"))
      return std::string(name.text(Src));
    return {};
  }

  void findUnits() {
    for (const ComponentInfo &c : Sem.components())
      for (const ComponentMethod &m : c.methods)
        ComponentMethods.insert({m.function.begin(), m.function.end()});
    Facts.units.push_back(Unit{});
    for (Node n : functionNodesIn(Sem.root())) {
      if (!isNamedFunction(n))
        continue;
      uint32_t index = static_cast<uint32_t>(Facts.units.size());
      Facts.units.push_back(Unit{functionName(n), 0, {}});
      UnitOfFunction[{n.begin(), n.end()}] = index;
      // Function values carry the origin of the function, or of the declaration's name.
      Facts.unitByOrigin[n.begin()] = index;
      if (Node name = n.field("name"))
        Facts.unitByOrigin[name.begin()] = index;
    }
  }

  uint32_t unitOfFunction(Node f) const {
    auto found = UnitOfFunction.find({f.begin(), f.end()});
    return found == UnitOfFunction.end() ? 0 : found->second;
  }

  // --- components: entry, pages, and their early lifecycle ---------------------------------

  // When the framework runs a lifecycle method, relative to the others (see Unit::early).
  struct EarlyRank {
    std::string_view name;
    uint8_t rank;
  };
  static constexpr EarlyRank kLaunchRanks[] = {
      {"constructor", 1}, {"beforeCreate", 1},    {"App", 1},      {"componentWillMount", 2},
      {"created", 2},     {"setup", 2},           {"onLaunch", 3}, {"componentDidMount", 4},
      {"onShow", 5},      {"componentDidShow", 5}};
  static constexpr EarlyRank kPageRanks[] = {{"onLoad", 1}, {"onShow", 2}};
  static constexpr EarlyRank kComponentRanks[] = {{"created", 1}, {"attached", 2}};
  static constexpr EarlyRank kVueRanks[] = {
      {"beforeCreate", 1}, {"setup", 1}, {"created", 1}, {"onLoad", 1}, {"onShow", 2}};
  static constexpr EarlyRank kClassRanks[] = {{"constructor", 1},
                                              {"componentWillMount", 2},
                                              {"onLoad", 2},
                                              {"componentDidMount", 3},
                                              {"componentDidShow", 4}};

  template <size_t N> static uint8_t rankIn(const EarlyRank (&ranks)[N], std::string_view name) {
    for (const EarlyRank &r : ranks)
      if (r.name == name)
        return r.rank;
    return 0;
  }

  uint8_t earlyRank(const ComponentInfo &c, const ComponentMethod &m) const {
    if (m.group == "methods") // a Component used as a page
      return c.kind == ComponentKind::Component && !Facts.entry ? rankIn(kPageRanks, m.name) : 0;
    if (!m.group.empty() && m.group != "lifetimes")
      return 0;
    if (Facts.entry)
      return c.kind == ComponentKind::App || c.kind == ComponentKind::VueOptions ||
                     c.kind == ComponentKind::ClassComponent
                 ? rankIn(kLaunchRanks, m.name)
                 : 0;
    switch (c.kind) {
    case ComponentKind::Page:
      return rankIn(kPageRanks, m.name);
    case ComponentKind::Component:
      return rankIn(kComponentRanks, m.name);
    case ComponentKind::VueOptions:
      return rankIn(kVueRanks, m.name);
    case ComponentKind::ClassComponent:
      return rankIn(kClassRanks, m.name);
    case ComponentKind::App:
    case ComponentKind::Behavior:
      return 0;
    }
    return 0;
  }

  void setAnchor(Node at, std::string name) {
    Facts.hasAnchor = true;
    Facts.anchorBegin = at.begin();
    Facts.anchorEnd = at.end();
    Facts.anchorName = std::move(name);
  }

  void classifyComponents() {
    const std::vector<ComponentInfo> &components = Sem.components();
    Facts.entry = Ctx.project.app.isEntry(Ctx.fileIndex);
    for (const ComponentInfo &c : components)
      Facts.entry |= c.kind == ComponentKind::App;
    // A page: listed in app.json, a Page(), or a component kept under a pages/ folder (Taro,
    // uni-app and Component()-built pages, whose list app.json does not give us).
    llvm::StringRef path = Ctx.project.files[Ctx.fileIndex].displayPath;
    bool underPages = path.startswith("pages/") || path.contains("/pages/");
    for (const ComponentInfo &c : components) {
      bool component = c.kind != ComponentKind::Behavior && c.kind != ComponentKind::App;
      Facts.pageLike |= !Facts.entry && component;
      Facts.page |= !Facts.entry && (c.kind == ComponentKind::Page || (component && underPages));
    }
    Facts.page |= !Facts.entry && Ctx.project.app.isPage(Ctx.fileIndex);
    Facts.pageLike |= Facts.page;

    // Where an init belongs: onLaunch in an entry, onLoad (attached, created) in a page.
    static constexpr std::string_view kAnchors[] = {"onLaunch", "componentDidMount", "onLoad",
                                                    "attached", "created"};
    const ComponentMethod *anchor = nullptr;
    size_t anchorPreference = std::size(kAnchors);
    for (const ComponentInfo &c : components) {
      for (const ComponentMethod &m : c.methods) {
        uint8_t rank = earlyRank(c, m);
        if (!rank)
          continue;
        Unit &unit = Facts.units[unitOfFunction(m.function)];
        unit.early = unit.early ? std::min(unit.early, rank) : rank;
        size_t preference =
            std::find(std::begin(kAnchors), std::end(kAnchors), m.name) - std::begin(kAnchors);
        if (!anchor || preference < anchorPreference) {
          anchor = &m;
          anchorPreference = preference;
        }
      }
    }
    if (Facts.entry) {
      // Taro: `function App()` renders at launch (its hooks are inline callbacks).
      for (Unit &u : Facts.units)
        if (!u.early && (u.name == "App" || u.name == "onLaunch"))
          u.early = rankIn(kLaunchRanks, u.name);
    }
    if (anchor) {
      Node key = anchor->function.is("method_definition") ? anchor->function.field("name")
                                                          : parentSkippingParens(anchor->function);
      if (key.is("pair"))
        key = key.field("key");
      setAnchor(key ? key : anchor->function, anchor->name);
      return;
    }
    for (const ComponentInfo &c : components)
      if (c.call) {
        Node callee = c.call.field("function");
        return setAnchor(callee, std::string(callee.text(Src)));
      }
    if (Facts.entry || Ctx.project.app.subpackageWithEntry(Ctx.fileIndex))
      if (Node first = Sem.root().namedChild(0))
        setAnchor(first, "");
  }

  // --- client steps and uses ---------------------------------------------------------------

  void addStep(Node at, Step step) {
    step.at = step.begin = at.begin();
    step.end = at.end();
    Facts.units[CurrentUnit].steps.push_back(std::move(step));
  }

  void moduleRun(Node at, std::optional<std::string> spec, bool hoisted) {
    if (!spec)
      return;
    Step step;
    if (auto target = Ctx.project.resolveImport(Ctx.fileIndex, *spec)) {
      step.kind = Step::Kind::RunModule;
      step.file = static_cast<int>(*target);
    } else if (looksLikeProjectModule(*spec)) {
      step.kind = Step::Kind::Unresolved;
    } else {
      return;
    }
    if (hoisted) { // ES imports run before the importing module's body
      step.begin = at.begin();
      step.end = at.end();
      Facts.units[0].steps.push_back(std::move(step));
      return;
    }
    addStep(at, std::move(step));
  }

  void clientCall(Node call) {
    Node callee = unwrapExpression(call.field("function"));
    if (callee.is("identifier") && callee.text(Src) == "require" && !Sem.resolve(callee)) {
      moduleRun(call, stringValue(call.field("arguments").namedChild(0), Src), false);
      return;
    }
    ValuePtr value = Sem.evaluate(callee);
    ClientApiCall api = classifyClientCallee(*value);
    if (api.kind == ClientApiKind::CloudInit) {
      if (api.onInstance)
        instanceInit(call, callee);
      else
        addStep(call, Step{Step::Kind::Init});
      return;
    }
    if (api.needsCloudInit()) {
      if (isUnreachable(call))
        return;
      CloudUse use = useAt(call, callee, api.display);
      if (api.onInstance)
        instanceUse(call, callee, std::move(use));
      else
        Facts.uses.push_back(std::move(use));
      return;
    }
    localOrImportedCall(call, callee, value);
  }

  static Step callLocal(uint32_t unit) {
    Step step{Step::Kind::CallLocal};
    step.unit = unit;
    return step;
  }

  CloudUse useAt(Node call, Node callee, std::string api) const {
    Node context = enclosingStatement(call);
    return CloudUse{callee.begin(), callee.end(), context.begin(),
                    context.end(),  CurrentUnit,  std::move(api)};
  }

  void localOrImportedCall(Node call, Node callee, const ValuePtr &value) {
    if (value->is(Value::Kind::Function) && value->origin.file == Sem.fileIndex()) {
      auto found = Facts.unitByOrigin.find(value->origin.begin);
      if (found != Facts.unitByOrigin.end())
        addStep(call, callLocal(found->second));
      return;
    }
    if (value->is(Value::Kind::Module) && value->file >= 0) {
      Step step{Step::Kind::CallModule};
      step.callee = value;
      addStep(call, std::move(step));
      return;
    }
    if (value->is(Value::Kind::Module) && looksLikeProjectModule(value->text)) {
      addStep(call, Step{Step::Kind::Unresolved});
      return;
    }
    if (value->is(Value::Kind::Global) && value->text == "getApp" && value->path.size() == 2 &&
        value->path[0] == "()") {
      Step step{Step::Kind::CallApp};
      step.name = value->path[1];
      addStep(call, std::move(step));
      return;
    }
    if (!callee.is("member_expression") || !value->is(Value::Kind::Unknown))
      return;
    // this.initCloud(), that.initCloud(): a method of the same App/Page/Component.
    std::string_view name = callee.field("property").text(Src);
    ValuePtr owner = Sem.evaluate(callee.field("object"));
    if (owner->is(Value::Kind::ComponentThis) && owner->file >= 0 &&
        static_cast<size_t>(owner->file) < Sem.components().size()) {
      for (const ComponentMethod &m : Sem.components()[owner->file].methods)
        if (m.name == name) {
          addStep(call, callLocal(unitOfFunction(m.function)));
          return;
        }
    }
    // CloudService.init(), service.init() on a class or object of this file that the evaluator
    // does not follow: any function of the file with that name (it may be the one).
    for (uint32_t u = 1; u < Facts.units.size(); ++u)
      if (Facts.units[u].name == name)
        addStep(call, callLocal(u));
  }

  // --- new wx.cloud.Cloud() instances ------------------------------------------------------

  void cloudConstructor(Node expression) {
    ValuePtr constructor = Sem.evaluate(expression.field("constructor"));
    if (classifyNewExpression(*constructor).kind != ClientApiKind::CloudConstructor)
      return;
    instanceAt(expression.begin());
  }

  Instance *instanceAt(uint32_t begin) {
    for (Instance &i : Instances)
      if (i.created.begin() == begin)
        return &i;
    Node created;
    walk(Sem.root(), [&](Node n) {
      if (created || n.end() <= begin || n.begin() > begin)
        return false;
      if (n.begin() == begin && n.is("new_expression"))
        created = n;
      return !created;
    });
    if (!created)
      return nullptr;
    Instances.push_back(Instance{created});
    return &Instances.back();
  }

  // The instance an API call goes through: `c.callFunction`, `this.c.database().collection`.
  Instance *instanceOf(Node callee, std::string *text) {
    Node n = callee;
    for (int guard = 0; guard < 24 && n; ++guard) {
      n = unwrapExpression(n);
      if (n.is("member_expression"))
        n = n.field("object");
      else if (n.is("call_expression"))
        n = n.field("function");
      else
        return nullptr;
      Node inner = unwrapExpression(n);
      ValuePtr v = Sem.evaluate(inner);
      if (!endsWithCloudConstructor(*v))
        continue;
      if (!v->origin.valid() || v->origin.file != Sem.fileIndex())
        return nullptr;
      if (text)
        *text = std::string(inner.text(Src));
      return instanceAt(v->origin.begin);
    }
    return nullptr;
  }

  void instanceInit(Node call, Node callee) {
    if (Instance *i = instanceOf(callee, nullptr))
      i->inits.push_back({call, useAt(call, callee, "init")});
  }

  void instanceUse(Node call, Node callee, CloudUse use) {
    std::string text;
    if (Instance *i = instanceOf(callee, &text)) {
      if (i->text.empty())
        i->text = text;
      // Name the API through the instance as the code writes it: shared.callFunction.
      if (llvm::StringRef(use.api).startswith("cloud."))
        use.api = text + use.api.substr(5);
      i->uses.push_back({call, std::move(use)});
    }
  }

  // An instance that leaves the file (exported, stored on the app) may be initialised elsewhere.
  void markEscapes() {
    auto mark = [&](const ValuePtr &v) {
      if (v && endsWithCloudConstructor(*v) && v->origin.file == Sem.fileIndex())
        for (Instance &i : Instances)
          if (i.created.begin() == v->origin.begin)
            i.escapes = true;
    };
    ValuePtr exports = Sem.exports();
    mark(exports);
    if (exports && exports->is(Value::Kind::Object))
      for (const auto &field : exports->fields)
        mark(field.second);
    for (Node n : nodesOfTypes(Sem.root(), {"assignment_expression"})) {
      Node left = unwrapExpression(n.field("left"));
      if (!left.is("member_expression") || unwrapExpression(left.field("object")).is("this"))
        continue;
      if (Sem.evaluate(left.field("object"))->is(Value::Kind::ComponentThis))
        continue;
      mark(Sem.evaluate(n.field("right")));
    }
  }

  // One finding per file: the first use on an instance that no init() of it precedes. An init
  // in another function counts (it usually runs first: onLoad, a helper awaited before use).
  void reportInstances() {
    if (std::none_of(Instances.begin(), Instances.end(),
                     [](const Instance &i) { return !i.uses.empty(); }))
      return;
    markEscapes();
    const Instance *instance = nullptr;
    const Instance::Call *first = nullptr;
    for (const Instance &i : Instances) {
      if (i.inits.empty() && i.escapes)
        continue;
      for (const Instance::Call &use : i.uses) {
        bool covered = std::any_of(i.inits.begin(), i.inits.end(), [&](const Instance::Call &init) {
          return init.use.unit != use.use.unit || init.use.begin < use.use.begin;
        });
        if (covered || (first && !(use.use < first->use)))
          continue;
        instance = &i;
        first = &use;
      }
    }
    if (!first)
      return;
    bool never = instance->inits.empty();
    DiagnosticBuilder b =
        Ctx.report(first->at.field("function"),
                   never ? "instance-not-initialized" : "instance-used-before-init",
                   {{"api", first->use.api},
                    {"constructor", instanceConstructorName(*instance)},
                    {"instance", instance->text.empty() ? "instance" : instance->text}});
    if (never)
      b.related(Ctx.locationOf(instance->created), "The instance is created here.");
    else
      b.related(Ctx.locationOf(instance->inits.front().at), "Its init() runs here, after the use.");
  }

  std::string instanceConstructorName(const Instance &i) const {
    std::string_view text = i.created.field("constructor").text(Src);
    return text.starts_with("Taro.") ? "Taro.cloud.Cloud" : "wx.cloud.Cloud";
  }

  // --- cloud functions ---------------------------------------------------------------------

  void noteSdkRequire(const std::string &spec, Node at) {
    ServerSdk sdk = serverSdkOf(spec);
    if ((sdk != ServerSdk::WxServerSdk && sdk != ServerSdk::TcbAdmin) || Facts.hasSdkRequire)
      return;
    Facts.hasSdkRequire = true;
    Facts.sdkBegin = at.begin();
    Facts.sdkEnd = at.end();
    Facts.sdkPackage = spec;
  }

  void cloudCall(Node call) {
    Node callee = unwrapExpression(call.field("function"));
    if (callee.is("identifier") && callee.text(Src) == "require" && !Sem.resolve(callee)) {
      if (auto spec = stringValue(call.field("arguments").namedChild(0), Src))
        noteSdkRequire(*spec, call);
      return;
    }
    ValuePtr v = Sem.evaluate(callee);
    if (!v->is(Value::Kind::Module) || v->path.empty())
      return;
    ServerSdk sdk = serverSdkOf(v->text);
    if (sdk != ServerSdk::WxServerSdk && sdk != ServerSdk::TcbAdmin)
      return;
    const std::string &api = v->path.front();
    if (api == "init" && v->path.size() == 1) {
      Facts.cloudInits = true;
      return;
    }
    static constexpr std::string_view kNeedInit[] = {
        "database", "callFunction", "uploadFile",  "downloadFile",  "getTempFileURL", "deleteFile",
        "openapi",  "getOpenData",  "getVoIPSign", "callContainer", "cloudPay",       "CloudID"};
    if (std::find(std::begin(kNeedInit), std::end(kNeedInit), api) == std::end(kNeedInit))
      return;
    if (isUnreachable(call))
      return;
    Node object = callee;
    while (object.is("member_expression") || object.is("call_expression"))
      object = unwrapExpression(object.is("member_expression") ? object.field("object")
                                                               : object.field("function"));
    std::string sdkName = object.is("identifier") ? std::string(object.text(Src)) : "cloud";
    // Name the API as written from the SDK object: cloud.database, cloud.openapi.….send.
    std::string display = sdkName;
    for (const std::string &p : v->path) {
      if (p == "()")
        break;
      display += "." + p;
    }
    if (Facts.sdkName.empty())
      Facts.sdkName = sdkName;
    Facts.uses.push_back(useAt(call, callee, display));
    if (Facts.sdkPackage.empty())
      Facts.sdkPackage = v->text;
  }

  FileContext &Ctx;
  const ModuleSemantics &Sem;
  std::string_view Src;
  InitFacts &Facts;
  std::set<std::pair<uint32_t, uint32_t>> ComponentMethods;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> UnitOfFunction;
  std::vector<Instance> Instances;
  uint32_t CurrentUnit = 0; // the unit of the node the client walk is at
};

// ------------------------------------------------------------------------------------------
// Project phase
// ------------------------------------------------------------------------------------------

class ProjectDecision {
public:
  ProjectDecision(ProjectContext &ctx, const std::vector<const Deferred *> &deferred)
      : Ctx(ctx), ByFile(ctx.project.files.size(), nullptr) {
    for (const Deferred *d : deferred)
      if (d->file < ByFile.size())
        ByFile[d->file] = static_cast<const InitFacts *>(d);
  }

  void run() {
    resolveSteps();
    computeReach();
    decideClientFiles();
    decideCloudFiles();
  }

private:
  // How a step's reach is found once imports are resolved.
  struct Resolved {
    enum class Kind : uint8_t { Constant, Unit, AnyUnitOf } kind = Kind::Constant;
    Reach constant = Reach::No;
    size_t file = 0;
    uint32_t unit = 0;
  };

  const InitFacts *clientFacts(size_t file) const {
    const InitFacts *f = file < ByFile.size() ? ByFile[file] : nullptr;
    return f && f->role == FileRole::Client ? f : nullptr;
  }

  // A module without a client summary: a server module cannot init the client; one the rule did
  // not see (role "other", such as a config/ folder beside the client root, or not parsed) may,
  // unless it never even mentions the cloud.
  Reach unsummarized(size_t file) const {
    if (file < ByFile.size() && ByFile[file])
      return Reach::No;
    const SourceFile *source = file < Ctx.files.size() ? Ctx.files[file] : nullptr;
    return source && !source->text().contains("cloud") ? Reach::No : Reach::Maybe;
  }

  Resolved resolveStep(size_t file, const Step &step) const {
    auto constant = [](Reach r) { return Resolved{Resolved::Kind::Constant, r}; };
    auto fileTop = [&](size_t target) {
      if (!clientFacts(target))
        return constant(unsummarized(target));
      return Resolved{Resolved::Kind::Unit, Reach::No, target, 0};
    };
    switch (step.kind) {
    case Step::Kind::Init:
      return constant(Reach::Yes);
    case Step::Kind::Unresolved:
      return constant(Reach::Maybe);
    case Step::Kind::CallLocal:
      return Resolved{Resolved::Kind::Unit, Reach::No, file, step.unit};
    case Step::Kind::RunModule:
      return fileTop(static_cast<size_t>(step.file));
    case Step::Kind::CallApp:
      for (size_t entry = 0; entry < ByFile.size(); ++entry)
        if (const InitFacts *f = clientFacts(entry); f && f->entry)
          for (uint32_t u = 1; u < f->units.size(); ++u)
            if (f->units[u].name == step.name)
              return Resolved{Resolved::Kind::Unit, Reach::No, entry, u};
      return constant(Reach::No);
    case Step::Kind::CallModule:
      break;
    }
    ValuePtr target = Ctx.modules.resolve(step.callee);
    if (target->is(Value::Kind::Function) && target->origin.valid()) {
      size_t targetFile = static_cast<size_t>(target->origin.file);
      const InitFacts *facts = clientFacts(targetFile);
      if (!facts)
        return constant(unsummarized(targetFile));
      auto found = facts->unitByOrigin.find(target->origin.begin);
      if (found != facts->unitByOrigin.end())
        return Resolved{Resolved::Kind::Unit, Reach::No, targetFile, found->second};
      return Resolved{Resolved::Kind::AnyUnitOf, Reach::No, targetFile, 0};
    }
    if (classifyClientCallee(*target).kind == ClientApiKind::CloudInit)
      return constant(Reach::Yes); // module.exports = { init: wx.cloud.init }
    if (target->is(Value::Kind::Unknown) || target->is(Value::Kind::Module)) {
      // A factory's result, a re-export we cannot follow: whatever the module can do.
      size_t owner = static_cast<size_t>(step.callee->file);
      if (!clientFacts(owner))
        return fileTop(owner);
      return Resolved{Resolved::Kind::AnyUnitOf, Reach::No, owner, 0};
    }
    return constant(Reach::No);
  }

  void resolveSteps() {
    ResolvedSteps.resize(ByFile.size());
    ReachOf.resize(ByFile.size());
    for (size_t file = 0; file < ByFile.size(); ++file) {
      const InitFacts *f = clientFacts(file);
      if (!f)
        continue;
      ReachOf[file].assign(f->units.size(), Reach::No);
      ResolvedSteps[file].resize(f->units.size());
      for (size_t u = 0; u < f->units.size(); ++u)
        for (const Step &step : f->units[u].steps)
          ResolvedSteps[file][u].push_back(resolveStep(file, step));
    }
  }

  // What running a module's top level does; a module never analyzed may init.
  Reach topReach(size_t file) const {
    return clientFacts(file) ? ReachOf[file][0] : unsummarized(file);
  }

  Reach fileReach(size_t file) const {
    Reach best = Reach::No;
    for (Reach r : ReachOf[file])
      best = std::max(best, r);
    return best;
  }

  Reach valueOf(const Resolved &r) const {
    switch (r.kind) {
    case Resolved::Kind::Constant:
      return r.constant;
    case Resolved::Kind::Unit:
      return r.unit < ReachOf[r.file].size() ? ReachOf[r.file][r.unit] : Reach::Maybe;
    case Resolved::Kind::AnyUnitOf:
      return AnyReach[r.file];
    }
    return Reach::Maybe;
  }

  // Least fixpoint: reach only grows, over three values, so it ends.
  // AnyReach: what calling something unknown that a module exports may do — any of its
  // functions, or of the modules it re-exports (`export * from './cloud'`).
  void computeReach() {
    AnyReach.assign(ByFile.size(), Reach::No);
    for (size_t file = 0; file < ByFile.size(); ++file)
      if (!clientFacts(file))
        AnyReach[file] = unsummarized(file);
    for (bool changed = true; changed;) {
      changed = false;
      auto raise = [&](Reach &slot, Reach r) {
        if (r > slot) {
          slot = r;
          changed = true;
        }
      };
      for (size_t file = 0; file < ByFile.size(); ++file) {
        const InitFacts *f = clientFacts(file);
        if (!f)
          continue;
        for (size_t u = 0; u < ResolvedSteps[file].size(); ++u) {
          for (const Resolved &step : ResolvedSteps[file][u])
            raise(ReachOf[file][u], valueOf(step));
          raise(AnyReach[file], ReachOf[file][u]);
        }
        for (size_t target : f->reexports)
          raise(AnyReach[file], AnyReach[target]);
      }
    }
  }

  Reach stepReach(size_t file, uint32_t unit, size_t step) const {
    return valueOf(ResolvedSteps[file][unit][step]);
  }

  // The first step of `unit` before `before` that may init, or nullptr.
  const Step *initBefore(size_t file, uint32_t unit, uint32_t before) const {
    const std::vector<Step> &steps = clientFacts(file)->units[unit].steps;
    const Step *best = nullptr;
    for (size_t s = 0; s < steps.size(); ++s)
      if (steps[s].at < before && stepReach(file, unit, s) != Reach::No &&
          (!best || steps[s].at < best->at))
        best = &steps[s];
    return best;
  }

  // Is an init guaranteed before `use` by the file itself?
  bool covered(size_t file, const CloudUse &use) const {
    const InitFacts &f = *clientFacts(file);
    if (initBefore(file, 0, use.unit == 0 ? use.begin : UINT32_MAX))
      return true;
    if (use.unit != 0 && initBefore(file, use.unit, use.begin))
      return true;
    if (use.unit == 0)
      return false;
    // Early lifecycle methods (onLoad, attached; onLaunch in app.js) run before the others,
    // and before the early ones of a later rank.
    uint8_t useRank = f.units[use.unit].early;
    for (uint32_t u = 1; u < f.units.size(); ++u) {
      uint8_t rank = f.units[u].early;
      if (u != use.unit && rank && (!useRank || rank <= useRank) && ReachOf[file][u] != Reach::No)
        return true;
    }
    return false;
  }

  // The first place in `file` that may init (for related locations and messages).
  struct InitSite {
    size_t file = 0;
    uint32_t unit = 0;
    const Step *step = nullptr;
  };
  // The first step of `file` that may init; `step` is null when there is none.
  InitSite firstInit(size_t file) const {
    const InitFacts &f = *clientFacts(file);
    InitSite best{file};
    for (uint32_t u = 0; u < f.units.size(); ++u)
      for (size_t s = 0; s < f.units[u].steps.size(); ++s)
        if (stepReach(file, u, s) != Reach::No &&
            (!best.step || f.units[u].steps[s].at < best.step->at))
          best = InitSite{file, u, &f.units[u].steps[s]};
    return best;
  }

  // How messages name a client file: relative to the client root ("pages/home/home.js"), as
  // app.json does.
  std::string clientPath(size_t file) const {
    const ProjectFile &pf = Ctx.project.files[file];
    llvm::StringRef path = pf.absolutePath, root = Ctx.project.miniprogramRoot;
    if (!root.empty() && path.size() > root.size() + 1 && path.startswith(root) &&
        llvm::sys::path::is_separator(path[root.size()])) {
      std::string relative = path.drop_front(root.size() + 1).str();
      std::replace(relative.begin(), relative.end(), '\\', '/');
      return relative;
    }
    return pf.displayPath;
  }

  std::string whereIn(size_t file, uint32_t unit) const {
    const InitFacts &f = *clientFacts(file);
    std::string out = clientPath(file);
    if (unit != 0 && !f.units[unit].name.empty())
      out += " (" + f.units[unit].name + ")";
    return out;
  }

  Location at(size_t file, uint32_t begin, uint32_t end) const {
    return {static_cast<uint32_t>(file), begin, end};
  }

  void decideClientFiles() {
    // The entry that launch runs, and whether an init runs there.
    Reach launch = Reach::No;
    std::optional<size_t> entry;
    for (size_t file = 0; file < ByFile.size(); ++file) {
      const InitFacts *f = clientFacts(file);
      if (!f || !f->entry)
        continue;
      // Named in messages: the app.js of the client root (or App.vue) before any other file
      // that calls App(), and one with a lifecycle to point at.
      auto rank = [&](size_t candidate) {
        return std::make_pair(Ctx.project.app.isEntry(candidate),
                              clientFacts(candidate)->anchorName == "onLaunch");
      };
      if (!entry || rank(file) > rank(*entry))
        entry = file;
      for (uint32_t u = 0; u < f->units.size(); ++u)
        if (u == 0 || f->units[u].early)
          launch = std::max(launch, ReachOf[file][u]);
    }
    // Somewhere in the client an init may run at all; and the pages that init themselves.
    Reach anywhere = Reach::No;
    std::optional<size_t> initPage, initFile;
    for (size_t file = 0; file < ByFile.size(); ++file) {
      const InitFacts *f = clientFacts(file);
      if (!f)
        continue;
      Reach r = fileReach(file);
      anywhere = std::max(anywhere, r);
      if (r == Reach::No)
        continue;
      // The page named in messages: a page proper rather than a component.
      if (f->pageLike && (!initPage || (f->page && !clientFacts(*initPage)->page)) &&
          firstInit(file).step)
        initPage = file;
      if (!initFile || (f->entry && !clientFacts(*initFile)->entry))
        if (firstInit(file).step)
          initFile = file;
    }

    for (size_t file = 0; file < ByFile.size(); ++file) {
      const InitFacts *f = clientFacts(file);
      if (!f || f->uses.empty())
        continue;
      const CloudUse *use = nullptr;
      for (const CloudUse &u : f->uses)
        if (!covered(file, u)) {
          use = &u;
          break;
        }
      if (!use)
        continue;
      const MiniProgramSubpackage *package =
          Ctx.project.app.subpackageOf(Ctx.project.files[file].absolutePath);
      bool independent = package && package->independent;
      bool ownInit = fileReach(file) != Reach::No;
      // A subpackage's `entry` script runs before its pages (an independent one's app.js).
      if (package && package->entryFile && *package->entryFile != file &&
          topReach(*package->entryFile) != Reach::No)
        continue;

      std::string_view id;
      std::optional<size_t> initSource = initFile;
      if (independent) {
        if (ownInit ? !f->pageLike && use->unit != 0 : !f->page && anywhere != Reach::No)
          continue; // a helper module or a component: the pages that use it decide
        id = ownInit ? "use-before-own-init" : "independent-subpackage";
      } else if ((launch != Reach::No && !f->entry) || !entry) {
        // app.js initialises at launch: the whole main package is fine. (Without an entry file
        // there is nothing to say about launch at all.)
        continue;
      } else if (ownInit && f->entry && launch == Reach::No) {
        id = "init-not-at-launch"; // app.js inits, but in a handler that launch does not run
        initSource = file;
      } else if (ownInit) {
        if (!f->pageLike && !f->entry && use->unit != 0)
          continue; // a helper module: its callers decide when it runs
        id = "use-before-own-init";
      } else if (anywhere == Reach::No) {
        id = "no-init";
      } else if (!f->page) {
        continue; // helpers and components run inside pages, which may have initialised
      } else {
        id = initPage && *initPage != file ? "init-only-in-pages" : "init-not-at-launch";
      }
      report(file, *use, id, package, entry, initPage, initSource);
    }
  }

  void report(size_t file, const CloudUse &use, std::string_view id,
              const MiniProgramSubpackage *package, std::optional<size_t> entry,
              std::optional<size_t> initPage, std::optional<size_t> initFile) {
    const InitFacts &f = *clientFacts(file);
    std::string init = cloudInitName(use.api);
    MessageArgs args{{"api", use.api}, {"init", init}};
    if (entry) {
      const InitFacts &e = *clientFacts(*entry);
      args.emplace_back("entry", clientPath(*entry));
      args.emplace_back("launch", e.anchorName == "componentDidMount" ? e.anchorName : "onLaunch");
    }
    // The init the message and a related location point at, for the variants that have one.
    std::optional<size_t> initIn = id == "use-before-own-init"  ? std::optional<size_t>(file)
                                   : id == "init-only-in-pages" ? initPage
                                   : id == "init-not-at-launch" ? initFile
                                                                : std::nullopt;
    InitSite initAt = initIn ? firstInit(*initIn) : InitSite{};
    args.emplace_back("initWhere", initAt.step ? whereIn(initAt.file, initAt.unit) : "");
    if (package)
      args.emplace_back("root", package->root);
    bool lifecycleAnchor =
        f.anchorName == "onLoad" || f.anchorName == "attached" || f.anchorName == "created";
    args.emplace_back("lifecycle", lifecycleAnchor ? f.anchorName : "onLoad");

    DiagnosticBuilder b = Ctx.report(at(file, use.begin, use.end),
                                     at(file, use.contextBegin, use.contextEnd), id, args);
    if (id == "independent-subpackage" && package && package->entryFile &&
        clientFacts(*package->entryFile) && clientFacts(*package->entryFile)->hasAnchor) {
      const InitFacts &e = *clientFacts(*package->entryFile);
      b.related(at(*package->entryFile, e.anchorBegin, e.anchorEnd),
                "This subpackage's entry script runs before its pages: " + init +
                    "() could go here.");
    } else if (id == "independent-subpackage") {
      if (f.hasAnchor)
        b.related(at(file, f.anchorBegin, f.anchorEnd),
                  "Pages of an independent subpackage start here, without app.js: call " + init +
                      "() before the first cloud API use.");
    } else if (entry && id != "use-before-own-init") {
      const InitFacts &e = *clientFacts(*entry);
      if (e.hasAnchor)
        b.related(at(*entry, e.anchorBegin, e.anchorEnd),
                  "Call " + init + "() here, at launch, so that every page can use the cloud.");
    }
    if (initAt.step) {
      const Step &step = *initAt.step;
      std::string note = id == "use-before-own-init" ? "The init runs here, after the use."
                         : id == "init-only-in-pages"
                             ? "wx.cloud.init() is called here, in a page, not at launch."
                             : "This init does not run at launch.";
      b.related(at(initAt.file, step.begin, step.end), note);
    }
  }

  // A cloud function: fine when some module of the function (or a module it loads) inits.
  void decideCloudFiles() {
    std::vector<size_t> cloud;
    for (size_t file = 0; file < ByFile.size(); ++file)
      if (ByFile[file] && ByFile[file]->role == FileRole::Cloud)
        cloud.push_back(file);
    // What a module loads, itself included.
    auto closure = [&](size_t start) {
      std::vector<size_t> seen{start}, work{start};
      while (!work.empty()) {
        size_t file = work.back();
        work.pop_back();
        if (const InitFacts *f = ByFile[file])
          for (size_t target : f->loads)
            if (std::find(seen.begin(), seen.end(), target) == seen.end()) {
              seen.push_back(target);
              work.push_back(target);
            }
      }
      return seen;
    };
    // Modules that were not analyzed may init: they count as an init (precision first).
    auto initsSomewhere = [&](const std::vector<size_t> &files) {
      return std::any_of(files.begin(), files.end(), [&](size_t file) {
        const InitFacts *f = ByFile[file];
        return !f || f->cloudInits || f->cloudUnresolved;
      });
    };
    // A module runs inside the functions whose entry loads it.
    std::vector<std::vector<size_t>> functionClosures;
    for (const CloudFunction &function : Ctx.project.functions) {
      auto entry = Ctx.project.indexByPath.find(function.entry);
      if (entry != Ctx.project.indexByPath.end() && ByFile[entry->second] &&
          ByFile[entry->second]->role == FileRole::Cloud)
        functionClosures.push_back(closure(entry->second));
    }

    for (size_t file : cloud) {
      const InitFacts &f = *ByFile[file];
      if (f.uses.empty() || f.cloudInits)
        continue;
      const CloudFunction *function = Ctx.project.functionOf(file);
      bool inFunction = function != nullptr;
      bool fine = initsSomewhere(closure(file));
      for (const std::vector<size_t> &loaded : functionClosures)
        if (std::find(loaded.begin(), loaded.end(), file) != loaded.end()) {
          inFunction = true;
          fine |= initsSomewhere(loaded);
        }
      // Modules of one function folder share one SDK instance.
      if (function)
        for (size_t other : cloud)
          fine |= Ctx.project.functionOf(other) == function && ByFile[other]->cloudInits;
      // Shared code outside every function (copied in when deploying): its functions decide.
      if (fine || !inFunction)
        continue;
      const CloudUse &use = f.uses.front();
      std::string sdk = f.sdkName.empty() ? "cloud" : f.sdkName;
      DiagnosticBuilder b = Ctx.report(
          at(file, use.begin, use.end), at(file, use.contextBegin, use.contextEnd),
          "cloud-function-no-init",
          {{"api", use.api},
           {"sdk", sdk},
           {"package", f.sdkPackage},
           {"constant", serverSdkOf(f.sdkPackage) == ServerSdk::TcbAdmin ? "SYMBOL_CURRENT_ENV"
                                                                         : "DYNAMIC_CURRENT_ENV"}});
      if (f.hasSdkRequire)
        b.related(at(file, f.sdkBegin, f.sdkEnd),
                  f.sdkPackage + " is loaded here; call " + sdk + ".init(...) right after it.");
    }
  }

  ProjectContext &Ctx;
  std::vector<const InitFacts *> ByFile;
  std::vector<std::vector<std::vector<Resolved>>> ResolvedSteps; // file, unit, step
  std::vector<std::vector<Reach>> ReachOf;                       // file, unit
  std::vector<Reach> AnyReach;                                   // file
};

class MissingCloudInitRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  // App entries must be seen even when they never mention the cloud (an init may hide in a
  // module they import; those are analyzed in a later wave).
  std::vector<std::string_view> triggers() const override {
    return {"cloud", "App", "onLaunch", "wx-server-sdk", "tcb-admin-node"};
  }

  void checkFile(FileContext &ctx) const override {
    auto facts = std::make_unique<InitFacts>();
    facts->role = ctx.role;
    FileSummarizer summarizer(ctx, *facts);
    if (ctx.role == FileRole::Cloud)
      summarizer.summarizeCloud();
    else
      summarizer.summarizeClient();
    // Every analyzed file leaves its summary, even an empty one: a missing summary means "not
    // analyzed", which the project phase must treat as "may init".
    ctx.defer(std::move(facts));
  }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    ProjectDecision(ctx, deferred).run();
  }
};

} // namespace

std::unique_ptr<Rule> createMissingCloudInitRule() {
  return std::make_unique<MissingCloudInitRule>();
}

} // namespace mpauth
