/**
 * UI strings for the site, one JSON file per locale with dotted keys. A page speaks the
 * language of the document it shows; any `zh*` tag uses the Chinese strings, anything else
 * English.
 *
 *   t('zh-CN', 'banner.upcoming', { date: '2021年6月1日' }) → '新版本将于 2021年6月1日 生效。'
 */
import en from '../translations/en.json';
import zhCN from '../translations/zh-CN.json';

export type MessageKey = keyof typeof en;

// Every locale must have every key: this line fails type-checking when one is missing.
const catalogs: Record<'en' | 'zh-CN', Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Whether a key built at run time (`doc.alert.${type}`) names a string. */
export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

export function uiLocale(locale: string): 'en' | 'zh-CN' {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function t(locale: string, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[uiLocale(locale)][key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

// Building a DateTimeFormat costs far more than using one, and pages format many dates.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date for readers: `formatDate('2018-06-01', 'zh-CN')` → `2018年6月1日`. */
export function formatDate(date: string, locale: string): string {
  const ui = uiLocale(locale);
  let format = dateFormats.get(ui);
  if (!format) {
    format = new Intl.DateTimeFormat(ui, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(ui, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}
