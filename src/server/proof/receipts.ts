/**
 * The signed receipt of a record, as POST /v1/records answers it (src/contract/proof/receipt.ts
 * says what it holds). Made from what the request sent and what the store answered, so an
 * identical retry gets the identical receipt.
 */
import type { ReceiptClaims } from '../../contract/proof/receipt.ts';
import type { RecordInput, RecordReceipt } from '../../contract/record.ts';
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
