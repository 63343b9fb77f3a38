const cloud = require('wx-server-sdk')

// Talk to the environment this function is deployed in, whichever that is.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// Tells the caller who they are. The ids come from WeChat (getWXContext), never from the
// client; returning the caller's own ids to the caller is fine. UNIONID is only present when
// the mini program is bound to an Open Platform account.
exports.main = async () => {
  const { OPENID, APPID, UNIONID } = cloud.getWXContext()
  return {
    openid: OPENID,
    appid: APPID,
    unionid: UNIONID,
  }
}
