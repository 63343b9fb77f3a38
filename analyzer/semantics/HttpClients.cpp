#include "analyzer/semantics/HttpClients.h"

#include "analyzer/syntax/Syntax.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace mpauth {
namespace {

constexpr std::string_view kModules[] = {
    "axios",      "got",        "request", "request-promise", "request-promise-native",
    "node-fetch", "superagent", "needle",  "urllib",          "http",
    "https",      "undici"};
constexpr std::string_view kMethods[] = {"get",  "post",    "put",     "patch", "delete",
                                         "head", "request", "options", "curl",  "fetch"};

bool isMethod(std::string_view m) {
  return std::find(std::begin(kMethods), std::end(kMethods), m) != std::end(kMethods);
}

Node firstArgument(Node call) {
  for (Node a : call.field("arguments").namedChildren())
    if (!a.is("comment"))
      return a;
  return Node();
}

// The text a URL expression is built from: its own text, and for a name, its initializer's.
std::string urlText(const ModuleSemantics &semantics, Node url) {
  std::string_view src = semantics.source();
  std::string text(url.text(src));
  Node n = unwrapExpression(url);
  for (unsigned depth = 0; depth < 3; ++depth) {
    Node next;
    walk(n, [&](Node m) {
      if (m.is("identifier")) {
        if (const Binding *b = semantics.resolve(m); b && b->init && b->path.empty()) {
          text += ' ';
          text += b->init.text(src);
          if (next.isNull())
            next = b->init;
        }
      }
      return true;
    });
    if (next.isNull())
      break;
    n = next;
  }
  ValuePtr v = semantics.evaluate(url);
  if (v->is(Value::Kind::String))
    text += ' ' + v->text;
  return text;
}

} // namespace

std::optional<HttpCall> httpCallOf(const ModuleSemantics &semantics, Node call,
                                   const std::vector<std::string> &extra) {
  if (!call.is("call_expression"))
    return std::nullopt;
  std::string_view src = semantics.source();
  Node callee = unwrapExpression(call.field("function"));
  ValuePtr v = semantics.evaluate(callee);
  HttpCall out;
  out.call = call;
  bool known = false;
  if (v->is(Value::Kind::Module)) {
    bool listed =
        std::find(std::begin(kModules), std::end(kModules), v->text) != std::end(kModules) ||
        std::find(extra.begin(), extra.end(), v->text) != extra.end();
    bool node = v->text == "http" || v->text == "https";
    if (listed && ((v->path.empty() && !node) || (v->path.size() == 1 && isMethod(v->path[0])))) {
      known = true;
      out.client = v->text;
    }
  } else if (v->is(Value::Kind::Global)) {
    if ((v->text == "fetch" && v->path.empty()) ||
        ((v->text == "wx" || v->text == "Taro" || v->text == "uni") && v->pathIs({"request"}))) {
      known = true;
      out.client = v->text == "fetch" ? "fetch" : v->text + ".request";
    }
  }
  if (!known) {
    std::string calleeText(callee.text(src));
    if (std::find(extra.begin(), extra.end(), calleeText) != extra.end()) {
      known = true;
      out.client = calleeText;
    }
  }
  if (!known)
    return std::nullopt;
  Node first = firstArgument(call);
  Node object = unwrapExpression(first);
  if (object.is("object")) {
    for (Node pair : object.namedChildren())
      if (pair.is("pair")) {
        std::string_view key = pair.field("key").text(src);
        if (key == "url" || key == "uri" || key == "host" || key == "hostname" || key == "baseURL")
          out.url = pair.field("value");
      }
  } else {
    out.url = first;
  }
  if (out.url) {
    std::string text = urlText(semantics, out.url);
    out.wechatHost = text.find("weixin.qq.com") != std::string::npos ||
                     text.find("servicewechat.com") != std::string::npos;
  }
  return out;
}

} // namespace mpauth
