/**
 * The store for operators who outgrow one machine: several stateless endpoint instances in
 * front of one PostgreSQL database. Every append locks the chain head, so the records of all
 * instances form one chain; each instance still groups its own requests into one statement,
 * assent_append (migration 005), which holds the head only while the database runs it.
 * A record is acknowledged after COMMIT (with PostgreSQL's default synchronous_commit, durable).
 */
import pg from 'pg';
import type { StoredRecord } from '../../contract/record.ts';
import type { ChainLink } from '../record-hash.ts';
import { GroupCommit } from './group-commit.ts';
import { migrations } from './migrations.ts';
import { asStoreError } from './postgres-errors.ts';
import { recordLeafData } from '../../contract/proof/merkle.ts';
import type { Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import { extendTree, HASH_SIZE, perfectSubtrees, type NodeHash } from '../proof/merkle-tree.ts';
import { nodeHasher } from '../proof/node-hasher.ts';
import { publicJwkOf } from '../proof/signing-keys.ts';
import { frontierOf } from '../proof/tree-proofs.ts';
import {
  checkpointIfDue,
  classifyAppend,
  outcomesOf,
  type CheckpointPolicy,
  type PlannedCheckpoint,
  type StoredEntry,
} from './append-plan.ts';
import { checkpointPolicy, CheckpointTimer, type CheckpointSettings } from './checkpointing.ts';
import {
  PAGE_SIZE,
  type AppendOutcome,
  type AssentRecord,
  type PreparedRecord,
  type RecordDraft,
  type RecordReader,
  type RecordStore,
  StoreConfigError,
  StoreNotFoundError,
  type StoredCheckpoint,
} from './record-store.ts';
import { maskCredentials } from '../secret-text.ts';
import { recordBody, type SentFields } from '../record-json.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import { prepareRecord } from './prepare-record.ts';
import { storedRecord } from './seal.ts';

export interface PostgresOptions {
  commitWindowMs: number;
  keys: SubjectKeys;
  poolSize?: number;
  /**
   * Told of what goes wrong outside any request: an idle pooled connection lost (the pool
   * replaces it on the next request), a checkpoint not stored (the next one is signed anyway).
   */
  onProblem?: (message: string) => void;
  /** Start even if synchronous_commit is off (see `checkDurability`). */
  allowAsynchronousCommit?: boolean;
  /** Sign checkpoints of the Merkle tree (kept either way). */
  checkpoints?: CheckpointSettings;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** pg sends Buffers (not other Uint8Arrays) as bytea. */
function bytea(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function treeRows(db: Queryable, seqs: readonly number[]): Promise<Map<number, Uint8Array>> {
  const { rows } = await db.query<{ seq: string; hashes: Buffer }>(
    'SELECT seq, hashes FROM merkle_nodes WHERE seq = ANY($1::bigint[])',
    [seqs],
  );
  return new Map(rows.map((r) => [Number(r.seq), new Uint8Array(r.hashes)]));
}

async function insertTreeRows(db: Queryable, rows: ReadonlyArray<{ seq: number; hashes: Uint8Array }>) {
  if (rows.length === 0) return;
  await db.query('INSERT INTO merkle_nodes (seq, hashes) SELECT * FROM unnest($1::bigint[], $2::bytea[])', [
    rows.map((r) => r.seq),
    rows.map((r) => bytea(r.hashes)),
  ]);
}

/** How many times a group is tried when other instances keep taking its ids meanwhile. */
const ID_RACE_ATTEMPTS = 5;

/** The unique index on `records.id` refused a record: another instance stored that id first. */
function idTaken(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'records_id_key';
}

async function lookUpIds(db: Queryable, ids: readonly string[]): Promise<Map<string, StoredEntry>> {
  const stored = new Map<string, StoredEntry>();
  if (ids.length === 0) return stored;
  const { rows } = await db.query<{ id: string; seq: string; server_time: Date; hash: string; body: string }>(
    'SELECT id, seq, server_time, hash, body FROM records WHERE id = ANY($1::text[])',
    [ids],
  );
  for (const row of rows) {
    stored.set(row.id, {
      receipt: { seq: Number(row.seq), serverTime: row.server_time.toISOString(), hash: row.hash },
      sent: () => JSON.parse(row.body) as SentFields,
    });
  }
  return stored;
}

/**
 * A new record's canonical JSON (recordBody) around the three members the chain decides,
 * which are adjacent in it, for assent_append (migration 005) to fill in.
 */
const CHAIN_MEMBERS = '"prevHash":"","seq":0,"serverTime":""';

function bodyAround(record: PreparedRecord): { before: string; after: string } {
  const body = recordBody({ ...record, prevHash: '', seq: 0, serverTime: '' });
  const at = body.indexOf(CHAIN_MEMBERS);
  if (at < 0) throw new Error(`a record body without ${CHAIN_MEMBERS} in it: ${body}`);
  return { before: `${body.slice(0, at)}"prevHash":"`, after: body.slice(at + CHAIN_MEMBERS.length - 1) };
}

interface Appended {
  new_seqs: string[];
  new_hashes: string[];
  at_time: string;
  chain_size: string;
  frontier: Buffer;
  last_checkpoint_size: string | null;
  last_checkpoint_at: Date | null;
}

/** The frontier of a tree of `size` leaves from its hashes, left to right. */
function frontierFrom(size: number, hashes: Uint8Array): NodeHash[] {
  return perfectSubtrees(0, size).map((subtree, i) => ({
    ...subtree,
    hash: hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE),
  }));
}

/**
 * The tree is written in its records' own commits; only a database made by an earlier version
 * has records without it. This brings such a tree up to its records, a page at a time, holding
 * the chain's lock so no append runs meanwhile.
 */
async function catchUpTree(pool: pg.Pool): Promise<void> {
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
      const size = Number(
        (await client.query<{ n: string | null }>('SELECT max(seq) AS n FROM merkle_nodes')).rows[0]?.n ?? 0,
      );
      const { rows } = await client.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM records WHERE seq > $1 ORDER BY seq LIMIT 10000',
        [size],
      );
      if (rows.length > 0) {
        const frontier = await frontierOf((seqs) => treeRows(client, seqs), size);
        const grown = extendTree(
          nodeHasher,
          frontier,
          rows.map((r) => recordLeafData(r.hash)),
        );
        await insertTreeRows(
          client,
          grown.rows.map((row, i) => ({ seq: Number(rows[i]!.seq), hashes: Buffer.concat(row) })),
        );
      }
      await client.query('COMMIT');
      if (rows.length === 0) return;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

export async function openPostgresStore(url: string, options: PostgresOptions): Promise<PostgresStore> {
  const prepare = async (pool: pg.Pool) => {
    await migrate(pool);
    if (!options.allowAsynchronousCommit) await checkDurability(pool);
    await catchUpTree(pool);
    if (options.checkpoints) {
      const jwk = publicJwkOf(options.checkpoints.key);
      await pool.query('INSERT INTO signing_keys (kid, jwk) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING', [
        jwk.kid,
        JSON.stringify(jwk),
      ]);
    }
  };
  return new PostgresStore(await connect(url, options.poolSize, options.onProblem, prepare), options);
}

/**
 * A record is answered 201 after COMMIT; with synchronous_commit off, PostgreSQL answers COMMIT
 * before the commit is on disk, and a crash can lose records that were acknowledged (up to
 * three times wal_writer_delay). https://www.postgresql.org/docs/current/wal-async-commit.html
 */
async function checkDurability(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
  if (rows[0]?.synchronous_commit === 'off') {
    throw new StoreConfigError(
      'PostgreSQL has synchronous_commit off for this connection, so a record answered 201 could be lost in a crash. Turn it on (ALTER DATABASE … SET synchronous_commit = on, or in postgresql.conf), or set allowAsynchronousCommit (ASSENT_ALLOW_ASYNCHRONOUS_COMMIT=true) to accept that risk.',
    );
  }
}

/**
 * Opens the database for reading only: no HMAC keys needed, nothing created. Refuses a
 * database without Assent's tables.
 */
export async function openPostgresReader(url: string): Promise<RecordReader> {
  return new PostgresStore(await connect(url, 2, undefined, assertAssentTables), undefined);
}

async function assertAssentTables(pool: pg.Pool, url: string): Promise<void> {
  const { rows } = await pool.query<{ records: string | null; migrations: string | null }>(
    "SELECT to_regclass('records') AS records, to_regclass('schema_migrations') AS migrations",
  );
  if (!rows[0]?.records || !rows[0].migrations) {
    throw new StoreNotFoundError(
      `no Assent records in ${maskCredentials(url)} (no records table in its search path); point --database at the endpoint's database`,
    );
  }
}

async function connect(
  url: string,
  poolSize = 10,
  onProblem: (message: string) => void = () => {},
  prepare: (pool: pg.Pool, url: string) => Promise<void> = migrate,
): Promise<pg.Pool> {
  // A connection attempt to a database that is down must fail soon (a 503), not hang the request.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle pooled connection that the server ends (pg_terminate_backend, a restart) emits
  // 'error' on the pool; unheard, that event would end the process. The pool has already
  // dropped the connection and opens a new one when it is next needed.
  pool.on('error', (error) => onProblem(`a pooled PostgreSQL connection was lost: ${error.message}`));
  try {
    await prepare(pool, url);
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
  readonly #policy: CheckpointPolicy | undefined;
  readonly #timer: CheckpointTimer | undefined;
  readonly #onProblem: (message: string) => void;

  constructor(pool: pg.Pool, writing: PostgresOptions | undefined) {
    this.#pool = pool;
    this.#keys = writing?.keys;
    this.#onProblem = writing?.onProblem ?? (() => {});
    this.#group = new GroupCommit((requests) => this.#commit(requests), writing?.commitWindowMs ?? 0);
    if (writing?.checkpoints) {
      const policy = checkpointPolicy(writing.checkpoints);
      this.#policy = policy;
      // An empty group signs a checkpoint when one is due (see checkpointing.ts).
      const commitEmpty = () => void this.#group.submit([]).catch(() => {});
      this.#timer = new CheckpointTimer(policy, commitEmpty);
      commitEmpty();
    }
  }

  append(drafts: readonly RecordDraft[]): Promise<AppendOutcome[]> {
    const keys = this.#keys;
    if (!keys) return Promise.reject(new Error('this store was opened for reading only'));
    return this.#group.submit(drafts.map((draft) => prepareRecord(draft, keys)));
  }

  /**
   * Commits a group in one statement, so that the chain head is held only while the database
   * runs it and flushes the commit: the ids are looked up and the bodies made first, then
   * assent_append (migration 005) locks the head, seals the records, grows the tree and moves
   * the head. A checkpoint that is due is signed here and stored next, outside the lock.
   */
  async #commit(requests: Array<readonly PreparedRecord[]>): Promise<Array<AppendOutcome[] | Error>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#commitOnce(requests);
      } catch (error) {
        // Another instance stored one of the ids between the look-up and the lock: look again,
        // which now finds it (an identical retry or a conflict).
        if (idTaken(error) && attempt < ID_RACE_ATTEMPTS) continue;
        throw asStoreError(error);
      }
    }
  }

  async #commitOnce(requests: Array<readonly PreparedRecord[]>): Promise<Array<AppendOutcome[] | Error>> {
    // Stored records never change, so what the look-up finds stays true under the lock.
    const ids = [...new Set(requests.flatMap((records) => records.map((r) => r.id)))];
    const stored = await lookUpIds(this.#pool, ids);
    const classified = classifyAppend(requests, (id) => stored.get(id));
    const { fresh } = classified;
    const bodies = fresh.map(bodyAround);
    const { rows } = await this.#pool.query<Appended>('SELECT * FROM assent_append($1, $2, $3, $4)', [
      fresh.map((r) => r.id),
      fresh.map((r) => r.subject.hash),
      bodies.map((b) => b.before),
      bodies.map((b) => b.after),
    ]);
    const appended = rows[0]!;
    const receipts = fresh.map((record, i) => ({
      id: record.id,
      seq: Number(appended.new_seqs[i]),
      serverTime: appended.at_time,
      hash: appended.new_hashes[i]!,
    }));
    const size = Number(appended.chain_size);
    const last =
      appended.last_checkpoint_size === null
        ? undefined
        : {
            treeSize: Number(appended.last_checkpoint_size),
            signedAt: appended.last_checkpoint_at!.toISOString(),
          };
    const frontier = frontierFrom(size, appended.frontier);
    const checkpoint = checkpointIfDue(last, frontier, appended.at_time, this.#policy);
    this.#timer?.after(size, (checkpoint && (await this.#keep(checkpoint))) ?? last);
    return outcomesOf(classified, receipts);
  }

  /**
   * Stores a signed checkpoint; the records it covers are already committed. If that fails
   * they stay acknowledged, and the checkpoint timer signs again. Two instances may sign the
   * same size: one note is kept.
   */
  async #keep(checkpoint: PlannedCheckpoint): Promise<PlannedCheckpoint | undefined> {
    try {
      await this.#pool.query(
        `INSERT INTO checkpoints (tree_size, root, signed_at, note) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tree_size) DO NOTHING`,
        [checkpoint.treeSize, bytea(checkpoint.root), checkpoint.signedAt, checkpoint.note],
      );
      return checkpoint;
    } catch (error) {
      this.#onProblem(
        `the checkpoint of ${checkpoint.treeSize} records was not stored: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /** Runs a read, reporting a lost database as StoreUnavailableError. */
  async #query<Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.#pool.query<Row>(sql, values)).rows;
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async ready(): Promise<void> {
    await this.#query('SELECT 1 FROM chain_head WHERE id = 1');
  }

  async assentsOf(subjectHashes: readonly string[], documents: readonly string[]): Promise<AssentRecord[]> {
    if (subjectHashes.length === 0 || documents.length === 0) return [];
    const rows = await this.#query<{
      seq: string;
      id: string;
      hash: string;
      record: Pick<AssentRecord, 'type' | 'document' | 'serverTime'>;
    }>(
      `SELECT seq, id, hash, record FROM (
         SELECT seq, id, hash, body::jsonb AS record FROM records
         WHERE subject_hash = ANY($1::text[])) AS theirs
       WHERE record->>'type' IN ('accepted', 'acknowledged') AND record->'document'->>'slug' = ANY($2::text[])
       ORDER BY seq`,
      [subjectHashes, documents],
    );
    return rows.map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      serverTime: r.record.serverTime,
      hash: r.hash,
      type: r.record.type,
      document: {
        slug: r.record.document.slug,
        version: r.record.document.version,
        contentHash: r.record.document.contentHash,
      },
    }));
  }

  async *subjectRecords(subjectHashes: readonly string[]): AsyncIterable<StoredRecord> {
    // Each key's next page along records_by_subject, merged: costs the same at any depth.
    for (let after = 0; ;) {
      const rows = await this.#query<{ seq: string; body: string; hash: string }>(
        `SELECT r.seq, r.body, r.hash
           FROM (SELECT DISTINCT unnest($1::text[]) AS hash) AS s
           CROSS JOIN LATERAL (
             SELECT seq, body, hash FROM records WHERE subject_hash = s.hash AND seq > $2 ORDER BY seq LIMIT $3
           ) AS r
          ORDER BY r.seq LIMIT $3`,
        [subjectHashes, after, PAGE_SIZE],
      );
      for (const row of rows) yield storedRecord(row.body, row.hash);
      if (rows.length < PAGE_SIZE) return;
      after = Number(rows.at(-1)!.seq);
    }
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
      const rows = await this.#query<{ seq: string; body: string; hash: string }>(
        'SELECT seq, body, hash FROM records WHERE seq >= $1 ORDER BY seq LIMIT $2',
        [next, PAGE_SIZE],
      );
      for (const row of rows) yield { seq: Number(row.seq), body: row.body, hash: row.hash };
      if (rows.length < PAGE_SIZE) return;
      next = Number(rows[rows.length - 1]!.seq) + 1;
    }
  }

  async count(): Promise<number> {
    const rows = await this.#query<{ n: string }>('SELECT count(*) AS n FROM records');
    return Number(rows[0]!.n);
  }

  async hashAt(seq: number): Promise<string | undefined> {
    return (await this.#query<{ hash: string }>('SELECT hash FROM records WHERE seq = $1', [seq]))[0]?.hash;
  }

  async treeSize(): Promise<number> {
    const rows = await this.#query<{ n: string | null }>('SELECT max(seq) AS n FROM merkle_nodes');
    return Number(rows[0]?.n ?? 0);
  }

  async merkleRows(seqs: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>> {
    try {
      return await treeRows(this.#pool, seqs);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async checkpoint(treeSize?: number): Promise<StoredCheckpoint | undefined> {
    const rows = await this.#query<CheckpointRow>(
      `SELECT tree_size, root, signed_at, note FROM checkpoints
        WHERE $1::bigint IS NULL OR tree_size = $1 ORDER BY tree_size DESC LIMIT 1`,
      [treeSize ?? null],
    );
    return rows[0] && storedCheckpoint(rows[0]);
  }

  async checkpoints(before: number | undefined, limit: number): Promise<StoredCheckpoint[]> {
    const rows = await this.#query<CheckpointRow>(
      `SELECT tree_size, root, signed_at, note FROM checkpoints
        WHERE $1::bigint IS NULL OR tree_size < $1 ORDER BY tree_size DESC LIMIT $2`,
      [before ?? null, limit],
    );
    return rows.map(storedCheckpoint);
  }

  async publicKeys(): Promise<Ed25519PublicJwk[]> {
    const rows = await this.#query<{ jwk: string }>('SELECT jwk FROM signing_keys ORDER BY added_at, kid');
    return rows.map((r) => JSON.parse(r.jwk) as Ed25519PublicJwk);
  }

  async close(): Promise<void> {
    this.#timer?.stop();
    await this.#group.drain();
    await this.#pool.end();
  }
}

/** Applies pending migrations; an advisory lock keeps instances that start together from racing. */
export async function migrate(pool: pg.Pool): Promise<void> {
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

interface CheckpointRow {
  tree_size: string;
  root: Buffer;
  signed_at: Date;
  note: string;
}

function storedCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    root: new Uint8Array(row.root),
    signedAt: row.signed_at.toISOString(),
    note: row.note,
  };
}
