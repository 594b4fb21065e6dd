/**
 * The SQLite writer, in a worker thread of its own: it looks up ids and the end of the chain,
 * lets the append planner (append-plan.ts) decide, inserts the sealed records and commits, one
 * group of requests at a time. Committing waits for the disk (fsync); here that wait does not stop the main thread from taking the next requests,
 * which queue as messages and form the next group.
 *
 * It also prepares the records (pseudonymises subjects), which is work the main thread is then
 * spared.
 *
 * Messages in: { type: 'append', requests: [{ id, drafts }] } (the main thread sends the
 * requests of one event-loop turn together) and { type: 'close' }.
 * Messages out: { type: 'settled', results: [...] } (the answers of one commit together,
 * each { id, outcomes } | { id, conflict } | { id, failed }) and { type: 'closed' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SentFields } from '../record-json.ts';
import { keysFromPortable, type PortableKeys } from '../subject-keys.ts';
import { EMPTY_CHAIN, planAppend, type StoredEntry } from './append-plan.ts';
import { GroupCommit } from './group-commit.ts';
import { prepareRecord } from './prepare-record.ts';
import {
  IdConflictError,
  type AppendOutcome,
  type PreparedRecord,
  type RecordDraft,
} from './record-store.ts';
import { applyDurability } from './sqlite-file.ts';

export interface WriterOptions {
  file: string;
  commitWindowMs: number;
  keys: PortableKeys;
}

export type WriterRequest =
  { type: 'append'; requests: Array<{ id: number; drafts: RecordDraft[] }> } | { type: 'close' };
export type WriterResult =
  | { id: number; outcomes: AppendOutcome[] }
  | { id: number; conflict: string[] }
  | { id: number; failed: string };

export type WriterReply = { type: 'settled'; results: WriterResult[] } | { type: 'closed' };

interface ExistingRow {
  seq: number;
  server_time: string;
  hash: string;
  body: string;
}

const options = workerData as WriterOptions;
const keys = keysFromPortable(options.keys);
const port = parentPort!;
const db = new Database(options.file);
applyDurability(db);
// The maintainer thread checkpoints beside the writer; this automatic one, inside a commit, is
// only a safety net should the maintainer fall behind (about 40 MB of log).
db.pragma('wal_autocheckpoint = 10000');
const byId = db.prepare<[string], ExistingRow>(
  'SELECT seq, server_time, hash, body FROM records WHERE id = ?',
);
const last = db.prepare<[], { seq: number; hash: string; server_time: string }>(
  'SELECT seq, hash, server_time FROM records ORDER BY seq DESC LIMIT 1',
);
const insert = db.prepare<[number, string, string, string, string, string]>(
  'INSERT INTO records (seq, id, subject_hash, server_time, body, hash) VALUES (?, ?, ?, ?, ?, ?)',
);

function stored(id: string): StoredEntry | undefined {
  const row = byId.get(id);
  return (
    row && {
      receipt: { seq: row.seq, serverTime: row.server_time, hash: row.hash },
      sent: () => JSON.parse(row.body) as SentFields,
    }
  );
}

/** One transaction for every request in the group; a request with a taken id stores nothing. */
function commit(requests: PreparedRecord[][]): Array<AppendOutcome[] | Error> {
  return db
    .transaction(() => {
      // Read the end of the chain inside the write transaction, so it is the real one.
      const row = last.get();
      const head = row ? { seq: row.seq, hash: row.hash, serverTime: row.server_time } : EMPTY_CHAIN;
      const plan = planAppend(head, new Date().toISOString(), requests, stored);
      for (const s of plan.sealed) insert.run(s.seq, s.id, s.subjectHash, s.serverTime, s.body, s.hash);
      return plan.results;
    })
    .immediate();
}

const group = new GroupCommit<PreparedRecord[], AppendOutcome[]>(commit, options.commitWindowMs);
const reply = (message: WriterReply) => port.postMessage(message);

// Answers of one commit go back in one message, as requests come in batches.
let settled: WriterResult[] = [];
function answer(result: WriterResult): void {
  if (settled.length === 0) {
    setImmediate(() => {
      reply({ type: 'settled', results: settled });
      settled = [];
    });
  }
  settled.push(result);
}

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') {
    void group.drain().then(() => {
      db.close();
      // After the last answers (queued with setImmediate) have gone.
      setImmediate(() => reply({ type: 'closed' }));
    });
    return;
  }
  for (const { id, drafts } of message.requests) {
    let records: PreparedRecord[];
    try {
      records = drafts.map((draft) => prepareRecord(draft, keys));
    } catch (error) {
      answer({ id, failed: (error as Error).message });
      continue;
    }
    group.submit(records).then(
      (outcomes) => answer({ id, outcomes }),
      (error: unknown) =>
        answer(
          error instanceof IdConflictError
            ? { id, conflict: error.ids }
            : { id, failed: (error as Error).message },
        ),
    );
  }
});
