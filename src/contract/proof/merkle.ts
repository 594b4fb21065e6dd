/**
 * The Merkle tree over the records, as Certificate Transparency v2 defines it (RFC 9162 §2.1),
 * and the two proof checks an auditor or a partner runs: inclusion (this record is in the tree
 * a checkpoint signed) and consistency (the tree of a later checkpoint extends the earlier one,
 * so nothing before it was removed or rewritten). Web Crypto only: runs in browsers, Node and
 * edge runtimes.
 *
 * Leaf i is record seq i+1; its data is the 32 bytes of the record's chain hash (the hex after
 * `sha256:` in its `hash`). https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1:
 *
 *   leaf hash = SHA-256(0x00 || data)      node hash = SHA-256(0x01 || left || right)
 *   MTH({}) = SHA-256("")
 *
 *   await verifyInclusion({ leafIndex: 6, treeSize: 20, path }, await recordLeafHash(hash), root)
 */
import { concat, equalBytes, fromHex, sha256Bytes, type Bytes } from './bytes.ts';

export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

/** The leaf data of a record: the bytes of its `sha256:<hex>` chain hash. */
export function recordLeafData(recordHash: string): Bytes {
  const match = /^sha256:([0-9a-f]{64})$/.exec(recordHash);
  if (!match) throw new Error(`not a record hash (sha256:<64 hex digits>): ${JSON.stringify(recordHash)}`);
  return fromHex(match[1]!);
}

export function leafHash(data: Uint8Array): Promise<Bytes> {
  return sha256Bytes(concat(Uint8Array.of(LEAF_PREFIX), data));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256Bytes(concat(Uint8Array.of(NODE_PREFIX), left, right));
}

export function recordLeafHash(recordHash: string): Promise<Bytes> {
  return leafHash(recordLeafData(recordHash));
}

/** MTH of the empty tree. */
export function emptyRoot(): Promise<Bytes> {
  return sha256Bytes(new Uint8Array(0));
}

export interface InclusionProof {
  /** 0-based: record seq − 1. */
  leafIndex: number;
  treeSize: number;
  path: readonly Uint8Array[];
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  path: readonly Uint8Array[];
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

function validSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** RFC 9162 §2.1.3.2. True only if the path leads from the leaf to `root`. */
export async function verifyInclusion(
  proof: InclusionProof,
  leaf: Uint8Array,
  root: Uint8Array,
): Promise<boolean> {
  const { leafIndex, treeSize, path } = proof;
  if (!validSize(leafIndex) || !validSize(treeSize) || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2. True only if the tree of `toSize` leaves extends the tree of `fromSize`. */
export async function verifyConsistency(
  proof: ConsistencyProof,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): Promise<boolean> {
  const { fromSize, toSize } = proof;
  if (!validSize(fromSize) || !validSize(toSize) || fromSize > toSize) return false;
  // Every tree extends the empty one, and a tree only itself at its own size (§2.1.4.1: the
  // proof is then empty).
  if (fromSize === 0) return proof.path.length === 0;
  if (fromSize === toSize) return proof.path.length === 0 && equalBytes(fromRoot, toRoot);
  if (proof.path.length === 0) return false;
  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...proof.path] : [...proof.path];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, fromRoot) && equalBytes(sr, toRoot);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
