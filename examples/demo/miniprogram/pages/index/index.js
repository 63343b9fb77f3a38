const app = getApp()

// Template of the "order shipped" subscription message (set in the WeChat admin console).
const SHIPPED_TEMPLATE_ID = 'REPLACE_WITH_TEMPLATE_ID'

Page({
  data: {
    loggedIn: false,
    nickName: '',
    avatarUrl: '',
    saving: false,
  },

  onLoad() {
    // DEFECT (unhandled-cloud-fail): the promise chain has no .catch(); when the call fails
    // (network, function error) the page stays on "登录中" and the rejection goes unhandled.
    wx.cloud.callFunction({ name: 'login' }).then((res) => {
      app.globalData.openid = res.result.openid
      this.setData({ loggedIn: true })
    })
  },

  onChooseAvatar(e) {
    this.setData({ avatarUrl: e.detail.avatarUrl })
  },

  onNickNameInput(e) {
    this.setData({ nickName: e.detail.value })
  },

  onSaveProfile() {
    const { nickName, avatarUrl } = this.data
    if (!nickName) {
      wx.showToast({ title: '请填写昵称', icon: 'none' })
      return
    }
    this.setData({ saving: true })
    wx.cloud.callFunction({
      name: 'updateProfile',
      data: { nickName, avatarUrl },
      success: () => {
        wx.showToast({ title: '已保存' })
      },
      fail: (err) => {
        console.error('updateProfile failed', err)
        wx.showToast({ title: '保存失败，请重试', icon: 'none' })
      },
      complete: () => {
        this.setData({ saving: false })
      },
    })
  },

  onSubscribeShipping() {
    wx.requestSubscribeMessage({
      tmplIds: [SHIPPED_TEMPLATE_ID],
      success: (res) => {
        if (res[SHIPPED_TEMPLATE_ID] !== 'accept') {
          return
        }
        wx.cloud.callFunction({
          name: 'sendNotice',
          data: { title: '订阅成功，发货后会通知你' },
          fail: (err) => {
            console.error('sendNotice failed', err)
            wx.showToast({ title: '订阅失败', icon: 'none' })
          },
        })
      },
      fail: (err) => {
        console.warn('subscription refused', err)
      },
    })
  },

  onOpenOrders() {
    wx.navigateTo({ url: '/pages/orders/orders' })
  },
})
