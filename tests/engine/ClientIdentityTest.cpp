// ClientIdentity (what the client says about who it is, and how it flows) and AdminGuard
// (code reached only after the caller's real OPENID was checked against an admin set).
#include "EngineTestSupport.h"

#include "analyzer/semantics/AdminGuard.h"
#include "analyzer/semantics/ClientIdentity.h"
#include "analyzer/semantics/Responses.h"

#include <gtest/gtest.h>

namespace mpauth {
namespace {

using engine_test::ParsedModule;

constexpr std::string_view kPrelude = "const cloud = require('wx-server-sdk')\n"
                                      "const db = cloud.database()\n";

TEST(EngineClientIdentity, IdentityFieldNames) {
  for (const char *name :
       {"openid", "_openid", "openId", "open_id", "OPENID", "userOpenid", "to_openid", "userId",
        "user_id", "userid", "uid", "unionid", "unionId", "targetUserId"})
    EXPECT_TRUE(isIdentityFieldName(name)) << name;
  for (const char *name : {"id", "postId", "guid", "openTime", "user", "openidList", "ownerId"})
    EXPECT_FALSE(isIdentityFieldName(name)) << name;
  EXPECT_TRUE(isSelfIdentityFieldName("openid"));
  EXPECT_TRUE(isSelfIdentityFieldName("userId"));
  EXPECT_FALSE(isSelfIdentityFieldName("_openid"));
  EXPECT_FALSE(isSelfIdentityFieldName("authorOpenid"));
}

TEST(EngineClientIdentity, FlowsThroughVariablesFallbacksAndHelpers) {
  ParsedModule m(std::string(kPrelude) + R"(
function load(id) { return db.collection('u').doc(id).get() }
exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const { userId } = event
  const a = event.openid
  const b = 'u_' + a
  const c = event.openid || OPENID
  let d = OPENID
  if (event.uid) d = event.uid
  await load(event.unionid)
  return [userId, b, c, d, OPENID, event.userInfo.openId, event.postId]
}
)");
  ClientIdentityFlow flow(m.semantics(), {});
  auto b = flow.trace(m.identifier("b", 1));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ("event.openid", b->sourceText);
  EXPECT_EQ(3u, b->steps.size()); // read, a, b
  auto userId = flow.trace(m.identifier("userId", 1));
  ASSERT_TRUE(userId.has_value());
  EXPECT_EQ("event.userId", userId->sourceText);
  auto c = flow.trace(m.identifier("c", 1));
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->fallback.isNull()) << "event.openid || OPENID is a fallback";
  auto d = flow.trace(m.identifier("d", 2));
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->fallback.isNull()) << "d holds either the real id or the client's";
  auto param = flow.trace(m.identifier("id", 1));
  ASSERT_TRUE(param.has_value());
  EXPECT_EQ("event.unionid", param->sourceText);
  EXPECT_EQ(1u, param->helperCalls.size());
  EXPECT_FALSE(flow.trace(m.identifier("OPENID", 1)).has_value());
  EXPECT_TRUE(flow.isCallerIdentityExpression(m.identifier("OPENID", 1)));
  EXPECT_FALSE(flow.trace(m.node("event.userInfo.openId")).has_value());
  EXPECT_FALSE(flow.trace(m.node("event.postId")).has_value());
  EXPECT_TRUE(flow.trace(m.node("event.postId"), ClientIdentityFlow::Mode::AnyField).has_value());
}

TEST(EngineClientIdentity, ConfiguredFields) {
  ParsedModule m(std::string(kPrelude) + R"(
exports.main = async (event) => [event.memberNo, event.openid]
)");
  ClientIdentityFlow flow(m.semantics(), {{"openid"}, {"memberNo"}});
  EXPECT_TRUE(flow.trace(m.node("event.memberNo")).has_value());
  EXPECT_FALSE(flow.trace(m.node("event.openid")).has_value());
}

TEST(EngineAdminGuard, ChecksOfTheRealOpenid) {
  ParsedModule m(std::string(kPrelude) + R"(
const ADMINS = ['oAdmin']
exports.a = async (event) => {
  const { OPENID } = cloud.getWXContext()
  if (!ADMINS.includes(OPENID)) return
  use1()
}
exports.b = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const res = await db.collection('admins').where({ openid: OPENID }).get()
  if (res.data.length === 0) throw new Error('no')
  use2()
}
exports.c = async (event) => {
  const me = (await db.collection('users').doc(cloud.getWXContext().OPENID).get()).data
  if (me.role === 'admin') { use3() } else { use4() }
}
exports.d = async (event) => {
  if (!ADMINS.includes(event.openid)) return
  use5()
}
exports.e = async (event) => {
  const { OPENID } = cloud.getWXContext()
  if (ADMINS.indexOf(OPENID) === -1) { return }
  [1, 2].map((x) => use6(x))
}
function helper() { use7() }
exports.f = async () => {
  await assertAdmin(cloud.getWXContext().OPENID)
  helper()
}
)");
  AdminGuard guard(m.semantics());
  auto at = [&](const char *call) { return m.node(call); };
  EXPECT_TRUE(guard.isAdminRoute(at("use1()")));
  EXPECT_TRUE(guard.isAdminRoute(at("use2()")));
  EXPECT_TRUE(guard.isAdminRoute(at("use3()")));
  EXPECT_FALSE(guard.isAdminRoute(at("use4()")));
  EXPECT_FALSE(guard.isAdminRoute(at("use5()"))) << "a client-sent id is no admin check";
  EXPECT_TRUE(guard.isAdminRoute(at("use6(x)"))) << "inline callbacks run where written";
  EXPECT_TRUE(guard.isAdminRoute(at("use7()"))) << "a helper only admin routes call";
}

TEST(EngineResponses, HandlerReturnsHelpersAndRouterBodies) {
  ParsedModule m(std::string(kPrelude) + R"(
const TcbRouter = require('tcb-router')
async function login(code) { return { who: code } }
exports.main = async (event) => {
  if (event.code) return login(event.code)
  const app = new TcbRouter({ event })
  app.router('x', async (ctx) => { ctx.body = { routed: true } })
  return app.serve()
}
)");
  std::vector<std::string> texts;
  for (const ResponseExpression &r : responseExpressions(m.semantics()))
    texts.emplace_back(r.expression.text(m.source()));
  EXPECT_NE(texts.end(), std::find(texts.begin(), texts.end(), "login(event.code)"));
  EXPECT_NE(texts.end(), std::find(texts.begin(), texts.end(), "{ who: code }"));
  EXPECT_NE(texts.end(), std::find(texts.begin(), texts.end(), "{ routed: true }"));
}

} // namespace
} // namespace mpauth
