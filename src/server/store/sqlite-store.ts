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
  type RecordDraft,
  type RecordReader,
  type RecordStore,
  type StoredCheckpoint,
} from './record-store.ts';
import type { CheckpointSettings } from './checkpointing.ts';
import { lockDataFolder, type DataFolderLock } from './data-folder-lock.ts';
import { storedRecord } from './seal.ts';
import { applyDurability, assertAssentDatabase, migrate, SQLITE_FILE } from './sqlite-file.ts';
import type { MaintainerOptions } from './sqlite-maintainer.ts';
import { indexedSeqs, openSubjectIndex, SUBJECTS_FILE } from './sqlite-subjects.ts';
import type { WriterOptions, WriterReply, WriterRequest, WriterResult } from './sqlite-writer.ts';

export { SQLITE_FILE, applyDurability } from './sqlite-file.ts';

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

  constructor(file: string, writing: SqliteWriting | undefined, lock?: DataFolderLock) {
    this.file = file;
    this.#lock = lock;
    if (writing) {
      this.#reader = new Database(file);
      applyDurability(this.#reader);
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
    }
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
    this.#reader.prepare('SELECT seq FROM records ORDER BY seq DESC LIMIT 1').get();
  }

  /**
   * The subject index (as far as it reaches) plus a scan of the records committed since. An
   * index that does not match the records (they were restored from a backup) is ignored, and
   * every record is returned only if it is the subject's: what the index says is checked.
   */
  async bySubject(subjectHashes: readonly string[]): Promise<StoredRecord[]> {
    if (subjectHashes.length === 0) return [];
    const index = this.#subjectIndex();
    let found: ReturnType<typeof indexedSeqs>;
    try {
      found = indexedSeqs(index, subjectHashes);
    } catch {
      // An index the maintainer has not brought to this version yet: scan instead.
      found = { seqs: [], through: 0, throughHash: null };
    } finally {
      index?.close();
    }
    let { seqs, through } = found;
    const reached = this.#reader
      .prepare<[number], { hash: string }>('SELECT hash FROM records WHERE seq = ?')
      .get(through);
    if (through > 0 && reached?.hash !== found.throughHash) {
      seqs = [];
      through = 0;
    }
    const marks = subjectHashes.map(() => '?').join(',');
    const indexed = seqs.length
      ? this.#reader
          .prepare<unknown[], { seq: number; body: string; hash: string }>(
            `SELECT seq, body, hash FROM records WHERE seq IN (${seqs.map(() => '?').join(',')}) AND subject_hash IN (${marks})`,
          )
          .all(...seqs, ...subjectHashes)
      : [];
    const recent = this.#reader
      .prepare<[number, ...string[]], { seq: number; body: string; hash: string }>(
        `SELECT seq, body, hash FROM records WHERE seq > ? AND subject_hash IN (${marks})`,
      )
      .all(through, ...subjectHashes);
    return [...indexed, ...recent].sort((a, b) => a.seq - b.seq).map((r) => storedRecord(r.body, r.hash));
  }

  /** The index file, when the maintainer has made one. */
  #subjectIndex(): Database.Database | undefined {
    try {
      return openSubjectIndex(join(dirname(this.file), SUBJECTS_FILE), { readonly: true });
    } catch {
      return undefined;
    }
  }

  /** How far the subject index reaches (a record number); for tests and health checks. */
  subjectIndexReach(): number {
    const index = this.#subjectIndex();
    try {
      return indexedSeqs(index, ['']).through;
    } catch {
      // Being created, or not yet brought to this version by the maintainer.
      return 0;
    } finally {
      index?.close();
    }
  }

  async *records(fromSeq = 1): AsyncIterable<StoredRecord> {
    for await (const link of this.#pages(fromSeq)) yield storedRecord(link.body, link.hash);
  }

  links(): AsyncIterable<ChainLink> {
    return this.#pages(1);
  }

  /** A page at a time, yielding to the event loop between pages so a long export does not stall requests. */
  async *#pages(fromSeq: number): AsyncIterable<ChainLink> {
    const page = this.#reader.prepare<[number, number], ChainLink>(
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
    return this.#reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM records').get()!.n;
  }

  async hashAt(seq: number): Promise<string | undefined> {
    return this.#reader.prepare<[number], { hash: string }>('SELECT hash FROM records WHERE seq = ?').get(seq)
      ?.hash;
  }

  async treeSize(): Promise<number> {
    return (
      this.#reader.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM merkle_nodes').get()?.n ?? 0
    );
  }

  async merkleRows(seqs: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>> {
    const rows = this.#reader
      .prepare<[string], { seq: number; hashes: Uint8Array }>(
        'SELECT seq, hashes FROM merkle_nodes WHERE seq IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(seqs));
    return new Map(rows.map((r) => [r.seq, r.hashes]));
  }

  async checkpoint(treeSize?: number): Promise<StoredCheckpoint | undefined> {
    const row = this.#reader
      .prepare<
        [number | null, number | null],
        { tree_size: number; root: Uint8Array; signed_at: string; note: string }
      >(
        'SELECT tree_size, root, signed_at, note FROM checkpoints WHERE ? IS NULL OR tree_size = ? ORDER BY tree_size DESC LIMIT 1',
      )
      .get(treeSize ?? null, treeSize ?? null);
    return row && { treeSize: row.tree_size, root: row.root, signedAt: row.signed_at, note: row.note };
  }

  async publicKeys(): Promise<Ed25519PublicJwk[]> {
    return this.#reader
      .prepare<[], { jwk: string }>('SELECT jwk FROM signing_keys ORDER BY added_at, kid')
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
