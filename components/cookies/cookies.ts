// From the shared modules themselves, not through index.ts: index.ts exports this element.
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { CookieCategory, CookieConfig } from '../../src/contract/manifest.ts';
import { announce, consent, sync, type Choices, type Granted } from '../shared/consent.ts';
import {
  anonymousId,
  CONSENT_COOKIE,
  type ConsentCookie,
  FORMAT,
  readConsent,
  writeCookie,
} from '../shared/cookies.ts';
import { AssentElement, gpc } from '../shared/element.ts';
import { AssentConsentChangedEvent } from '../shared/events.ts';
import { format, pick } from '../shared/i18n.ts';
import type { PropertyValues } from '../shared/reactive-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { cookiesStyles } from './cookies.styles.ts';
import type { CookieParts, GateControl, Preferences } from './parts.ts';

/** One promise for the dialog's module, so that `show()` settles after the dialog is in. */
let loadingPreferences: ReturnType<CookieParts['preferences']> | undefined;
const loadPreferences = () => (loadingPreferences ??= AssentCookies.parts.preferences());

/**
 * Cookie banner and preferences dialog for the categories in the manifest (`cookies`). Until
 * the user chooses, only necessary cookies are allowed: gated scripts
 * (`<script type="text/plain" data-assent-category="…">`) wait, and Google Consent Mode
 * signals are denied. Accept all and Reject all are equally prominent; Preferences opens a
 * dialog with a switch per category. The choice is kept in the `assent_consent` cookie with the
 * configuration's revision (a new revision asks again) and posted as a `consent` record (a
 * choice that switches off a category granted before: `withdrawn`), and applies in every open
 * tab at once. Reopen with `.show()`, the `open` property or attribute, or any element with
 * `data-assent-open="cookies"`. Frames with `data-assent-category` and `data-src` show a
 * placeholder (Load once, Always allow …) until their category is granted. App code reads the
 * choice from the `consent` export. Honours Global
 * Privacy Control: opt-out categories start switched off, the banner and the dialog say the
 * signal is honoured, and records carry `shown.gpc: true`.
 *
 * `state` (reflected: `loading`, `ready`, `error`) and `error` (the last `assent-error`
 * detail) can be read at any time, also by a script that runs after the event fired.
 *
 * @tagname assent-cookies
 *
 * @fires assent-consent-changed - The user chose (here or in another tab). detail: revision, choices (every category, granted or denied), consentId, record.
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
 * @csspart placeholder - What stands in a gated frame's place (in a `[data-assent-placeholder]` host beside it); its buttons are `load-once` and `always-allow`.
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
  /** The modules of the gate and the preferences dialog, loaded on demand (set by define.ts). @internal */
  static parts: CookieParts;
  static override styles = [baseStyles, cookiesStyles];
  static override properties = {
    ...AssentElement.properties,
    open: { type: Boolean, reflect: true },
    refusalDays: { attribute: 'refusal-days', type: Number },
    banner: { state: true },
    draft: { state: true },
    dialog: { state: true },
  };

  /** Reflects whether the preferences dialog is open; set it (or call `show()`) to open it. */
  declare open: boolean;
  /** Days a refusal (no optional category granted) is kept, e.g. shorter than `cookie-days`. */
  declare refusalDays?: number;
  declare private banner: boolean;
  declare private draft: Granted;
  declare private dialog?: (p: Preferences) => TemplateResult;

  /** The gate for scripts and frames (gate.ts), loaded with the manifest: not before the banner. */
  #gate?: Promise<GateControl>;
  #stopSync?: () => void;
  #onClick = (event: Event) => {
    const opener = event
      .composedPath()
      .find((node) => (node as HTMLElement).dataset?.assentOpen === 'cookies') as HTMLElement | undefined;
    if (!opener) return;
    event.preventDefault();
    void this.show();
  };

  constructor() {
    super();
    this.open = this.banner = false;
    this.draft = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.#onClick);
    this.#stopSync = sync(() => this.#heard(true));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.#onClick);
    this.#stopSync?.();
    void this.#gate?.then((gate) => gate.stop());
    this.#gate = undefined;
  }

  /** The choice in force for the published revision, or null before the user has chosen. */
  get consent(): ConsentCookie | null {
    return this.#stored() ?? null;
  }

  /**
   * Opens the preferences dialog (loading it first, and the manifest); resolves once it is open.
   * On close, focus returns where it was.
   */
  async show(): Promise<void> {
    this.open = true;
    await Promise.all([loadPreferences(), this.manifestLoaded]);
    await this.updateComplete;
  }

  /** Closes the preferences dialog. */
  hide(): void {
    this.open = false;
  }

  protected override get config() {
    return { ...super.config, ...(this.refusalDays && { refusalDays: this.refusalDays }) };
  }

  get #config(): CookieConfig {
    const config = this.loaded?.cookies;
    if (!config) throw new Error('the manifest has no cookies configuration');
    return config;
  }

  #stored(): ConsentCookie | undefined {
    const stored = readConsent();
    return stored?.revision === this.loaded?.cookies?.revision ? stored : undefined;
  }

  /** Every category granted or not: `on` for those not necessary (necessary is always on). */
  #every(on: (category: CookieCategory) => boolean): Granted {
    return Object.fromEntries(this.#config.categories.map((c) => [c.id, c.mode === 'necessary' || on(c)]));
  }

  /** The stored choice, or the defaults: necessary on, opt-out on unless GPC, opt-in off. */
  #current(): Granted {
    const stored = this.#stored();
    return this.#every((c) => (stored ? stored.choices[c.id] === 'granted' : c.mode === 'opt-out' && !gpc()));
  }

  /** What is allowed before and without a choice: necessary only. */
  #granted(): Granted {
    const stored = this.#stored();
    return this.#every((c) => stored?.choices[c.id] === 'granted');
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!changed.has('open') || !this.open) return;
    if (this.loaded) this.catching(() => (this.draft = this.#current()));
    loadPreferences().then(
      ({ preferences, preferencesStyles }) => {
        // The dialog's rules come with it: not on the path to the banner.
        const root = this.renderRoot;
        if (!root.adoptedStyleSheets.includes(preferencesStyles))
          root.adoptedStyleSheets = [...root.adoptedStyleSheets, preferencesStyles];
        this.dialog = preferences;
      },
      (error) => this.fail(error),
    );
  }

  protected override ready(): void {
    if (this.open) this.draft = this.#current();
    this.#heard();
    this.follow(this.#stored()?.record);
  }

  /** Reads the stored choice again (on load, or `elsewhere`: another tab chose) and applies it. */
  #heard(elsewhere = false): void {
    if (!this.loaded) return;
    const stored = this.#stored();
    this.banner = !stored;
    this.#apply(this.#granted(), stored?.choices ?? null);
    if (elsewhere && stored) {
      const { revision, choices, consentId, record } = stored;
      this.dispatchEvent(new AssentConsentChangedEvent({ revision, choices, consentId, record }));
    }
  }

  #apply(granted: Granted, choices: Choices | null): void {
    this.#gate ??= AssentCookies.parts.gate().then(
      ({ Gate }) =>
        new Gate(() => ({
          ui: this.ui,
          config: this.#config,
          allow: (event, ids) => this.#allow(event, ids),
        })),
    );
    this.#gate.then(
      (gate) => this.isConnected && gate.apply(granted, !!choices),
      (error) => this.fail(error),
    );
    consent.set(choices);
  }

  #choose(event: Event, granted: Granted): void {
    const config = this.#config;
    const before = this.#stored()?.choices;
    const choices: Choices = Object.fromEntries(
      Object.entries(granted).map(([id, on]) => [id, on ? 'granted' : 'denied']),
    );
    // Switching off what was granted is a withdrawal: the record says so.
    const withdrawn = !!before && Object.keys(choices).some((id) => before[id] === 'granted' && !granted[id]);
    const { cookieDays = 180, refusalDays, cookieDomain } = this.config;
    const refused = config.categories.every((c) => c.mode === 'necessary' || !granted[c.id]);
    const consentId = anonymousId(cookieDomain);
    const record = this.send(
      withdrawn ? 'withdrawn' : 'consent',
      (event.currentTarget as HTMLElement).textContent ?? '',
      { cookies: { revision: config.revision }, choices },
      { kind: 'anonymous', id: consentId },
    );
    const detail = { revision: config.revision, choices, consentId, record: record?.id ?? '' };
    const stored: ConsentCookie = { format: FORMAT, ...detail, time: Date.now() };
    writeCookie(CONSENT_COOKIE, stored, (refused && refusalDays) || cookieDays, cookieDomain);
    this.banner = false;
    this.hide();
    this.#apply(granted, choices);
    announce();
    this.dispatchEvent(new AssentConsentChangedEvent(detail));
  }

  /** "Always allow" on a frame's placeholder: the choice in force, and these categories too. */
  #allow(event: Event, ids: string[]): void {
    const granted = this.#granted();
    this.#choose(
      event,
      this.#every((c) => granted[c.id]! || ids.includes(c.id)),
    );
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.open && dialog && !dialog.open) dialog.showModal();
    // Closing a modal dialog returns focus to where it was; once loaded, it stays, closed.
    if (!this.open && dialog?.open) dialog.close();
    if (changed.has('locale')) void this.#gate?.then((gate) => gate.refresh());
  }

  protected override view(): unknown {
    if (!this.loaded) return nothing;
    return html`${this.banner ? this.#banner() : nothing}${this.#dialog()}`;
  }

  /** Said whenever the browser sends GPC, also when every category is opt-in anyway, so the user
   * sees the signal was heard (CCPA regulations § 7025(c)(6): show whether it was processed). */
  #gpcLine(): unknown {
    if (!gpc()) return nothing;
    const t = this.t;
    const ui = this.ui;
    const optOut = this.#config.categories.filter((c) => c.mode === 'opt-out').map((c) => pick(c.label, ui));
    return html`<p part="gpc">
      ${optOut.length ? format(t.gpc, optOut.join(ui === 'en' ? ', ' : '、')) : t.gpcOptIn}
    </p>`;
  }

  /** Accept all and Reject all, equally prominent, in the banner and the dialog. */
  #all(): TemplateResult {
    const t = this.t;
    return html`<button
        part="button accept-all"
        @click=${(e: Event) =>
          this.#choose(
            e,
            this.#every(() => true),
          )}
      >
        ${t.acceptAll}
      </button>
      <button
        part="button reject-all"
        @click=${(e: Event) =>
          this.#choose(
            e,
            this.#every(() => false),
          )}
      >
        ${t.rejectAll}
      </button>`;
  }

  #banner(): TemplateResult {
    const t = this.t;
    const policy = this.#config.policy;
    return html`<section part="banner" class="panel overlay" aria-label=${t.cookiesTitle}>
      <p>
        ${t.cookiesIntro}
        ${policy ? html`<a part="link" href=${this.href(policy.url)} target="_blank">${t.cookiePolicy}</a>` : nothing}
      </p>
      ${this.#gpcLine()}
      <div class="actions">
        ${this.#all()}
        <button part="button preferences" class="secondary" @click=${() => this.show()}>
          ${t.preferences}
        </button>
      </div>
    </section>`;
  }

  #dialog(): unknown {
    return this.dialog?.({
      ui: this.ui,
      config: this.#config,
      draft: this.draft,
      gpcLine: this.#gpcLine(),
      all: this.#all(),
      status: this.status,
      error: this.error,
      toggle: (id, on) => (this.draft = { ...this.draft, [id]: on }),
      save: (e) =>
        this.#choose(
          e,
          this.#every((c) => !!this.draft[c.id]),
        ),
      close: () => this.hide(),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-cookies': AssentCookies;
  }
}
