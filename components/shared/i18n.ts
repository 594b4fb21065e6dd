/**
 * UI language: the element's `locale` attribute, else the nearest `lang` (the page's), else the
 * browser's. Chinese variants use the zh-CN strings; every other language gets English.
 */
import type { LocalizedText } from '../../src/contract/manifest.ts';
import { en, type Strings } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export type UiLocale = 'en' | 'zh-CN';

export function uiLocale(host: HTMLElement, attribute?: string): UiLocale {
  const tag = attribute || host.closest<HTMLElement>('[lang]')?.lang || navigator.language;
  return /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

export const strings = (locale: UiLocale): Strings => (locale === 'en' ? en : zhCN);

/**
 * Fills `{0}`, `{1}` with values, as a list Lit renders (values may be templates):
 * `fill('Version {0}', '2018-06-01')` → `['Version ', '2018-06-01', '']`.
 */
export const fill = (pattern: string, ...values: unknown[]): unknown[] =>
  pattern.split(/\{(\d)\}/).map((part, i) => (i % 2 ? values[+part] : part));

/** `fill` as plain text, for attributes and records. */
export const format = (pattern: string, ...values: unknown[]): string => fill(pattern, ...values).join('');

/** Manifest text in the UI language, else English, else any. */
export const pick = (text: LocalizedText, locale: UiLocale): string =>
  text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
