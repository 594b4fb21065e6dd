/**
 * The answers of the proof routes, from a store: what the routes file only wires to URLs.
 * Sizes past the stored tree are refused with what is there, so a caller knows what to ask.
 */
import type { CheckpointAnswer, ConsistencyAnswer, InclusionAnswer } from '../../contract/proof/api.ts';
import type { RecordReader, StoredCheckpoint } from '../store/record-store.ts';
import { consistencyProof, inclusionProof, KnownRanges } from './tree-proofs.ts';

/** Standard base64, as the contract's toBase64, by Node's encoder: half the time, 20 times a proof. */
const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * Each SQLite store's known range hashes (tree-proofs.ts), asked only within its stored tree:
 * while the endpoint runs, the data folder's lock keeps every other writer out, so a stored
 * range never changes. Not for PostgreSQL, where a failover to a replica that lost commits can
 * store other records under the same seqs beneath a running endpoint (as for the SQLite store's
 * kept upper rows).
 */
const knownRanges = new WeakMap<RecordReader, KnownRanges>();

function knownOf(store: RecordReader): KnownRanges | undefined {
  if (store.kind !== 'sqlite') return undefined;
  let known = knownRanges.get(store);
  if (!known) knownRanges.set(store, (known = new KnownRanges()));
  return known;
}

/** A proof asked of sizes or records the tree does not have. */
export class ProofRangeError extends Error {}

export async function checkpointAnswer(store: RecordReader): Promise<CheckpointAnswer | undefined> {
  const latest = await store.checkpoint();
  return latest && answerOf(latest);
}

/** A stored checkpoint as the routes answer it (`GET /v1/checkpoint`, `GET /v1/checkpoints`). */
export function answerOf(stored: StoredCheckpoint): CheckpointAnswer {
  return {
    treeSize: stored.treeSize,
    rootHash: toBase64(stored.root),
    signedAt: stored.signedAt,
    note: stored.note,
  };
}

export async function inclusionAnswer(
  store: RecordReader,
  seq: number,
  size: number | undefined,
): Promise<InclusionAnswer> {
  const treeSize = size ?? (await store.checkpoint())?.treeSize;
  if (treeSize === undefined)
    throw new ProofRangeError('no checkpoint has been signed yet; retry in a few seconds');
  const stored = await store.treeSize();
  if (treeSize > stored) throw new ProofRangeError(`the tree has ${stored} records, not ${treeSize}`);
  if (seq > treeSize) {
    throw new ProofRangeError(
      `record ${seq} is not in the tree of ${treeSize} records${size === undefined ? ' (the newest checkpoint); retry once a later checkpoint covers it' : ''}`,
    );
  }
  const [proof, record, checkpoint] = await Promise.all([
    inclusionProof((seqs) => store.merkleRows(seqs), seq - 1, treeSize, knownOf(store)),
    store.hashAt(seq),
    store.checkpoint(treeSize),
  ]);
  return {
    seq,
    leafIndex: seq - 1,
    treeSize,
    recordHash: record ?? missing(seq),
    path: proof.path.map(toBase64),
    checkpoint: checkpoint?.note ?? null,
  };
}

export async function consistencyAnswer(
  store: RecordReader,
  from: number,
  to: number,
): Promise<ConsistencyAnswer> {
  const stored = await store.treeSize();
  if (from > to) throw new ProofRangeError(`from (${from}) is past to (${to})`);
  if (to > stored) throw new ProofRangeError(`the tree has ${stored} records, not ${to}`);
  const proof = await consistencyProof((seqs) => store.merkleRows(seqs), from, to, knownOf(store));
  return { fromSize: from, toSize: to, path: proof.path.map(toBase64) };
}

function missing(seq: number): never {
  throw new ProofRangeError(`record ${seq} is not stored`);
}
