// hardcoded-env (SPEC 3.2): a cloud function must talk to the environment it is deployed in.
//
// File phase: find every init/database/updateConfig call on a server SDK (and wx.cloud.init on
// the client), evaluate its options to an abstract value and keep the ranges a fix needs.
// Project phase: resolve values imported from other files, then classify.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "llvm/ADT/StringExtras.h"

#include <fmt/format.h>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"correctness", "cloudbase", "configuration"};

constexpr MessageTemplate kMessages[] = {
    {"literal",
     "{callee}() hard-codes the environment '{env}': deployed to another environment this "
     "function still reads and writes '{env}'. Use {sdk}.{constant}.",
     "{callee}() 写死了环境 '{env}'：部署到其他环境后，该云函数仍会读写 '{env}'。请使用 "
     "{sdk}.{constant}。"},
    {"literal-member",
     "{callee}() hard-codes the {member} environment '{env}' (env.{member}): deployed to another "
     "environment this function still uses '{env}'. Use {sdk}.{constant}.",
     "{callee}() 在 env.{member} 中写死了环境 '{env}'：部署到其他环境后仍会使用 '{env}'。请使用 "
     "{sdk}.{constant}。"},
    {"event",
     "{callee}() takes its environment from {source}, which the client chooses; the first "
     "caller's choice sticks for the warm instance. Use {sdk}.{constant}.",
     "{callee}() 的环境取自客户端传入的 {source}；首个调用者的选择会在热实例中一直生效。请使用 "
     "{sdk}.{constant}。"},
    {"missing-old-sdk",
     "{callee}() sets no env: with wx-server-sdk {version} (below 4.0.1, from {versionSource}) it "
     "uses the FIRST-created environment, not the one the function is deployed in. Pass "
     "{{ env: {sdk}.DYNAMIC_CURRENT_ENV }}.",
     "{callee}() 未设置 env：wx-server-sdk {version}（低于 4.0.1，见 "
     "{versionSource}）会使用最早创建"
     "的环境，而不是云函数所在的环境。请传入 {{ env: {sdk}.DYNAMIC_CURRENT_ENV }}。"},
    {"missing-ancient-sdk",
     "{callee}() sets no env, and wx-server-sdk {version} (from {versionSource}) predates "
     "DYNAMIC_CURRENT_ENV: it uses the FIRST-created environment. Upgrade wx-server-sdk to 1.1.1 "
     "or later and pass {{ env: {sdk}.DYNAMIC_CURRENT_ENV }}.",
     "{callee}() 未设置 env，且 wx-server-sdk {version}（见 {versionSource}）早于 "
     "DYNAMIC_CURRENT_ENV：它会使用最早创建的环境。请将 wx-server-sdk 升级到 1.1.1 "
     "或更高版本，并传入 "
     "{{ env: {sdk}.DYNAMIC_CURRENT_ENV }}。"},
    {"missing",
     "{callee}() sets no env: wx-server-sdk 4.x uses the current environment, but below 4.0.1 "
     "the FIRST-created one ({versionNote}). Pass {{ env: {sdk}.DYNAMIC_CURRENT_ENV }} to make it "
     "explicit.",
     "{callee}() 未设置 env：wx-server-sdk 4.x 使用当前环境，但 4.0.1 以下会使用最早创建的环境"
     "（{versionNote}）。请显式传入 {{ env: {sdk}.DYNAMIC_CURRENT_ENV }}。"},
    {"missing-node-sdk",
     "{callee}() sets no env; pass {{ env: {sdk}.SYMBOL_CURRENT_ENV }} so that it uses the "
     "environment the function runs in.",
     "{callee}() 未设置 env；请传入 {{ env: {sdk}.SYMBOL_CURRENT_ENV }}，以使用云函数所在的环境。"},
    {"misspelled-key",
     "{callee}() has no 'env' option ('{key}' is not one), so no environment is set. Write "
     "env: {sdk}.{constant}.",
     "{callee}() 没有 'env' 选项（'{key}' 不是有效选项），因此没有设置环境。请写 env: "
     "{sdk}.{constant}。"},
    {"dead-constant",
     "{expression} does not exist in {package}, so env is undefined and no environment is set. "
     "Use {sdk}.{constant}.",
     "{package} 中不存在 {expression}，因此 env 为 undefined，没有设置环境。请使用 "
     "{sdk}.{constant}。"},
    {"client-placeholder",
     "{callee}() uses '{env}', a placeholder left from the documentation, as its environment id; "
     "set the id of your CloudBase environment.",
     "{callee}() 使用了文档中的占位符 '{env}' 作为环境 ID；请填写你的云开发环境 ID。"},
    {"client-dynamic-env",
     "{expression} does not exist on the client (it is a wx-server-sdk constant), so env is "
     "undefined and the default environment is used; pass your environment id.",
     "{expression} 在小程序端不存在（它是 wx-server-sdk 的常量），因此 env 为 undefined，将使用"
     "默认环境；请传入你的环境 ID。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "hardcoded-env",
      .name = "HardcodedEnv",
      .title = "Cloud function not bound to the environment it is deployed in",
      .titleZhCN = "云函数未绑定到其部署所在的环境",
      .description =
          "A cloud function should call cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV }). A literal "
          "environment id (directly, through a constant, or from a config module) ties the "
          "function to one environment: copied to a test or production environment it silently "
          "reads and writes the wrong database. An env taken from the event lets the client "
          "choose it. Without env, wx-server-sdk below 4.0.1 uses the first-created environment. "
          "On the client, a placeholder env id from the documentation and "
          "wx.cloud.DYNAMIC_CURRENT_ENV (which does not exist there) are reported too.",
      .defaultSeverity = Severity::Warning,
      .fix = FixSafety::Safe,
      .precision = Precision::VeryHigh,
      .securitySeverity = "5.0",
      .roles = AppliesToClient | AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("hardcoded-env"),
  };
  return d;
}

enum class Target { ServerSdk, NodeSdk, Client };

// One init/database/updateConfig call, kept tree-free for the project phase.
struct EnvCall : Deferred {
  Target target = Target::ServerSdk;
  std::string callee;      // source text of the callee: "cloud.init"
  std::string sdkName;     // local name of the SDK object for fixes ("cloud"); empty if none
  std::string packageName; // "wx-server-sdk"
  bool isInit = false;
  Location call, context, arguments;
  bool hasArgument = false;
  ValuePtr argument; // the options, unresolved
  // When the options are an object literal written at the call:
  bool literalObject = false;
  Location object;          // the `{...}` node
  bool objectEmpty = false; // `{}`
  Location envValue;        // value node of `env: …`, when present
  std::string envValueText; // its source text
  bool hasEnvKey = false;
  std::string misspelledKey; // e.g. "evn"
  Location misspelledKeyAt;
  uint32_t insertAfterBrace = 0;
  bool spaceAfterBrace = false;
};

bool isPlaceholderEnv(llvm::StringRef env) {
  std::string lower = env.trim().lower();
  llvm::StringRef s(lower);
  if (s.empty())
    return true;
  if (s.find_first_not_of('x') == llvm::StringRef::npos || s.startswith("xxx"))
    return true;
  if (s.startswith("<") || s.startswith("{") || s.startswith("${"))
    return true;
  if (s.contains("your") || s.contains("你的") || s.contains("填") || s.contains("环境id") ||
      s.contains("环境 id"))
    return true;
  return s == "env-id" || s == "env_id" || s == "envid" || s == "my-env-id" || s == "test-env";
}

// Keys that are almost certainly a mistyped `env`.
bool looksLikeMisspelledEnv(llvm::StringRef key) {
  if (key == "env")
    return false;
  std::string lower = key.lower();
  if (lower == "env")
    return true; // ENV, Env
  static constexpr std::string_view kMistakes[] = {
      "evn",        "nev",         "ven",   "enb",    "emv",     "envv",     "ennv",
      "enviroment", "environment", "envid", "env_id", "envname", "env_name", "envs"};
  for (std::string_view m : kMistakes)
    if (lower == m)
      return true;
  return false;
}

class HardcodedEnvRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  std::vector<std::string_view> triggers() const override {
    return {"init", "database", "updateConfig"};
  }

  void checkFile(FileContext &ctx) const override {
    std::string_view src = ctx.text();
    for (Node n : nodesOfTypes(ctx.semantics.root(), {"call_expression"}))
      inspectCall(ctx, n, src);
  }

  void checkProject(ProjectContext &ctx,
                    const std::vector<const Deferred *> &deferred) const override {
    for (const Deferred *d : deferred)
      classify(ctx, static_cast<const EnvCall &>(*d));
  }

private:
  static void inspectCall(FileContext &ctx, Node call, std::string_view src) {
    Node callee = unwrapExpression(call.field("function"));
    std::string_view method;
    if (callee.is("member_expression"))
      method = callee.field("property").text(src);
    else if (callee.is("identifier"))
      method = callee.text(src);
    if (method != "init" && method != "database" && method != "updateConfig")
      return;

    ValuePtr target = ctx.semantics.evaluate(callee);
    auto call_ = std::make_unique<EnvCall>();
    EnvCall &c = *call_;
    if (target->is(Value::Kind::Module) && target->path.size() == 1 &&
        serverSdkOf(target->text) != ServerSdk::None) {
      ServerSdk sdk = serverSdkOf(target->text);
      c.target = sdk == ServerSdk::WxServerSdk ? Target::ServerSdk : Target::NodeSdk;
      if (c.target == Target::NodeSdk && method != "init")
        return;
      if (ctx.role == FileRole::Client)
        return;
      c.packageName = target->text;
    } else if (method == "init" && isClientCloud(*target)) {
      if (ctx.role != FileRole::Client)
        return;
      c.target = Target::Client;
      c.packageName = "wx.cloud";
    } else {
      return;
    }

    c.callee = std::string(callee.text(src));
    c.isInit = method == "init";
    c.sdkName = sdkLocalName(ctx, callee, target->text, src);
    c.call = ctx.locationOf(call);
    c.context = ctx.locationOf(enclosingStatement(call));
    Node args = call.field("arguments");
    c.arguments = ctx.locationOf(args);
    Node first;
    for (Node a : args.namedChildren())
      if (!a.is("comment")) {
        first = a;
        break;
      }
    c.hasArgument = !first.isNull();
    if (first) {
      c.argument = ctx.semantics.evaluate(first);
      Node object = unwrapExpression(first);
      if (object.is("object")) {
        c.literalObject = true;
        c.object = ctx.locationOf(object);
        c.objectEmpty = object.namedChildCount() == 0;
        c.insertAfterBrace = object.begin() + 1;
        c.spaceAfterBrace = object.begin() + 1 < src.size() && src[object.begin() + 1] == ' ';
        for (Node member : object.namedChildren()) {
          Node key = member.is("pair") ? member.field("key") : member;
          std::string name =
              key.is("property_identifier") || key.is("shorthand_property_identifier")
                  ? std::string(key.text(src))
                  : stringValue(key, src).value_or("");
          if (name == "env") {
            c.hasEnvKey = true;
            Node value = member.is("pair") ? member.field("value") : member;
            c.envValue = ctx.locationOf(value);
            c.envValueText = std::string(value.text(src));
          } else if (looksLikeMisspelledEnv(name) && c.misspelledKey.empty()) {
            c.misspelledKey = name;
            c.misspelledKeyAt = ctx.locationOf(key);
          }
        }
      }
    }
    ctx.defer(std::move(call_));
  }

  static bool isClientCloud(const Value &v) {
    if (v.is(Value::Kind::Global) && (v.text == "wx" || v.text == "Taro") &&
        v.pathIs({"cloud", "init"}))
      return true;
    return v.is(Value::Kind::Module) && v.text == "@tarojs/taro" && v.pathIs({"cloud", "init"});
  }

  // The local name the fix can use for the SDK object: the callee's object when it is a plain
  // identifier bound to the package, else any module-scope binding of the package.
  static std::string sdkLocalName(FileContext &ctx, Node callee, const std::string &package,
                                  std::string_view src) {
    if (callee.is("member_expression")) {
      Node object = unwrapExpression(callee.field("object"));
      if (object.is("identifier") || object.is("member_expression"))
        return std::string(object.text(src));
    }
    for (const Binding &b : ctx.semantics.bindings()) {
      if (b.scope != 0)
        continue;
      ValuePtr v = ctx.semantics.evaluate(b.id);
      if (v->is(Value::Kind::Module) && v->text == package && v->path.empty())
        return b.name;
    }
    return {};
  }

  static std::string constantFor(const EnvCall &c) {
    return c.target == Target::NodeSdk ? "SYMBOL_CURRENT_ENV" : "DYNAMIC_CURRENT_ENV";
  }

  static bool isCurrentEnvConstant(const Value &v) {
    if (v.is(Value::Kind::Module) && serverSdkOf(v.text) != ServerSdk::None)
      return v.pathIs({"DYNAMIC_CURRENT_ENV"}) || v.pathIs({"SYMBOL_CURRENT_ENV"});
    if (v.is(Value::Kind::Global) && v.text == "process")
      return v.pathIs({"env", "TCB_ENV"}) || v.pathIs({"env", "SCF_NAMESPACE"});
    return false;
  }

  static std::string valueExpression(const Value &v) {
    std::string out = v.is(Value::Kind::Global)       ? v.text
                      : v.is(Value::Kind::EventField) ? "event"
                                                      : "";
    if (v.is(Value::Kind::Module))
      out = v.text;
    for (const std::string &p : v.path)
      out += "." + p;
    return out;
  }

  void classify(ProjectContext &ctx, const EnvCall &c) const {
    if (c.target == Target::Client)
      return classifyClient(ctx, c);

    MessageArgs base = {{"callee", c.callee},
                        {"sdk", c.sdkName.empty() ? std::string("cloud") : c.sdkName},
                        {"constant", constantFor(c)},
                        {"package", c.packageName}};
    auto args = [&](MessageArgs extra) {
      MessageArgs all = base;
      all.insert(all.end(), extra.begin(), extra.end());
      return all;
    };
    // No DYNAMIC_CURRENT_ENV below wx-server-sdk 1.1.1: a fix would not run there.
    const CloudFunction *function = ctx.project.functionOf(c.file);
    bool predatesConstant =
        c.target == Target::ServerSdk && function && function->wxServerSdk.knownBelow111();
    std::string replacement =
        c.sdkName.empty() || predatesConstant ? std::string() : c.sdkName + "." + constantFor(c);
    auto replaceValueFix = [&](DiagnosticBuilder &b, Location at) {
      if (!replacement.empty())
        b.fix("Use " + replacement, {TextEdit{at, replacement}});
    };

    if (!c.hasArgument) {
      if (!c.isInit)
        return; // cloud.database() inherits the env of init
      return reportMissing(ctx, c, args, c.call, replacement);
    }

    ValuePtr options = ctx.modules.resolve(c.argument);
    if (!options->is(Value::Kind::Object))
      return; // built at run time or unknown: nothing we can say
    ValuePtr env = options->field("env");
    if (!env) {
      if (options->open)
        return;
      if (!c.misspelledKey.empty()) {
        auto b = ctx.report(c.misspelledKeyAt, c.context, "misspelled-key",
                            args({{"key", c.misspelledKey}}));
        b.severity(Severity::Warning);
        return;
      }
      if (!c.isInit)
        return; // database({}) inherits init's env
      return reportMissing(ctx, c, args, c.literalObject ? c.object : c.call, replacement);
    }

    env = ctx.modules.resolve(env);
    Location at = c.hasEnvKey ? c.envValue : c.call;
    switch (env->kind) {
    case Value::Kind::String: {
      if (env->text.empty()) {
        if (!c.isInit)
          return;
        return reportMissing(ctx, c, args, at, replacement);
      }
      auto b = ctx.report(at, c.context, "literal", args({{"env", env->text}}));
      noteDefinition(b, c, *env);
      if (c.hasEnvKey)
        replaceValueFix(b, c.envValue);
      return;
    }
    case Value::Kind::Undefined:
    case Value::Kind::Null:
      if (!c.isInit)
        return;
      return reportMissing(ctx, c, args, at, replacement);
    case Value::Kind::Object: {
      for (const char *member : {"database", "functions", "storage"}) {
        ValuePtr v = env->field(member);
        if (!v)
          continue;
        v = ctx.modules.resolve(v);
        if (v->is(Value::Kind::String) && !v->text.empty()) {
          auto b = ctx.report(at, c.context, "literal-member",
                              args({{"env", v->text}, {"member", member}}));
          noteDefinition(b, c, *v);
          if (c.hasEnvKey)
            replaceValueFix(b, c.envValue);
          return;
        }
      }
      return;
    }
    case Value::Kind::EventField: {
      auto b = ctx.report(at, c.context, "event", args({{"source", valueExpression(*env)}}));
      if (c.hasEnvKey)
        replaceValueFix(b, c.envValue);
      return;
    }
    case Value::Kind::Module: {
      if (isCurrentEnvConstant(*env) || serverSdkOf(env->text) == ServerSdk::None ||
          env->path.size() != 1)
        return;
      // A member of the SDK that is not a constant it exports: env is undefined.
      std::string expr = c.hasEnvKey ? c.envValueText : valueExpression(*env);
      auto b = ctx.report(at, c.context, "dead-constant", args({{"expression", expr}}));
      b.severity(Severity::Warning);
      if (c.hasEnvKey)
        replaceValueFix(b, c.envValue);
      return;
    }
    default:
      return; // process.env.*, parameters, values computed at run time
    }
  }

  template <typename Args>
  void reportMissing(ProjectContext &ctx, const EnvCall &c, Args &&args, Location at,
                     const std::string &replacement) const {
    std::vector<TextEdit> edits;
    if (!replacement.empty()) {
      std::string option = "env: " + replacement;
      if (!c.hasArgument) {
        edits.push_back({c.arguments, "({ " + option + " })"});
      } else if (c.literalObject && c.objectEmpty) {
        edits.push_back({c.object, "{ " + option + " }"});
      } else if (c.literalObject && !c.hasEnvKey) {
        Location insert{c.object.file, c.insertAfterBrace, c.insertAfterBrace};
        edits.push_back({insert, c.spaceAfterBrace ? " " + option + "," : option + ", "});
      } else if (c.hasEnvKey) {
        edits.push_back({c.envValue, replacement});
      }
    }
    if (c.target == Target::NodeSdk) {
      auto b = ctx.report(at, c.context, "missing-node-sdk", args({}));
      b.severity(Severity::Note);
      if (!edits.empty())
        b.fix("Pass env: " + replacement, std::move(edits));
      return;
    }
    const CloudFunction *function = ctx.project.functionOf(c.file);
    SdkVersionInfo info = function ? function->wxServerSdk : SdkVersionInfo{};
    std::string version = info.spec.empty() ? "unknown" : info.spec;
    if (info.kind == SdkVersionInfo::Kind::Exact)
      version = fmt::format("{}.{}.{}", info.version.major, info.version.minor, info.version.patch);
    if (info.knownBelow111()) {
      auto b = ctx.report(at, c.context, "missing-ancient-sdk",
                          args({{"version", version}, {"versionSource", info.source}}));
      b.severity(Severity::Warning);
      return; // no DYNAMIC_CURRENT_ENV in this SDK: no fix
    }
    if (info.knownBelow4()) {
      auto b = ctx.report(at, c.context, "missing-old-sdk",
                          args({{"version", version}, {"versionSource", info.source}}));
      b.severity(Severity::Warning);
      if (!edits.empty())
        b.fix("Pass env: " + replacement, std::move(edits));
      return;
    }
    std::string note;
    switch (info.kind) {
    case SdkVersionInfo::Kind::Latest:
      note = "this function asks for wx-server-sdk " + (info.spec.empty() ? "latest" : info.spec);
      break;
    case SdkVersionInfo::Kind::Exact:
      note = "this function uses wx-server-sdk " + version;
      break;
    default:
      note = "the version this function uses is unknown";
      break;
    }
    auto b = ctx.report(at, c.context, "missing", args({{"versionNote", note}}));
    b.severity(Severity::Note);
    if (!edits.empty())
      b.fix("Pass env: " + replacement, std::move(edits));
  }

  static void noteDefinition(DiagnosticBuilder &b, const EnvCall &c, const Value &literal) {
    const Origin &o = literal.origin;
    if (!o.valid())
      return;
    bool atCall =
        static_cast<size_t>(o.file) == c.file && o.begin >= c.call.begin && o.end <= c.call.end;
    if (!atCall)
      b.related(Location{static_cast<uint32_t>(o.file), o.begin, o.end},
                "The environment id is defined here.");
  }

  void classifyClient(ProjectContext &ctx, const EnvCall &c) const {
    if (!c.hasArgument)
      return; // no env: the default environment, a documented choice
    ValuePtr options = ctx.modules.resolve(c.argument);
    if (!options->is(Value::Kind::Object))
      return;
    ValuePtr env = options->field("env");
    if (!env)
      return;
    env = ctx.modules.resolve(env);
    Location at = c.hasEnvKey ? c.envValue : c.call;
    if (env->is(Value::Kind::String) && isPlaceholderEnv(env->text)) {
      auto b = ctx.report(at, c.context, "client-placeholder",
                          {{"callee", c.callee}, {"env", env->text}});
      noteDefinition(b, c, *env);
      return;
    }
    bool dynamicEnv = env->is(Value::Kind::Global) && (env->text == "wx" || env->text == "Taro") &&
                      env->pathIs({"cloud", "DYNAMIC_CURRENT_ENV"});
    dynamicEnv |= env->is(Value::Kind::Module) && env->text == "@tarojs/taro" &&
                  env->pathIs({"cloud", "DYNAMIC_CURRENT_ENV"});
    if (dynamicEnv)
      ctx.report(at, c.context, "client-dynamic-env",
                 {{"callee", c.callee},
                  {"expression", c.hasEnvKey ? c.envValueText : valueExpression(*env)}});
  }
};

} // namespace

std::unique_ptr<Rule> createHardcodedEnvRule() {
  return std::make_unique<HardcodedEnvRule>();
}

} // namespace mpauth
