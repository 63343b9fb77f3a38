// HTTP client calls (SPEC 3.5): `axios(...)`, `axios.post(url, body, config)`, `got`,
// `request`, `request-promise`, `node-fetch` / global `fetch`, `http(s).request`/`get`,
// `superagent.post(url).send(body)`, `needle`, `urllib`, and on the client `wx.request` (with
// Taro/uni twins), plus modules the project lists in `.mpauth.json` `httpClients`.
#pragma once

#include "analyzer/semantics/Module.h"

#include <optional>
#include <string>
#include <vector>

namespace mpauth {

struct HttpCall {
  Node call;          // the call expression
  Node url;           // the URL expression, when known
  std::string client; // "axios", "wx.request"
  // Where the URL is known to go to WeChat's own API (api.weixin.qq.com and *.weixin.qq.com).
  bool wechatHost = false;
};

// Is `call` (a call_expression) an HTTP request? `extra` are extra module names or callees.
std::optional<HttpCall> httpCallOf(const ModuleSemantics &semantics, Node call,
                                   const std::vector<std::string> &extra = {});

} // namespace mpauth
