import type { StatusStrings } from './en.ts';

/** 保存状态的界面文字（与 en.ts 的键一一对应）。 */
export const statusZhCN: StatusStrings = {
  saving: '正在保存……',
  saved: '已保存。',
  retrying: '尚未保存，正在重试……',
  failed: '保存失败：{0}',
};
