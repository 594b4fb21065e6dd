/**
 * Records: newest first, filtered by type, document, version, page origin and days, paged by
 * keyset on seq (`GET /v1/operator-records`). A record opens in a dialog with its receipt, its
 * neighbours in the chain, its inclusion proof (checked in the browser) and the record as
 * stored; `recordSections` is where further views of one record are added.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { StoredRecord } from '../../contract/record.ts';
import type { Stats } from '../../contract/stats.ts';
import type { Api, Query } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

const TYPES = ['accepted', 'declined', 'acknowledged', 'consent', 'withdrawn'] as const;

/** A section of the record dialog: given the record and the API, what to show (or nothing). */
export type RecordSection = (record: StoredRecord, api: Api, t: Translate) => TemplateResult | typeof nothing;

/** Extra sections of the record dialog, shown after the receipt and the neighbours. */
export const recordSections: RecordSection[] = [
  (record, api, t) =>
    html`<assent-console-record-proof .record=${record} .api=${api} .t=${t}></assent-console-record-proof>`,
];

export class ConsoleRecords extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    documents: { state: true },
    filter: { state: true },
    page: { state: true },
    error: { state: true },
    loading: { state: true },
    open: { state: true },
    neighbours: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private documents: Stats['documents'];
  declare private filter: Query;
  declare private page: { records: StoredRecord[]; next: number | null } | undefined;
  declare private error: string;
  declare private loading: boolean;
  declare private open: StoredRecord | undefined;
  declare private neighbours: { previous?: number; next?: number } | undefined;
  /** `before` of each page shown so far, for going back to newer ones. */
  #trail: Array<string | undefined> = [];
  #trigger: HTMLElement | null = null;

  constructor() {
    super();
    this.documents = [];
    this.filter = {};
    this.error = '';
    this.loading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadDocuments();
    void this.#load(undefined);
  }

  async #loadDocuments(): Promise<void> {
    try {
      this.documents = (await this.api.stats({})).documents;
    } catch {
      // The filter then offers no documents; the table still works.
    }
  }

  async #load(before: string | undefined): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.page = await this.api.records({ ...this.filter, before });
      this.#trail.push(before);
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.loading = false;
    }
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    this.filter = {
      type: value('type'),
      document: value('document'),
      version: value('version'),
      origin: value('origin'),
      from: value('from'),
      to: value('to'),
      limit: value('limit'),
    };
    this.#trail = [];
    void this.#load(undefined);
  }

  #newer(): void {
    this.#trail.pop();
    const before = this.#trail.pop();
    void this.#load(before);
  }

  async #openRecord(record: StoredRecord, trigger: HTMLElement | null): Promise<void> {
    this.#trigger = trigger ?? this.#trigger;
    this.open = record;
    this.neighbours = undefined;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
    try {
      const around = await this.api.records({ before: String(record.seq + 2), limit: '3' });
      const seqs = around.records.map((r) => r.seq);
      this.neighbours = {
        ...(seqs.includes(record.seq - 1) ? { previous: record.seq - 1 } : {}),
        ...(seqs.includes(record.seq + 1) ? { next: record.seq + 1 } : {}),
      };
    } catch (error) {
      this.error = describeError(error, this.t, this);
    }
  }

  async #openNeighbour(seq: number): Promise<void> {
    const { records } = await this.api.records({ before: String(seq + 1), limit: '1' });
    if (records[0]) await this.#openRecord(records[0], null);
  }

  #closed(): void {
    this.open = undefined;
    // Focus goes back to the button that opened the dialog.
    this.#trigger?.focus();
  }

  override render() {
    const { t } = this;
    const slug = this.filter.document;
    const versions = this.documents.find((d) => d.slug === slug)?.versions ?? [];
    return html`
      <h2 tabindex="-1">${t('records.title')}</h2>
      <form class="filters" aria-label=${t('records.filters')} @submit=${this.#submit}>
        <label
          >${t('records.type')}
          <select name="type">
            <option value="">${t('common.all')}</option>
            ${TYPES.map((type) => html`<option value=${type} ?selected=${this.filter.type === type}>${t(`type.${type}`)}</option>`)}
          </select>
        </label>
        <label
          >${t('records.document')}
          <select
            name="document"
            @change=${(e: Event) => (this.filter = { ...this.filter, document: (e.target as HTMLSelectElement).value || undefined })}
          >
            <option value="">${t('common.all')}</option>
            ${this.documents.map((d) => html`<option value=${d.slug} ?selected=${slug === d.slug}>${d.title}</option>`)}
          </select>
        </label>
        <label
          >${t('records.version')}
          <select name="version">
            <option value="">${t('common.all')}</option>
            ${versions.map((v) => html`<option value=${v.version} ?selected=${this.filter.version === v.version}>${v.version}</option>`)}
          </select>
        </label>
        <label
          >${t('records.origin')}
          <input
            name="origin"
            type="url"
            placeholder="https://shop.example"
            .value=${this.filter.origin ?? ''}
          />
        </label>
        <label>${t('common.from')} <input type="date" name="from" .value=${this.filter.from ?? ''} /></label>
        <label>${t('common.to')} <input type="date" name="to" .value=${this.filter.to ?? ''} /></label>
        <label
          >${t('records.perPage')}
          <select name="limit">
            ${['10', '25', '50', '100', '200'].map(
              (n) => html`<option value=${n} ?selected=${(this.filter.limit ?? '50') === n}>${n}</option>`,
            )}
          </select>
        </label>
        <button type="submit">${t('common.apply')}</button>
      </form>
      <p role="status" class="muted">${this.loading ? t('common.loading') : ''}</p>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.page ? this.#table(this.page) : nothing} ${this.#dialog()}
    `;
  }

  #table(page: { records: StoredRecord[]; next: number | null }) {
    const { t } = this;
    return html`
      <div class="scroll">
        <table>
          <caption>
            ${t('records.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" class="number">${t('records.seq')}</th>
              <th scope="col">${t('records.time')}</th>
              <th scope="col">${t('records.type')}</th>
              <th scope="col">${t('records.document')}</th>
              <th scope="col">${t('records.origin')}</th>
              <th scope="col">${t('records.subject')}</th>
            </tr>
          </thead>
          <tbody>
            ${page.records.map(
              (r) =>
                html`<tr>
                  <td class="number">
                    <button
                      class="secondary"
                      aria-label=${t('records.open', r.seq)}
                      @click=${(e: Event) => this.#openRecord(r, e.currentTarget as HTMLElement)}
                    >
                      ${r.seq}
                    </button>
                  </td>
                  <td>${r.serverTime}</td>
                  <td>${t(`type.${r.type}`)}</td>
                  <td>
                    ${
                      r.document
                        ? `${r.document.slug} ${r.document.version}`
                        : r.cookies
                          ? t('records.cookies', r.cookies.revision)
                          : ''
                    }
                  </td>
                  <td>${r.shown.pageOrigin}</td>
                  <td class="hash">${r.subject.hash.slice(12, 24)}…</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${page.records.length === 0 ? html`<p>${t('records.none')}</p>` : nothing}
      ${page.next !== null && page.records.length < Number(this.filter.limit ?? 50) ? html`<p class="muted">${t('records.more')}</p>` : nothing}
      <div class="actions">
        <button
          class="secondary"
          ?disabled=${this.#trail.length <= 1}
          @click=${() => ((this.#trail = []), this.#load(undefined))}
        >
          ${t('records.newest')}
        </button>
        <button class="secondary" ?disabled=${this.#trail.length <= 1} @click=${this.#newer}>
          ${t('records.newer')}
        </button>
        <button ?disabled=${page.next === null} @click=${() => this.#load(String(page.next))}>
          ${t('records.older')}
        </button>
      </div>
    `;
  }

  #dialog() {
    const { t, open: record } = this;
    return html`<dialog aria-labelledby="record-title" @close=${this.#closed}>
      ${
        record
          ? html`
              <h2 id="record-title">${t('record.title', record.seq)}</h2>
              <h3>${t('record.receipt')}</h3>
              <dl>
                <dt>${t('records.time')}</dt>
                <dd>${record.serverTime}</dd>
                <dt>${t('record.hash')}</dt>
                <dd class="hash">${record.hash}</dd>
                <dt>${t('record.prevHash')}</dt>
                <dd class="hash">${record.prevHash}</dd>
              </dl>
              <h3>${t('record.neighbours')}</h3>
              ${
                this.neighbours
                  ? html`<div class="actions">
                      ${
                        this.neighbours.previous
                          ? html`<button
                              class="secondary"
                              @click=${() => this.#openNeighbour(this.neighbours!.previous!)}
                            >
                              ${t('record.previous', this.neighbours.previous)}
                            </button>`
                          : html`<span class="muted">${t('record.first')}</span>`
                      }
                      ${
                        this.neighbours.next
                          ? html`<button
                              class="secondary"
                              @click=${() => this.#openNeighbour(this.neighbours!.next!)}
                            >
                              ${t('record.next', this.neighbours.next)}
                            </button>`
                          : html`<span class="muted">${t('record.last')}</span>`
                      }
                    </div>`
                  : html`<p class="muted">${t('common.loading')}</p>`
              }
              ${recordSections.map((section) => section(record, this.api, t))}
              <h3 id="record-json">${t('record.json')}</h3>
              <pre
                tabindex="0"
                aria-labelledby="record-json"
              ><code>${JSON.stringify(record, null, 2)}</code></pre>
              <div class="actions">
                <button @click=${() => this.renderRoot.querySelector('dialog')!.close()}>
                  ${t('record.close')}
                </button>
              </div>
            `
          : nothing
      }
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-records': ConsoleRecords;
  }
}
