/**
 * A record's inclusion proof in the newest checkpoint, checked in this browser (the
 * checkpoint's signature against the endpoint's keys, then the proof against its root), for
 * the record dialog. A record newer than the newest checkpoint says so; a proof that does not
 * hold says what failed, never "verified".
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { toBase64 } from '../../contract/proof/bytes.ts';
import type { StoredRecord } from '../../contract/record.ts';
import { ApiError, type Api } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { proofFailure } from '../proof-reasons.ts';
import { recordInclusion, type RecordInclusion } from '../proof.ts';
import { describeError } from './errors.ts';

type Outcome =
  | RecordInclusion
  /** Something did not verify: a signature, the proof, or an answer that is not one (told at render, in the reader's language). */
  | { in: 'failed'; error: unknown }
  /** The endpoint refused or did not answer: nothing was checked. */
  | { in: 'refused'; reason: string };

export class ConsoleRecordProof extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    record: { attribute: false },
    api: { attribute: false },
    t: { attribute: false },
    outcome: { state: true },
  };

  declare record: StoredRecord;
  declare api: Api;
  declare t: Translate;
  declare private outcome: Outcome | undefined;
  /** Counts loads, so that the answer for a record left behind is dropped. */
  #load = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('record') || changed.has('api')) void this.#check();
  }

  async #check(): Promise<void> {
    const load = ++this.#load;
    this.outcome = undefined;
    let outcome: Outcome;
    try {
      outcome = await recordInclusion(this.api, this.record);
    } catch (error) {
      outcome =
        error instanceof ApiError
          ? {
              in: 'refused',
              reason:
                error.code === 'no-checkpoint'
                  ? this.t('proof.noCheckpoint')
                  : describeError(error, this.t, this),
            }
          : { in: 'failed', error };
    }
    if (load === this.#load) this.outcome = outcome;
  }

  override render() {
    const { t, outcome } = this;
    return html`
      <h3>${t('proof.title')}</h3>
      <p role="status">${outcome ? this.#summary(outcome) : t('proof.checking')}</p>
      ${outcome?.in === 'failed' ? html`<p role="alert">${t('proof.failed', proofFailure(outcome.error, t))}</p>` : nothing}
      ${outcome?.in === 'refused' ? html`<p role="alert">${outcome.reason}</p>` : nothing}
      ${
        outcome?.in === 'checkpoint'
          ? html`<dl>
              <dt>${t('checkpoint.root')}</dt>
              <dd class="hash">${toBase64(outcome.checkpoint.rootHash)}</dd>
              <dt>${t('checkpoint.origin')}</dt>
              <dd>${outcome.checkpoint.origin}</dd>
            </dl>`
          : nothing
      }
    `;
  }

  #summary(outcome: Outcome) {
    const { t } = this;
    switch (outcome.in) {
      case 'checkpoint':
        return html`<strong class="verified"
          >${t(
            'proof.verified',
            outcome.checkpoint.treeSize,
            outcome.checkpoint.time ?? t('checkpoint.noTime'),
            outcome.signedBy.join(', '),
          )}</strong
        >`;
      case 'none-yet':
        return t('proof.notYet', outcome.treeSize);
      default:
        return '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-record-proof': ConsoleRecordProof;
  }
}
