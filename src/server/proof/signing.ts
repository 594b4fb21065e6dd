/**
 * Signing what the contract side checks: checkpoints as C2SP signed notes
 * (src/contract/proof/checkpoint.ts) and receipts signed alone, as compact JWS
 * (src/contract/proof/receipt.ts; batches of receipts are receipt-batches.ts). Ed25519 by
 * Node's crypto; signatures are deterministic (RFC 8032), so the same claims give the same
 * receipt.
 */
import { createHash, sign, webcrypto } from 'node:crypto';
import { concat, fromBase64Url, toBase64, utf8 } from '../../contract/proof/bytes.ts';
import { checkpointText, type Checkpoint } from '../../contract/proof/checkpoint.ts';
import { RECEIPT_TYPE, type ReceiptClaims } from '../../contract/proof/receipt.ts';
import type { SigningKey } from './signing-keys.ts';

/** C2SP signed-note key ID: SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
function noteKeyId(name: string, key: SigningKey): Uint8Array {
  const digest = createHash('sha256')
    .update(concat(utf8(name), Uint8Array.of(0x0a, 0x01), fromBase64Url(key.portable.x)))
    .digest();
  return digest.subarray(0, 4);
}

/** The checkpoint as a signed note, signed by `key` under the origin as key name. */
export function signCheckpoint(checkpoint: Checkpoint, key: SigningKey): string {
  const text = checkpointText(checkpoint);
  const signature = sign(null, utf8(text), key.privateKey);
  const line = `\u2014 ${checkpoint.origin} ${toBase64(concat(noteKeyId(checkpoint.origin, key), signature))}`;
  return `${text}\n${line}\n`;
}

/** base64url without padding (RFC 7515 §2) of bytes or of a string's UTF-8. */
export const base64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');

/**
 * A receipt signed alone, as a compact JWS (RFC 7515 §7.1): what receipts were before the
 * endpoint signed them in batches (receipt-batches.ts, because a signature per record costs
 * more than the rest of an append: bench/endpoint/proof.ts), which `verifyReceipt` still
 * verifies and the benchmarks compare against. Async, by Web Crypto: Node runs the signature in
 * its thread pool, off the request thread.
 */
export async function signReceipt(claims: ReceiptClaims, key: SigningKey): Promise<string> {
  const header = base64url(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: RECEIPT_TYPE }));
  const signed = `${header}.${base64url(JSON.stringify(claims))}`;
  const signature = await webcrypto.subtle.sign('Ed25519', key.cryptoKey, Buffer.from(signed));
  return `${signed}.${base64url(new Uint8Array(signature))}`;
}
