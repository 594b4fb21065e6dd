/**
 * The signed receipt of a record, as POST /v1/records answers it (src/contract/proof/receipt.ts
 * says what it holds). Made from what the request sent and what the store answered, so an
 * identical retry gets the identical receipt.
 */
import type { ReceiptClaims } from '../../contract/proof/receipt.ts';
import type { RecordInput, RecordReceipt } from '../../contract/record.ts';
import { receiptSigningInput, signReceipt, signReceiptInput } from './signing.ts';
import { KeptValues } from './kept-values.ts';
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

/** Signatures kept by a ReceiptSigner: about 0.7 kB each, so a few megabytes. */
const SIGNATURES_KEPT = 10_000;

/**
 * Signs receipts one at a time, as GET /v1/standing answers them, keeping the signatures of the
 * last SIGNATURES_KEPT texts it signed (the most recently asked first to stay). A partner asks
 * about the same users again and again (each login, each page), and a signature costs more than
 * the rest of a standing lookup (bench/endpoint/standing.ts).
 *
 * A kept signature is never stale: it is kept by the exact text signed (the JWS header, which
 * names the key by its RFC 7638 thumbprint, and the claims), and Ed25519 signatures are
 * deterministic (RFC 8032 §5.1.6), so signing that text again would give the same bytes. A new
 * record, another subject, origin or key is another text.
 *
 *   const receipts = new ReceiptSigner();
 *   await receipts.sign(input, stored, config.logOrigin, signing.current);
 */
export class ReceiptSigner {
  readonly #kept: KeptValues<string, string>;

  constructor(limit = SIGNATURES_KEPT) {
    this.#kept = new KeptValues(limit);
  }

  async sign(input: ReceiptInput, stored: RecordReceipt, origin: string, key: SigningKey): Promise<string> {
    const text = receiptSigningInput(receiptClaims(input, stored, origin), key);
    const signature = this.#kept.get(text) ?? this.#kept.set(text, await signReceiptInput(text, key));
    return `${text}.${signature}`;
  }

  /** How many signatures are kept (for tests). */
  get size(): number {
    return this.#kept.size;
  }
}
