/**
 * The SQLite writer, in a worker thread of its own: it looks up ids and the end of the chain,
 * lets the append planner (append-plan.ts) decide, inserts the sealed records and commits, one
 * group of requests at a time. Committing waits for the disk (fsync); here that wait does not stop the main thread from taking the next requests,
 * which queue as messages and form the next group.
 *
 * It also prepares the records (pseudonymises subjects) and, when it signs checkpoints, signs
 * the receipts of each commit as one batch (src/server/proof/receipt-batches.ts): work the
 * request thread, which parses and answers every request, is then spared.
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
import { signReceiptBatch } from '../proof/receipt-batches.ts';
import { receiptClaims } from '../proof/receipts.ts';
import { publicJwkOf, signingKeyFrom } from '../proof/signing-keys.ts';
import { extendTree } from '../proof/merkle-tree.ts';
import { nodeHasher } from '../proof/node-hasher.ts';
import { frontierFromRows } from '../proof/tree-proofs.ts';
import { recordLeafData } from '../../contract/proof/merkle.ts';
import {
  EMPTY_CHAIN,
  planAppend,
  type LastCheckpoint,
  type LogState,
  type StoredEntry,
} from './append-plan.ts';
import { checkpointPolicy, CheckpointTimer, type CheckpointSettings } from './checkpointing.ts';
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
  /** Sign checkpoints (the tree is kept either way). */
  checkpoints?: CheckpointSettings;
  /** Sign each commit's receipts, as one batch, with the checkpoints' key and origin. */
  receipts: boolean;
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
/**
 * `INSERT INTO <table> (<columns>) VALUES (…), (…), …` for any number of rows, as a few
 * multi-row statements (chunks of 256, 128, … 1 rows, each prepared once): a commit's rows go
 * in a handful of calls rather than one call per row.
 */
function multiRowInsert(
  table: string,
  columns: readonly string[],
): (rows: ReadonlyArray<readonly unknown[]>) => void {
  const byRows = new Map<number, Database.Statement>();
  const row = `(${columns.map(() => '?').join(', ')})`;
  const statement = (n: number) => {
    let prepared = byRows.get(n);
    if (!prepared) {
      prepared = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(row).join(', ')}`,
      );
      byRows.set(n, prepared);
    }
    return prepared;
  };
  return (rows) => {
    let at = 0;
    for (let n = 256; n >= 1; n /= 2) {
      for (; rows.length - at >= n; at += n) statement(n).run(...rows.slice(at, at + n).flat());
    }
  };
}

const insertRecords = multiRowInsert('records', ['seq', 'id', 'subject_hash', 'server_time', 'body', 'hash']);
const insertTreeRows = multiRowInsert('merkle_nodes', ['seq', 'hashes']);
const treeRows = db.prepare<[string], { seq: number; hashes: Uint8Array }>(
  'SELECT seq, hashes FROM merkle_nodes WHERE seq IN (SELECT value FROM json_each(?))',
);
const lastCheckpoint = db.prepare<[], { tree_size: number; signed_at: string }>(
  'SELECT tree_size, signed_at FROM checkpoints ORDER BY tree_size DESC LIMIT 1',
);
const insertCheckpoint = db.prepare<[number, Uint8Array, string, string]>(
  'INSERT INTO checkpoints (tree_size, root, signed_at, note) VALUES (?, ?, ?, ?)',
);
const policy = options.checkpoints && checkpointPolicy(options.checkpoints);
const receiptKey = options.receipts && options.checkpoints && signingKeyFrom(options.checkpoints.key);

function rows(seqs: readonly number[]): Map<number, Uint8Array> {
  return new Map(treeRows.all(JSON.stringify(seqs)).map((r) => [r.seq, r.hashes]));
}

function stored(id: string): StoredEntry | undefined {
  const row = byId.get(id);
  return (
    row && {
      receipt: { seq: row.seq, serverTime: row.server_time, hash: row.hash },
      sent: () => JSON.parse(row.body) as SentFields,
    }
  );
}

function lastSigned(): LastCheckpoint | undefined {
  const row = lastCheckpoint.get();
  return row && { treeSize: row.tree_size, signedAt: row.signed_at };
}

/**
 * The log as the last commit left it: the tree's frontier (O(log n) rows to read) and the last
 * checkpoint are kept here rather than read again at every commit; nothing else writes the
 * records while this thread runs (the data folder's lock keeps other processes out). Undefined
 * until the first commit, and again after a commit fails.
 */
let known: LogState | undefined;

/**
 * The log as it stands, inside the write transaction. The end of the chain is read every time
 * (one row): while it is the one the last commit left, the rest is `known`; otherwise (the
 * first commit, or a failed one) it is all read from the database.
 */
function logState(): LogState {
  const row = last.get();
  const head = row ? { seq: row.seq, hash: row.hash, serverTime: row.server_time } : EMPTY_CHAIN;
  if (known && known.head.seq === head.seq && known.head.hash === head.hash) return { ...known, head };
  return { head, frontier: frontierFromRows(rows, head.seq), lastCheckpoint: lastSigned() };
}

/** One transaction for every request in the group; a request with a taken id stores nothing. */
function commit(requests: PreparedRecord[][]): Array<AppendOutcome[] | Error> {
  let next: LogState;
  let results: Array<AppendOutcome[] | Error>;
  try {
    results = db
      .transaction(() => {
        const state = logState();
        const plan = planAppend(state, new Date().toISOString(), requests, stored, policy);
        insertRecords(plan.sealed.map((s) => [s.seq, s.id, s.subjectHash, s.serverTime, s.body, s.hash]));
        insertTreeRows(plan.treeRows.map((r) => [r.seq, r.hashes]));
        const signed = plan.checkpoint;
        if (signed) insertCheckpoint.run(signed.treeSize, signed.root, signed.signedAt, signed.note);
        next = {
          head: plan.head,
          frontier: plan.frontier,
          lastCheckpoint: signed ?? state.lastCheckpoint,
        };
        return plan.results;
      })
      .immediate();
  } catch (error) {
    known = undefined;
    throw error;
  }
  known = next!;
  timer?.after(known.head.seq, known.lastCheckpoint);
  return results;
}

/**
 * The tree is written in its records' own commits; only a store made by an earlier version
 * has records without it. This brings such a tree up to its records, a page at a time,
 * before any append.
 */
function catchUpTree(): void {
  const page = db.prepare<[number, number], { seq: number; hash: string }>(
    'SELECT seq, hash FROM records WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const treeSize = db.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM merkle_nodes');
  for (;;) {
    const done = db
      .transaction(() => {
        const size = treeSize.get()?.n ?? 0;
        const records = page.all(size, 10_000);
        if (records.length === 0) return true;
        const grown = extendTree(
          nodeHasher,
          frontierFromRows(rows, size),
          records.map((r) => recordLeafData(r.hash)),
        );
        insertTreeRows(grown.rows.map((row, i) => [records[i]!.seq, Buffer.concat(row)]));
        return false;
      })
      .immediate();
    if (done) return;
  }
}

catchUpTree();
if (options.checkpoints) {
  const jwk = publicJwkOf(options.checkpoints.key);
  db.prepare('INSERT OR IGNORE INTO signing_keys (kid, jwk, added_at) VALUES (?, ?, ?)').run(
    jwk.kid,
    JSON.stringify(jwk),
    new Date().toISOString(),
  );
}

const group = new GroupCommit<PreparedRecord[], AppendOutcome[]>(commit, options.commitWindowMs);
// An empty group signs a checkpoint when one is due: the records of a quiet moment, or those
// acknowledged before a crash, are covered within `everySeconds`.
const timer = policy && new CheckpointTimer(policy, () => void group.submit([]).catch(() => {}));
if (timer) void group.submit([]).catch(() => {});
const reply = (message: WriterReply) => port.postMessage(message);

// Answers of one commit go back in one message, as requests come in batches, with the
// receipts of all their records signed together.
let settled: Array<{ result: WriterResult; drafts: readonly RecordDraft[] }> = [];
function answer(result: WriterResult, drafts: readonly RecordDraft[]): void {
  if (settled.length === 0) {
    setImmediate(() => {
      const results = settled;
      settled = [];
      signReceipts(results);
      reply({ type: 'settled', results: results.map((r) => r.result) });
    });
  }
  settled.push({ result, drafts });
}

/** Adds to each outcome its receipt, all under one signature. */
function signReceipts(
  results: ReadonlyArray<{ result: WriterResult; drafts: readonly RecordDraft[] }>,
): void {
  if (!receiptKey || !options.checkpoints) return;
  const origin = options.checkpoints.origin;
  const receipts = results.flatMap(({ result, drafts }) =>
    'outcomes' in result ? result.outcomes.map((o, i) => ({ o, input: drafts[i]!.input })) : [],
  );
  const signed = signReceiptBatch(
    receipts.map(({ o, input }) => receiptClaims(input, o.receipt, origin)),
    receiptKey,
  );
  receipts.forEach(({ o }, i) => (o.receipt.receipt = signed[i]));
}

port.on('message', (message: WriterRequest) => {
  if (message.type === 'close') {
    timer?.stop();
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
      answer({ id, failed: (error as Error).message }, drafts);
      continue;
    }
    group.submit(records).then(
      (outcomes) => answer({ id, outcomes }, drafts),
      (error: unknown) =>
        answer(
          error instanceof IdConflictError
            ? { id, conflict: error.ids }
            : { id, failed: (error as Error).message },
          drafts,
        ),
    );
  }
});
