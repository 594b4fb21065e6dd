/**
 * An independent Merkle tree and proof checker for the tests, written from the definitions in
 * RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF), not from the server's
 * or the contract's code: roots by the recursive definition, proofs checked by running that
 * recursion backwards over the proof. https://www.rfc-editor.org/rfc/rfc9162#section-2.1
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

export const refLeaf = (data: Uint8Array) => sha256(Uint8Array.of(0), data);
const refNode = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** "the largest power of two smaller than n" */
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** MTH(D[n]) */
export function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return refLeaf(leaves[0]!);
  const split = k(leaves.length);
  return refNode(mth(leaves.slice(0, split)), mth(leaves.slice(split)));
}

/**
 * PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, and PATH(m − k, D[k:n]) : MTH(D[0:k])
 * otherwise; so the last element is the sibling at the top. Undoing that gives the root.
 */
function rootFromPath(
  m: number,
  n: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Uint8Array | null {
  if (n === 1) return path.length === 0 ? leaf : null;
  if (path.length === 0) return null;
  const split = k(n);
  const top = path[path.length - 1]!;
  const rest = path.slice(0, -1);
  if (m < split) {
    const left = rootFromPath(m, split, leaf, rest);
    return left && refNode(left, top);
  }
  const right = rootFromPath(m - split, n - split, leaf, rest);
  return right && refNode(top, right);
}

export function refVerifyInclusion(
  m: number,
  n: number,
  leafData: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!(m >= 0 && m < n)) return false;
  const computed = rootFromPath(m, n, refLeaf(leafData), path);
  return computed !== null && same(computed, root);
}

/**
 * SUBPROOF(m, D[n], b): [] when m = n and b; [MTH(D[m])] when m = n and not b; otherwise for
 * m ≤ k SUBPROOF(m, D[0:k], b) : MTH(D[k:n]), else SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k]).
 * Run backwards, it yields the old and the new subtree hash.
 */
function fromSubproof(
  m: number,
  n: number,
  b: boolean,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
): { old: Uint8Array; new: Uint8Array } | null {
  if (m === n) {
    if (b) return proof.length === 0 ? { old: oldRoot, new: oldRoot } : null;
    return proof.length === 1 ? { old: proof[0]!, new: proof[0]! } : null;
  }
  if (proof.length === 0) return null;
  const split = k(n);
  const top = proof[proof.length - 1]!;
  const rest = proof.slice(0, -1);
  if (m <= split) {
    const sub = fromSubproof(m, split, b, rest, oldRoot);
    return sub && { old: sub.old, new: refNode(sub.new, top) };
  }
  const sub = fromSubproof(m - split, n - split, false, rest, oldRoot);
  return sub && { old: refNode(top, sub.old), new: refNode(top, sub.new) };
}

export function refVerifyConsistency(
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && same(oldRoot, newRoot);
  if (m > n) return false;
  const result = fromSubproof(m, n, true, proof, oldRoot);
  return result !== null && same(result.old, oldRoot) && same(result.new, newRoot);
}
