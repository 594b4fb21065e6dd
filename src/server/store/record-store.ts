/**
 * Where records are kept: one interface, implemented by SQLite (embedded, the default) and
 * PostgreSQL (several endpoint instances, one database). Both pass the same contract suite
 * (tests/unit/server/store-contract.ts).
 *
 * Records are only ever appended. `append` takes the records of one request and makes the new
 * ones durable together, chained after the last stored record, before it resolves.
 */
import type { Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import type { RecordInput, RecordReceipt, StoredRecord } from '../../contract/record.ts';
import type { ChainLink } from '../record-hash.ts';
import { sentJson, type SentFields } from '../record-json.ts';

/**
 * A checked record as a request delivers it, with what the endpoint observed about the client
 * (already reduced as the retention settings say). The subject id is still in clear here: the
 * store pseudonymises it while preparing the record (for SQLite, in its writer thread).
 */
export interface RecordDraft {
  input: RecordInput;
  /** Truncated address, or null when not kept. */
  ip: string | null;
  /** Browser family, or null when not kept. */
  browser: string | null;
}

/** A prepared record, ready to be sealed into the chain: everything but position, time and hashes. */
export type PreparedRecord = Omit<StoredRecord, 'seq' | 'serverTime' | 'prevHash' | 'hash'> & {
  /**
   * The subject's hash under another key version (undefined if that key is gone), so that a
   * retry after a key rotation can be matched with the record stored under the old key. Never
   * stored: `recordBody` and `sentJson` name the members they keep.
   */
  subjectHashUnder?: (version: number) => string | undefined;
};

export type AppendOutcome =
  /** Stored by this call. */
  | { status: 'created'; receipt: RecordReceipt }
  /** Already stored, identical: an idempotent retry. */
  | { status: 'existing'; receipt: RecordReceipt };

/** Some id in the request is already taken by a different record; nothing was stored. */
export class IdConflictError extends Error {
  readonly ids: string[];
  constructor(ids: string[]) {
    super(`record id ${ids.join(', ')} is already used by a different record`);
    this.ids = ids;
  }
}

/** A subject's acceptance or acknowledgement of a document, as standing reads it. */
export interface AssentRecord extends Omit<RecordReceipt, 'receipt'> {
  type: 'accepted' | 'acknowledged';
  document: { slug: string; version: string; contentHash: string };
}

/** Reading the records: what `assent verify` and `assent export` need, without the HMAC keys. */
export interface RecordReader {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * The subject's `accepted` and `acknowledged` records of `documents` (slugs), oldest first, by
   * the subject's hashes under every key: what standing decides from and its receipts name,
   * without reading whole records.
   */
  assentsOf(subjectHashes: readonly string[], documents: readonly string[]): Promise<AssentRecord[]>;
  /** Every record of a subject, a page at a time, oldest first: memory stays bounded however many there are (exports). */
  subjectRecords(subjectHashes: readonly string[]): AsyncIterable<StoredRecord>;
  /** Every record from `fromSeq` on, oldest first, a page at a time. */
  records(fromSeq?: number): AsyncIterable<StoredRecord>;
  /** The stored chain, oldest first, for verification. */
  links(): AsyncIterable<ChainLink>;
  count(): Promise<number>;
  /** The chain hash of record `seq`, if stored. */
  hashAt(seq: number): Promise<string | undefined>;
  /** Leaves of the Merkle tree: the last record's seq. */
  treeSize(): Promise<number>;
  /** Merkle rows of the given records (src/server/proof/merkle-tree.ts says what a row holds). */
  merkleRows(seqs: readonly number[]): Promise<ReadonlyMap<number, Uint8Array>>;
  /** The newest signed checkpoint, or the one of a given tree size. */
  checkpoint(treeSize?: number): Promise<StoredCheckpoint | undefined>;
  /** Signed checkpoints newest first, those below tree size `before` (all when undefined), at most `limit`. */
  checkpoints(before: number | undefined, limit: number): Promise<StoredCheckpoint[]>;
  /** The public half of every key that signed here, oldest first. */
  publicKeys(): Promise<Ed25519PublicJwk[]>;
  /** Finishes the appends under way, then closes. */
  close(): Promise<void>;
}

export interface RecordStore extends RecordReader {
  /** Appends one request's records atomically; throws IdConflictError without storing any. */
  append(drafts: readonly RecordDraft[]): Promise<AppendOutcome[]>;
  /** Resolves when the store can take records now (database answers, writer alive); throws why not. */
  ready(): Promise<void>;
}

export interface StoredCheckpoint {
  treeSize: number;
  root: Uint8Array;
  signedAt: string;
  /** The signed note (C2SP tlog-checkpoint), exactly as signed. */
  note: string;
}

/** How many records a page of `records()` or `links()` reads at once. */
export const PAGE_SIZE = 1000;

/**
 * Ids in a request that are taken by a different record, or used twice in it for different
 * records. `stored` gives the record already stored under an id, if any. Shared by every store.
 */
export function conflictingIds(
  records: readonly PreparedRecord[],
  stored: (id: string) => SentFields | undefined,
): string[] {
  const conflicts = new Set<string>();
  const first = new Map<string, SentFields>();
  for (const record of records) {
    const earlier = first.get(record.id) ?? stored(record.id);
    // Compared only when an id repeats, which a new record's does not.
    if (earlier && !sameRecord(earlier, record)) conflicts.add(record.id);
    if (!first.has(record.id)) first.set(record.id, earlier ?? record);
  }
  return [...conflicts];
}

/**
 * The database cannot be reached just now (a restart, a failover, a killed connection). Nothing
 * in the request was acknowledged; the client may retry the same ids later (appends are
 * idempotent), and the store reconnects by itself when the database is back.
 */
export class StoreUnavailableError extends Error {
  /** Seconds a client should wait before retrying. */
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Whether a record is the one stored earlier under its id. A retry that arrives after the HMAC
 * key was rotated carries the subject hashed under the new key; it is compared under the key
 * the stored record was made with.
 */
function sameRecord(earlier: SentFields, record: PreparedRecord): boolean {
  if (sentJson(earlier) === sentJson(record)) return true;
  const version = earlier.subject.keyVersion;
  if (version === undefined || version === record.subject.keyVersion) return false;
  const hash = record.subjectHashUnder?.(version);
  return (
    hash !== undefined && sentJson(earlier) === sentJson({ ...record, subject: { ...record.subject, hash } })
  );
}

/** The place named holds no Assent records (no database there, or another program's). */
export class StoreNotFoundError extends Error {}

/** The database is set up in a way that would break a promise the store makes (durability). */
export class StoreConfigError extends Error {}
