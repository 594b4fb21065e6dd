/**
 * RFC 9162 hashing with Node's synchronous SHA-256, for the server: the tree grows inside a
 * store's write transaction, which cannot wait for Web Crypto's promises. The prefixes are the
 * contract's, so the browser-side checks hash exactly the same bytes.
 */
import { createHash } from 'node:crypto';
import { LEAF_PREFIX, NODE_PREFIX } from '../../contract/proof/merkle.ts';
import type { MerkleHasher } from './merkle-tree.ts';

const LEAF = Uint8Array.of(LEAF_PREFIX);
const NODE = Uint8Array.of(NODE_PREFIX);

export const nodeHasher: MerkleHasher = {
  leaf: (data) => createHash('sha256').update(LEAF).update(data).digest(),
  node: (left, right) => createHash('sha256').update(NODE).update(left).update(right).digest(),
  empty: () => createHash('sha256').digest(),
};
