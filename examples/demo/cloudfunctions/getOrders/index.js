const cloud = require('wx-server-sdk')

// DEFECT (hardcoded-env): a literal env id. Deployed to the test environment, this function
// still reads the production database.
cloud.init({ env: 'prod-7g8h9i0j' })

const db = cloud.database()
const PAGE_SIZE = 20

exports.main = async (event) => {
  const page = Math.max(0, Number(event.page) || 0)
  const { data } = await db
    .collection('orders')
    // DEFECT (client-trusted-identity): event.openid is whatever the client sent, so any user
    // can list anyone's orders; and when it is missing the condition is dropped and the query
    // returns every user's orders. The caller's real id is cloud.getWXContext().OPENID.
    .where({ _openid: event.openid })
    .orderBy('createdAt', 'desc')
    .skip(page * PAGE_SIZE)
    .limit(PAGE_SIZE)
    .field({ _id: true, title: true, amount: true, status: true, createdAt: true })
    .get()
  return { orders: data, page }
}
