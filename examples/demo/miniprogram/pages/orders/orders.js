const app = getApp()

Page({
  data: {
    orders: [],
    page: 0,
    loading: false,
    finished: false,
    newTitle: '',
    newAmount: '',
  },

  onLoad() {
    this.loadOrders()
  },

  async onPullDownRefresh() {
    this.setData({ orders: [], page: 0, finished: false })
    await this.loadOrders()
    wx.stopPullDownRefresh()
  },

  onReachBottom() {
    this.loadOrders()
  },

  async loadOrders() {
    if (this.data.loading || this.data.finished) {
      return
    }
    this.setData({ loading: true })
    try {
      // The page sends the openid it got from the login function; getOrders trusts it
      // (see cloudfunctions/getOrders).
      const res = await wx.cloud.callFunction({
        name: 'getOrders',
        data: { openid: app.globalData.openid, page: this.data.page },
      })
      const { orders } = res.result
      this.setData({
        orders: this.data.orders.concat(orders),
        page: this.data.page + 1,
        finished: orders.length === 0,
      })
    } catch (err) {
      console.error('getOrders failed', err)
      wx.showToast({ title: '订单加载失败', icon: 'none' })
    } finally {
      this.setData({ loading: false })
    }
  },

  onTitleInput(e) {
    this.setData({ newTitle: e.detail.value })
  },

  onAmountInput(e) {
    this.setData({ newAmount: e.detail.value })
  },

  async onCreateOrder() {
    const title = this.data.newTitle.trim()
    const amount = Math.round(Number(this.data.newAmount) * 100)
    if (!title || !(amount > 0)) {
      wx.showToast({ title: '请填写商品和金额', icon: 'none' })
      return
    }
    try {
      const res = await wx.cloud.callFunction({ name: 'createOrder', data: { title, amount } })
      if (!res.result.ok) {
        wx.showToast({ title: res.result.error, icon: 'none' })
        return
      }
      this.setData({ orders: [], page: 0, finished: false, newTitle: '', newAmount: '' })
      await this.loadOrders()
    } catch (err) {
      console.error('createOrder failed', err)
      wx.showToast({ title: '下单失败', icon: 'none' })
    }
  },

  onShareOrder(e) {
    wx.navigateTo({ url: `/packageShare/pages/card/card?id=${e.currentTarget.dataset.id}` })
  },
})
