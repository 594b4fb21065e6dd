/**
 * Signed receipts: what the endpoint answers for each record, signed with Ed25519 as a JWS in
 * compact serialisation (RFC 7515, `alg` EdDSA per RFC 8037), so any language's JOSE library
 * can check one. `verifyReceipt` checks one offline against the endpoint's JWKS (fetched once
 * from `/.well-known/assent-keys.json`): in a partner's backend, an edge function or a browser.
 *
 *   const receipt = await verifyReceipt(form.get('terms'), jwks, {
 *     subject: 'user-42', document: 'weisure-service-agreement', version: '2018-06-01',
 *   });
 *   receipt.seq // its place in the log, to ask for an inclusion proof later
 */
import { fromBase64Url, fromUtf8, utf8 } from './bytes.ts';
import { ed25519Keys, ed25519Verify } from './keys.ts';

export const RECEIPT_TYPE = 'assent-receipt+jws';

/** What a receipt says. Claim names follow JWT (RFC 7519) where one fits. */
export interface ReceiptClaims {
  /** The log's origin (the checkpoints' first line). */
  iss: string;
  /** The subject id, as the partner sent it. */
  sub: string;
  /** The record's id. */
  jti: string;
  /** Seconds since 1970 at `serverTime`. */
  iat: number;
  /** Its place in the log (record seq; its Merkle leaf index is seq − 1). */
  seq: number;
  type: string;
  /** The server's clock when the record became durable. */
  serverTime: string;
  /** The document version shown, or null for cookie consent. */
  document: { slug: string; version: string; contentHash: string } | null;
  /** The record's chain hash, `sha256:<hex>`: its Merkle leaf data. */
  hash: string;
}

export class ReceiptError extends Error {}

/** What the caller expects the receipt to say; any member given must match. */
export interface ReceiptExpectation {
  subject?: string;
  document?: string;
  version?: string;
  contentHash?: string;
  issuer?: string;
}

/**
 * The receipt's claims, once its signature verifies under a key of `jwks` and it says what
 * `expected` asks. Throws ReceiptError saying what is wrong otherwise.
 */
export async function verifyReceipt(
  receipt: unknown,
  jwks: unknown,
  expected: ReceiptExpectation = {},
): Promise<ReceiptClaims> {
  if (typeof receipt !== 'string') throw new ReceiptError('a receipt is a string (a compact JWS)');
  const parts = receipt.split('.');
  if (parts.length !== 3) throw new ReceiptError('a receipt has three dot-separated parts (a compact JWS)');
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown; typ?: unknown };
  let claims: ReceiptClaims;
  let signatureBytes: Uint8Array;
  try {
    header = JSON.parse(fromUtf8(fromBase64Url(head)));
    claims = JSON.parse(fromUtf8(fromBase64Url(body)));
    signatureBytes = fromBase64Url(signature);
  } catch {
    throw new ReceiptError('the receipt is not base64url-encoded JSON');
  }
  if (header.alg !== 'EdDSA')
    throw new ReceiptError(`the receipt is signed with ${String(header.alg)}, not EdDSA`);
  if (header.typ !== RECEIPT_TYPE)
    throw new ReceiptError(`the receipt's type is ${String(header.typ)}, not ${RECEIPT_TYPE}`);
  const key = ed25519Keys(jwks).find((k) => k.kid === header.kid);
  if (!key)
    throw new ReceiptError(`no key ${String(header.kid)} in the key set: not signed by this endpoint`);
  if (!(await ed25519Verify(key, signatureBytes, utf8(`${head}.${body}`)))) {
    throw new ReceiptError('the signature does not match: the receipt was changed or forged');
  }
  const mismatch = (what: string, said: unknown, wanted: string) => {
    throw new ReceiptError(
      `the receipt is for ${what} ${JSON.stringify(said)}, not ${JSON.stringify(wanted)}`,
    );
  };
  if (expected.subject !== undefined && claims.sub !== expected.subject)
    mismatch('subject', claims.sub, expected.subject);
  if (expected.issuer !== undefined && claims.iss !== expected.issuer)
    mismatch('log', claims.iss, expected.issuer);
  if (expected.document !== undefined && claims.document?.slug !== expected.document)
    mismatch('document', claims.document?.slug, expected.document);
  if (expected.version !== undefined && claims.document?.version !== expected.version)
    mismatch('version', claims.document?.version, expected.version);
  if (expected.contentHash !== undefined && claims.document?.contentHash !== expected.contentHash)
    mismatch('content hash', claims.document?.contentHash, expected.contentHash);
  return claims;
}
