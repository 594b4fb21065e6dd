/**
 * The append algorithm, once for every store: given the state of the log (end of the chain,
 * frontier of the Merkle tree, last checkpoint), the clock, the prepared records of each
 * request in a commit group and what is already stored under their ids, decide per request
 * what happens (an idempotent retry, an id conflict, new records), seal the new records into
 * the chain, grow the tree by their leaves, and sign a checkpoint when one is due. It reads and
 * writes nothing itself: the store reads the state and looks up ids inside its write
 * transaction, calls `planAppend`, then writes what the plan says in that same transaction, so
 * records, tree and checkpoints never disagree.
 *
 *   const plan = planAppend(state, new Date().toISOString(), requests, (id) => stored.get(id));
 *   insert(plan.sealed); insertTree(plan.treeRows); saveCheckpoint(plan.checkpoint); saveHead(plan.head);
 */
import type { RecordReceipt } from '../../contract/record.ts';
import { recordLeafData } from '../../contract/proof/merkle.ts';
import type { Checkpoint } from '../../contract/proof/checkpoint.ts';
import { extendTree, rootOf, type NodeHash } from '../proof/merkle-tree.ts';
import { nodeHasher } from '../proof/node-hasher.ts';
import { GENESIS_HASH } from '../record-hash.ts';
import type { SentFields } from '../record-json.ts';
import { conflictingIds, IdConflictError, type AppendOutcome, type PreparedRecord } from './record-store.ts';
import { receiptOf, seal, type SealedRecord } from './seal.ts';

/** The last record of the chain (seq 0 and the genesis hash for an empty one). */
export interface ChainHead {
  seq: number;
  hash: string;
  /** The last record's server time; '' for an empty chain. */
  serverTime: string;
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH, serverTime: '' };

export interface LastCheckpoint {
  treeSize: number;
  signedAt: string;
}

/** What a store reads in its write transaction before planning. */
export interface LogState {
  head: ChainHead;
  /** The Merkle tree's frontier at `head.seq` leaves (tree-proofs.ts `frontierOf`). */
  frontier: readonly NodeHash[];
  lastCheckpoint: LastCheckpoint | undefined;
}

/** When to sign a checkpoint, and how. Without one, a store keeps the tree but signs nothing. */
export interface CheckpointPolicy {
  /** The log's name: the checkpoints' first line and key name, the receipts' `iss`. */
  origin: string;
  /** A checkpoint once this many records are not covered by the last one… */
  everyRecords: number;
  /** …or once this many seconds have passed since the last one, if any record is not covered. */
  everySeconds: number;
  sign(checkpoint: Checkpoint): string;
}

export interface PlannedCheckpoint {
  treeSize: number;
  root: Uint8Array;
  signedAt: string;
  note: string;
}

/** A record stored earlier under an id: its receipt, and what was sent (read only when needed). */
export interface StoredEntry {
  receipt: Omit<RecordReceipt, 'id'>;
  sent(): SentFields;
}

export interface AppendPlan {
  /** Per request, in order: its outcomes, or the conflict that stores nothing of it. */
  results: Array<AppendOutcome[] | IdConflictError>;
  /** The new records, in chain order, to be inserted. */
  sealed: SealedRecord[];
  /** The end of the chain once `sealed` is stored. */
  head: ChainHead;
  /** Per new record, the Merkle row to insert: the subtree hashes its leaf completes. */
  treeRows: Array<{ seq: number; hashes: Uint8Array }>;
  /** A checkpoint of the tree as this commit leaves it, when one is due. */
  checkpoint: PlannedCheckpoint | undefined;
}

/**
 * `now` is the clock read under the write lock. The time stamped on the new records never goes
 * back along the chain, even if the system clock is stepped back (NTP): evidence times follow
 * the chain's order.
 */
export function planAppend(
  state: LogState,
  now: string,
  requests: ReadonlyArray<readonly PreparedRecord[]>,
  stored: (id: string) => StoredEntry | undefined,
  policy?: CheckpointPolicy,
): AppendPlan {
  const { head } = state;
  const serverTime = now > head.serverTime ? now : head.serverTime;
  let { seq, hash } = head;
  const sealed: SealedRecord[] = [];
  // Records of this group count as stored for the requests after them.
  const known = new Map<string, StoredEntry | undefined>();
  const lookup = (id: string) => {
    if (!known.has(id)) known.set(id, stored(id));
    return known.get(id);
  };
  const results = requests.map((records) => {
    const conflicts = conflictingIds(records, (id) => lookup(id)?.sent());
    if (conflicts.length) return new IdConflictError(conflicts);
    return records.map((record): AppendOutcome => {
      const earlier = lookup(record.id);
      if (earlier) return { status: 'existing', receipt: { id: record.id, ...earlier.receipt } };
      const next = seal(record, seq + 1, hash, serverTime);
      sealed.push(next);
      known.set(record.id, { receipt: { seq: next.seq, serverTime, hash: next.hash }, sent: () => record });
      seq = next.seq;
      hash = next.hash;
      return { status: 'created', receipt: receiptOf(next) };
    });
  });
  const tree = extendTree(
    nodeHasher,
    state.frontier,
    sealed.map((record) => recordLeafData(record.hash)),
  );
  const treeRows = tree.rows.map((row, i) => ({ seq: sealed[i]!.seq, hashes: concatHashes(row) }));
  let checkpoint: PlannedCheckpoint | undefined;
  if (policy && checkpointDelay(state.lastCheckpoint, seq, serverTime, policy) === 0) {
    const root = rootOf(nodeHasher, tree.frontier);
    const note = policy.sign({ origin: policy.origin, treeSize: seq, rootHash: root, time: serverTime });
    checkpoint = { treeSize: seq, root, signedAt: serverTime, note };
  }
  return {
    results,
    sealed,
    head: sealed.length ? { seq, hash, serverTime } : head,
    treeRows,
    checkpoint,
  };
}

/**
 * Milliseconds until a checkpoint of a tree of `size` leaves is due at the time `now` (0: due
 * now), or undefined when the last checkpoint covers it. A store with records not yet covered
 * sets a timer for this long and then commits an empty group.
 */
export function checkpointDelay(
  last: LastCheckpoint | undefined,
  size: number,
  now: string,
  policy: Pick<CheckpointPolicy, 'everyRecords' | 'everySeconds'>,
): number | undefined {
  if (size <= (last?.treeSize ?? 0)) return undefined;
  if (!last || size - last.treeSize >= policy.everyRecords) return 0;
  return Math.max(0, Date.parse(last.signedAt) + policy.everySeconds * 1000 - Date.parse(now));
}

function concatHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((hash, i) => out.set(hash, i * 32));
  return out;
}
