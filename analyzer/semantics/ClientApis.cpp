#include "analyzer/semantics/ClientApis.h"

#include <algorithm>
#include <string_view>

namespace mpauth {

namespace {

constexpr std::string_view kAsyncCloudApis[] = {"callFunction",   "uploadFile", "downloadFile",
                                                "getTempFileURL", "deleteFile", "callContainer"};
constexpr std::string_view kSyncCloudApis[] = {"database", "CloudID", "openapi", "extend",
                                               "connectContainer"};
constexpr std::string_view kDatabaseOps[] = {"get", "add", "update", "set", "remove", "count"};
constexpr std::string_view kAuthApis[] = {"login", "checkSession", "getUserProfile"};

template <size_t N> bool in(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// The API path below the client root: wx.cloud.callFunction -> [cloud, callFunction].
bool clientPath(const Value &v, std::string &root, std::vector<std::string> &path) {
  if (v.is(Value::Kind::Global) && (v.text == "wx" || v.text == "Taro" || v.text == "uni")) {
    root = v.text;
    path = v.path;
    return true;
  }
  if (v.is(Value::Kind::Module) && v.text == "@tarojs/taro") {
    root = "Taro";
    path = v.path;
    if (!path.empty() && path.front() == "default")
      path.erase(path.begin());
    return true;
  }
  return false;
}

} // namespace

ClientApiCall classifyClientCallee(const Value &callee) {
  ClientApiCall out;
  std::string root;
  std::vector<std::string> path;
  if (!clientPath(callee, root, path) || path.empty())
    return out;
  out.root = root;
  out.name = path.back();

  // Auth APIs live on the root itself: wx.login.
  if (path.size() == 1) {
    if (in(kAuthApis, path[0])) {
      out.kind = ClientApiKind::AuthApi;
      out.display = root + "." + path[0];
    }
    return out;
  }
  if (path[0] != "cloud" || root == "uni")
    return out;

  // An instance: wx.cloud.Cloud + new, then the API.
  size_t base = 1;
  if (path.size() >= 3 && path[1] == "Cloud" && path[2] == "new") {
    out.onInstance = true;
    base = 3;
    if (path.size() == 3)
      return out;
  }
  std::string prefix = out.onInstance ? "cloud" : root + ".cloud";
  const std::string &api = path[base];
  if (path.size() == base + 1) {
    out.display = prefix + "." + api;
    if (api == "init")
      out.kind = ClientApiKind::CloudInit;
    else if (in(kAsyncCloudApis, api))
      out.kind = ClientApiKind::CloudApi;
    else if (in(kSyncCloudApis, api))
      out.kind = ClientApiKind::CloudSync;
    return out;
  }
  // A database chain: cloud.database() . … . op
  if (api != "database" || path.size() < base + 3 || path[base + 1] != "()")
    return out;
  const std::string &last = path.back();
  bool hasCollection = std::find(path.begin() + base, path.end(), "collection") != path.end();
  bool hasAggregate = std::find(path.begin() + base, path.end(), "aggregate") != path.end();
  if (last == "watch") {
    out.kind = ClientApiKind::Watch;
    out.display = "watch";
  } else if (hasAggregate && last == "end") {
    out.kind = ClientApiKind::AggregateEnd;
    out.display = "aggregate().end";
  } else if (hasCollection && !hasAggregate && in(kDatabaseOps, last)) {
    out.kind = ClientApiKind::DatabaseOp;
    out.display = (path[path.size() - 3] == "doc" ? "doc()." : "collection().") + last;
  } else if (last == "runTransaction" || last == "startTransaction") {
    out.kind = ClientApiKind::DatabaseOp;
    out.display = "database()." + last;
  }
  return out;
}

ClientApiCall classifyNewExpression(const Value &constructor) {
  ClientApiCall out;
  std::string root;
  std::vector<std::string> path;
  if (clientPath(constructor, root, path) && path.size() == 3 && path[0] == "cloud" &&
      path[1] == "Cloud" && path[2] == "new") {
    out.kind = ClientApiKind::CloudConstructor;
    out.root = root;
    out.name = "Cloud";
    out.display = root + ".cloud.Cloud";
  }
  return out;
}

} // namespace mpauth
