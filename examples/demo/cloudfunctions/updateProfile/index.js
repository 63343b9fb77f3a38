const cloud = require('wx-server-sdk')

// DEFECT (hardcoded-env, missing env): package.json pins wx-server-sdk ~2.6.3, and below 4.0.1
// an init without env uses the FIRST-created environment, not the one the function runs in.
cloud.init()

const db = cloud.database()

exports.main = async (event) => {
  const { UNIONID } = cloud.getWXContext()
  const nickName = String(event.nickName || '').slice(0, 32)
  const avatarUrl = String(event.avatarUrl || '')

  // DEFECT (assumed-unionid): UNIONID is undefined unless the mini program is bound to an Open
  // Platform account; the condition is then dropped and the update rewrites every user's
  // profile.
  const result = await db
    .collection('users')
    .where({ unionid: UNIONID })
    .update({
      data: { nickName, avatarUrl, updatedAt: db.serverDate() },
    })
  return { updated: result.stats.updated }
}
