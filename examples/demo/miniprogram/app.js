App({
  globalData: {
    openid: '',
  },

  onLaunch() {
    if (!wx.cloud) {
      console.error('云开发需要基础库 2.2.3 或以上版本')
    } else {
      // DEFECT (hardcoded-env): 'your-env-id' is the placeholder from the documentation; the
      // real environment id was never filled in.
      wx.cloud.init({ env: 'your-env-id', traceUser: true })
    }
  },
})
