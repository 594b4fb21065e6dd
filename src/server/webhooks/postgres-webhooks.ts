/**
 * Webhooks of the PostgreSQL store, in `webhook_*` tables beside the records (made here, under
 * an advisory lock, when missing).
 */
import pg from 'pg';
import { asStoreError } from '../store/postgres-errors.ts';
import { openSideTables } from '../store/postgres-side-tables.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import { openSecret, resealed, sealSecret } from './sealed-secrets.ts';
import {
  KEPT_ATTEMPTS,
  WEBHOOK_COLUMNS as COLUMNS,
  webhookValues,
  type DeliveryAttempt,
  type Webhook,
  type WebhookStore,
} from './webhook-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY, partner TEXT NOT NULL, url TEXT NOT NULL, filter JSONB NOT NULL,
    secret TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, delivered_through BIGINT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at TIMESTAMPTZ
  );
  CREATE TABLE IF NOT EXISTS webhook_attempts (
    id BIGSERIAL PRIMARY KEY, webhook_id TEXT NOT NULL, seq BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL,
    status INTEGER, ok BOOLEAN NOT NULL, error TEXT, replay BOOLEAN NOT NULL
  );
  CREATE INDEX IF NOT EXISTS webhook_attempts_by_webhook ON webhook_attempts (webhook_id, id);
  CREATE TABLE IF NOT EXISTS webhook_replays (
    webhook_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (webhook_id, seq)
  );
`;

interface Row {
  id: string;
  partner: string;
  url: string;
  filter: Webhook['filter'];
  created_at: Date;
  delivered_through: string;
  failures: number;
  last_error: string | null;
  next_attempt_at: Date | null;
}

const webhook = (r: Row): Webhook => ({
  id: r.id,
  partner: r.partner,
  url: r.url,
  filter: r.filter,
  createdAt: r.created_at.toISOString(),
  deliveredThrough: Number(r.delivered_through),
  failures: r.failures,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
});

export class PostgresWebhookStore implements WebhookStore {
  readonly #pool: pg.Pool;

  readonly #keys: SubjectKeys;

  private constructor(pool: pg.Pool, keys: SubjectKeys) {
    this.#pool = pool;
    this.#keys = keys;
  }

  static async open(url: string, keys: SubjectKeys): Promise<PostgresWebhookStore> {
    const pool = await openSideTables(url, { lock: 'assent-webhooks-schema', schema: SCHEMA });
    return new PostgresWebhookStore(pool, keys);
  }

  #leader: pg.PoolClient | undefined;

  /**
   * Whether this instance delivers: the first to take a session advisory lock keeps it (on a
   * connection of its own) until it stops or loses the connection; the others ask again each
   * round. One dispatcher per database keeps every webhook's records in order.
   */
  async lead(): Promise<boolean> {
    if (this.#leader) return true;
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw asStoreError(error);
    });
    // Listening from the start: a connection that dies emits 'error' besides failing its query.
    // The leader's connection, once lost, is dropped (the server has released its lock).
    const ignore = () => {};
    const lost = () => {
      if (this.#leader !== client) return;
      this.#leader = undefined;
      client.release(true);
    };
    const stopListening = () => {
      client.off('error', ignore);
      client.off('error', lost);
    };
    client.on('error', ignore);
    client.on('error', lost);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('assent-webhooks')) AS locked",
      );
      if (!rows[0]!.locked) {
        stopListening();
        client.release();
        return false;
      }
    } catch (error) {
      stopListening();
      client.release(error as Error);
      throw asStoreError(error);
    }
    // A lost connection releases the lock on the server (`lost` above); the next round asks again.
    this.#leader = client;
    return true;
  }

  async #query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, values)).rows;
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async add(w: Webhook, secret: string): Promise<void> {
    await this.#query(
      `INSERT INTO webhooks (${COLUMNS}, secret) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      webhookValues(w, sealSecret(this.#keys, w.id, secret)),
    );
  }

  async list(): Promise<Webhook[]> {
    return (await this.#query<Row>(`SELECT ${COLUMNS} FROM webhooks ORDER BY created_at, id`)).map(webhook);
  }

  async get(id: string): Promise<Webhook | undefined> {
    const [row] = await this.#query<Row>(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    return row && webhook(row);
  }

  async secret(id: string): Promise<string | undefined> {
    const [row] = await this.#query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [id]);
    return row && openSecret(this.#keys, id, row.secret);
  }

  async resealSecrets(): Promise<string[]> {
    const stored = await this.#query<{ id: string; secret: string }>('SELECT id, secret FROM webhooks');
    const { updates, problems } = resealed(this.#keys, stored);
    // Each on its own: instances that start together seal the same secret, and either result opens.
    for (const { id, secret } of updates)
      await this.#query('UPDATE webhooks SET secret = $1 WHERE id = $2', [secret, id]);
    return problems;
  }

  async remove(id: string): Promise<boolean> {
    await this.#query('DELETE FROM webhook_attempts WHERE webhook_id = $1', [id]);
    await this.#query('DELETE FROM webhook_replays WHERE webhook_id = $1', [id]);
    return (
      (await this.#query<{ id: string }>('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id])).length > 0
    );
  }

  async delivered(id: string, seq: number): Promise<void> {
    await this.#query(
      `UPDATE webhooks SET delivered_through = GREATEST(delivered_through, $1), failures = 0, last_error = NULL,
         next_attempt_at = NULL WHERE id = $2`,
      [seq, id],
    );
  }

  async failed(id: string, error: string, nextAttemptAt: string): Promise<void> {
    await this.#query(
      'UPDATE webhooks SET failures = failures + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3',
      [error, nextAttemptAt, id],
    );
  }

  async log(a: DeliveryAttempt): Promise<void> {
    await this.#query(
      'INSERT INTO webhook_attempts (webhook_id, seq, at, status, ok, error, replay) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [a.webhookId, a.seq, a.at, a.status, a.ok, a.error, a.replay],
    );
    await this.#query(
      `DELETE FROM webhook_attempts WHERE webhook_id = $1 AND id <=
         (SELECT id FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
      [a.webhookId, KEPT_ATTEMPTS],
    );
  }

  async attempts(id: string, limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.#query<{
      webhook_id: string;
      seq: string;
      at: Date;
      status: number | null;
      ok: boolean;
      error: string | null;
      replay: boolean;
    }>('SELECT * FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2', [id, limit]);
    return rows.map((r) => ({
      webhookId: r.webhook_id,
      seq: Number(r.seq),
      at: r.at.toISOString(),
      status: r.status,
      ok: r.ok,
      error: r.error,
      replay: r.replay,
    }));
  }

  async queueReplay(id: string, seq: number): Promise<void> {
    await this.#query(
      'INSERT INTO webhook_replays (webhook_id, seq) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [id, seq],
    );
  }

  async replays(id: string): Promise<number[]> {
    const rows = await this.#query<{ seq: string }>(
      'SELECT seq FROM webhook_replays WHERE webhook_id = $1 ORDER BY seq',
      [id],
    );
    return rows.map((r) => Number(r.seq));
  }

  async replayed(id: string, seq: number): Promise<void> {
    await this.#query('DELETE FROM webhook_replays WHERE webhook_id = $1 AND seq = $2', [id, seq]);
  }

  async close(): Promise<void> {
    const leader = this.#leader;
    // Cleared first, so that the listener does not release it a second time.
    this.#leader = undefined;
    leader?.release(true);
    await this.#pool.end();
  }
}
