/**
 * The signed receipt of a record, as POST /v1/records answers it (src/contract/proof/receipt.ts
 * says what it holds). Made from what the request sent and what the store answered, so an
 * identical retry gets the identical receipt.
 */
import type { ReceiptClaims } from '../../contract/proof/receipt.ts';
import type { RecordInput, RecordReceipt } from '../../contract/record.ts';
import { keptPromise, KeptValues } from './kept-values.ts';
import { ReceiptBatches } from './receipt-batches.ts';
import { signReceipt } from './signing.ts';
import type { SigningKey } from './signing-keys.ts';

/** What a receipt says of the record: as posted, or as stored with the subject's id in clear (standing). */
export type ReceiptInput = Pick<RecordInput, 'id' | 'type' | 'document'> & { subject: { id: string } };

export function receiptClaims(input: ReceiptInput, stored: RecordReceipt, origin: string): ReceiptClaims {
  return {
    iss: origin,
    sub: input.subject.id,
    jti: input.id,
    iat: Math.floor(Date.parse(stored.serverTime) / 1000),
    seq: stored.seq,
    type: input.type,
    serverTime: stored.serverTime,
    document: input.document
      ? {
          slug: input.document.slug,
          version: input.document.version,
          contentHash: input.document.contentHash,
        }
      : null,
    hash: stored.hash,
  };
}

export function signedReceipt(
  input: ReceiptInput,
  stored: RecordReceipt,
  origin: string,
  key: SigningKey,
): Promise<string> {
  return signReceipt(receiptClaims(input, stored, origin), key);
}

/** Receipts kept by a ReceiptSigner: about 1 kB each, so ten megabytes at most. */
const RECEIPTS_KEPT = 10_000;

/**
 * Signs receipts as GET /v1/standing answers them: those asked for in one event-loop turn as
 * one batch (receipt-batches.ts), because a signature costs more than the rest of a standing
 * lookup (bench/endpoint/standing.ts), and keeping the receipts of the last RECEIPTS_KEPT
 * claims it signed (the most recently asked first to stay), because a partner asks about the
 * same users again and again (each login, each page).
 *
 * A kept receipt is never stale: it is kept by its claims and the key's id, and a new record,
 * another subject, origin or key is other claims or another key. (A receipt signed just as the
 * key rotates may be signed by the new key and kept under the old one's id: it verifies all the
 * same, the JWKS lists every key that signed.)
 *
 *   const receipts = new ReceiptSigner(() => signing.current);
 *   await receipts.sign(input, stored, config.logOrigin);
 */
export class ReceiptSigner {
  readonly #key: () => SigningKey;
  readonly #batches: ReceiptBatches;
  readonly #kept: KeptValues<string, Promise<string>>;

  constructor(key: () => SigningKey, limit = RECEIPTS_KEPT) {
    this.#key = key;
    this.#batches = new ReceiptBatches(key);
    this.#kept = new KeptValues(limit);
  }

  sign(input: ReceiptInput, stored: RecordReceipt, origin: string): Promise<string> {
    const claims = receiptClaims(input, stored, origin);
    // Kept from the moment it is asked for, so that answers asking at once share one receipt.
    return keptPromise(this.#kept, `${this.#key().kid}\n${JSON.stringify(claims)}`, () =>
      this.#batches.sign(claims),
    );
  }

  /** How many receipts are kept (for tests). */
  get size(): number {
    return this.#kept.size;
  }
}
