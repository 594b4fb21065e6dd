/**
 * Integrity: walk the hash chain on the endpoint with a progress bar
 * (`GET /v1/verify/progress`), show the newest signed checkpoint with its signature checked in
 * this browser, offered as the `<size>.checkpoint` file and `assent-keys.json` that
 * `assent checkpoint --save` keeps; list the latest checkpoints (`GET /v1/checkpoints`, a page
 * at a time), each checked the same way and offered as its file; and download every record as
 * NDJSON (the evidence) or CSV. Failures are told in the reader's language (proof-reasons.ts).
 */
import { html, LitElement, nothing } from 'lit';
import type { CheckpointAnswer } from '../../contract/proof/api.ts';
import { toBase64 } from '../../contract/proof/bytes.ts';
import { ApiError, saveFile, type Api, type ChainReport } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { chainBreak, proofFailure } from '../proof-reasons.ts';
import { latestCheckpoint, listedCheckpoint, type VerifiedCheckpoint } from '../proof.ts';
import { describeError } from './errors.ts';

/** A checkpoint of the list: as answered, then verified here or not. */
interface Listed {
  answer: CheckpointAnswer;
  outcome: VerifiedCheckpoint | { failed: unknown } | undefined;
}

const LIST_PAGE = 10;

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
    checkpointFailure: { state: true },
    listed: { state: true },
    listNext: { state: true },
    listFirst: { state: true },
    listProblem: { state: true },
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
  /** The newest checkpoint did not verify: why (told at render, in the reader's language). */
  declare private checkpointFailure: unknown;
  declare private listed: Listed[] | undefined;
  /** `before` for the next (older) page of the list; null at the oldest. */
  declare private listNext: number | null;
  /** Whether the list shows its first (newest) page. */
  declare private listFirst: boolean;
  declare private listProblem: string;
  /** Counts list loads, so that checks finishing for a page left behind are dropped. */
  #listLoad = 0;

  constructor() {
    super();
    this.checked = this.total = 0;
    this.running = this.downloading = false;
    this.error = this.checkpointProblem = this.listProblem = '';
    this.listNext = null;
    this.listFirst = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCheckpoint();
    void this.#loadList();
  }

  async #loadCheckpoint(): Promise<void> {
    try {
      this.checkpoint = await latestCheckpoint(this.api);
    } catch (error) {
      const { t } = this;
      if (!(error instanceof ApiError)) this.checkpointFailure = error;
      else
        this.checkpointProblem =
          error.code === 'no-checkpoint' ? t('proof.noCheckpoint') : describeError(error, t, this);
    }
  }

  /** A page of the list, each checkpoint's signature checked here against the endpoint's keys. */
  async #loadList(before?: number): Promise<void> {
    this.listProblem = '';
    const load = ++this.#listLoad;
    try {
      const [page, jwks] = await Promise.all([
        this.api.checkpoints(before, LIST_PAGE),
        this.api.signingKeys(),
      ]);
      const listed: Listed[] = page.checkpoints.map((answer) => ({ answer, outcome: undefined }));
      this.listed = listed;
      this.listNext = page.next;
      this.listFirst = before === undefined;
      await Promise.all(
        listed.map(async (item, i) => {
          let outcome: Listed['outcome'];
          try {
            outcome = await listedCheckpoint(item.answer, jwks);
          } catch (error) {
            outcome = { failed: error };
          }
          // A newer load may have replaced the list meanwhile.
          if (load === this.#listLoad) {
            listed[i] = { ...item, outcome };
            this.listed = [...listed];
          }
        }),
      );
    } catch (error) {
      this.listProblem = describeError(error, this.t, this);
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
      ${report && !report.ok ? html`<p role="alert">${t('integrity.broken', report.brokenAt, chainBreak(report, t))}</p>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing} ${this.#checkpointSection()}
      ${this.#listSection()}
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
        ${
          latest
            ? html`<strong class="verified">${t('checkpoint.verified')}</strong>`
            : this.checkpointProblem || this.checkpointFailure
              ? ''
              : t('common.loading')
        }
      </p>
      ${this.checkpointProblem ? html`<p role="alert">${this.checkpointProblem}</p>` : nothing}
      ${
        this.checkpointFailure
          ? html`<p role="alert">${t('checkpoint.failed', proofFailure(this.checkpointFailure, t))}</p>`
          : nothing
      }
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

  #listSection() {
    const { t, listed } = this;
    return html`
      <h3>${t('checkpoints.title')}</h3>
      <p>${t('checkpoints.intro')}</p>
      ${this.listProblem ? html`<p role="alert">${this.listProblem}</p>` : nothing}
      ${listed && listed.length === 0 ? html`<p>${t('proof.noCheckpoint')}</p>` : nothing}
      ${
        listed?.length
          ? html`<div class="scroll">
              <table>
                <caption>
                  ${t('checkpoints.caption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="number">${t('checkpoint.size')}</th>
                    <th scope="col">${t('checkpoint.time')}</th>
                    <th scope="col">${t('checkpoint.root')}</th>
                    <th scope="col">${t('checkpoints.signature')}</th>
                    <th scope="col">${t('checkpoints.file')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${listed.map((item) => this.#listRow(item))}
                </tbody>
              </table>
            </div>`
          : nothing
      }
      ${
        listed && (this.listNext !== null || !this.listFirst)
          ? html`<div class="actions">
              <button class="secondary" ?disabled=${this.listFirst} @click=${() => this.#loadList()}>
                ${t('checkpoints.newest')}
              </button>
              <button
                class="secondary"
                ?disabled=${this.listNext === null}
                @click=${() => this.#loadList(this.listNext!)}
              >
                ${t('checkpoints.older')}
              </button>
            </div>`
          : nothing
      }
    `;
  }

  /** Figures are shown only once the signature verified; a failure says why, and offers no file. */
  #listRow({ answer, outcome }: Listed) {
    const { t } = this;
    const verified = outcome && 'checkpoint' in outcome ? outcome : undefined;
    return html`<tr>
      <th scope="row" class="number">${answer.treeSize}</th>
      <td>${verified ? (verified.checkpoint.time ?? t('checkpoint.noTime')) : ''}</td>
      <td class="hash">${verified ? toBase64(verified.checkpoint.rootHash) : ''}</td>
      <td>
        ${
          verified
            ? html`<strong class="verified">${t('checkpoints.verified')}</strong>`
            : outcome
              ? html`<span class="failed"
                  >${t('checkpoints.failed', proofFailure((outcome as { failed: unknown }).failed, t))}</span
                >`
              : t('checkpoints.checking')
        }
      </td>
      <td>
        ${
          verified
            ? html`<button class="secondary" @click=${() => this.#saveCheckpoint(verified)}>
                ${t('checkpoints.download', verified.checkpoint.treeSize)}
              </button>`
            : nothing
        }
      </td>
    </tr>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-integrity': ConsoleIntegrity;
  }
}
