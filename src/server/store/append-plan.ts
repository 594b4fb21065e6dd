/**
 * The append algorithm, once for every store: given the state of the log (end of the chain,
 * frontier of the Merkle tree, last checkpoint), the clock, the prepared records of each
 * request in a commit group and what is already stored under their ids, decide per request
 * what happens (an idempotent retry, an id conflict, new records), seal the new records into
 * the chain, grow the tree by their leaves, and sign a checkpoint when one is due. It reads and
 * writes nothing itself: the store reads the state and looks up ids inside its write
 * transaction, calls `planAppend`, then writes what the plan says in that same transaction, so
 * records, tree and checkpoints never disagree. A store that seals in the database instead
 * (PostgreSQL, so that no round trip to the endpoint happens under its lock) uses the halves:
 * `classifyAppend` before the lock, `outcomesOf` with the receipts the database made, and
 * `checkpointIfDue` after.
 *
 *   const plan = planAppend(state, new Date().toISOString(), requests, (id) => stored.get(id));
 *   insert(plan.sealed); insertTree(plan.treeRows); saveCheckpoint(plan.checkpoint); saveHead(plan.head);
 */
import type { RecordReceipt } from '../../contract/record.ts';
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
  /** The Merkle tree's frontier once `sealed` is stored. */
  frontier: NodeHash[];
  /** Per new record, the Merkle row to insert: the subtree hashes its leaf completes. */
  treeRows: Array<{ seq: number; hashes: Uint8Array }>;
  /** A checkpoint of the tree as this commit leaves it, when one is due. */
  checkpoint: PlannedCheckpoint | undefined;
}

/** Where a record of a request stands before anything is sealed. */
export type Placement =
  /** Stored before this group: an idempotent retry. */
  | { kind: 'stored'; receipt: RecordReceipt }
  /** `fresh[index]`, stored by this request. */
  | { kind: 'new'; index: number }
  /** `fresh[index]`, stored by an earlier request of the group, or earlier in this one. */
  | { kind: 'repeat'; index: number };

export interface Classified {
  /** Per request, in order: where each of its records stands, or the conflict that stores nothing of it. */
  placements: Array<Placement[] | IdConflictError>;
  /** The records to store, in chain order. */
  fresh: PreparedRecord[];
}

/**
 * The first half of planning, which needs no lock: per request, an idempotent retry, an id
 * conflict, or new records. Records of the group count as stored for the requests after them.
 */
export function classifyAppend(
  requests: ReadonlyArray<readonly PreparedRecord[]>,
  stored: (id: string) => StoredEntry | undefined,
): Classified {
  const fresh: PreparedRecord[] = [];
  const known = new Map<string, { placement: Placement; sent(): SentFields } | undefined>();
  const lookup = (id: string) => {
    if (!known.has(id)) {
      const entry = stored(id);
      known.set(
        id,
        entry && { placement: { kind: 'stored', receipt: { id, ...entry.receipt } }, sent: entry.sent },
      );
    }
    return known.get(id);
  };
  const placements = requests.map((records) => {
    const conflicts = conflictingIds(records, (id) => lookup(id)?.sent());
    if (conflicts.length) return new IdConflictError(conflicts);
    return records.map((record): Placement => {
      const earlier = lookup(record.id);
      if (earlier)
        return earlier.placement.kind === 'new'
          ? { ...earlier.placement, kind: 'repeat' }
          : earlier.placement;
      const placement: Placement = { kind: 'new', index: fresh.push(record) - 1 };
      known.set(record.id, { placement, sent: () => record });
      return placement;
    });
  });
  return { placements, fresh };
}

/** The second half: each request's outcomes, once `fresh[i]` is stored under `receipts[i]`. */
export function outcomesOf(
  { placements }: Classified,
  receipts: readonly RecordReceipt[],
): Array<AppendOutcome[] | IdConflictError> {
  return placements.map((placement) =>
    placement instanceof IdConflictError
      ? placement
      : placement.map((p): AppendOutcome =>
          p.kind === 'stored'
            ? { status: 'existing', receipt: p.receipt }
            : { status: p.kind === 'new' ? 'created' : 'existing', receipt: receipts[p.index]! },
        ),
  );
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
  const classified = classifyAppend(requests, stored);
  let { seq, hash } = head;
  const sealed = classified.fresh.map((record) => {
    const next = seal(record, seq + 1, hash, serverTime);
    seq = next.seq;
    hash = next.hash;
    return next;
  });
  const tree = extendTree(
    nodeHasher,
    state.frontier,
    sealed.map((record) => record.digest),
  );
  const treeRows = tree.rows.map((row, i) => ({ seq: sealed[i]!.seq, hashes: concatHashes(row) }));
  return {
    results: outcomesOf(classified, sealed.map(receiptOf)),
    sealed,
    head: sealed.length ? { seq, hash, serverTime } : head,
    frontier: tree.frontier,
    treeRows,
    checkpoint: checkpointIfDue(state.lastCheckpoint, tree.frontier, serverTime, policy),
  };
}

/** A checkpoint of the tree given by its frontier, signed at `serverTime`, when the policy says one is due. */
export function checkpointIfDue(
  last: LastCheckpoint | undefined,
  frontier: readonly NodeHash[],
  serverTime: string,
  policy: CheckpointPolicy | undefined,
): PlannedCheckpoint | undefined {
  const size = frontier.reduce((n, node) => n + 2 ** node.level, 0);
  if (!policy || checkpointDelay(last, size, serverTime, policy) !== 0) return undefined;
  const root = rootOf(nodeHasher, frontier);
  const note = policy.sign({ origin: policy.origin, treeSize: size, rootHash: root, time: serverTime });
  return { treeSize: size, root, signedAt: serverTime, note };
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
