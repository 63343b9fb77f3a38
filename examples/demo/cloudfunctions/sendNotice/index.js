const cloud = require('wx-server-sdk')

// DEFECT (hardcoded-env, through a config module): config.js exports the literal env id
// 'test-1a2b3c', so this function always talks to the test environment, wherever it is deployed.
cloud.init({ env: require('./config').ENV_ID })

const { SHIPPED_TEMPLATE_ID } = require('./config')

function formatTime(date) {
  const pad = (n) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
}

// Sends the caller (never anyone else) a subscription message.
exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const title = String(event.title || '订单通知').slice(0, 20)
  await cloud.openapi.subscribeMessage.send({
    touser: OPENID,
    templateId: SHIPPED_TEMPLATE_ID,
    page: 'pages/orders/orders',
    data: {
      thing1: { value: title },
      time2: { value: formatTime(new Date()) },
    },
  })
  return { sent: true }
}
