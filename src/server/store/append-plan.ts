/**
 * The append algorithm, once for every store: given the end of the chain, the clock, the
 * prepared records of each request in a commit group and what is already stored under their
 * ids, decide per request what happens (an idempotent retry, an id conflict, new records),
 * seal the new records into the chain and say where the chain ends afterwards. It reads and
 * writes nothing itself: the store looks up ids and the head inside its write transaction,
 * calls `planAppend`, then writes `sealed` and the new head in that same transaction.
 *
 *   const plan = planAppend(head, new Date().toISOString(), requests, (id) => stored.get(id));
 *   insert(plan.sealed); saveHead(plan.head);
 */
import type { RecordReceipt } from '../../contract/record.ts';
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
}

/**
 * `now` is the clock read under the write lock. The time stamped on the new records never goes
 * back along the chain, even if the system clock is stepped back (NTP): evidence times follow
 * the chain's order.
 */
export function planAppend(
  head: ChainHead,
  now: string,
  requests: ReadonlyArray<readonly PreparedRecord[]>,
  stored: (id: string) => StoredEntry | undefined,
): AppendPlan {
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
  return {
    results,
    sealed,
    head: sealed.length ? { seq, hash, serverTime } : head,
  };
}
