/**
 * The embedded store: one SQLite file in the data folder, WAL journal and `synchronous=FULL`,
 * so a committed record survives a crash or a power cut. Throughput comes from group commit
 * (many requests per transaction) in a writer thread (sqlite-writer.ts), never from weaker
 * durability. Reads use a connection of their own on the calling thread; WAL lets them run
 * beside the writer.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { StoredRecord } from '../../contract/record.ts';
import type { ChainLink } from '../record-hash.ts';
import { portableKeys, type SubjectKeys } from '../subject-keys.ts';
import {
  IdConflictError,
  PAGE_SIZE,
  type AppendOutcome,
  type RecordDraft,
  type RecordReader,
  type RecordStore,
} from './record-store.ts';
import { storedRecord } from './seal.ts';
import { applyDurability, migrate, SQLITE_FILE } from './sqlite-file.ts';
import type { WriterOptions, WriterReply, WriterRequest, WriterResult } from './sqlite-writer.ts';

export { SQLITE_FILE, applyDurability } from './sqlite-file.ts';

/** Opens (creating and migrating if needed) `<dataDir>/assent.sqlite`, with its writer thread. */
export function openSqliteStore(
  dataDir: string,
  options: { commitWindowMs: number; keys: SubjectKeys },
): SqliteStore {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(join(dataDir, SQLITE_FILE), options);
}

/** Opens `<dataDir>/assent.sqlite` for reading only: no writer thread, no keys needed. */
export function openSqliteReader(dataDir: string): RecordReader {
  return new SqliteStore(join(dataDir, SQLITE_FILE), undefined);
}

interface Waiting {
  resolve(outcomes: AppendOutcome[]): void;
  reject(error: Error): void;
}

export class SqliteStore implements RecordStore {
  readonly kind = 'sqlite';
  readonly file: string;
  readonly #reader: Database.Database;
  readonly #writer: Worker | undefined;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  /** Requests of this event-loop turn, sent to the writer together. */
  #outgoing: Array<{ id: number; drafts: RecordDraft[] }> = [];
  /** Why the writer stopped, once it has. */
  #stopped: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(file: string, writing: { commitWindowMs: number; keys: SubjectKeys } | undefined) {
    this.file = file;
    this.#reader = new Database(file);
    applyDurability(this.#reader);
    migrate(this.#reader);
    if (!writing) return;
    const options: WriterOptions = {
      file,
      commitWindowMs: writing.commitWindowMs,
      keys: portableKeys(writing.keys),
    };
    const writer = new Worker(new URL('./sqlite-writer.ts', import.meta.url), { workerData: options });
    writer.on(
      'message',
      (reply: WriterReply) => reply.type === 'settled' && reply.results.forEach((r) => this.#settle(r)),
    );
    writer.on('error', (error: Error) => this.#stop(error));
    writer.on('exit', (code) => this.#stop(new Error(`the SQLite writer stopped (exit code ${code})`)));
    this.#writer = writer;
  }

  append(drafts: readonly RecordDraft[]): Promise<AppendOutcome[]> {
    if (!this.#writer) return Promise.reject(new Error('this store was opened for reading only'));
    if (this.#stopped) return Promise.reject(this.#stopped);
    if (this.#closing) return Promise.reject(new Error('the store is closing'));
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
    this.#writer?.postMessage({ type: 'append', requests } satisfies WriterRequest);
  }

  #settle(result: WriterResult): void {
    const waiting = this.#waiting.get(result.id);
    if (!waiting) return;
    this.#waiting.delete(result.id);
    if ('outcomes' in result) waiting.resolve(result.outcomes);
    else if ('conflict' in result) waiting.reject(new IdConflictError(result.conflict));
    else waiting.reject(new Error(`could not store the records: ${result.failed}`));
  }

  #stop(reason: Error): void {
    this.#stopped ??= reason;
    for (const waiting of this.#waiting.values()) waiting.reject(this.#stopped);
    this.#waiting.clear();
  }

  async bySubject(subjectHashes: readonly string[]): Promise<StoredRecord[]> {
    if (subjectHashes.length === 0) return [];
    const rows = this.#reader
      .prepare<string[], { body: string; hash: string }>(
        `SELECT body, hash FROM records WHERE subject_hash IN (${subjectHashes.map(() => '?').join(',')}) ORDER BY seq`,
      )
      .all(...subjectHashes);
    return rows.map((r) => storedRecord(r.body, r.hash));
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

  /** Lets the writer commit what it has been given, then closes both connections. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const writer = this.#writer;
      if (writer && !this.#stopped) {
        if (this.#outgoing.length) this.#send();
        const closed = new Promise<void>((resolve) => {
          writer.on('message', (reply: WriterReply) => reply.type === 'closed' && resolve());
          writer.once('exit', () => resolve());
        });
        writer.postMessage({ type: 'close' } satisfies WriterRequest);
        await closed;
        await writer.terminate();
      }
      this.#reader.close();
    })();
    return this.#closing;
  }
}
