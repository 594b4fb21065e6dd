import type { DocumentStrings } from './en.ts';

/** 协议与更新提示元素的界面文字（与 en.ts 的键一一对应）。 */
export const documentsZhCN: DocumentStrings = {
  acceptIntro: '继续之前，请您仔细阅读{0}。',
  version: '版本 {0}',
  agree: '我已阅读并同意{0}',
  accept: '同意并继续',
  decline: '不同意',
  declined: '您已选择不同意。',
  acceptedOn: '您已于 {2} 同意{0}（版本 {1}）。',
  required: '请先同意{0}再继续。',
  recording: '正在记录您对{0}的同意……',
  notRecorded: '尚未记录：暂时无法连接记录服务，请稍后再试。',
  keyClauses: '重点条款（{0} 条）',
  loadFailed: '无法加载此提示。',
  updatedTitle: '{0}已更新',
  upcomingTitle: '{0}即将更新',
  effectiveOn: '版本 {0} 于 {1} 生效。',
  readNew: '阅读新版本',
  readChanges: '查看修改内容',
  gotIt: '知道了',
};
