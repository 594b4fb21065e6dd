/**
 * Proofs and roots from a store's Merkle rows (see merkle-tree.ts for what a row holds): work
 * out which subtrees a proof needs, fetch their rows in one query, hash the O(log n) pieces.
 * Both stores answer through these, so they answer alike.
 *
 *   const path = await inclusionPath(store.merkleRows, 6, 20);
 */
import type { ConsistencyProof, InclusionProof } from '../../contract/proof/merkle.ts';
import {
  consistencyRanges,
  hashOfRange,
  HASH_SIZE,
  inclusionRanges,
  nodeRow,
  perfectSubtrees,
  subtreesOf,
  type NodeHash,
  type Range,
  type Subtree,
} from './merkle-tree.ts';
import { KeptValues } from './kept-values.ts';
import { nodeHasher } from './node-hasher.ts';

/** Reads the Merkle rows of the given record seqs (each the concatenated hashes of its subtrees). */
export type FetchRows = (seqs: readonly number[]) => Promise<ReadonlyMap<number, Uint8Array>>;

/** The records whose rows hold the given subtrees. */
export function rowSeqs(subtrees: readonly Subtree[]): number[] {
  return [...new Set(subtrees.map((s) => nodeRow(s).seq))];
}

/** The hashes of the given subtrees, from their rows. */
export function fromRows(subtrees: readonly Subtree[], rows: ReadonlyMap<number, Uint8Array>): NodeHash[] {
  return subtrees.map((subtree) => {
    const { seq, slot } = nodeRow(subtree);
    const row = rows.get(seq);
    if (!row || row.length < (slot + 1) * HASH_SIZE) {
      throw new Error(`the Merkle tree lacks the node of record ${seq} at level ${slot}`);
    }
    return { ...subtree, hash: row.subarray(slot * HASH_SIZE, (slot + 1) * HASH_SIZE) };
  });
}

export async function subtreeHashes(fetch: FetchRows, subtrees: readonly Subtree[]): Promise<NodeHash[]> {
  return fromRows(subtrees, await fetch(rowSeqs(subtrees)));
}

/** Ranges kept by a KnownRanges: ~20 per tree size that proofs are asked in. */
const RANGES_KEPT = 4096;

/**
 * Hashes of ranges made of several perfect subtrees, kept once worked out. They lie along the
 * ragged right edge of a tree whose size is no power of two, so proofs in one tree size (the
 * newest checkpoint's, mostly) share the same few of them, and each costs rows below the store's
 * kept upper rows and a few SHA-256s. A range's hash never changes once its records are stored
 * (the tree only grows, and rows are never rewritten) while no other writer can reach the store,
 * so a kept one cannot go stale; callers keep only ranges within the stored tree. One per SQLite
 * store (proof-answers.ts).
 */
export class KnownRanges {
  readonly #hashes: KeptValues<string, Uint8Array>;

  constructor(limit = RANGES_KEPT) {
    this.#hashes = new KeptValues(limit);
  }

  get([start, end]: Range): Uint8Array | undefined {
    return this.#hashes.get(`${start}-${end}`);
  }

  set([start, end]: Range, hash: Uint8Array): void {
    this.#hashes.set(`${start}-${end}`, hash);
  }

  /** How many are kept (for tests). */
  get size(): number {
    return this.#hashes.size;
  }
}

async function hashesOf(
  fetch: FetchRows,
  ranges: readonly Range[],
  known?: KnownRanges,
): Promise<Uint8Array[]> {
  const kept = ranges.map((range) => known?.get(range));
  const nodes = await subtreeHashes(fetch, subtreesOf(ranges.filter((_, i) => !kept[i])));
  const byKey = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  return ranges.map((range, i) => {
    const found = kept[i];
    if (found) return found;
    const hash = hashOfRange(nodeHasher, range, (s) => byKey.get(`${s.level}/${s.index}`)!);
    // A perfect subtree is one row already (kept by the store above level 10).
    if (known && perfectSubtrees(range[0], range[1]).length > 1) known.set(range, hash);
    return hash;
  });
}

/** The frontier of a tree of `size` leaves: what the next append extends. */
export function frontierOf(fetch: FetchRows, size: number): Promise<NodeHash[]> {
  return subtreeHashes(fetch, perfectSubtrees(0, size));
}

/** The same, for a store that reads synchronously (SQLite's writer, inside its transaction). */
export function frontierFromRows(
  fetch: (seqs: readonly number[]) => ReadonlyMap<number, Uint8Array>,
  size: number,
): NodeHash[] {
  const subtrees = perfectSubtrees(0, size);
  return fromRows(subtrees, fetch(rowSeqs(subtrees)));
}

/** RFC 9162 inclusion proof; `known` ranges are taken from it and added to it. */
export async function inclusionProof(
  fetch: FetchRows,
  leafIndex: number,
  treeSize: number,
  known?: KnownRanges,
): Promise<InclusionProof> {
  return { leafIndex, treeSize, path: await hashesOf(fetch, inclusionRanges(leafIndex, treeSize), known) };
}

/** RFC 9162 consistency proof; `known` ranges are taken from it and added to it. */
export async function consistencyProof(
  fetch: FetchRows,
  fromSize: number,
  toSize: number,
  known?: KnownRanges,
): Promise<ConsistencyProof> {
  const path =
    fromSize > 0 && fromSize < toSize
      ? await hashesOf(fetch, consistencyRanges(fromSize, toSize), known)
      : [];
  return { fromSize, toSize, path };
}

/** MTH of the first `size` leaves. */
export async function rootAt(fetch: FetchRows, size: number): Promise<Uint8Array> {
  if (size === 0) return nodeHasher.empty();
  const [root] = await hashesOf(fetch, [[0, size]]);
  return root!;
}
