import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../../src/contract/proof/merkle.ts';
import { extendTree, rootOf } from '../../../src/server/proof/merkle-tree.ts';
import { nodeHasher } from '../../../src/server/proof/node-hasher.ts';
import {
  consistencyProof,
  inclusionProof,
  KnownRanges,
  rootAt,
  type FetchRows,
} from '../../../src/server/proof/tree-proofs.ts';
import { mth, refLeaf, refVerifyConsistency, refVerifyInclusion } from './rfc9162-reference.ts';

/** The rows a store would keep for these leaves, and a fetch over them. */
function storedTree(leaves: readonly Uint8Array[]): FetchRows {
  const { rows } = extendTree(nodeHasher, [], leaves);
  const bySeq = new Map(rows.map((row, i) => [i + 1, Buffer.concat(row)]));
  return async (seqs) => new Map(seqs.map((seq) => [seq, bySeq.get(seq)!]));
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
  return copy;
}

const leavesArb = fc
  .integer({ min: 1, max: 40 })
  .map((n) => Array.from({ length: n }, () => randomBytes(32)));

describe('Merkle tree (RFC 9162)', () => {
  it('has the root the RFC defines, at every size, grown one batch at a time', () => {
    fc.assert(
      fc.property(leavesArb, fc.array(fc.integer({ min: 1, max: 7 })), (leaves, batches) => {
        let frontier = extendTree(nodeHasher, [], []).frontier;
        let size = 0;
        expect(Buffer.from(rootOf(nodeHasher, frontier))).toEqual(Buffer.from(mth([])));
        for (const take of [...batches, leaves.length]) {
          const next = leaves.slice(size, size + take);
          frontier = extendTree(nodeHasher, frontier, next).frontier;
          size += next.length;
          expect(Buffer.from(rootOf(nodeHasher, frontier))).toEqual(Buffer.from(mth(leaves.slice(0, size))));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('stores a leaf hash per record as the RFC hashes leaves (0x00 prefix)', () => {
    const data = randomBytes(32);
    const { rows } = extendTree(nodeHasher, [], [data]);
    expect(Buffer.from(rows[0]![0]!)).toEqual(Buffer.from(refLeaf(data)));
  });

  it('gives every leaf an inclusion proof that verifies in every tree size that holds it', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb, async (leaves) => {
        const fetch = storedTree(leaves);
        // Shared by every proof of this tree, as an endpoint shares it: kept ranges answer alike.
        const known = new KnownRanges();
        for (let n = 1; n <= leaves.length; n++) {
          const root = mth(leaves.slice(0, n));
          expect(Buffer.from(await rootAt(fetch, n))).toEqual(Buffer.from(root));
          for (let m = 0; m < n; m++) {
            const proof = await inclusionProof(fetch, m, n);
            expect(refVerifyInclusion(m, n, leaves[m]!, proof.path, root)).toBe(true);
            expect(await verifyInclusion(proof, refLeaf(leaves[m]!), root)).toBe(true);
            const withKnown = await inclusionProof(fetch, m, n, known);
            expect(refVerifyInclusion(m, n, leaves[m]!, withKnown.path, root)).toBe(true);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('proves every tree size consistent with every later one', async () => {
    await fc.assert(
      fc.asyncProperty(leavesArb, async (leaves) => {
        const fetch = storedTree(leaves);
        const known = new KnownRanges();
        for (let n = 1; n <= leaves.length; n++) {
          const newRoot = mth(leaves.slice(0, n));
          for (let m = 0; m <= n; m++) {
            const oldRoot = mth(leaves.slice(0, m));
            const proof = await consistencyProof(fetch, m, n);
            expect(refVerifyConsistency(m, n, proof.path, oldRoot, newRoot)).toBe(true);
            expect(await verifyConsistency(proof, oldRoot, newRoot)).toBe(true);
            const withKnown = await consistencyProof(fetch, m, n, known);
            expect(refVerifyConsistency(m, n, withKnown.path, oldRoot, newRoot)).toBe(true);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('answers proofs from kept ranges without fetching their rows again, and keeps no more than its limit', async () => {
    const leaves = Array.from({ length: 1000 }, () => randomBytes(32));
    const stored = storedTree(leaves);
    const fetched: number[] = [];
    const fetch: FetchRows = (seqs) => (fetched.push(...seqs), stored(seqs));
    const known = new KnownRanges(8);
    const root = mth(leaves);
    await inclusionProof(fetch, 3, 1000, known);
    const first = fetched.length;
    fetched.length = 0;
    const again = await inclusionProof(fetch, 5, 1000, known);
    expect(refVerifyInclusion(5, 1000, leaves[5]!, again.path, root)).toBe(true);
    // Leaves 3 and 5 share the right edge [512, 1000): its rows are not read again.
    expect(fetched.length).toBeLessThan(first);
    expect(fetched.filter((seq) => seq > 512)).toEqual([]);
    for (let m = 0; m < 1000; m += 7) await inclusionProof(fetch, m, 1000, known);
    expect(known.size).toBeLessThanOrEqual(8);
  });

  it('fails an inclusion proof with any bit flipped in the path, the leaf or the root', async () => {
    await fc.assert(
      fc.asyncProperty(
        leavesArb.filter((l) => l.length > 1),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        fc.constantFrom('path', 'leaf', 'root'),
        async (leaves, seed, element, bit, where) => {
          const n = 2 + (seed % (leaves.length - 1));
          const m = seed % n;
          const fetch = storedTree(leaves);
          const root = mth(leaves.slice(0, n));
          const proof = await inclusionProof(fetch, m, n);
          let leaf: Uint8Array = refLeaf(leaves[m]!);
          let path = proof.path;
          let claimed: Uint8Array = root;
          if (where === 'path')
            path = path.map((p, i) => (i === element % path.length ? flipBit(p, bit) : p));
          if (where === 'leaf') leaf = flipBit(leaf, bit);
          if (where === 'root') claimed = flipBit(root, bit);
          expect(await verifyInclusion({ ...proof, path }, leaf, claimed)).toBe(false);
          const data = where === 'leaf' ? flipBit(leaves[m]!, bit) : leaves[m]!;
          expect(refVerifyInclusion(m, n, data, path, claimed)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails a consistency proof with any bit flipped in the path or either root', async () => {
    await fc.assert(
      fc.asyncProperty(
        leavesArb.filter((l) => l.length > 2),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        fc.constantFrom('path', 'old', 'new'),
        async (leaves, seed, element, bit, where) => {
          const n = 2 + (seed % (leaves.length - 1));
          const m = 1 + (seed % (n - 1));
          const fetch = storedTree(leaves);
          const proof = await consistencyProof(fetch, m, n);
          let oldRoot = mth(leaves.slice(0, m));
          let newRoot = mth(leaves.slice(0, n));
          let path = proof.path;
          if (where === 'path')
            path = path.map((p, i) => (i === element % path.length ? flipBit(p, bit) : p));
          if (where === 'old') oldRoot = flipBit(oldRoot, bit);
          if (where === 'new') newRoot = flipBit(newRoot, bit);
          expect(await verifyConsistency({ ...proof, path }, oldRoot, newRoot)).toBe(false);
          expect(refVerifyConsistency(m, n, path, oldRoot, newRoot)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a proof for a leaf outside the tree, or a proof claimed for another position', async () => {
    const leaves = Array.from({ length: 11 }, () => randomBytes(32));
    const fetch = storedTree(leaves);
    const root = mth(leaves);
    const proof = await inclusionProof(fetch, 4, 11);
    expect(await verifyInclusion({ ...proof, leafIndex: 11 }, refLeaf(leaves[4]!), root)).toBe(false);
    expect(await verifyInclusion({ ...proof, leafIndex: 5 }, refLeaf(leaves[4]!), root)).toBe(false);
    expect(await verifyInclusion({ ...proof, treeSize: 5 }, refLeaf(leaves[4]!), root)).toBe(false);
    await expect(inclusionProof(fetch, 11, 11)).rejects.toThrow(/not in a tree of 11/);
  });
});
