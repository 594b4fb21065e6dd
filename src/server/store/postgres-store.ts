/**
 * The store for operators who outgrow one machine: several stateless endpoint instances in
 * front of one PostgreSQL database. Every append locks the chain head, so the records of all
 * instances form one chain; each instance still groups its own requests into one transaction.
 * A record is acknowledged after COMMIT (with PostgreSQL's default synchronous_commit, durable).
 */
import pg from 'pg';
import type { StoredRecord } from '../../contract/record.ts';
import type { ChainLink } from '../record-hash.ts';
import { GroupCommit } from './group-commit.ts';
import { migrations } from './migrations.ts';
import {
  conflictingIds,
  IdConflictError,
  PAGE_SIZE,
  type AppendOutcome,
  type PreparedRecord,
  type RecordDraft,
  type RecordReader,
  type RecordStore,
} from './record-store.ts';
import { prepareRecord } from '../prepare-record.ts';
import type { SentFields } from '../record-json.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import { receiptOf, seal, storedRecord, type SealedRecord } from './seal.ts';

/** A record stored earlier under an id: its receipt, and what was sent. */
interface ExistingRecord {
  receipt: { seq: number; serverTime: string; hash: string };
  sent: SentFields;
}

export async function openPostgresStore(
  url: string,
  options: { commitWindowMs: number; keys: SubjectKeys; poolSize?: number },
): Promise<PostgresStore> {
  return new PostgresStore(await connect(url, options.poolSize), options);
}

/** Opens the database for reading only: no HMAC keys needed. */
export async function openPostgresReader(url: string): Promise<RecordReader> {
  return new PostgresStore(await connect(url, 2), undefined);
}

async function connect(url: string, poolSize = 10): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

export class PostgresStore implements RecordStore {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #group: GroupCommit<readonly PreparedRecord[], AppendOutcome[]>;
  readonly #keys: SubjectKeys | undefined;

  constructor(pool: pg.Pool, writing: { commitWindowMs: number; keys: SubjectKeys } | undefined) {
    this.#pool = pool;
    this.#keys = writing?.keys;
    this.#group = new GroupCommit((requests) => this.#commit(requests), writing?.commitWindowMs ?? 0);
  }

  append(drafts: readonly RecordDraft[]): Promise<AppendOutcome[]> {
    const keys = this.#keys;
    if (!keys) return Promise.reject(new Error('this store was opened for reading only'));
    return this.#group.submit(drafts.map((draft) => prepareRecord(draft, keys)));
  }

  async #commit(requests: Array<readonly PreparedRecord[]>): Promise<Array<AppendOutcome[] | Error>> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // Lock the end of the chain, and take the time after the lock so times follow the chain.
      const head = await client.query<{ seq: string; hash: string; now: Date }>(
        'SELECT seq, hash, clock_timestamp() AS now FROM chain_head WHERE id = 1 FOR UPDATE',
      );
      let seq = Number(head.rows[0]!.seq);
      let hash = head.rows[0]!.hash;
      const serverTime = head.rows[0]!.now.toISOString();

      const ids = [...new Set(requests.flatMap((records) => records.map((r) => r.id)))];
      const known = new Map<string, ExistingRecord>();
      const found = await client.query<{
        id: string;
        seq: string;
        server_time: Date;
        hash: string;
        body: string;
      }>('SELECT id, seq, server_time, hash, body FROM records WHERE id = ANY($1::text[])', [ids]);
      for (const row of found.rows) {
        known.set(row.id, {
          receipt: { seq: Number(row.seq), serverTime: row.server_time.toISOString(), hash: row.hash },
          sent: JSON.parse(row.body) as SentFields,
        });
      }

      const sealed: SealedRecord[] = [];
      const results = requests.map((records) => {
        const conflicts = conflictingIds(records, (id) => known.get(id)?.sent);
        if (conflicts.length) return new IdConflictError(conflicts);
        return records.map((record): AppendOutcome => {
          const stored = known.get(record.id);
          if (stored) return { status: 'existing', receipt: { id: record.id, ...stored.receipt } };
          const next = seal(record, seq + 1, hash, serverTime);
          sealed.push(next);
          known.set(next.id, { receipt: { seq: next.seq, serverTime, hash: next.hash }, sent: record });
          seq = next.seq;
          hash = next.hash;
          return { status: 'created', receipt: receiptOf(next) };
        });
      });

      if (sealed.length > 0) {
        await client.query(
          `INSERT INTO records (seq, id, subject_hash, server_time, body, hash)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])`,
          [
            sealed.map((s) => s.seq),
            sealed.map((s) => s.id),
            sealed.map((s) => s.subjectHash),
            sealed.map((s) => s.serverTime),
            sealed.map((s) => s.body),
            sealed.map((s) => s.hash),
          ],
        );
        await client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]);
      }
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async bySubject(subjectHashes: readonly string[]): Promise<StoredRecord[]> {
    const { rows } = await this.#pool.query<{ body: string; hash: string }>(
      'SELECT body, hash FROM records WHERE subject_hash = ANY($1::text[]) ORDER BY seq',
      [subjectHashes],
    );
    return rows.map((r) => storedRecord(r.body, r.hash));
  }

  async *records(fromSeq = 1): AsyncIterable<StoredRecord> {
    for await (const link of this.#pages(fromSeq)) yield storedRecord(link.body, link.hash);
  }

  links(): AsyncIterable<ChainLink> {
    return this.#pages(1);
  }

  async *#pages(fromSeq: number): AsyncIterable<ChainLink> {
    let next = fromSeq;
    for (;;) {
      const { rows } = await this.#pool.query<{ seq: string; body: string; hash: string }>(
        'SELECT seq, body, hash FROM records WHERE seq >= $1 ORDER BY seq LIMIT $2',
        [next, PAGE_SIZE],
      );
      for (const row of rows) yield { seq: Number(row.seq), body: row.body, hash: row.hash };
      if (rows.length < PAGE_SIZE) return;
      next = Number(rows[rows.length - 1]!.seq) + 1;
    }
  }

  async count(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>('SELECT count(*) AS n FROM records');
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.#group.drain();
    await this.#pool.end();
  }
}

/** Applies pending migrations; an advisory lock keeps instances that start together from racing. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('assent-migrations'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const migration of migrations('postgres')) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
