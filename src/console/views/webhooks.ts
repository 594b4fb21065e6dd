/**
 * Webhooks (admin only): each partner's URL with how far its deliveries have come and its
 * failures; the latest attempts of one, each delivered record with a button to send it again.
 * Registration stays with `POST /v1/webhooks`, which shows the signing secret once.
 */
import { html, LitElement, nothing } from 'lit';
import type { Api, DeliveryAttempt, Webhook } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

export class ConsoleWebhooks extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    webhooks: { state: true },
    shown: { state: true },
    attempts: { state: true },
    message: { state: true },
    error: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private webhooks: Webhook[] | undefined;
  declare private shown: Webhook | undefined;
  declare private attempts: DeliveryAttempt[] | undefined;
  declare private message: string;
  declare private error: string;

  constructor() {
    super();
    this.message = this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.webhooks = (await this.api.webhooks()).webhooks;
      if (this.shown) await this.#show(this.webhooks.find((w) => w.id === this.shown!.id));
    } catch (error) {
      this.error = describeError(error, this.t, this);
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

  override render() {
    const { t, webhooks } = this;
    return html`
      <h2 tabindex="-1">${t('webhooks.title')}</h2>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
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
                        <td class="number">${w.deliveredThrough}</td>
                        <td class="number">${w.failures}</td>
                        <td>${w.lastError ?? ''}</td>
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
    `;
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
                  ${a.ok ? t('webhooks.ok') : t('webhooks.failed', a.error ?? String(a.status))}
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
