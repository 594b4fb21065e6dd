/**
 * Receipts signed once per batch rather than once per record. An Ed25519 signature costs about
 * 75 µs of processor on this project's machine, more than the rest of a record's append
 * (bench/endpoint/proof.ts): the receipts that become ready together (those of one commit group,
 * answered in one event-loop turn) are made leaves of an RFC 9162 Merkle tree, its root is signed
 * once, and each receipt carries its claims, its leaf index and its path to that root.
 * src/contract/proof/receipt.ts verifies them; README ("Proof", batch receipts) gives the format
 * step by step for other languages.
 *
 *   const receipts = new ReceiptBatches(() => signing.current);
 *   const receipt = await receipts.sign(receiptClaims(input, stored, origin));
 */
import { hash, sign } from 'node:crypto';
import { BATCH_RECEIPT_TYPE, type ReceiptBatch, type ReceiptClaims } from '../../contract/proof/receipt.ts';
import { LEAF_PREFIX, NODE_PREFIX } from '../../contract/proof/merkle.ts';
import { base64url } from './signing.ts';
import type { SigningKey } from './signing-keys.ts';

/** The leaf prefix as a character: one byte (0x00) in UTF-8. */
const LEAF = String.fromCharCode(LEAF_PREFIX);

/**
 * The receipts of `claims`, in order, under one signature of their tree's root. Deterministic:
 * the same claims in the same order under the same key give the same receipts.
 */
export function signReceiptBatch(claims: readonly ReceiptClaims[], key: SigningKey): string[] {
  if (claims.length === 0) return [];
  const iss = claims[0]!.iss;
  if (claims.some((c) => c.iss !== iss)) throw new Error('the receipts of one batch name one log (iss)');
  // Each leaf's bytes after the leaf prefix, so that one buffer serves the hash and the receipt.
  const prefixed = claims.map((c) => Buffer.from(`${LEAF}${JSON.stringify(c)}`));
  const leafHashes = prefixed.map((bytes) => hash('sha256', bytes, 'buffer'));
  const paths: Buffer[][] = claims.map(() => []);
  const root = subtreeHash(leafHashes, 0, leafHashes.length, paths);
  const header = base64url(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: BATCH_RECEIPT_TYPE }));
  const batch: ReceiptBatch = { iss, size: claims.length, root: base64url(root) };
  const signed = `${header}.${base64url(JSON.stringify(batch))}`;
  const jws = `${signed}.${base64url(sign(null, Buffer.from(signed), key.privateKey))}`;
  return prefixed.map(
    (bytes, i) => `${jws}~${base64url(bytes.subarray(1))}~${i}~${base64url(Buffer.concat(paths[i]!))}`,
  );
}

const nodeInput = Buffer.alloc(65, NODE_PREFIX);

/**
 * MTH of leaves [from, to), adding each node's sibling to the paths of the leaves below it,
 * bottom first, as RFC 9162 §2.1.3.1 orders PATH.
 */
function subtreeHash(leaves: readonly Buffer[], from: number, to: number, paths: Buffer[][]): Buffer {
  if (to - from === 1) return leaves[from]!;
  let k = 1;
  while (k * 2 < to - from) k *= 2;
  const left = subtreeHash(leaves, from, from + k, paths);
  const right = subtreeHash(leaves, from + k, to, paths);
  for (let i = from; i < to; i++) paths[i]!.push(i < from + k ? right : left);
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

interface Waiting {
  claims: ReceiptClaims;
  resolve(receipt: string): void;
  reject(error: unknown): void;
}

/**
 * Collects the receipts asked for in one event-loop turn and signs them as one batch at its
 * end. The records of one commit group are answered in one turn, so a batch is, under load,
 * a commit group (or several requests' worth of them); alone, a record is a batch of one.
 */
export class ReceiptBatches {
  readonly #key: () => SigningKey;
  #waiting: Waiting[] = [];

  /** `key` is asked at each batch, so a rotated key is used from the next batch on. */
  constructor(key: () => SigningKey) {
    this.#key = key;
  }

  sign(claims: ReceiptClaims): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ claims, resolve, reject });
    });
  }

  #flush(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    // One batch per log: an endpoint has one origin, but nothing here needs to assume it.
    const byIssuer = Map.groupBy(waiting, (w) => w.claims.iss);
    for (const group of byIssuer.values()) {
      try {
        const receipts = signReceiptBatch(
          group.map((w) => w.claims),
          this.#key(),
        );
        group.forEach((w, i) => w.resolve(receipts[i]!));
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
  }
}
