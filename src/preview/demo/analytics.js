// The demo's stand-in for an analytics tag: <assent-cookies> runs it once "analytics" is granted.
document.cookie = '_ga=GA1.1.' + Date.now() + '; path=/; max-age=63072000; SameSite=Lax';
window.demoAnalyticsRan = true;
document.getElementById('analytics-status').textContent = '已运行（已同意统计分析 Cookie，已设置 _ga）';
