import { html, nothing, type PropertyValues } from 'lit';
import type { CookieConfig, Manifest } from '../../src/contract/manifest.ts';
import { anonymousId, CONSENT_COOKIE, readCookie, writeCookie } from '../shared/cookies.ts';
import { AssentElement, gpc } from '../shared/element.ts';
import { AssentConsentChangedEvent, type ConsentDetail } from '../shared/events.ts';
import { format, pick } from '../shared/i18n.ts';
import { baseStyles } from '../shared/styles.ts';
import { cookiesStyles } from './cookies.styles.ts';
import { consentMode, deleteRefusedCookies, runGatedScripts, type Granted } from './gate.ts';

/** The `assent_consent` cookie: the choice as `assent-consent-changed` told it, and when (ms). */
interface StoredConsent extends ConsentDetail {
  t: number;
}

/**
 * Cookie banner and preferences dialog for the categories in the manifest (`cookies`). Until
 * the user chooses, only necessary cookies are allowed: gated scripts
 * (`<script type="text/plain" data-assent-category="…">`) wait, and Google Consent Mode
 * signals are denied. Accept all and Reject all are equally prominent; Preferences opens a
 * dialog with a switch per category. The choice is kept in the `assent_consent` cookie with the
 * configuration's revision (a new revision asks again) and posted as a `consent` record.
 * Reopen with `.open()` or any element with `data-assent-open="cookies"`. Honours Global
 * Privacy Control: opt-out categories start switched off, the banner and the dialog say the
 * signal is honoured, and records carry `shown.gpc: true`.
 *
 * `state` (reflected: `loading`, `ready`, `error`) and `error` (the last `assent-error`
 * detail) can be read at any time, also by a script that runs after the event fired.
 *
 * @tagname assent-cookies
 *
 * @fires assent-consent-changed - The user chose. detail: revision, choices (every category, granted or denied), consentId, record.
 * @fires assent-recorded - The endpoint confirmed the consent record. detail: record, receipt.
 * @fires assent-error - The manifest did not load or the record was not (yet) stored.
 *
 * @csspart banner - The banner (fixed at the bottom of the viewport).
 * @csspart gpc - The sentence about Global Privacy Control.
 * @csspart link - The link to the cookie policy.
 * @csspart button - Every button; also `accept-all`, `reject-all`, `preferences`, `save`, `close`.
 * @csspart dialog - The preferences dialog.
 * @csspart category - One category in the dialog.
 * @csspart switch - A category's switch.
 * @csspart status - Whether the last choice is saved.
 *
 * @cssproperty --assent-background - Banner and dialog background.
 * @cssproperty --assent-color - Text colour.
 * @cssproperty --assent-muted-color - Descriptions.
 * @cssproperty --assent-accent - Buttons, links, switches, focus ring.
 * @cssproperty --assent-accent-color - Text on accent.
 * @cssproperty --assent-border-color - Borders, switches when off.
 * @cssproperty --assent-radius - Corner radius.
 * @cssproperty --assent-shadow - Banner shadow.
 * @cssproperty --assent-z-index - Stacking of the banner.
 * @cssproperty --assent-font - Font shorthand.
 */
export class AssentCookies extends AssentElement {
  static override tag = 'assent-cookies';
  static override styles = [baseStyles, cookiesStyles];
  static override properties = {
    ...AssentElement.properties,
    banner: { state: true },
    draft: { state: true },
  };

  declare private banner: boolean;
  declare private draft: Granted;

  #opening = false;
  #onClick = (event: Event) => {
    const opener = event
      .composedPath()
      .find((node) => (node as HTMLElement).dataset?.assentOpen === 'cookies') as HTMLElement | undefined;
    if (!opener) return;
    event.preventDefault();
    this.open();
  };

  constructor() {
    super();
    this.banner = false;
    this.draft = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.#onClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.#onClick);
  }

  /** The choice in force for the published revision, or null before the user has chosen. */
  get consent(): StoredConsent | null {
    return this.#stored() ?? null;
  }

  /** Opens the preferences dialog (once the manifest has loaded); on close, focus returns where it was. */
  open(): void {
    this.#opening = true;
    if (this.loaded) this.catching(() => (this.draft = this.#current()));
    this.requestUpdate();
  }

  get #config(): CookieConfig {
    const config = this.loaded?.cookies;
    if (!config) throw new Error('the manifest has no cookies configuration');
    return config;
  }

  #stored(): StoredConsent | undefined {
    const stored = readCookie<StoredConsent>(CONSENT_COOKIE);
    return stored?.revision === this.loaded?.cookies?.revision ? stored : undefined;
  }

  /** The stored choice, or the defaults: necessary on, opt-out on unless GPC, opt-in off. */
  #current(): Granted {
    const stored = this.#stored();
    return Object.fromEntries(
      this.#config.categories.map((c) => [
        c.id,
        c.mode === 'necessary' ||
          (stored ? stored.choices[c.id] === 'granted' : c.mode === 'opt-out' && !gpc()),
      ]),
    );
  }

  protected override ready(_manifest: Manifest): void {
    const config = this.#config;
    const stored = this.#stored();
    consentMode(
      config,
      'default',
      Object.fromEntries(config.categories.map((c) => [c.id, c.mode === 'necessary'])),
    );
    this.banner = !stored;
    if (this.#opening) this.draft = this.#current();
    if (stored) {
      this.follow(stored.record);
      this.#apply(this.#current());
    }
  }

  #apply(granted: Granted): void {
    runGatedScripts(granted);
    deleteRefusedCookies(this.#config, granted);
    consentMode(this.#config, 'update', granted);
  }

  #choose(event: Event, choice?: boolean): void {
    const config = this.#config;
    const granted: Granted = Object.fromEntries(
      config.categories.map((c) => [c.id, c.mode === 'necessary' || (choice ?? !!this.draft[c.id])]),
    );
    const choices = Object.fromEntries(
      Object.entries(granted).map(([id, on]) => [id, on ? 'granted' : 'denied'] as const),
    );
    const { cookieDays = 180, cookieDomain } = this.config;
    const consentId = anonymousId(cookieDomain);
    const record = this.send(
      'consent',
      (event.currentTarget as HTMLElement).textContent ?? '',
      { cookies: { revision: config.revision }, choices },
      { kind: 'anonymous', id: consentId },
    );
    const detail = { revision: config.revision, choices, consentId, record: record?.id ?? '' };
    writeCookie(CONSENT_COOKIE, { ...detail, t: Date.now() }, cookieDays, cookieDomain);
    this.banner = false;
    this.renderRoot.querySelector('dialog')?.close();
    this.#apply(granted);
    this.dispatchEvent(new AssentConsentChangedEvent(detail));
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.#opening && dialog) {
      this.#opening = false;
      if (!dialog.open) dialog.showModal();
    }
  }

  protected override view(): unknown {
    if (!this.loaded) return nothing;
    const t = this.t;
    const config = this.#config;
    const ui = this.ui;
    const optOut = config.categories.filter((c) => c.mode === 'opt-out').map((c) => pick(c.label, ui));
    // Said whenever the browser sends it, also when every category is opt-in anyway, so the user
    // sees the signal was heard (CCPA regulations § 7025(c)(6): show whether it was processed).
    const honoured = optOut.length ? format(t.gpc, optOut.join(ui === 'en' ? ', ' : '、')) : t.gpcOptIn;
    const gpcLine = gpc() ? html`<p part="gpc">${honoured}</p>` : nothing;
    const all = html`<button part="button accept-all" @click=${(e: Event) => this.#choose(e, true)}>
        ${t.acceptAll}
      </button>
      <button part="button reject-all" @click=${(e: Event) => this.#choose(e, false)}>
        ${t.rejectAll}
      </button>`;
    return html`${
        this.banner
          ? html`<section part="banner" class="panel overlay" aria-label=${t.cookiesTitle}>
              <p>
                ${t.cookiesIntro}
                ${
                  config.policy
                    ? html`<a part="link" href=${this.href(config.policy.url)} target="_blank"
                        >${t.cookiePolicy}</a
                      >`
                    : nothing
                }
              </p>
              ${gpcLine}
              <div class="actions">
                ${all}
                <button part="button preferences" class="secondary" @click=${() => this.open()}>
                  ${t.preferences}
                </button>
              </div>
            </section>`
          : nothing
      }
      <dialog part="dialog" class="panel" aria-labelledby="title" @keydown=${this.trapFocus}>
        <h2 id="title">${t.preferencesTitle}</h2>
        ${gpcLine}
        ${config.categories.map(
          (c) =>
            html`<div part="category">
              <label>
                ${pick(c.label, ui)}
                <input
                  part="switch"
                  type="checkbox"
                  role="switch"
                  aria-describedby="about-${c.id}"
                  .checked=${!!this.draft[c.id]}
                  ?disabled=${c.mode === 'necessary'}
                  @change=${(e: Event) =>
                    (this.draft = { ...this.draft, [c.id]: (e.target as HTMLInputElement).checked })}
                />
              </label>
              <p id="about-${c.id}">
                ${pick(c.description, ui)}${c.mode === 'necessary' ? ` (${t.alwaysOn})` : ''}
              </p>
              ${
                c.cookies.length
                  ? html`<details>
                      <summary>${format(t.cookieList, c.cookies.length)}</summary>
                      <ul>
                        ${c.cookies.map(
                          (k) =>
                            html`<li>
                              <code>${k.name}</code>${[
                                k.service,
                                k.purpose && pick(k.purpose, ui),
                                k.duration && pick(k.duration, ui),
                              ]
                                .filter(Boolean)
                                .map((s) => ` · ${s}`)}
                            </li>`,
                        )}
                      </ul>
                    </details>`
                  : nothing
              }
            </div>`,
        )}
        <div class="actions">
          ${all}
          <button part="button save" class="secondary" @click=${(e: Event) => this.#choose(e)}>
            ${t.save}
          </button>
          <button
            part="button close"
            class="secondary"
            @click=${() => this.renderRoot.querySelector('dialog')?.close()}
          >
            ${t.close}
          </button>
        </div>
        ${this.statusLine()}
      </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-cookies': AssentCookies;
  }
}
