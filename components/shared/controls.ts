/**
 * What the controls of `<assent-accept>`, `<assent-update>` and the cookie preferences dialog
 * share, and the cookie banner does not: the line that says whether the last record is saved,
 * and the focus trap of a modal dialog. Imported by documents.ts and cookies/preferences.ts, so
 * the bundler puts it in a chunk loaded with them, not before the banner.
 */
import type { SaveStatus } from './element.ts';
import type { ErrorDetail } from './events.ts';
import { format, html, type TemplateResult, type UiLocale } from './index.ts';
import { statusEn } from './locales/status/en.ts';
import { statusZhCN } from './locales/status/zh-CN.ts';

const strings = { en: statusEn, 'zh-CN': statusZhCN };

/** The live region that says whether the last record is saved (`error`: why it failed). */
export function statusLine(
  status: SaveStatus | undefined,
  error: ErrorDetail | undefined,
  ui: UiLocale,
): TemplateResult {
  const t = strings[ui];
  return html`<p part="status" role="status">
    ${status === 'failed' ? format(t.failed, error?.message) : status ? t[status] : ''}
  </p>`;
}

/** Keeps Tab and Shift+Tab inside a modal dialog (keydown listener on the dialog, in a shadow root). */
export function trapFocus(event: KeyboardEvent): void {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLElement;
  const items = [...dialog.querySelectorAll<HTMLElement>('a,button,input:enabled,summary')];
  const edge = event.shiftKey ? items[0] : items.at(-1);
  if ((dialog.getRootNode() as ShadowRoot).activeElement === edge) {
    event.preventDefault();
    (event.shiftKey ? items.at(-1) : items[0])?.focus();
  }
}
