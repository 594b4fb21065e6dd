import type { Strings } from './en.ts';

/** 简体中文界面文字（与 en.ts 的键一一对应）。 */
export const zhCN: Strings = {
  cookiesTitle: 'Cookie',
  cookiesIntro: '本网站使用运行所必需的 Cookie；其他 Cookie 仅在您同意后使用。您可随时更改。',
  cookiePolicy: 'Cookie 政策',
  gpc: '您的浏览器发出了全球隐私控制（GPC）信号，我们予以遵守：{0}默认关闭。',
  gpcOptIn: '您的浏览器发出了全球隐私控制（GPC）信号，我们予以遵守：仅使用您开启的类别。',
  acceptAll: '全部接受',
  rejectAll: '全部拒绝',
  preferences: '偏好设置',
};
