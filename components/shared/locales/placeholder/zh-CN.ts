import type { PlaceholderStrings } from './en.ts';

/** 受控内嵌框架占位区的界面文字（与 en.ts 的键一一对应）。 */
export const placeholderZhCN: PlaceholderStrings = {
  embedBlocked: '您允许{0}后，此内容才会加载。',
  loadOnce: '加载一次',
  alwaysAllow: '始终允许{0}',
};
