// What the mini program client APIs are: wx.cloud (and Taro.cloud, a `new wx.cloud.Cloud()`
// instance), database chains, and the auth APIs of wx / Taro / uni. Works on evaluated
// callee Values, so aliases (`const cloud = wx.cloud`, `this.db`) are seen through.
#pragma once

#include "analyzer/semantics/Value.h"

#include <string>
#include <vector>

namespace mpauth {

enum class ClientApiKind : uint8_t {
  None,
  CloudInit,        // wx.cloud.init / instance.init
  CloudApi,         // wx.cloud.callFunction, uploadFile, … (async, success/fail/complete)
  CloudSync,        // wx.cloud.database(), CloudID(), … (synchronous, still need init)
  DatabaseOp,       // db.collection('x')….get/add/update/set/remove/count()
  AggregateEnd,     // db.collection('x').aggregate()….end()
  Watch,            // db.collection('x')….watch({ onChange, onError })
  AuthApi,          // wx.login / wx.checkSession / wx.getUserProfile
  CloudConstructor, // new wx.cloud.Cloud({...})
};

struct ClientApiCall {
  ClientApiKind kind = ClientApiKind::None;
  std::string root;        // "wx", "Taro", "uni"
  std::string name;        // "callFunction", "get", "login", …
  std::string display;     // how messages name it: "wx.cloud.callFunction", "collection.get"
  bool onInstance = false; // through a `new wx.cloud.Cloud()` instance
  // For calls on an instance: the origin of the `new wx.cloud.Cloud(...)` expression.
  Origin instanceOrigin;

  bool isAsync() const {
    return kind == ClientApiKind::CloudApi || kind == ClientApiKind::DatabaseOp ||
           kind == ClientApiKind::AggregateEnd || kind == ClientApiKind::AuthApi;
  }
  // Any API that throws before wx.cloud.init (SPEC 3.1).
  bool needsCloudInit() const {
    return kind == ClientApiKind::CloudApi || kind == ClientApiKind::CloudSync ||
           kind == ClientApiKind::DatabaseOp || kind == ClientApiKind::AggregateEnd ||
           kind == ClientApiKind::Watch;
  }
};

// Classifies the evaluated callee of a call (`evaluate(call.field("function"))`), or of a
// `new` expression's constructor for CloudConstructor.
ClientApiCall classifyClientCallee(const Value &callee);
ClientApiCall classifyNewExpression(const Value &constructor);

} // namespace mpauth
