/**
 * `<assent-console>`: the operator console. Signs in with an operator token (checked with
 * `GET /v1/session`, kept in sessionStorage), then shows one view at a time (Overview, Records,
 * Subject, Integrity) chosen from a navigation bar; in English or Chinese. Switching views
 * moves focus to the new view's heading, so keyboard and screen-reader users land on it.
 */
import { html, LitElement, nothing } from 'lit';
import { Api, ApiError, forgetToken, keepToken, storedToken, type Role } from './api.ts';
import { consoleStyles } from './console.styles.ts';
import { preferredLocale, translator, type ConsoleLocale, type Translate } from './locales.ts';
import { css } from 'lit';

export const VIEWS = ['overview', 'records', 'subject', 'integrity', 'webhooks'] as const;
export type View = (typeof VIEWS)[number];

/** Views only the admin token may open. */
const ADMIN_VIEWS: readonly View[] = ['webhooks'];

const LOCALE_KEY = 'assent-console-locale';

export class AssentConsole extends LitElement {
  static override styles = [
    consoleStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
        padding-block-end: 0.75rem;
        border-block-end: 1px solid var(--_border);
        margin-block-end: 1rem;
      }
      h1 {
        font-size: 1.35em;
        margin: 0;
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        list-style: none;
        margin: 0 0 1rem;
        padding: 0;
      }
      nav button[aria-current='page'] {
        background: var(--_accent);
        color: var(--_on-accent);
      }
      .sign-in {
        max-inline-size: 32rem;
      }
      .sign-in input {
        inline-size: 100%;
        box-sizing: border-box;
      }
    `,
  ];
  static override properties = {
    api: { state: true },
    operatorRole: { state: true },
    view: { state: true },
    locale: { state: true },
    error: { state: true },
    checking: { state: true },
  };

  declare private api: Api | undefined;
  declare private operatorRole: Role | undefined;
  declare private view: View;
  declare private locale: ConsoleLocale;
  declare private error: string;
  declare private checking: boolean;

  constructor() {
    super();
    this.view = 'overview';
    this.locale =
      (localStorage.getItem(LOCALE_KEY) as ConsoleLocale | null) ?? preferredLocale(navigator.languages);
    this.error = '';
    this.checking = false;
  }

  get #t(): Translate {
    return translator(this.locale);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('assent-console-signed-out', this.#signedOut);
    const token = storedToken();
    if (token) void this.#signIn(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('assent-console-signed-out', this.#signedOut);
  }

  override updated(): void {
    document.documentElement.lang = this.locale;
    document.title = this.#t('app.title');
  }

  #signedOut = () => {
    forgetToken();
    this.api = undefined;
    this.operatorRole = undefined;
    this.error = this.#t('error.expired');
  };

  async #signIn(token: string): Promise<void> {
    this.checking = true;
    this.error = '';
    const api = new Api(token);
    try {
      this.operatorRole = (await api.session()).role;
      keepToken(token);
      this.api = api;
      await this.#focusView();
    } catch (error) {
      forgetToken();
      this.error =
        error instanceof ApiError
          ? this.#t('signIn.wrong', error.message)
          : this.#t('error.network', (error as Error).message);
    } finally {
      this.checking = false;
    }
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const token = String(new FormData(event.target as HTMLFormElement).get('token') ?? '').trim();
    if (token) void this.#signIn(token);
  }

  #signOut(): void {
    forgetToken();
    this.api = undefined;
    this.operatorRole = undefined;
  }

  async #show(view: View): Promise<void> {
    this.view = view;
    await this.#focusView();
  }

  async #focusView(): Promise<void> {
    await this.updateComplete;
    const element = this.renderRoot.querySelector<LitElement>('main > *');
    await element?.updateComplete;
    element?.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
  }

  #switchLocale(): void {
    this.locale = this.locale === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem(LOCALE_KEY, this.locale);
  }

  override render() {
    const t = this.#t;
    return html`
      <header>
        <h1>${t('app.title')}</h1>
        <div class="actions">
          ${this.operatorRole ? html`<span class="muted">${t('app.role', t(`app.role.${this.operatorRole}`))}</span>` : nothing}
          <button
            class="secondary"
            lang=${this.locale === 'en' ? 'zh-CN' : 'en'}
            @click=${this.#switchLocale}
          >
            ${t('app.language')}
          </button>
          ${this.api ? html`<button class="secondary" @click=${this.#signOut}>${t('app.signOut')}</button>` : nothing}
        </div>
      </header>
      ${this.api ? this.#signedIn(this.api, t) : this.#signInForm(t)}
    `;
  }

  #signInForm(t: Translate) {
    return html`<main class="sign-in">
      <h2>${t('signIn.title')}</h2>
      <p>${t('signIn.intro')}</p>
      <form @submit=${this.#submit}>
        <label
          >${t('signIn.token')}
          <input name="token" type="password" required autocomplete="off" spellcheck="false" />
        </label>
        <div class="actions">
          <button type="submit" ?disabled=${this.checking}>${t('signIn.submit')}</button>
        </div>
      </form>
      <p role="alert">${this.error}</p>
    </main>`;
  }

  #view(view: View, api: Api, t: Translate) {
    switch (view) {
      case 'overview':
        return html`<assent-console-overview .api=${api} .t=${t}></assent-console-overview>`;
      case 'records':
        return html`<assent-console-records .api=${api} .t=${t}></assent-console-records>`;
      case 'subject':
        return html`<assent-console-subject .api=${api} .t=${t}></assent-console-subject>`;
      case 'integrity':
        return html`<assent-console-integrity .api=${api} .t=${t}></assent-console-integrity>`;
      case 'webhooks':
        return html`<assent-console-webhooks .api=${api} .t=${t}></assent-console-webhooks>`;
    }
  }

  #signedIn(api: Api, t: Translate) {
    const view = this.view;
    return html`
      <nav aria-label=${t('app.views')}>
        <ul>
          ${VIEWS.filter((v) => this.operatorRole === 'admin' || !ADMIN_VIEWS.includes(v)).map(
            (v) =>
              html`<li>
                <button
                  class="secondary"
                  aria-current=${v === view ? 'page' : 'false'}
                  @click=${() => this.#show(v)}
                >
                  ${t(`view.${v}`)}
                </button>
              </li>`,
          )}
        </ul>
      </nav>
      <main>${this.#view(view, api, t)}</main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console': AssentConsole;
  }
}
