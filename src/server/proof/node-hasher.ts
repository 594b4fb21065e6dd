/**
 * RFC 9162 hashing with Node's synchronous SHA-256, for the server: the tree grows inside a
 * store's write transaction, which cannot wait for Web Crypto's promises. The prefixes are the
 * contract's, so the browser-side checks hash exactly the same bytes.
 *
 * One-shot `hash()` over one buffer, not a `createHash()` object fed piece by piece: a Hash
 * object costs more than hashing the 33 or 65 bytes of a leaf or node (about half the time of
 * each, measured in bench/endpoint/proof.ts's writer thread).
 */
import { hash } from 'node:crypto';
import { LEAF_PREFIX, NODE_PREFIX } from '../../contract/proof/merkle.ts';
import type { MerkleHasher } from './merkle-tree.ts';

const SIZE = 32;
/** Reused input buffers: hash() reads them synchronously, before anyone can write them again. */
const leafInput = Buffer.alloc(1 + SIZE, LEAF_PREFIX);
const nodeInput = Buffer.alloc(1 + 2 * SIZE, NODE_PREFIX);
const LEAF = Uint8Array.of(LEAF_PREFIX);
const NODE = Uint8Array.of(NODE_PREFIX);

export const nodeHasher: MerkleHasher = {
  leaf: (data) => {
    if (data.length !== SIZE) return hash('sha256', Buffer.concat([LEAF, data]), 'buffer');
    leafInput.set(data, 1);
    return hash('sha256', leafInput, 'buffer');
  },
  node: (left, right) => {
    if (left.length !== SIZE || right.length !== SIZE)
      return hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + SIZE);
    return hash('sha256', nodeInput, 'buffer');
  },
  empty: () => hash('sha256', new Uint8Array(0), 'buffer'),
};
