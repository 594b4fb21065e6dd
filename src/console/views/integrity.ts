/**
 * Integrity: walk the hash chain on the endpoint with a progress bar
 * (`GET /v1/verify/progress`), and download every record as NDJSON (the evidence) or CSV.
 */
import { html, LitElement, nothing } from 'lit';
import { saveFile, type Api, type ChainReport } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

export class ConsoleIntegrity extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    checked: { state: true },
    total: { state: true },
    running: { state: true },
    report: { state: true },
    error: { state: true },
    downloading: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private checked: number;
  declare private total: number;
  declare private running: boolean;
  declare private report: ChainReport | undefined;
  declare private error: string;
  declare private downloading: boolean;

  constructor() {
    super();
    this.checked = this.total = 0;
    this.running = this.downloading = false;
    this.error = '';
  }

  async #verify(): Promise<void> {
    this.running = true;
    this.report = undefined;
    this.error = '';
    this.checked = 0;
    try {
      this.report = await this.api.verify((checked, total) => {
        this.checked = checked;
        this.total = total;
      });
      this.checked = this.total = this.report.records;
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.running = false;
    }
  }

  async #export(format: 'ndjson' | 'csv'): Promise<void> {
    this.downloading = true;
    this.error = '';
    try {
      saveFile(await this.api.export(format), `assent-records.${format}`);
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.downloading = false;
    }
  }

  override render() {
    const { t, report } = this;
    return html`
      <h2 tabindex="-1">${t('integrity.title')}</h2>
      <div class="actions">
        <button ?disabled=${this.running} @click=${this.#verify}>${t('integrity.verify')}</button>
      </div>
      ${
        this.running || report
          ? html`<p>
              <label
                >${t('integrity.progress')}
                <progress max=${Math.max(1, this.total)} .value=${this.checked}></progress>
              </label>
            </p>`
          : nothing
      }
      <p role="status">
        ${
          this.running
            ? t('integrity.checked', this.checked, this.total || '…')
            : report
              ? report.ok
                ? t('integrity.ok', report.records, report.lastSeq, report.lastHash)
                : nothing
              : nothing
        }
      </p>
      ${report && !report.ok ? html`<p role="alert">${t('integrity.broken', report.brokenAt, report.reason)}</p>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <h3>${t('integrity.export')}</h3>
      <p>${t('integrity.exportIntro')}</p>
      <div class="actions">
        <button class="secondary" ?disabled=${this.downloading} @click=${() => this.#export('ndjson')}>
          ${t('integrity.ndjson')}
        </button>
        <button class="secondary" ?disabled=${this.downloading} @click=${() => this.#export('csv')}>
          ${t('integrity.csv')}
        </button>
      </div>
      <p class="muted" aria-live="polite">${this.downloading ? t('integrity.downloading') : ''}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-integrity': ConsoleIntegrity;
  }
}
