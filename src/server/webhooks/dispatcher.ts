/**
 * Delivers stored records to the registered webhooks: every `intervalMs`, each webhook that is
 * not waiting out a failure gets the records after its `deliveredThrough` that match its filter,
 * one POST each, in record order; its cursor moves on after each 2xx. A failure (an error
 * status, no answer within `timeoutMs`) stops that webhook's round and delays the next attempt
 * (1 s, 2 s, 4 s, … up to 10 minutes), so a subject's records never overtake each other.
 * At least once: a crash after the receiver answered but before the cursor was saved sends that
 * record again; receivers drop repeats by the `Assent-Delivery` header (`<webhook>:<seq>`).
 * Records an operator asked to send again go first, marked `Assent-Replay: true`.
 */
import type { StoredRecord } from '../../contract/record.ts';
import { deliveryErrorText, type DeliveryFailure } from '../../contract/webhooks.ts';
import type { RecordReader } from '../store/record-store.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { matches, type Webhook, type WebhookStore } from './webhook-store.ts';

export interface DispatcherOptions {
  webhooks: WebhookStore;
  records: RecordReader;
  intervalMs?: number;
  timeoutMs?: number;
  /** Records one webhook's round sends at most. */
  batch?: number;
  /** Whether this process may deliver now (PostgreSQL: one instance at a time). */
  lead?: () => Promise<boolean>;
  onProblem?: (message: string) => void;
}

const MAX_BACKOFF_MS = 10 * 60_000;

export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 20));
}

/**
 * Why fetch gave no answer. Its own message is "fetch failed" whatever happened; the system's
 * code (ECONNREFUSED, ENOTFOUND, …) in its cause is what an operator can act on.
 */
function noAnswer(failure: unknown, timeoutMs: number): DeliveryFailure {
  const error = failure as Error & { cause?: { code?: unknown; message?: unknown } };
  if (error.name === 'TimeoutError') return { kind: 'timeout', seconds: timeoutMs / 1000 };
  const cause = error.cause;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : error.message;
  return { kind: 'unreachable', detail };
}

export class WebhookDispatcher {
  readonly #options: Required<Omit<DispatcherOptions, 'onProblem' | 'lead'>> &
    Pick<DispatcherOptions, 'onProblem' | 'lead'>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  /** Cuts the POSTs under way short when the endpoint stops: they are sent again after a restart. */
  readonly #stopping = new AbortController();

  constructor(options: DispatcherOptions) {
    this.#options = { intervalMs: 500, timeoutMs: 10_000, batch: 100, ...options };
  }

  start(): void {
    this.#timer = setInterval(() => void (this.#running ?? this.round()), this.#options.intervalMs);
  }

  /** One round for every webhook; resolves when it is done (a round under way is awaited first). */
  async round(): Promise<void> {
    await this.#running;
    if (this.#closed) return;
    this.#running = this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<void> {
    try {
      if (this.#options.lead && !(await this.#options.lead())) return;
      for (const webhook of await this.#options.webhooks.list()) {
        if (this.#closed) return;
        if (webhook.nextAttemptAt && Date.parse(webhook.nextAttemptAt) > Date.now()) continue;
        if (await this.#replays(webhook)) await this.#deliverNew(webhook);
      }
    } catch (error) {
      this.#options.onProblem?.(`webhook deliveries: ${(error as Error).message}`);
    }
  }

  /** Sends the records queued for replay; false when one failed (the round stops there). */
  async #replays(webhook: Webhook): Promise<boolean> {
    const { webhooks, records } = this.#options;
    for (const seq of await webhooks.replays(webhook.id)) {
      for await (const record of records.records(seq)) {
        if (record.seq === seq && !(await this.#post(webhook, record, true))) return false;
        break;
      }
      await webhooks.replayed(webhook.id, seq);
    }
    return true;
  }

  async #deliverNew(webhook: Webhook): Promise<void> {
    const { webhooks, records, batch } = this.#options;
    let passed = webhook.deliveredThrough;
    let sent = 0;
    for await (const record of records.records(webhook.deliveredThrough + 1)) {
      if (this.#closed || sent >= batch) break;
      if (matches(webhook.filter, record)) {
        sent++;
        if (!(await this.#post(webhook, record, false))) return;
      }
      passed = record.seq;
    }
    // Records that do not match are passed over with the last one sent, or on their own.
    if (passed > webhook.deliveredThrough) await webhooks.delivered(webhook.id, passed);
  }

  /** One POST; logs the attempt, and on success moves the cursor (not for a replay). */
  async #post(webhook: Webhook, record: StoredRecord, replay: boolean): Promise<boolean> {
    const { webhooks, timeoutMs } = this.#options;
    const secret = await webhooks.secret(webhook.id);
    if (secret === undefined) return false;
    const body = JSON.stringify(record);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'assent-webhooks',
          'assent-webhook': webhook.id,
          'assent-delivery': `${webhook.id}:${record.seq}`,
          ...(replay ? { 'assent-replay': 'true' } : {}),
          [SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        // A redirect is not followed: the signed record goes only where the operator said.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#stopping.signal]),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status > 299) error = deliveryErrorText({ kind: 'status', status });
    } catch (failure) {
      error = deliveryErrorText(noAnswer(failure, timeoutMs));
    }
    if (this.#closed) return false;
    const at = new Date().toISOString();
    await webhooks.log({
      webhookId: webhook.id,
      seq: record.seq,
      at,
      status,
      ok: error === null,
      error,
      replay,
    });
    if (error === null) {
      if (!replay) await webhooks.delivered(webhook.id, record.seq);
      webhook.failures = 0;
      return true;
    }
    const next = new Date(Date.now() + backoffMs(webhook.failures)).toISOString();
    await webhooks.failed(webhook.id, error, next);
    return false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#stopping.abort();
    await this.#running;
  }
}
