import type { DialogStrings } from './en.ts';

/** Cookie 偏好设置对话框的界面文字（与 en.ts 的键一一对应）。 */
export const dialogZhCN: DialogStrings = {
  preferencesTitle: 'Cookie 偏好设置',
  save: '保存选择',
  close: '关闭',
  alwaysOn: '始终开启',
  cookieList: 'Cookie（{0} 个）',
};
