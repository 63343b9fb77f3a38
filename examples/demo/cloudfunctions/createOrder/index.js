const cloud = require('wx-server-sdk')

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

const db = cloud.database()

// Creates an order owned by the caller. The owner is the OPENID WeChat injects, never an id
// from the request.
exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const title = String(event.title || '').trim().slice(0, 40)
  const amount = Number(event.amount)
  if (!title || !Number.isInteger(amount) || amount <= 0) {
    return { ok: false, error: '订单信息不完整' }
  }
  const { _id } = await db.collection('orders').add({
    data: {
      _openid: OPENID,
      title,
      amount,
      status: 'created',
      createdAt: db.serverDate(),
    },
  })
  return { ok: true, id: _id }
}
