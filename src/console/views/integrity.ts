/**
 * Integrity: walk the hash chain on the endpoint with a progress bar
 * (`GET /v1/verify/progress`), show the newest signed checkpoint with its signature checked in
 * this browser, offered as the `<size>.checkpoint` file and `assent-keys.json` that
 * `assent checkpoint --save` keeps, and download every record as NDJSON (the evidence) or CSV.
 */
import { html, LitElement, nothing } from 'lit';
import { toBase64 } from '../../contract/proof/bytes.ts';
import { ApiError, saveFile, type Api, type ChainReport } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { latestCheckpoint, type VerifiedCheckpoint } from '../proof.ts';
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
    checkpoint: { state: true },
    checkpointProblem: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private checked: number;
  declare private total: number;
  declare private running: boolean;
  declare private report: ChainReport | undefined;
  declare private error: string;
  declare private downloading: boolean;
  declare private checkpoint: VerifiedCheckpoint | undefined;
  declare private checkpointProblem: string;

  constructor() {
    super();
    this.checked = this.total = 0;
    this.running = this.downloading = false;
    this.error = this.checkpointProblem = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCheckpoint();
  }

  async #loadCheckpoint(): Promise<void> {
    try {
      this.checkpoint = await latestCheckpoint(this.api);
    } catch (error) {
      const { t } = this;
      this.checkpointProblem =
        error instanceof ApiError
          ? error.code === 'no-checkpoint'
            ? t('proof.noCheckpoint')
            : describeError(error, t, this)
          : t('checkpoint.failed', (error as Error).message);
    }
  }

  #saveCheckpoint({ note, checkpoint }: VerifiedCheckpoint): void {
    // The names `assent checkpoint --save` gives, so `assent verify --checkpoint` reads them.
    saveFile(new Blob([note], { type: 'text/plain' }), `${checkpoint.treeSize}.checkpoint`);
  }

  #saveKeys({ jwks }: VerifiedCheckpoint): void {
    saveFile(new Blob([JSON.stringify(jwks, null, 2)], { type: 'application/json' }), 'assent-keys.json');
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
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing} ${this.#checkpointSection()}
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

  #checkpointSection() {
    const { t, checkpoint: latest } = this;
    return html`
      <h3>${t('checkpoint.title')}</h3>
      <p>${t('checkpoint.intro')}</p>
      <p role="status">
        ${latest ? html`<strong class="verified">${t('checkpoint.verified')}</strong>` : this.checkpointProblem ? '' : t('common.loading')}
      </p>
      ${this.checkpointProblem ? html`<p role="alert">${this.checkpointProblem}</p>` : nothing}
      ${
        latest
          ? html`<dl>
                <dt>${t('checkpoint.size')}</dt>
                <dd>${latest.checkpoint.treeSize}</dd>
                <dt>${t('checkpoint.root')}</dt>
                <dd class="hash">${toBase64(latest.checkpoint.rootHash)}</dd>
                <dt>${t('checkpoint.time')}</dt>
                <dd>${latest.checkpoint.time ?? t('checkpoint.noTime')}</dd>
                <dt>${t('checkpoint.key')}</dt>
                <dd class="hash">${latest.signedBy.join(', ')}</dd>
                <dt>${t('checkpoint.origin')}</dt>
                <dd>${latest.checkpoint.origin}</dd>
              </dl>
              <div class="actions">
                <button class="secondary" @click=${() => this.#saveCheckpoint(latest)}>
                  ${t('checkpoint.download')}
                </button>
                <button class="secondary" @click=${() => this.#saveKeys(latest)}>
                  ${t('checkpoint.downloadKeys')}
                </button>
              </div>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-integrity': ConsoleIntegrity;
  }
}
