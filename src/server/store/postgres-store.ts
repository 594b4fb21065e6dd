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
import { asStoreError } from './postgres-errors.ts';
import { recordLeafData } from '../../contract/proof/merkle.ts';
import type { Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import { extendTree } from '../proof/merkle-tree.ts';
import { nodeHasher } from '../proof/node-hasher.ts';
import { publicJwkOf } from '../proof/signing-keys.ts';
import { frontierOf } from '../proof/tree-proofs.ts';
import {
  planAppend,
  type AppendPlan,
  type CheckpointPolicy,
  type LogState,
  type StoredEntry,
} from './append-plan.ts';
import { checkpointPolicy, CheckpointTimer, type CheckpointSettings } from './checkpointing.ts';
import {
  PAGE_SIZE,
  type AppendOutcome,
  type PreparedRecord,
  type RecordDraft,
  type RecordReader,
  type RecordStore,
  StoreConfigError,
  StoreNotFoundError,
  type StoredCheckpoint,
} from './record-store.ts';
import { maskCredentials } from '../secret-text.ts';
import type { SentFields } from '../record-json.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import { prepareRecord } from './prepare-record.ts';
import { storedRecord } from './seal.ts';

export interface PostgresOptions {
  commitWindowMs: number;
  keys: SubjectKeys;
  poolSize?: number;
  /** Told when an idle pooled connection is lost (the pool replaces it on the next request). */
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
 * Locks the end of the chain, then reads what planning needs. Sent together (pipeline mode),
 * they still run one after the other: each read begins once the lock is held, so under READ
 * COMMITTED it sees everything the lock's last holder wrote. (Read in the locking statement
 * itself, another table would be seen as it was before the wait.) The clock is read after
 * the lock, so that times follow the chain.
 */
const LOCK_AND_READ = [
  'BEGIN ISOLATION LEVEL READ COMMITTED',
  'SELECT seq, hash, clock_timestamp() AS now FROM chain_head WHERE id = 1 FOR UPDATE',
  'SELECT r.server_time FROM chain_head h JOIN records r ON r.seq = h.seq WHERE h.id = 1',
  // The frontier's rows: one per set bit k of the size n, at n with the bits below k cleared
  // (tree-proofs.ts frontierOf asks for exactly these).
  `SELECT m.seq, m.hashes FROM chain_head h CROSS JOIN generate_series(0, 62) AS k
     JOIN merkle_nodes m ON m.seq = (h.seq >> k) << k
    WHERE h.id = 1 AND (h.seq >> k) & 1 = 1`,
  'SELECT tree_size, signed_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1',
] as const;

async function lockAndRead(client: pg.PoolClient): Promise<{ state: LogState; now: string }> {
  const [, locked, last, frontierRows, checkpoint] = await Promise.all([
    client.query(LOCK_AND_READ[0]),
    client.query<{ seq: string; hash: string; now: Date }>(LOCK_AND_READ[1]),
    client.query<{ server_time: Date }>(LOCK_AND_READ[2]),
    client.query<{ seq: string; hashes: Buffer }>(LOCK_AND_READ[3]),
    client.query<{ tree_size: string; signed_at: Date }>(LOCK_AND_READ[4]),
  ]);
  const head = locked.rows[0]!;
  const seq = Number(head.seq);
  const rows = new Map(frontierRows.rows.map((r) => [Number(r.seq), new Uint8Array(r.hashes)]));
  const lastCheckpoint = checkpoint.rows[0];
  return {
    state: {
      head: { seq, hash: head.hash, serverTime: last.rows[0]?.server_time.toISOString() ?? '' },
      frontier: await frontierOf(async () => rows, seq),
      lastCheckpoint: lastCheckpoint && {
        treeSize: Number(lastCheckpoint.tree_size),
        signedAt: lastCheckpoint.signed_at.toISOString(),
      },
    },
    now: head.now.toISOString(),
  };
}

/** The statements that store a plan and move the head, sent together (pipeline mode). */
function writes(client: pg.PoolClient, plan: AppendPlan) {
  const { sealed, checkpoint } = plan;
  const sent: Array<Promise<unknown>> = [];
  if (sealed.length > 0) {
    sent.push(
      client.query(
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
      ),
      insertTreeRows(client, plan.treeRows),
    );
  }
  if (checkpoint) {
    sent.push(
      client.query('INSERT INTO checkpoints (tree_size, root, signed_at, note) VALUES ($1, $2, $3, $4)', [
        checkpoint.treeSize,
        bytea(checkpoint.root),
        checkpoint.signedAt,
        checkpoint.note,
      ]),
    );
  }
  if (sealed.length > 0) {
    sent.push(
      client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [plan.head.seq, plan.head.hash]),
    );
  }
  return sent;
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
  // Pipeline mode: a commit sends its writes and COMMIT at once (see PostgresStore#commit).
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    pipeline: true,
  });
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

  constructor(pool: pg.Pool, writing: PostgresOptions | undefined) {
    this.#pool = pool;
    this.#keys = writing?.keys;
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
   * Commits a group while holding the chain head for two round trips: the ids are looked up
   * before BEGIN; then BEGIN and the locking read go out together; the records are sealed here;
   * then every write and COMMIT go out together (node-postgres's pipeline mode sends queries
   * without waiting for each answer). Any statement that fails aborts the transaction, so
   * nothing after it takes effect.
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
    const stored = await lookUpIds(this.#pool, [
      ...new Set(requests.flatMap((records) => records.map((r) => r.id))),
    ]);
    const client = await this.#pool.connect();
    // A checked-out client whose connection dies emits 'error' as well as failing its query;
    // the failed query is what this commit answers, the event only needs a listener.
    const ignore = () => {};
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      const { state, now } = await lockAndRead(client);
      const plan = planAppend(state, now, requests, (id) => stored.get(id), this.#policy);
      await Promise.all([...writes(client, plan), client.query('COMMIT')]);
      this.#timer?.after(plan.head.seq, plan.checkpoint ?? state.lastCheckpoint);
      return plan.results;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      client.off('error', ignore);
      // A connection that failed even to roll back is destroyed rather than pooled again.
      client.release(broken);
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

  async bySubject(subjectHashes: readonly string[]): Promise<StoredRecord[]> {
    const rows = await this.#query<{ body: string; hash: string }>(
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
    const rows = await this.#query<{ tree_size: string; root: Buffer; signed_at: Date; note: string }>(
      `SELECT tree_size, root, signed_at, note FROM checkpoints
        WHERE $1::bigint IS NULL OR tree_size = $1 ORDER BY tree_size DESC LIMIT 1`,
      [treeSize ?? null],
    );
    const row = rows[0];
    return (
      row && {
        treeSize: Number(row.tree_size),
        root: new Uint8Array(row.root),
        signedAt: row.signed_at.toISOString(),
        note: row.note,
      }
    );
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
