/**
 * Where webhooks are kept: each partner's URL, filter and signing secret, how far its
 * deliveries have come (`deliveredThrough`, a record number), its failures and when to try
 * again, a log of recent attempts, and records queued to be sent again. Beside the records (a
 * `webhooks.sqlite` file, or `webhook_*` tables in PostgreSQL), synced like them: a restart
 * goes on from where deliveries stopped. The records themselves are the queue: a webhook
 * delivers every matching record after `deliveredThrough`, in order, so no record is left out
 * and a subject's records arrive in the order they were stored.
 */
import type { RecordType } from '../../contract/record.ts';
import type { DeliveryAttempt, Webhook, WebhookFilter } from '../../contract/webhooks.ts';

export type { DeliveryAttempt, Webhook, WebhookFilter } from '../../contract/webhooks.ts';

export interface WebhookStore {
  /**
   * Stores a new webhook; new webhooks start after the last record stored now. Its secret is
   * kept sealed (sealed-secrets.ts).
   */
  add(webhook: Webhook, secret: string): Promise<void>;
  list(): Promise<Webhook[]>;
  get(id: string): Promise<Webhook | undefined>;
  /** The webhook's secret, opened; a `WebhookSecretError` when it cannot be. */
  secret(id: string): Promise<string | undefined>;
  /**
   * Seals the secrets kept in clear or under an older HMAC key under the current one; says
   * which cannot be opened (they stay as they are).
   */
  resealSecrets(): Promise<string[]>;
  remove(id: string): Promise<boolean>;
  /** After a success: the cursor moves to `seq`, failures reset. */
  delivered(id: string, seq: number): Promise<void>;
  /** After a failure: counted, and no new attempt before `nextAttemptAt`. */
  failed(id: string, error: string, nextAttemptAt: string): Promise<void>;
  log(attempt: DeliveryAttempt): Promise<void>;
  /** The latest attempts of a webhook, newest first. */
  attempts(id: string, limit: number): Promise<DeliveryAttempt[]>;
  /** Queues record `seq` to be sent to the webhook again. */
  queueReplay(id: string, seq: number): Promise<void>;
  replays(id: string): Promise<number[]>;
  replayed(id: string, seq: number): Promise<void>;
  close(): Promise<void>;
}

/** Whether a record goes to a webhook with this filter. */
export function matches(
  filter: WebhookFilter,
  record: { type: string; document: { slug: string } | null },
): boolean {
  if (filter.types && !filter.types.includes(record.type as RecordType)) return false;
  if (filter.documents && (!record.document || !filter.documents.includes(record.document.slug)))
    return false;
  return true;
}

/** Attempts kept per webhook in its log: the newest, for the console and replays. */
export const KEPT_ATTEMPTS = 1000;

/** The stored columns of a webhook, in the order `webhookValues` gives them (then its secret). */
export const WEBHOOK_COLUMNS =
  'id, partner, url, filter, created_at, delivered_through, failures, last_error, next_attempt_at';

export function webhookValues(w: Webhook, secret: string): unknown[] {
  return [
    w.id,
    w.partner,
    w.url,
    JSON.stringify(w.filter),
    w.createdAt,
    w.deliveredThrough,
    w.failures,
    w.lastError,
    w.nextAttemptAt,
    secret,
  ];
}
