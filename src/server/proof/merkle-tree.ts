/**
 * The log's side of the RFC 9162 Merkle tree: growing it as records commit, and answering
 * inclusion and consistency proofs from stored subtree hashes in O(log n), never by hashing
 * the whole tree again. Pure: the hashing is passed in (node-hasher.ts on the server), so this
 * runs inside a store's write transaction. The checks are in src/contract/proof/merkle.ts.
 *
 * What is stored: every perfect subtree (2^level leaves, aligned) once complete. Node
 * (level, index) covers leaves [index·2^level, (index+1)·2^level) and is complete when leaf
 * (index+1)·2^level − 1 (record seq (index+1)·2^level) is; so the store keeps, per record, the
 * hashes of the subtrees its leaf completes, levels 0 … (trailing zero bits of its seq), one
 * row keyed by seq. Any range the proofs need splits into O(log n) such subtrees.
 *
 *   const frontier = extendTree(hasher, frontierBefore, [recordLeafData(hash)]).frontier;
 */

export interface MerkleHasher {
  /** SHA-256(0x00 || data) */
  leaf(data: Uint8Array): Uint8Array;
  /** SHA-256(0x01 || left || right) */
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
  /** SHA-256 of nothing: the root of the empty tree. */
  empty(): Uint8Array;
}

/** A perfect subtree: 2^level leaves from index·2^level. */
export interface Subtree {
  level: number;
  index: number;
}

export interface NodeHash extends Subtree {
  hash: Uint8Array;
}

/** The record (seq) whose row holds a subtree's hash, and where in that row. */
export function nodeRow(node: Subtree): { seq: number; slot: number } {
  return { seq: (node.index + 1) * 2 ** node.level, slot: node.level };
}

/** Bytes of one hash in a row. */
export const HASH_SIZE = 32;

/** Largest power of two smaller than n (n > 1), as RFC 9162 §2.1.1 splits trees. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up leaves [start, end), left to right. For the ranges the RFC's
 * recursion produces, `start` is a multiple of the first subtree's size, so each is aligned.
 */
export function perfectSubtrees(start: number, end: number): Subtree[] {
  const out: Subtree[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    const level = Math.log2(size);
    out.push({ level, index: at / size });
    at += size;
  }
  return out;
}

/** MTH of a range from its perfect subtrees: the RFC's split applied from the right. */
export function rangeHash(hasher: MerkleHasher, parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return hasher.empty();
  let hash = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) hash = hasher.node(parts[i]!, hash);
  return hash;
}

/** A leaf range [start, end) whose MTH is one element of a proof. */
export type Range = readonly [start: number, end: number];

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), as the ranges whose hashes form it, in proof order. */
export function inclusionRanges(m: number, n: number): Range[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  const path: Range[] = [];
  let start = 0;
  let end = n;
  let index = m;
  // Walk down from the root; the RFC lists the siblings from the leaf up, so prepend.
  while (end - start > 1) {
    const k = split(end - start);
    if (index < k) {
      path.unshift([start + k, end]);
      end = start + k;
    } else {
      path.unshift([start, start + k]);
      start += k;
      index -= k;
    }
  }
  return path;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) for 0 < m < n, as ranges, in proof order. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (!(m > 0 && m < n)) throw new RangeError(`no consistency proof from ${m} to ${n} leaves`);
  const proof: Range[] = [];
  let start = 0;
  let size = n;
  let old = m;
  let complete = true;
  // SUBPROOF(m, D[start:start+size], complete), unrolled; it too appends from the bottom up.
  while (old !== size) {
    const k = split(size);
    if (old <= k) {
      proof.unshift([start + k, start + size]);
      size = k;
    } else {
      proof.unshift([start, start + k]);
      start += k;
      size -= k;
      old -= k;
      complete = false;
    }
  }
  if (!complete) proof.unshift([start, start + size]);
  return proof;
}

/** Every subtree that the given ranges are made of (to fetch in one query). */
export function subtreesOf(ranges: readonly Range[]): Subtree[] {
  return ranges.flatMap(([start, end]) => perfectSubtrees(start, end));
}

/** A range's hash, from the fetched subtree hashes. */
export function hashOfRange(
  hasher: MerkleHasher,
  [start, end]: Range,
  node: (subtree: Subtree) => Uint8Array,
): Uint8Array {
  return rangeHash(hasher, perfectSubtrees(start, end).map(node));
}

/**
 * Appends leaves to a tree given by its frontier (the perfect subtrees of perfectSubtrees(0,
 * size), left to right, with their hashes). Returns the new frontier and, per appended leaf,
 * the hashes its leaf completes (levels 0 …), which is the row a store keeps for that record.
 */
export function extendTree(
  hasher: MerkleHasher,
  frontier: readonly NodeHash[],
  leaves: readonly Uint8Array[],
): { frontier: NodeHash[]; rows: Uint8Array[][] } {
  const stack = [...frontier];
  const rows: Uint8Array[][] = [];
  let size = stack.reduce((n, s) => n + 2 ** s.level, 0);
  for (const data of leaves) {
    let top: NodeHash = { level: 0, index: size, hash: hasher.leaf(data) };
    const row = [top.hash];
    while (stack.length > 0 && stack[stack.length - 1]!.level === top.level) {
      const left = stack.pop()!;
      top = { level: top.level + 1, index: left.index / 2, hash: hasher.node(left.hash, top.hash) };
      row.push(top.hash);
    }
    stack.push(top);
    rows.push(row);
    size++;
  }
  return { frontier: stack, rows };
}

/** The root (MTH) of a tree given by its frontier. */
export function rootOf(hasher: MerkleHasher, frontier: readonly NodeHash[]): Uint8Array {
  return rangeHash(
    hasher,
    frontier.map((f) => f.hash),
  );
}
