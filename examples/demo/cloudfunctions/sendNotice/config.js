// Settings shared by the notice function.
exports.ENV_ID = 'test-1a2b3c'

// Template of the "order shipped" subscription message (set in the WeChat admin console).
exports.SHIPPED_TEMPLATE_ID = 'REPLACE_WITH_TEMPLATE_ID'
