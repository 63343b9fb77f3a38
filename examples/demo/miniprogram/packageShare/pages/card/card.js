// Landing page of a shared order card. The subpackage is independent (app.json), so a user who
// opens the card from a chat starts here without app.js ever running.
Page({
  data: {
    card: null,
    error: '',
  },

  async onLoad(query) {
    try {
      // DEFECT (missing-cloud-init): nothing initialises wx.cloud in this independent
      // subpackage, and app.js's wx.cloud.init never runs when the mini program starts here.
      const { data } = await wx.cloud.database().collection('orderCards').doc(query.id).get()
      this.setData({ card: data })
    } catch (err) {
      console.error('load card failed', err)
      this.setData({ error: '卡片不存在或已过期' })
    }
  },
})
