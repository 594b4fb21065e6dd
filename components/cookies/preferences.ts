/**
 * The preferences dialog of `<assent-cookies>`: a switch per category, its cookies, Accept all,
 * Reject all, Save and Close. Loaded only when the dialog is first opened (`show()`), so that it
 * is not on the path to the banner's first paint.
 */
import { format, html, nothing, pick, type TemplateResult } from '../shared/index.ts';
import type { CookieCategory } from '../../src/contract/manifest.ts';
import { dialogEn } from '../shared/locales/dialog/en.ts';
import { dialogZhCN } from '../shared/locales/dialog/zh-CN.ts';
import { statusLine, trapFocus } from '../shared/controls.ts';
import type { Preferences } from './parts.ts';

export { preferencesStyles } from './preferences.styles.ts';

const strings = { en: dialogEn, 'zh-CN': dialogZhCN };

function cookieList(c: CookieCategory, p: Preferences): unknown {
  if (!c.cookies.length) return nothing;
  return html`<details>
    <summary>${format(strings[p.ui].cookieList, c.cookies.length)}</summary>
    <ul>
      ${c.cookies.map(
        (k) =>
          html`<li>
            <code>${k.name}</code>${[
              k.service,
              k.purpose && pick(k.purpose, p.ui),
              k.duration && pick(k.duration, p.ui),
            ]
              .filter(Boolean)
              .map((s) => ` · ${s}`)}
          </li>`,
      )}
    </ul>
  </details>`;
}

function category(c: CookieCategory, p: Preferences): TemplateResult {
  return html`<div part="category">
    <label>
      ${pick(c.label, p.ui)}
      <input
        part="switch"
        type="checkbox"
        role="switch"
        aria-describedby="about-${c.id}"
        .checked=${!!p.draft[c.id]}
        ?disabled=${c.mode === 'necessary'}
        @change=${(e: Event) => p.toggle(c.id, (e.target as HTMLInputElement).checked)}
      />
    </label>
    <p id="about-${c.id}">
      ${pick(c.description, p.ui)}${c.mode === 'necessary' ? ` (${strings[p.ui].alwaysOn})` : ''}
    </p>
    ${cookieList(c, p)}
  </div>`;
}

export function preferences(p: Preferences): TemplateResult {
  const t = strings[p.ui];
  return html`<dialog
    part="dialog"
    class="panel"
    aria-labelledby="title"
    @keydown=${trapFocus}
    @close=${p.close}
  >
    <h2 id="title">${t.preferencesTitle}</h2>
    ${p.gpcLine} ${p.config.categories.map((c) => category(c, p))}
    <div class="actions">
      ${p.all}
      <button part="button save" class="secondary" @click=${p.save}>${t.save}</button>
      <button part="button close" class="secondary" @click=${p.close}>${t.close}</button>
    </div>
    ${statusLine(p.status, p.error, p.ui)}
  </dialog>`;
}
