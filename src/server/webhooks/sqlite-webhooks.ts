/**
 * Webhooks of the SQLite store, in `webhooks.sqlite` beside the records: WAL and
 * `synchronous=FULL`, like the records, since a delivery cursor that goes back after a power
 * cut only means records sent twice, but a lost registration would mean records never sent.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../private-files.ts';
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

export const WEBHOOKS_FILE = 'webhooks.sqlite';

interface Row {
  id: string;
  partner: string;
  url: string;
  filter: string;
  created_at: string;
  delivered_through: number;
  failures: number;
  last_error: string | null;
  next_attempt_at: string | null;
}

const webhook = (r: Row): Webhook => ({
  id: r.id,
  partner: r.partner,
  url: r.url,
  filter: JSON.parse(r.filter),
  createdAt: r.created_at,
  deliveredThrough: r.delivered_through,
  failures: r.failures,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
});

/** Attempts kept in the log per webhook. */

export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Database.Database;
  readonly #keys: SubjectKeys;

  constructor(dataDir: string, keys: SubjectKeys) {
    this.#keys = keys;
    const file = join(dataDir, WEBHOOKS_FILE);
    // It holds the signing secrets: readable by the owner only.
    createPrivateFile(file);
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS webhooks (
        id TEXT PRIMARY KEY, partner TEXT NOT NULL, url TEXT NOT NULL, filter TEXT NOT NULL,
        secret TEXT NOT NULL, created_at TEXT NOT NULL, delivered_through INTEGER NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at TEXT
      ) STRICT;
      CREATE TABLE IF NOT EXISTS webhook_attempts (
        webhook_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, status INTEGER,
        ok INTEGER NOT NULL, error TEXT, replay INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS webhook_attempts_by_webhook ON webhook_attempts (webhook_id, at);
      CREATE TABLE IF NOT EXISTS webhook_replays (
        webhook_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (webhook_id, seq)
      ) STRICT;
    `);
  }

  async add(w: Webhook, secret: string): Promise<void> {
    this.#db
      .prepare(`INSERT INTO webhooks (${COLUMNS}, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...webhookValues(w, sealSecret(this.#keys, w.id, secret)));
  }

  async list(): Promise<Webhook[]> {
    return this.#db
      .prepare<[], Row>(`SELECT ${COLUMNS} FROM webhooks ORDER BY created_at, id`)
      .all()
      .map(webhook);
  }

  async get(id: string): Promise<Webhook | undefined> {
    const row = this.#db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM webhooks WHERE id = ?`).get(id);
    return row && webhook(row);
  }

  async secret(id: string): Promise<string | undefined> {
    const row = this.#db
      .prepare<[string], { secret: string }>('SELECT secret FROM webhooks WHERE id = ?')
      .get(id);
    return row && openSecret(this.#keys, id, row.secret);
  }

  async resealSecrets(): Promise<string[]> {
    const stored = this.#db
      .prepare<[], { id: string; secret: string }>('SELECT id, secret FROM webhooks')
      .all();
    const { updates, problems } = resealed(this.#keys, stored);
    const update = this.#db.prepare('UPDATE webhooks SET secret = ? WHERE id = ?');
    this.#db.transaction(() => {
      for (const { id, secret } of updates) update.run(secret, id);
    })();
    return problems;
  }

  async remove(id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM webhook_attempts WHERE webhook_id = ?').run(id);
      this.#db.prepare('DELETE FROM webhook_replays WHERE webhook_id = ?').run(id);
      return this.#db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    })();
  }

  async delivered(id: string, seq: number): Promise<void> {
    this.#db
      .prepare(
        'UPDATE webhooks SET delivered_through = max(delivered_through, ?), failures = 0, last_error = NULL, next_attempt_at = NULL WHERE id = ?',
      )
      .run(seq, id);
  }

  async failed(id: string, error: string, nextAttemptAt: string): Promise<void> {
    this.#db
      .prepare(
        'UPDATE webhooks SET failures = failures + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
      )
      .run(error, nextAttemptAt, id);
  }

  async log(a: DeliveryAttempt): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO webhook_attempts (webhook_id, seq, at, status, ok, error, replay) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(a.webhookId, a.seq, a.at, a.status, a.ok ? 1 : 0, a.error, a.replay ? 1 : 0);
    // The log keeps the latest attempts of each webhook, not every one ever made.
    this.#db
      .prepare(
        `DELETE FROM webhook_attempts WHERE webhook_id = @id AND rowid <=
           (SELECT rowid FROM webhook_attempts WHERE webhook_id = @id ORDER BY rowid DESC LIMIT 1 OFFSET @kept)`,
      )
      .run({ id: a.webhookId, kept: KEPT_ATTEMPTS });
  }

  async attempts(id: string, limit: number): Promise<DeliveryAttempt[]> {
    return this.#db
      .prepare<
        [string, number],
        {
          webhook_id: string;
          seq: number;
          at: string;
          status: number | null;
          ok: number;
          error: string | null;
          replay: number;
        }
      >('SELECT * FROM webhook_attempts WHERE webhook_id = ? ORDER BY rowid DESC LIMIT ?')
      .all(id, limit)
      .map((r) => ({
        webhookId: r.webhook_id,
        seq: r.seq,
        at: r.at,
        status: r.status,
        ok: r.ok === 1,
        error: r.error,
        replay: r.replay === 1,
      }));
  }

  async queueReplay(id: string, seq: number): Promise<void> {
    this.#db.prepare('INSERT OR IGNORE INTO webhook_replays (webhook_id, seq) VALUES (?, ?)').run(id, seq);
  }

  async replays(id: string): Promise<number[]> {
    return this.#db
      .prepare<[string], { seq: number }>('SELECT seq FROM webhook_replays WHERE webhook_id = ? ORDER BY seq')
      .all(id)
      .map((r) => r.seq);
  }

  async replayed(id: string, seq: number): Promise<void> {
    this.#db.prepare('DELETE FROM webhook_replays WHERE webhook_id = ? AND seq = ?').run(id, seq);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
