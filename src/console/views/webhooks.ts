/**
 * Webhooks (admin only; the auditor's console does not offer the view, and the endpoint refuses
 * its token on these routes): register a partner's URL with a filter (record types,
 * documents), its signing secret shown once right after; each webhook with how far its
 * deliveries have come and its failures; the latest attempts of one, each delivered record
 * with a button to send it again.
 */
import { html, LitElement, nothing } from 'lit';
import type { RecordType } from '../../contract/record.ts';
import type { Stats } from '../../contract/stats.ts';
import { parseDeliveryError, webhookUrlProblem, type WebhookUrlProblem } from '../../contract/webhooks.ts';
import type { Api, DeliveryAttempt, Webhook } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

/** A stored delivery error in the reader's language; a text of unknown shape as it is. */
function deliveryError(text: string, t: Translate): string {
  const failure = parseDeliveryError(text);
  switch (failure?.kind) {
    case 'status':
      return t('webhooks.error.status', failure.status);
    case 'timeout':
      return t('webhooks.error.timeout', failure.seconds);
    case 'unreachable':
      return t('webhooks.error.unreachable', failure.detail);
    case undefined:
      return text;
  }
}

const TYPES: readonly RecordType[] = ['accepted', 'declined', 'acknowledged', 'consent', 'withdrawn'];

/** A webhook just registered: its secret, which the endpoint never shows again. */
interface Registered {
  partner: string;
  secret: string;
}

export class ConsoleWebhooks extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    webhooks: { state: true },
    documents: { state: true },
    shown: { state: true },
    attempts: { state: true },
    message: { state: true },
    error: { state: true },
    formProblem: { state: true },
    registering: { state: true },
    registered: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private webhooks: Webhook[] | undefined;
  declare private documents: Stats['documents'];
  declare private shown: Webhook | undefined;
  declare private attempts: DeliveryAttempt[] | undefined;
  declare private message: string;
  declare private error: string;
  /** What is wrong with the form as filled: which field, and why. */
  declare private formProblem:
    { field: 'partner' | 'url'; problem: WebhookUrlProblem | 'missing' } | undefined;
  declare private registering: boolean;
  declare private registered: Registered | undefined;

  constructor() {
    super();
    this.message = this.error = '';
    this.documents = [];
    this.registering = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    void this.#loadDocuments();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The secret lives only as long as the view that showed it.
    this.registered = undefined;
  }

  async #load(): Promise<void> {
    try {
      this.webhooks = (await this.api.webhooks()).webhooks;
      if (this.shown) await this.#show(this.webhooks.find((w) => w.id === this.shown!.id));
    } catch (error) {
      this.error = describeError(error, this.t, this);
    }
  }

  /** The documents a filter may name: those the overview knows (from the manifest). */
  async #loadDocuments(): Promise<void> {
    try {
      this.documents = (await this.api.stats({})).documents;
    } catch {
      // The form then offers no documents to choose; a webhook for every document still works.
    }
  }

  async #show(webhook: Webhook | undefined): Promise<void> {
    this.shown = webhook;
    this.attempts = webhook ? (await this.api.attempts(webhook.id)).attempts : undefined;
  }

  async #replay(attempt: DeliveryAttempt): Promise<void> {
    try {
      await this.api.replay(attempt.webhookId, attempt.seq);
      this.message = this.t('webhooks.queued', attempt.seq);
    } catch (error) {
      this.error = describeError(error, this.t, this);
    }
  }

  async #register(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const partner = String(data.get('partner') ?? '').trim();
    const url = String(data.get('url') ?? '').trim();
    const types = data.getAll('types').map(String) as RecordType[];
    const documents = data.getAll('documents').map(String);
    const urlProblem = webhookUrlProblem(url);
    this.formProblem = !partner
      ? { field: 'partner', problem: 'missing' }
      : urlProblem
        ? { field: 'url', problem: urlProblem }
        : undefined;
    this.error = this.message = '';
    if (this.formProblem) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(`input[name=${this.formProblem.field}]`)?.focus();
      return;
    }
    this.registering = true;
    try {
      const { secret } = await this.api.registerWebhook({
        partner,
        url,
        ...(types.length ? { types } : {}),
        ...(documents.length ? { documents } : {}),
      });
      form.reset();
      this.registered = { partner, secret };
      await this.#load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#secret')?.focus();
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.registering = false;
    }
  }

  #secretKept(): void {
    const { partner } = this.registered!;
    this.registered = undefined;
    this.message = this.t('webhooks.registered', partner);
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render() {
    const { t, webhooks } = this;
    return html`
      <h2 tabindex="-1">${t('webhooks.title')}</h2>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.registered ? this.#secret(this.registered) : nothing}
      ${webhooks && webhooks.length === 0 ? html`<p>${t('webhooks.none')}</p>` : nothing}
      ${
        webhooks?.length
          ? html`<div class="scroll">
              <table>
                <caption>
                  ${t('webhooks.caption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('webhooks.partner')}</th>
                    <th scope="col">${t('webhooks.url')}</th>
                    <th scope="col">${t('webhooks.filter')}</th>
                    <th scope="col" class="number">${t('webhooks.through')}</th>
                    <th scope="col" class="number">${t('webhooks.failures')}</th>
                    <th scope="col">${t('webhooks.lastError')}</th>
                    <th scope="col">${t('webhooks.next')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${webhooks.map(
                    (w) =>
                      html`<tr>
                        <th scope="row">
                          <button
                            class="secondary"
                            aria-label=${t('webhooks.show', w.partner)}
                            @click=${() => this.#show(w)}
                          >
                            ${w.partner}
                          </button>
                        </th>
                        <td class="hash">${w.url}</td>
                        <td>${this.#filter(w)}</td>
                        <td class="number">${w.deliveredThrough}</td>
                        <td class="number">${w.failures}</td>
                        <td>${w.lastError === null ? '' : deliveryError(w.lastError, t)}</td>
                        <td>${w.nextAttemptAt ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${this.shown && this.attempts ? this.#attempts(this.shown, this.attempts) : nothing}
      <p role="status">${this.message}</p>
      ${this.#form()}
    `;
  }

  #filter(w: Webhook): string {
    const { t } = this;
    const parts = [
      ...(w.filter.types ?? []).map((type) => t(`type.${type}`)),
      ...(w.filter.documents ?? []).map((slug) => this.documents.find((d) => d.slug === slug)?.title ?? slug),
    ];
    return parts.length ? parts.join(', ') : t('webhooks.everything');
  }

  #secret({ partner, secret }: Registered) {
    const { t } = this;
    return html`<section class="secret" aria-labelledby="secret-title">
      <h3 id="secret-title">${t('webhooks.secretTitle', partner)}</h3>
      <p>${t('webhooks.secretOnce', partner)}</p>
      <label
        >${t('webhooks.secret')}
        <input id="secret" class="hash" readonly .value=${secret} spellcheck="false" autocomplete="off" />
      </label>
      <div class="actions">
        <button @click=${this.#secretKept}>${t('webhooks.secretDone')}</button>
      </div>
    </section>`;
  }

  #form() {
    const { t, formProblem } = this;
    const invalid = (field: 'partner' | 'url') => (formProblem?.field === field ? 'true' : 'false');
    return html`<h3 id="register-title">${t('webhooks.register')}</h3>
      <p>${t('webhooks.registerIntro')}</p>
      <form class="register" novalidate aria-labelledby="register-title" @submit=${this.#register}>
        <label
          >${t('webhooks.partner')}
          <input
            name="partner"
            maxlength="100"
            autocomplete="off"
            aria-invalid=${invalid('partner')}
            aria-describedby=${formProblem?.field === 'partner' ? 'form-problem' : nothing}
          />
        </label>
        <label
          >${t('webhooks.url')}
          <input
            name="url"
            type="url"
            maxlength="2000"
            autocomplete="off"
            spellcheck="false"
            placeholder="https://"
            aria-invalid=${invalid('url')}
            aria-describedby=${formProblem?.field === 'url' ? 'form-problem url-hint' : 'url-hint'}
          />
        </label>
        <p id="url-hint" class="muted">${t('webhooks.urlHint')}</p>
        <fieldset>
          <legend>${t('webhooks.types')}</legend>
          ${TYPES.map(
            (type) =>
              html`<label class="check"
                ><input type="checkbox" name="types" value=${type} />${t(`type.${type}`)}</label
              >`,
          )}
        </fieldset>
        ${
          this.documents.length
            ? html`<fieldset>
                <legend>${t('webhooks.documents')}</legend>
                ${this.documents.map(
                  (d) =>
                    html`<label class="check"
                      ><input type="checkbox" name="documents" value=${d.slug} />${d.title}</label
                    >`,
                )}
              </fieldset>`
            : nothing
        }
        ${
          formProblem
            ? html`<p id="form-problem" role="alert">
                ${formProblem.field === 'partner' ? t('webhooks.partnerMissing') : t(`webhooks.url.${formProblem.problem as WebhookUrlProblem}`)}
              </p>`
            : nothing
        }
        <div class="actions">
          <button type="submit" ?disabled=${this.registering}>${t('webhooks.submit')}</button>
        </div>
      </form>`;
  }

  #attempts(webhook: Webhook, attempts: DeliveryAttempt[]) {
    const { t } = this;
    if (attempts.length === 0) return html`<p>${t('webhooks.noAttempts')}</p>`;
    return html`<div class="scroll">
      <table>
        <caption>
          ${t('webhooks.attempts', webhook.partner)}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="number">${t('webhooks.record')}</th>
            <th scope="col">${t('webhooks.at')}</th>
            <th scope="col">${t('webhooks.status')}</th>
            <th scope="col"><span class="muted">—</span></th>
          </tr>
        </thead>
        <tbody>
          ${attempts.map(
            (a) =>
              html`<tr>
                <td class="number">${a.seq}</td>
                <td>${a.at}</td>
                <td>
                  ${a.ok ? t('webhooks.ok') : t('webhooks.failed', a.error === null ? String(a.status) : deliveryError(a.error, t))}
                  ${a.replay ? html`<span class="muted">(${t('webhooks.replayed')})</span>` : nothing}
                </td>
                <td>
                  ${
                    a.ok && a.seq <= webhook.deliveredThrough
                      ? html`<button class="secondary" @click=${() => this.#replay(a)}>
                          ${t('webhooks.replay', a.seq)}
                        </button>`
                      : nothing
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-webhooks': ConsoleWebhooks;
  }
}
