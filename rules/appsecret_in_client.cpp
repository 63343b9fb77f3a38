// appsecret-in-client (SPEC 3.9): a secret that reaches the client.
//
// In client code (files of role client): a `wx.request` (Taro, uni) to
// api.weixin.qq.com/sns/jscode2session — which needs the AppSecret and returns the session_key —
// a 32-hex-digit literal bound to a secret-named key or variable, and a URL with a
// `secret=<32 hex>` parameter. A bare 32-hex string is not enough (document ids and md5 hashes
// look the same), and comments are not code.
// In cloud functions: the response (what a handler returns, `ctx.body` in tcb-router routes,
// see Responses.h) carrying a session_key — from a jscode2session HTTP call, whole or as a
// field, or any field named session_key — the function's own credentials
// (process.env.TENCENTCLOUD_SECRETID / SECRETKEY / SESSIONTOKEN, or the whole process.env), or
// an AppSecret. A Node backend outside the client root (role other) is not looked at: calling
// jscode2session is its job. Everything is decided in the file phase.
#include "rules/Registry.h"
#include "rules/Rule.h"

#include "analyzer/semantics/Reachability.h"
#include "analyzer/semantics/Responses.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

namespace mpauth {
namespace {

constexpr std::string_view kTags[] = {"security", "secrets", "authentication",
                                      "external/cwe/cwe-798"};

constexpr MessageTemplate kMessages[] = {
    {"jscode2session-request",
     "{callee}() calls jscode2session from the mini program: it needs the AppSecret, which then "
     "ships inside the client for anyone to read, and it hands out the session_key. Call it from "
     "a cloud function or your server, or read the OPENID from cloud.getWXContext().",
     "{callee}() 在小程序端调用了 jscode2session：该接口需要 AppSecret，于是 AppSecret "
     "随客户端代码一起发布，任何人都能读到，且该接口会下发 session_key。请在云函数或自己的服务器上"
     "调用，或在云函数中通过 cloud.getWXContext() 获取 OPENID。"},
    {"secret-literal",
     "'{name}' holds what looks like an AppSecret (32 hex digits) in client code: anyone can "
     "unpack the mini program and read it. Keep the secret on the server and reset it in the "
     "WeChat Official Accounts Platform.",
     "客户端代码中的 '{name}' 保存着疑似 AppSecret 的值（32 "
     "位十六进制）：任何人解包小程序都能读到。"
     "请把密钥只放在服务端，并在微信公众平台重置 AppSecret。"},
    {"secret-in-url",
     "This URL carries a secret ({parameter}=…, 32 hex digits) in client code: anyone can unpack "
     "the mini program and read it. Make the request from the server and reset the secret.",
     "客户端代码中的这个 URL 携带了密钥（{parameter}=…，32 位十六进制）：任何人解包小程序都能读到。"
     "请改由服务端发起请求，并重置该密钥。"},
    {"returns-session-key",
     "{what} is {how} and reaches the client: the session_key decrypts the user's data and "
     "signs requests on their behalf, and must stay on the server. Return only what the client "
     "needs (the openid, a token of your own).",
     "{what} 会作为云函数的响应到达客户端：session_key "
     "可以解密用户数据并代表用户签名请求，必须只留在服务端。"
     "请只返回客户端需要的内容（openid、你自己的登录态 token）。"},
    {"returns-credentials",
     "{what} is {how} and reaches the client: these are the function's own Tencent Cloud "
     "credentials, with which anyone can call cloud APIs as this function. Never return them.",
     "{what} "
     "会作为云函数的响应到达客户端：这是云函数自身的腾讯云临时密钥，拿到它的人可以以该云函数的身份"
     "调用云 API。切勿返回。"},
    {"returns-appsecret",
     "'{name}', an AppSecret (32 hex digits), is {how} and reaches the client: anyone can read "
     "it from the response. Keep it on the server and reset it.",
     "AppSecret '{name}'（32 位十六进制）会作为云函数的响应到达客户端：任何人都能从响应中读到。"
     "请只在服务端使用，并重置该密钥。"},
};

const RuleDescriptor &descriptorOf() {
  static const RuleDescriptor d{
      .id = "appsecret-in-client",
      .name = "AppsecretInClient",
      .title = "Secret that reaches the client",
      .titleZhCN = "密钥泄露到客户端",
      .description =
          "The AppSecret, the session_key and a cloud function's own credentials must never "
          "reach the mini program: anyone can unpack it or read a response. Reported in client "
          "code: a wx.request (also Taro and uni) to api.weixin.qq.com/sns/jscode2session, a "
          "32-hex-digit literal bound to a secret-named key or variable, a URL with a secret= "
          "parameter. Reported in cloud functions: a response carrying a session_key (from a "
          "jscode2session call, or a field named session_key), the function's credentials "
          "(process.env.TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY, "
          "TENCENTCLOUD_SESSIONTOKEN) or an AppSecret. A Node backend outside the client root may "
          "call jscode2session and is not reported.",
      .defaultSeverity = Severity::Error,
      .fix = FixSafety::None,
      .precision = Precision::VeryHigh,
      .securitySeverity = "9.1",
      .roles = AppliesToClient | AppliesToCloud,
      .tags = kTags,
      .messages = kMessages,
      .helpMarkdown = embeddedRuleDoc("appsecret-in-client"),
  };
  return d;
}

constexpr std::string_view kJscode2session = "api.weixin.qq.com/sns/jscode2session";

bool isHex32(std::string_view s) {
  if (s.size() != 32)
    return false;
  for (char c : s)
    if (!llvm::isHexDigit(c))
      return false;
  return true;
}

bool isSecretName(std::string_view name) {
  return llvm::StringRef(name.data(), name.size()).contains_insensitive("secret");
}

bool isSessionKeyName(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '_' && c != '-')
      n.push_back(static_cast<char>(llvm::toLower(c)));
  return n == "sessionkey";
}

// `secret=<32 hex>` (or `appsecret=`, `app_secret=`) in a URL: the parameter name, else "".
std::string secretParameterIn(std::string_view text) {
  llvm::StringRef s(text.data(), text.size());
  for (size_t at = s.find('='); at != llvm::StringRef::npos; at = s.find('=', at + 1)) {
    size_t begin = at;
    while (begin > 0 && (llvm::isAlnum(s[begin - 1]) || s[begin - 1] == '_'))
      --begin;
    llvm::StringRef name = s.slice(begin, at);
    if (!isSecretName(name) || (begin > 0 && s[begin - 1] != '?' && s[begin - 1] != '&'))
      continue;
    llvm::StringRef value = s.substr(at + 1, 33);
    llvm::StringRef hex = value.take_while([](char c) { return llvm::isHexDigit(c); });
    if (hex.size() == 32)
      return name.str();
  }
  return {};
}

// The text an expression is known to build, with '\x01' for the parts that are not known:
// literals, templates (substitutions resolved when constant), `+` concatenation, constants.
std::string staticText(const ModuleSemantics &semantics, Node e, unsigned depth = 0) {
  e = unwrapExpression(e);
  if (e.isNull() || depth > 8)
    return "\x01";
  std::string_view src = semantics.source();
  if (e.is("string"))
    return stringValue(e, src).value_or("\x01");
  if (e.is("template_string")) {
    std::string out;
    for (Node part : e.children()) {
      if (part.is("string_fragment") || part.is("escape_sequence")) {
        out += part.text(src);
      } else if (part.is("template_substitution")) {
        out += staticText(semantics, part.namedChild(0), depth + 1);
      }
    }
    return out;
  }
  if (e.is("binary_expression") && e.field("operator").text(src) == "+")
    return staticText(semantics, e.field("left"), depth + 1) +
           staticText(semantics, e.field("right"), depth + 1);
  if (e.is("identifier"))
    if (const Binding *b = semantics.resolve(e);
        b && b->path.empty() && b->init && b->kind != BindingKind::Param &&
        (b->kind == BindingKind::Const || b->writes == 0) && !b->init.contains(e))
      return staticText(semantics, b->init, depth + 1);
  ValuePtr v = semantics.evaluate(e);
  return v->is(Value::Kind::String) ? v->text : std::string("\x01");
}

Node firstArgument(Node call) {
  for (Node a : call.field("arguments").namedChildren())
    if (!a.is("comment"))
      return a;
  return Node();
}

std::string keyOf(Node pair, std::string_view src) {
  Node key = pair.field("key");
  if (key.is("property_identifier"))
    return std::string(key.text(src));
  return stringValue(key, src).value_or("");
}

// The value node of `key` in an object literal (`{ url: … }`), or null.
Node propertyValue(Node object, std::string_view key, std::string_view src) {
  for (Node member : object.namedChildren()) {
    if (member.is("pair") && keyOf(member, src) == key)
      return member.field("value");
    if (member.is("shorthand_property_identifier") && member.text(src) == key)
      return member;
  }
  return Node();
}

// The URL an HTTP call is given: its first argument, or the `url` / `uri` of an options object.
Node urlArgument(const ModuleSemantics &semantics, Node call) {
  Node first = unwrapExpression(firstArgument(call));
  Node object = first;
  if (object.is("identifier"))
    if (const Binding *b = semantics.resolve(object);
        b && b->path.empty() && b->init && (b->kind == BindingKind::Const || b->writes == 0))
      object = unwrapExpression(b->init);
  if (object.is("object")) {
    std::string_view src = semantics.source();
    if (Node url = propertyValue(object, "url", src))
      return url;
    return propertyValue(object, "uri", src);
  }
  return first;
}

class AppsecretInClientRule final : public Rule {
public:
  const RuleDescriptor &descriptor() const override { return descriptorOf(); }
  std::vector<std::string_view> triggers() const override {
    return {"jscode2session", "ecret",         "ECRET",      "session_key",
            "essionKey",      "TENCENTCLOUD_", "process.env"};
  }

  void checkFile(FileContext &ctx) const override {
    if (ctx.role == FileRole::Client)
      checkClient(ctx);
    else if (ctx.role == FileRole::Cloud)
      CloudResponses(ctx).run();
  }

private:
  // --- client ----------------------------------------------------------------------------------

  static void checkClient(FileContext &ctx) {
    const ModuleSemantics &sem = ctx.semantics;
    std::string_view src = ctx.text();
    std::set<uint32_t> reported;
    auto reportSecret = [&](Node value, std::string_view name) {
      if (!reported.insert(value.begin()).second || isUnreachable(value))
        return;
      ctx.report(value, "secret-literal", {{"name", std::string(name)}});
    };
    auto literalSecret = [&](Node value) {
      auto s = stringValue(unwrapExpression(value), src);
      return s && isHex32(*s);
    };
    walk(sem.root(), [&](Node n) {
      std::string_view t = n.type();
      if (t == "call_expression") {
        checkRequest(ctx, n);
      } else if (t == "variable_declarator") {
        Node name = n.field("name");
        if (name.is("identifier") && isSecretName(name.text(src)) &&
            literalSecret(n.field("value")))
          reportSecret(unwrapExpression(n.field("value")), name.text(src));
      } else if (t == "pair") {
        std::string key = keyOf(n, src);
        Node value = unwrapExpression(n.field("value"));
        if (!isSecretName(key))
          return true;
        if (literalSecret(value)) {
          reportSecret(value, key);
        } else if (value.is("identifier") || value.is("member_expression")) {
          // `{ secret: APP_KEY }` with a constant of 32 hex digits written in this file.
          ValuePtr v = sem.evaluate(value);
          if (v->is(Value::Kind::String) && isHex32(v->text) && v->origin.file == sem.fileIndex())
            if (!reported.count(v->origin.begin))
              reportSecret(value, key);
        }
      } else if (t == "assignment_expression") {
        Node left = unwrapExpression(n.field("left"));
        Node name = left.is("member_expression") ? left.field("property") : left;
        if ((name.is("identifier") || name.is("property_identifier")) &&
            isSecretName(name.text(src)) && literalSecret(n.field("right")))
          reportSecret(unwrapExpression(n.field("right")), name.text(src));
      } else if (t == "field_definition" || t == "public_field_definition") {
        Node name = n.field("property") ? n.field("property") : n.field("name");
        if (isSecretName(name.text(src)) && literalSecret(n.field("value")))
          reportSecret(unwrapExpression(n.field("value")), name.text(src));
      } else if (t == "string" || t == "template_string") {
        // The literal text only: a constant spliced in (`secret=${APP_SECRET}`) is reported
        // where it is written.
        std::string text;
        if (n.is("string")) {
          text = stringValue(n, src).value_or("");
        } else {
          for (Node part : n.children())
            text += part.is("template_substitution") ? std::string_view("\x01") : part.text(src);
        }
        if (std::string parameter = secretParameterIn(text);
            !parameter.empty() && !reported.count(n.begin()) && !isUnreachable(n)) {
          reported.insert(n.begin());
          ctx.report(n, "secret-in-url", {{"parameter", parameter}});
        }
        return false;
      }
      return true;
    });
  }

  // wx.request / Taro.request / uni.request to jscode2session.
  static void checkRequest(FileContext &ctx, Node call) {
    const ModuleSemantics &sem = ctx.semantics;
    Node callee = unwrapExpression(call.field("function"));
    ValuePtr f = sem.evaluate(callee);
    bool request = false;
    if (f->is(Value::Kind::Global) && (f->text == "wx" || f->text == "Taro" || f->text == "uni"))
      request = f->pathIs({"request"});
    else if (f->is(Value::Kind::Module) && f->text == "@tarojs/taro")
      request = f->pathIs({"request"});
    if (!request)
      return;
    Node url = urlArgument(sem, call);
    if (url.isNull())
      return;
    std::string text = staticText(sem, url);
    if (text.find(kJscode2session) == std::string::npos || isUnreachable(call))
      return;
    bool urlAtCall = call.contains(url);
    auto b = ctx.report(urlAtCall ? url : call, "jscode2session-request",
                        {{"callee", std::string(callee.text(ctx.text()))}});
    if (!urlAtCall)
      b.related(ctx.locationOf(url), "The URL is written here.");
    ValuePtr v = sem.evaluate(url);
    if (v->is(Value::Kind::String) && v->origin.valid() &&
        (v->origin.begin < url.begin() || v->origin.end > url.end()))
      b.related(Location{static_cast<uint32_t>(v->origin.file), v->origin.begin, v->origin.end},
                "The URL is defined here.");
  }

  // --- cloud responses -------------------------------------------------------------------------

  // What a part of a response carries: a jscode2session payload (whole), its session_key, the
  // function's credentials, an AppSecret.
  enum class Carries : uint8_t { Nothing, Payload, SessionKey, Credentials, AppSecret };
  struct Finding {
    Carries kind = Carries::Nothing;
    Node at;
    std::string name; // what is returned: "res.data", "session_key", "TENCENTCLOUD_SECRETKEY"
    Node producer;    // the jscode2session call
  };

  class CloudResponses {
  public:
    explicit CloudResponses(FileContext &ctx) : Ctx(ctx), Sem(ctx.semantics), Src(ctx.text()) {}

    void run() {
      std::vector<ResponseExpression> responses = responseExpressions(Sem);
      if (responses.empty())
        return;
      findProducers();
      std::set<uint32_t> reported;
      for (const ResponseExpression &r : responses) {
        std::vector<Finding> findings;
        inspect(r.expression, findings);
        for (const Finding &f : findings) {
          // A helper that returns the whole payload makes its calls payloads too: the
          // handler's `return helper()` is the finding.
          if (!Sem.isHandler(r.function) && f.kind == Carries::Payload &&
              Producers.count(unwrapExpression(f.at).raw().id) && !isRouteBody(r))
            continue;
          if (!reported.insert(f.at.begin()).second || isUnreachable(f.at))
            continue;
          report(f, r);
        }
      }
    }

  private:
    static bool isRouteBody(const ResponseExpression &r) {
      return r.expression.parent().is("assignment_expression");
    }

    void report(const Finding &f, const ResponseExpression &r) {
      switch (f.kind) {
      case Carries::Payload:
      case Carries::SessionKey: {
        auto b = Ctx.report(f.at, "returns-session-key", {{"what", f.name}, {"how", r.how}});
        if (f.producer)
          b.related(Ctx.locationOf(f.producer), "The jscode2session call that returns it.");
        return;
      }
      case Carries::Credentials:
        Ctx.report(f.at, "returns-credentials", {{"what", f.name}, {"how", r.how}});
        return;
      case Carries::AppSecret:
        Ctx.report(f.at, "returns-appsecret", {{"name", f.name}, {"how", r.how}});
        return;
      case Carries::Nothing:
        return;
      }
    }

    // Calls given a jscode2session URL (any HTTP client: axios, got, request, a local helper),
    // and every place their result flows to in this file.
    void findProducers() {
      if (Src.find("jscode2session") == std::string_view::npos)
        return;
      std::vector<std::pair<Node, Node>> work; // (node yielding the payload, the call)
      for (Node n : nodesOfTypes(Sem.root(), {"call_expression"})) {
        Node url = urlArgument(Sem, n);
        if (url && staticText(Sem, url).find("/sns/jscode2session") != std::string::npos) {
          work.push_back({n, n});
          // Callback style: request(url, (err, res, body) => …).
          for (Node a : n.field("arguments").namedChildren()) {
            Node fn = unwrapExpression(a);
            if (!isFunctionNode(fn))
              continue;
            for (const Binding &b : Sem.bindings())
              if (b.kind == BindingKind::Param && b.function == fn && b.paramIndex >= 1)
                Holders[&b] = {n, {}};
          }
        }
      }
      for (size_t i = 0; i < work.size() && i < 64; ++i)
        follow(work[i].first, work[i].second, work);
    }

    // From a node that yields the payload up to where it is stored.
    void follow(Node node, Node call, std::vector<std::pair<Node, Node>> &work) {
      Producers[node.raw().id] = call;
      std::vector<std::string> path;
      Node cur = node;
      for (int guard = 0; guard < 32; ++guard) {
        Node parent = cur.parent();
        std::string_view t = parent.type();
        if (t == "await_expression" || t == "parenthesized_expression") {
          cur = parent;
          continue;
        }
        if (t == "member_expression" && parent.field("object") == cur) {
          std::string_view property = parent.field("property").text(Src);
          Node grand = parent.parent();
          if (property == "then" && grand.is("call_expression") &&
              grand.field("function") == parent) {
            Node callback = unwrapExpression(firstArgument(grand));
            if (!isFunctionNode(callback))
              return;
            for (const Binding &b : Sem.bindings())
              if (b.kind == BindingKind::Param && b.function == callback && b.paramIndex == 0)
                Holders[&b] = {call, path};
            bool carries = false;
            for (Node e : Sem.returnedExpressions(callback))
              carries |= classify(e, 0).kind != Carries::Nothing;
            if (!carries)
              return;
            Producers[grand.raw().id] = call;
            cur = grand;
            path.clear();
            continue;
          }
          // got(url).json(), (await fetch(url)).json(): the body, parsed.
          if ((property == "json" || property == "text") && grand.is("call_expression") &&
              grand.field("function") == parent && path.empty()) {
            Producers[grand.raw().id] = call;
            cur = grand;
            continue;
          }
          path.emplace_back(property);
          cur = parent;
          continue;
        }
        if (t == "arguments") {
          Node outer = parent.parent();
          Node callee = unwrapExpression(outer.field("function"));
          if (callee.text(Src) == "JSON.parse") {
            cur = outer;
            continue;
          }
          // resolve(payload) inside `new Promise((resolve) => …)`.
          if (callee.is("identifier"))
            if (const Binding *b = Sem.resolve(callee);
                b && b->kind == BindingKind::Param && b->paramIndex == 0 && b->function) {
              Node executorArgs = b->function.parent();
              Node promise = executorArgs.parent();
              if (executorArgs.is("arguments") && promise.is("new_expression") &&
                  promise.field("constructor").text(Src) == "Promise" && path.empty()) {
                work.push_back({promise, call});
                return;
              }
            }
          return;
        }
        if (t == "variable_declarator" && parent.field("value") == cur) {
          for (const Binding &b : Sem.bindings())
            if (b.init == cur && (b.kind == BindingKind::Const || b.writes == 0)) {
              std::vector<std::string> p = path;
              p.insert(p.end(), b.path.begin(), b.path.end());
              Holders[&b] = {call, p};
            }
          return;
        }
        if (t == "assignment_expression" && parent.field("right") == cur) {
          Node left = unwrapExpression(parent.field("left"));
          if (left.is("identifier"))
            if (const Binding *b = Sem.resolve(left))
              Holders[b] = {call, path};
          return;
        }
        if (t == "return_statement" || (isFunctionNode(parent) && parent.field("body") == cur)) {
          if (!path.empty())
            return;
          Node function = t == "return_statement" ? Sem.enclosingFunction(parent) : parent;
          if (function.isNull() || Sem.isHandler(function))
            return;
          for (Node c : Sem.callsOf(function))
            work.push_back({c, call});
          return;
        }
        return;
      }
    }

    // What an expression carries, as far as this file tells.
    Finding classify(Node node, unsigned depth) {
      Finding none;
      Node e = unwrapExpression(node);
      if (e.isNull() || depth > 12)
        return none;
      if (e.is("await_expression"))
        return classify(e.namedChild(0), depth + 1);
      if (auto it = Producers.find(e.raw().id); it != Producers.end())
        return {Carries::Payload, e, std::string(e.text(Src)), it->second};
      if (e.is("identifier") || e.is("shorthand_property_identifier")) {
        const Binding *b = Sem.resolve(e);
        if (!b)
          return none;
        if (auto it = Holders.find(b); it != Holders.end())
          return atPath(e, it->second.path, it->second.call);
        if (b->kind == BindingKind::Param || !b->path.empty() || b->init.isNull() ||
            (b->kind != BindingKind::Const && b->writes > 0))
          return credentialsOrSecret(e);
        Finding inner = classify(b->init, depth + 1);
        if (inner.kind != Carries::Nothing)
          return {inner.kind, e, std::string(e.text(Src)), inner.producer};
        return credentialsOrSecret(e);
      }
      if (e.is("member_expression") || e.is("subscript_expression")) {
        // A chain of members on a holder or a producer: res.data.session_key.
        std::vector<std::string> members;
        Node base = e;
        while (base.is("member_expression") || base.is("subscript_expression")) {
          if (base.is("member_expression")) {
            members.emplace_back(base.field("property").text(Src));
          } else {
            auto key = stringValue(unwrapExpression(base.field("index")), Src);
            members.push_back(key ? *key : "[]");
          }
          base = unwrapExpression(base.field("object"));
          if (base.is("await_expression"))
            base = unwrapExpression(base.namedChild(0));
        }
        std::reverse(members.begin(), members.end());
        if (!members.empty() && isSessionKeyName(members.back()))
          return {Carries::SessionKey, e, std::string(e.text(Src)), producerOf(base)};
        if (auto it = Producers.find(base.raw().id); it != Producers.end())
          return atPath(e, members, it->second);
        if (base.is("identifier"))
          if (const Binding *b = Sem.resolve(base))
            if (auto it = Holders.find(b); it != Holders.end()) {
              std::vector<std::string> p = it->second.path;
              p.insert(p.end(), members.begin(), members.end());
              return atPath(e, p, it->second.call);
            }
        return credentialsOrSecret(e);
      }
      if (e.is("call_expression")) {
        Node callee = unwrapExpression(e.field("function"));
        if (callee.text(Src) == "JSON.parse")
          return classify(firstArgument(e), depth + 1);
        return none;
      }
      if (e.is("ternary_expression")) {
        Finding f = classify(e.field("consequence"), depth + 1);
        return f.kind != Carries::Nothing ? f : classify(e.field("alternative"), depth + 1);
      }
      if (e.is("binary_expression")) {
        std::string_view op = e.field("operator").text(Src);
        if (op != "||" && op != "??" && op != "&&")
          return none;
        Finding f = classify(e.field("right"), depth + 1);
        return f.kind != Carries::Nothing || op == "&&" ? f : classify(e.field("left"), depth + 1);
      }
      return none;
    }

    Node producerOf(Node base) {
      if (auto it = Producers.find(base.raw().id); it != Producers.end())
        return it->second;
      if (base.is("identifier"))
        if (const Binding *b = Sem.resolve(base))
          if (auto it = Holders.find(b); it != Holders.end())
            return it->second.call;
      return Node();
    }

    // A member path into a jscode2session result: the whole payload (`res`, `res.data`,
    // `body.result`), its session_key, or something harmless (`res.data.openid`).
    Finding atPath(Node at, const std::vector<std::string> &path, Node call) {
      for (const std::string &p : path) {
        if (p == "data" || p == "body" || p == "result" || p == "[]")
          continue;
        if (isSessionKeyName(p))
          return {Carries::SessionKey, at, std::string(at.text(Src)), call};
        return {};
      }
      return {Carries::Payload, at, std::string(at.text(Src)), call};
    }

    // process.env (whole) and its TENCENTCLOUD_* credentials; a secret-named 32-hex constant.
    Finding credentialsOrSecret(Node e) {
      ValuePtr v = Sem.evaluate(e);
      if (v->is(Value::Kind::Global) && v->text == "process") {
        if (v->pathIs({"env"}))
          return {Carries::Credentials, e, std::string(e.text(Src)), Node()};
        if (v->path.size() == 2 && v->path[0] == "env" &&
            (v->path[1] == "TENCENTCLOUD_SECRETID" || v->path[1] == "TENCENTCLOUD_SECRETKEY" ||
             v->path[1] == "TENCENTCLOUD_SESSIONTOKEN"))
          return {Carries::Credentials, e, std::string(e.text(Src)), Node()};
      }
      if (v->is(Value::Kind::String) && isHex32(v->text) && isSecretName(e.text(Src)))
        return {Carries::AppSecret, e, std::string(e.text(Src)), Node()};
      return {};
    }

    // Every part of a response value that carries a secret.
    void inspect(Node expression, std::vector<Finding> &out) {
      std::vector<std::pair<Node, unsigned>> work{{expression, 0}};
      for (unsigned budget = 0; !work.empty() && budget < 256; ++budget) {
        auto [node, depth] = work.back();
        work.pop_back();
        Node e = unwrapExpression(node);
        if (e.is("await_expression"))
          e = unwrapExpression(e.namedChild(0));
        if (e.isNull() || depth > 6)
          continue;
        if (e.is("object")) {
          for (Node member : e.namedChildren()) {
            if (member.is("pair")) {
              std::string key = keyOf(member, Src);
              Node value = unwrapExpression(member.field("value"));
              if (isSessionKeyName(key) && !isAbsent(value)) {
                Finding f = classify(value, 0);
                out.push_back({Carries::SessionKey, member, key, f.producer});
                continue;
              }
              if (isSecretName(key)) {
                ValuePtr v = Sem.evaluate(value);
                if (v->is(Value::Kind::String) && isHex32(v->text)) {
                  out.push_back({Carries::AppSecret, member, key, Node()});
                  continue;
                }
              }
              work.push_back({value, depth + 1});
            } else if (member.is("shorthand_property_identifier")) {
              std::string key(member.text(Src));
              if (isSessionKeyName(key)) {
                out.push_back({Carries::SessionKey, member, key, classify(member, 0).producer});
                continue;
              }
              work.push_back({member, depth + 1});
            } else if (member.is("spread_element")) {
              work.push_back({member.namedChild(0), depth + 1});
            }
          }
          continue;
        }
        if (e.is("array")) {
          for (Node element : e.namedChildren())
            work.push_back(
                {element.is("spread_element") ? element.namedChild(0) : element, depth + 1});
          continue;
        }
        if (e.is("identifier")) {
          // A response object built in a const: `const result = { … }; return result`.
          if (const Binding *b = Sem.resolve(e); b && !Holders.count(b) && b->path.empty() &&
                                                 b->init && b->kind != BindingKind::Param &&
                                                 (b->kind == BindingKind::Const || b->writes == 0))
            if (Node init = unwrapExpression(b->init); init.is("object") || init.is("array")) {
              work.push_back({init, depth + 1});
              continue;
            }
        }
        Finding f = classify(e, 0);
        if (f.kind != Carries::Nothing)
          out.push_back(f);
      }
    }

    bool isAbsent(Node value) const {
      ValuePtr v = Sem.evaluate(value);
      return v->is(Value::Kind::Undefined) || v->is(Value::Kind::Null) ||
             (v->is(Value::Kind::String) && v->text.empty());
    }

    struct Holder {
      Node call;
      std::vector<std::string> path;
    };

    FileContext &Ctx;
    const ModuleSemantics &Sem;
    std::string_view Src;
    llvm::DenseMap<const void *, Node> Producers; // node id -> the jscode2session call
    llvm::DenseMap<const Binding *, Holder> Holders;
  };
};

} // namespace

std::unique_ptr<Rule> createAppsecretInClientRule() {
  return std::make_unique<AppsecretInClientRule>();
}

} // namespace mpauth
