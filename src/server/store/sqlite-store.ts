/**
 * The embedded store: one SQLite file in the data folder, WAL journal and `synchronous=FULL`,
 * so a committed record survives a crash or a power cut. Throughput comes from group commit
 * (many requests per transaction) in a writer thread (sqlite-writer.ts), never from weaker
 * durability; housekeeping (subject index, checkpoints) runs in a maintainer thread
 * (sqlite-maintainer.ts). Reads use a connection of their own on the calling thread; WAL lets
 * them run beside the writer.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import type { StoredRecord } from '../../contract/record.ts';
import { createPrivateFile, makePrivateDir } from '../private-files.ts';
import type { ChainLink } from '../record-hash.ts';
import { portableKeys, type SubjectKeys } from '../subject-keys.ts';
import {
  IdConflictError,
  PAGE_SIZE,
  StoreNotFoundError,
  StoreUnavailableError,
  type AppendOutcome,
  type AssentRecord,
  type RecordDraft,
  type RecordReader,
  type RecordStore,
  type StoredCheckpoint,
} from './record-store.ts';
import type { CheckpointSettings } from './checkpointing.ts';
import { lockDataFolder, type DataFolderLock } from './data-folder-lock.ts';
import { storedRecord } from './seal.ts';
import { applyDurability, assertAssentDatabase, mapForReading, migrate, SQLITE_FILE } from './sqlite-file.ts';
import type { MaintainerOptions } from './sqlite-maintainer.ts';
import { SubjectIndexReader, SUBJECTS_FILE, type IndexedSeqs } from './sqlite-subjects.ts';
import type { WriterOptions, WriterReply, WriterRequest, WriterResult } from './sqlite-writer.ts';

export { SQLITE_FILE, applyDurability } from './sqlite-file.ts';

const HASH_AT = 'SELECT hash FROM records WHERE seq = ?';

/**
 * Records whose Merkle row holds subtrees of 1,024 leaves and more: one in 1,024. About half
 * the rows an inclusion proof reads are such rows, shared by every proof whose path passes
 * there, so the store keeps them once read (up to UPPER_ROWS_KEPT, a few megabytes, enough for
 * 16 M records). A row never changes once written, and while this process runs no other can
 * write here (the data folder's lock).
 */
const UPPER_ROW = 1024;
const UPPER_ROWS_KEPT = 16_384;

interface SubjectQuery {
  /** The subject's hashes under every key version (JSON array). */
  hashes: string;
  /** The documents asked about (JSON array of slugs). */
  documents: string;
  /** What the subject index lists for them (JSON array), as far as it reaches … */
  seqs: string;
  /** … which is this record, … */
  through: number;
  /** … if it still has this hash. */
  throughHash: string | null;
}

/**
 * A subject's acceptances and acknowledgements of some documents, oldest first, in one statement
 * (one read transaction): among the records the subject index lists, then a scan of the records
 * after its reach. The index counts only while the record it reached is still the one stored
 * (not after a restore from an older backup); otherwise every record is scanned. Each record is
 * checked to be the subject's. Only the fields standing needs leave SQLite (its JSON functions
 * read the body), not the whole record to parse.
 */
const SUBJECT_ASSENTS = `
  WITH asked AS (SELECT value AS hash FROM json_each(:hashes)),
       reach AS (SELECT CASE WHEN (SELECT hash FROM records WHERE seq = :through) IS :throughHash
                             THEN :through ELSE 0 END AS seq),
       theirs AS (
         SELECT seq, id, hash, body FROM records
         WHERE seq IN (SELECT value FROM json_each(:seqs)) AND seq <= (SELECT seq FROM reach)
           AND subject_hash IN asked
         UNION ALL
         SELECT seq, id, hash, body FROM records
         WHERE seq > (SELECT seq FROM reach) AND subject_hash IN asked)
  SELECT seq, id, body ->> '$.serverTime' AS serverTime, hash, body ->> '$.type' AS type,
         body ->> '$.document.slug' AS slug, body ->> '$.document.version' AS version,
         body ->> '$.document.contentHash' AS contentHash
  FROM theirs
  WHERE body ->> '$.type' IN ('accepted', 'acknowledged')
    AND body ->> '$.document.slug' IN (SELECT value FROM json_each(:documents))
  ORDER BY seq`;

interface AssentRow extends Omit<AssentRecord, 'document'> {
  slug: string;
  version: string;
  contentHash: string;
}

export interface SqliteWriting {
  commitWindowMs: number;
  keys: SubjectKeys;
  /** Pause between housekeeping rounds (default 250 ms). */
  maintenanceIntervalMs?: number;
  /** Write-ahead log size past which checkpoints escalate (default 64 MiB; see sqlite-maintainer.ts). */
  walLimitBytes?: number;
  /** Told when a housekeeping round fails (the next one tries again). */
  onProblem?: (message: string) => void;
  /** Sign checkpoints of the Merkle tree (kept either way). */
  checkpoints?: CheckpointSettings;
  /**
   * Sign the receipts of each commit as one batch in the writer thread, with the checkpoints'
   * key and origin (default: whenever checkpoints are signed; off, the caller signs them).
   */
  receipts?: boolean;
}

/**
 * Opens (creating and migrating if needed) `<dataDir>/assent.sqlite`, with its writer and
 * maintainer threads, under the data folder's lock: `lock`, when the caller took it first (to
 * write other files into the folder under it), or one taken here.
 */
export function openSqliteStore(dataDir: string, writing: SqliteWriting, lock?: DataFolderLock): SqliteStore {
  if (!lock) makePrivateDir(dataDir);
  lock ??= lockDataFolder(dataDir);
  try {
    const file = join(dataDir, SQLITE_FILE);
    createPrivateFile(file);
    return new SqliteStore(file, writing, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Opens `<dataDir>/assent.sqlite` for reading only: no threads, no keys needed. Refuses a
 * folder without an Assent database rather than creating an empty one.
 */
export function openSqliteReader(dataDir: string): RecordReader {
  const file = join(dataDir, SQLITE_FILE);
  if (!existsSync(file)) {
    throw new StoreNotFoundError(
      `no Assent database in ${dataDir}: ${file} does not exist. Point --data (or ASSENT_DATA_DIR) at the folder the endpoint writes to, or --database at its PostgreSQL database.`,
    );
  }
  return new SqliteStore(file, undefined);
}

interface Waiting {
  resolve(outcomes: AppendOutcome[]): void;
  reject(error: Error): void;
}

interface Threads {
  writer: Worker;
  maintainer: Worker;
}

export class SqliteStore implements RecordStore {
  readonly kind = 'sqlite';
  readonly file: string;
  readonly #reader: Database.Database;
  readonly #threads: Threads | undefined;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  /** Requests of this event-loop turn, sent to the writer together. */
  #outgoing: Array<{ id: number; drafts: RecordDraft[] }> = [];
  /** Why the writer stopped, once it has. */
  #stopped: Error | undefined;
  #closing: Promise<void> | undefined;
  readonly #lock: DataFolderLock | undefined;
  /** The subject index's reader, once the maintainer has made the index. */
  #subjects: SubjectIndexReader | undefined;
  readonly #statements = new Map<string, Database.Statement>();
  /** Merkle rows of subtrees of 1,024 leaves and more, kept once read (see UPPER_ROW). */
  readonly #upperRows = new Map<number, Uint8Array>();

  constructor(file: string, writing: SqliteWriting | undefined, lock?: DataFolderLock) {
    this.file = file;
    this.#lock = lock;
    if (writing) {
      this.#reader = new Database(file);
      applyDurability(this.#reader);
      mapForReading(this.#reader);
      migrate(this.#reader);
      this.#threads = this.#startThreads(writing);
    } else {
      this.#reader = new Database(file, { fileMustExist: true });
      try {
        assertAssentDatabase(this.#reader, file);
      } catch (error) {
        this.#reader.close();
        throw error;
      }
      this.#reader.pragma('busy_timeout = 5000');
      mapForReading(this.#reader);
    }
  }

  /** A read statement, prepared on first use and kept: preparing costs more than most reads here. */
  #sql<P extends unknown[], R>(sql: string): Database.Statement<P, R> {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#reader.prepare(sql)));
    return statement as Database.Statement<P, R>;
  }

  #startThreads(writing: SqliteWriting): Threads {
    const writerOptions: WriterOptions = {
      file: this.file,
      commitWindowMs: writing.commitWindowMs,
      keys: portableKeys(writing.keys),
      ...(writing.checkpoints ? { checkpoints: writing.checkpoints } : {}),
      receipts: writing.receipts ?? writing.checkpoints !== undefined,
    };
    const writer = new Worker(new URL('./sqlite-writer.ts', import.meta.url), { workerData: writerOptions });
    writer.on('message', (reply: WriterReply) => {
      if (reply.type === 'settled') for (const result of reply.results) this.#settle(result);
    });
    writer.on('error', (error: Error) => this.#stop(error));
    writer.on('exit', (code) => this.#stop(new Error(`the SQLite writer stopped (exit code ${code})`)));

    const maintainerOptions: MaintainerOptions = {
      recordsFile: this.file,
      subjectsFile: join(dirname(this.file), SUBJECTS_FILE),
      intervalMs: writing.maintenanceIntervalMs ?? 250,
      ...(writing.walLimitBytes !== undefined ? { walLimitBytes: writing.walLimitBytes } : {}),
    };
    const maintainer = new Worker(new URL('./sqlite-maintainer.ts', import.meta.url), {
      workerData: maintainerOptions,
    });
    maintainer.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'problem') writing.onProblem?.(message.message ?? 'unknown problem');
    });
    maintainer.on('error', (error: Error) =>
      writing.onProblem?.(`the maintainer thread stopped: ${error.message}`),
    );
    return { writer, maintainer };
  }

  append(drafts: readonly RecordDraft[]): Promise<AppendOutcome[]> {
    if (!this.#threads) return Promise.reject(new Error('this store was opened for reading only'));
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (this.#closing) return Promise.reject(new StoreUnavailableError('the store is closing'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      if (this.#outgoing.length === 0) setImmediate(() => this.#send());
      this.#outgoing.push({ id, drafts: [...drafts] });
    });
  }

  #send(): void {
    const requests = this.#outgoing;
    if (requests.length === 0) return;
    this.#outgoing = [];
    this.#threads?.writer.postMessage({ type: 'append', requests } satisfies WriterRequest);
  }

  #settle(result: WriterResult): void {
    const waiting = this.#waiting.get(result.id);
    if (!waiting) return;
    this.#waiting.delete(result.id);
    if ('outcomes' in result) waiting.resolve(result.outcomes);
    else if ('conflict' in result) waiting.reject(new IdConflictError(result.conflict));
    else waiting.reject(new Error(`could not store the records: ${result.failed}`));
  }

  /**
   * The writer is gone (it crashed, or the store closed): appends are refused as unavailable,
   * so that clients are told 503 with Retry-After and keep their records to send again, while
   * /readyz tells the orchestrator to replace this process.
   */
  #stop(reason: Error): void {
    this.#stopped ??= new StoreUnavailableError(reason.message, 5, { cause: reason });
    for (const waiting of this.#waiting.values()) waiting.reject(this.#stopped);
    this.#waiting.clear();
  }

  async ready(): Promise<void> {
    if (!this.#threads) throw new Error('this store was opened for reading only');
    if (this.#stopped) throw this.#stopped;
    if (this.#closing) throw new Error('the store is closing');
    this.#sql('SELECT seq FROM records ORDER BY seq DESC LIMIT 1').get();
  }

  /**
   * The subject index (as far as it reaches) plus a scan of the records committed since. An
   * index that does not match the records (they were restored from a backup) is ignored, and
   * every record is returned only if it is the subject's: what the index says is checked.
   */
  async assentsOf(subjectHashes: readonly string[], documents: readonly string[]): Promise<AssentRecord[]> {
    if (subjectHashes.length === 0 || documents.length === 0) return [];
    const { seqs, through, throughHash } = this.#indexedSeqs(subjectHashes);
    return this.#sql<[SubjectQuery], AssentRow>(SUBJECT_ASSENTS)
      .all({
        hashes: JSON.stringify(subjectHashes),
        documents: JSON.stringify(documents),
        seqs: JSON.stringify(seqs),
        through,
        throughHash,
      })
      .map(({ slug, version, contentHash, ...record }) => ({ ...record, document: { slug, version, contentHash } }));
  }

  async *subjectRecords(subjectHashes: readonly string[]): AsyncIterable<StoredRecord> {
    if (subjectHashes.length === 0) return;
    const reach = this.#indexedSeqs([]);
    // The index counts only as far as the record it reaches is the stored one (not a restore).
    const through =
      reach.through > 0 &&
      this.#sql<[number], { hash: string }>(HASH_AT).get(reach.through)?.hash === reach.throughHash
        ? reach.through
        : 0;
    const index = this.#subjects;
    const marks = subjectHashes.map(() => '?').join(',');
    const byIndex = this.#sql<[string, ...string[]], { body: string; hash: string }>(
      `SELECT body, hash FROM records WHERE seq IN (SELECT value FROM json_each(?)) AND subject_hash IN (${marks}) ORDER BY seq`,
    );
    // Each key's next page along the index, merged: the first PAGE_SIZE of them are the next page.
    for (let after = 0; index && after < through;) {
      const seqs = subjectHashes
        .flatMap((hash) => index.seqsAfter(hash, { after, through, limit: PAGE_SIZE }))
        .sort((a, b) => a - b)
        .slice(0, PAGE_SIZE);
      for (const row of byIndex.all(JSON.stringify(seqs), ...subjectHashes))
        yield storedRecord(row.body, row.hash);
      if (seqs.length < PAGE_SIZE) break;
      after = seqs.at(-1)!;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const scan = this.#sql<unknown[], { seq: number; body: string; hash: string }>(
      `SELECT seq, body, hash FROM records WHERE seq > ? AND subject_hash IN (${marks}) ORDER BY seq LIMIT ?`,
    );
    for (let from = through; ;) {
      const rows = scan.all(from, ...subjectHashes, PAGE_SIZE);
      for (const row of rows) yield storedRecord(row.body, row.hash);
      if (rows.length < PAGE_SIZE) return;
      from = rows.at(-1)!.seq;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * What the subject index knows, on the connection kept for it (opened once the maintainer has
   * made the file). An index being made, or not yet brought to this version, knows nothing:
   * the caller scans instead, and the connection is opened again next time.
   */
  #indexedSeqs(subjectHashes: readonly string[]): IndexedSeqs {
    const reader = (this.#subjects ??= SubjectIndexReader.open(join(dirname(this.file), SUBJECTS_FILE)));
    try {
      if (reader) return reader.seqsOf(subjectHashes);
    } catch {
      reader!.close();
      this.#subjects = undefined;
    }
    return { seqs: [], through: 0, throughHash: null };
  }

  /** How far the subject index reaches (a record number); for tests and health checks. */
  subjectIndexReach(): number {
    return this.#indexedSeqs([]).through;
  }

  async *records(fromSeq = 1): AsyncIterable<StoredRecord> {
    for await (const link of this.#pages(fromSeq)) yield storedRecord(link.body, link.hash);
  }

  links(): AsyncIterable<ChainLink> {
    return this.#pages(1);
  }

  /** A page at a time, yielding to the event loop between pages so a long export does not stall requests. */
  async *#pages(fromSeq: number): AsyncIterable<ChainLink> {
    const page = this.#sql<[number, number], ChainLink>(
      'SELECT seq, body, hash FROM records WHERE seq >= ? ORDER BY seq LIMIT ?',
    );
    let next = fromSeq;
    for (;;) {
      const rows = page.all(next, PAGE_SIZE);
      yield* rows;
      if (rows.length < PAGE_SIZE) return;
      next = rows[rows.length - 1]!.seq + 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async count(): Promise<number> {
    return this.#sql<[], { n: number }>('SELECT count(*) AS n FROM records').get()!.n;
  }

  async hashAt(seq: number): Promise<string | undefined> {
    return this.#sql<[number], { hash: string }>(HASH_AT).get(seq)?.hash;
  }

  async treeSize(): Promise<number> {
    return this.#sql<[], { n: number | null }>('SELECT max(seq) AS n FROM merkle_nodes').get()?.n ?? 0;
  }

  async merkleRows(seqs: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>> {
    const found = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (const seq of seqs) {
      const row = this.#upperRows.get(seq);
      if (row) found.set(seq, row);
      else missing.push(seq);
    }
    if (missing.length === 0) return found;
    const rows = this.#sql<[string], { seq: number; hashes: Uint8Array }>(
      'SELECT seq, hashes FROM merkle_nodes WHERE seq IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(missing));
    for (const { seq, hashes } of rows) {
      found.set(seq, hashes);
      if (seq % UPPER_ROW === 0 && this.#upperRows.size < UPPER_ROWS_KEPT) this.#upperRows.set(seq, hashes);
    }
    return found;
  }

  async checkpoint(treeSize?: number): Promise<StoredCheckpoint | undefined> {
    // Two statements, not one with `? IS NULL OR tree_size = ?`: SQLite cannot use the key
    // for that one, and scans the checkpoints (a thousand per million records) newest first.
    const row =
      treeSize === undefined
        ? this.#sql<[], CheckpointRow>(
            'SELECT tree_size, root, signed_at, note FROM checkpoints ORDER BY tree_size DESC LIMIT 1',
          ).get()
        : this.#sql<[number], CheckpointRow>(
            'SELECT tree_size, root, signed_at, note FROM checkpoints WHERE tree_size = ?',
          ).get(treeSize);
    return row && storedCheckpoint(row);
  }

  async checkpoints(before: number | undefined, limit: number): Promise<StoredCheckpoint[]> {
    return this.#sql<[number | null, number | null, number], CheckpointRow>(
      'SELECT tree_size, root, signed_at, note FROM checkpoints WHERE ? IS NULL OR tree_size < ? ORDER BY tree_size DESC LIMIT ?',
    )
      .all(before ?? null, before ?? null, limit)
      .map(storedCheckpoint);
  }

  async publicKeys(): Promise<Ed25519PublicJwk[]> {
    return this.#sql<[], { jwk: string }>('SELECT jwk FROM signing_keys ORDER BY added_at, kid')
      .all()
      .map((r) => JSON.parse(r.jwk) as Ed25519PublicJwk);
  }

  /** Lets the writer commit what it has been given and the maintainer finish its round, then closes. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#threads) {
        this.#send();
        if (!this.#stopped) await closeThread(this.#threads.writer);
        await closeThread(this.#threads.maintainer);
      }
      this.#subjects?.close();
      this.#reader.close();
      this.#lock?.release();
    })();
    return this.#closing;
  }
}

/** Asks a thread to close, waits until it says it has (or has gone), then ends it. */
async function closeThread(worker: Worker): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    worker.on('message', (message: { type: string }) => message.type === 'closed' && resolve());
    worker.once('exit', () => resolve());
  });
  worker.postMessage({ type: 'close' });
  await closed;
  await worker.terminate();
}

interface CheckpointRow {
  tree_size: number;
  root: Uint8Array;
  signed_at: string;
  note: string;
}

function storedCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return { treeSize: row.tree_size, root: row.root, signedAt: row.signed_at, note: row.note };
}
