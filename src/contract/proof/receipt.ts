/**
 * Signed receipts: what the endpoint answers for each record, signed with Ed25519 (RFC 8032)
 * under a key of its JWKS. `verifyReceipt` checks one offline against the endpoint's JWKS
 * (fetched once from `/.well-known/assent-keys.json`): in a partner's backend, an edge function
 * or a browser. Two forms, both verified here:
 *
 * - a compact JWS (RFC 7515, `alg` EdDSA per RFC 8037, `typ` assent-receipt+jws) whose payload
 *   is the claims: one signature per record, as the endpoint first issued them;
 * - a batch receipt, `<JWS>~<claims>~<leaf index>~<path>`: the JWS (`typ`
 *   assent-receipt-batch+jws) signs the root of an RFC 9162 Merkle tree whose leaves are the
 *   claims of the receipts issued together, and the receipt carries its own claims (the leaf
 *   data, base64url), its leaf index and its inclusion path (32-byte hashes, concatenated,
 *   base64url). One signature per batch; README ("Proof") gives the steps for other languages.
 *
 *   const receipt = await verifyReceipt(form.get('terms'), jwks, {
 *     subject: 'user-42', document: 'weisure-service-agreement', version: '2018-06-01',
 *   });
 *   receipt.seq // its place in the log, to ask for an inclusion proof later
 */
import { fromBase64Url, fromUtf8, utf8, type Bytes } from './bytes.ts';
import { ed25519Keys, ed25519Verify } from './keys.ts';
import { leafHash, verifyInclusion } from './merkle.ts';

/** `typ` of a receipt signed alone: its payload is the claims. */
export const RECEIPT_TYPE = 'assent-receipt+jws';
/** `typ` of the JWS that signs a batch of receipts: its payload is a ReceiptBatch. */
export const BATCH_RECEIPT_TYPE = 'assent-receipt-batch+jws';

/** What the JWS of a batch receipt signs. */
export interface ReceiptBatch {
  /** The log's origin; every receipt of the batch names it too. */
  iss: string;
  /** How many receipts the batch has: the tree size. */
  size: number;
  /** The root of the tree over the receipts' claims (RFC 9162 MTH), base64url. */
  root: string;
}

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
 * The receipt's claims, once its signature verifies under a key of `jwks` (and, for a batch
 * receipt, its path leads to the signed root) and it says what `expected` asks. Throws
 * ReceiptError saying what is wrong otherwise.
 */
export async function verifyReceipt(
  receipt: unknown,
  jwks: unknown,
  expected: ReceiptExpectation = {},
): Promise<ReceiptClaims> {
  if (typeof receipt !== 'string')
    throw new ReceiptError('a receipt is a string (a batch receipt or a compact JWS)');
  const claims = receipt.includes('~')
    ? await batchClaims(receipt, jwks)
    : await compactClaims(receipt, jwks);
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

async function compactClaims(receipt: string, jwks: unknown): Promise<ReceiptClaims> {
  return parseJson(await verifiedPayload(receipt, jwks, RECEIPT_TYPE)) as ReceiptClaims;
}

async function batchClaims(receipt: string, jwks: unknown): Promise<ReceiptClaims> {
  const parts = receipt.split('~');
  if (parts.length !== 4) {
    throw new ReceiptError('a batch receipt has four parts separated by "~": JWS, claims, leaf index, path');
  }
  const [jws, encodedClaims, index, encodedPath] = parts as [string, string, string, string];
  const batch = parseJson(await verifiedPayload(jws, jwks, BATCH_RECEIPT_TYPE)) as Partial<ReceiptBatch>;
  let root: Bytes;
  let leaf: Bytes;
  let path: Bytes;
  try {
    root = fromBase64Url(String(batch.root));
    leaf = fromBase64Url(encodedClaims);
    path = fromBase64Url(encodedPath);
  } catch {
    throw new ReceiptError('the batch receipt is not base64url where it should be');
  }
  const size = batch.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1 || root.length !== 32) {
    throw new ReceiptError('the signed batch does not name a tree size and a 32-byte root');
  }
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(index) || path.length % 32 !== 0) {
    throw new ReceiptError("the batch receipt's leaf index or path is malformed");
  }
  const hashes = Array.from({ length: path.length / 32 }, (_, i) => path.subarray(32 * i, 32 * i + 32));
  const proof = { leafIndex: Number(index), treeSize: size, path: hashes };
  if (!(await verifyInclusion(proof, await leafHash(leaf), root))) {
    throw new ReceiptError(
      'the claims are not in the signed batch (their path does not lead to its root): the receipt was changed or forged',
    );
  }
  const claims = parseJson(leaf) as ReceiptClaims;
  if (claims.iss !== batch.iss) {
    throw new ReceiptError(`the receipt names the log ${JSON.stringify(claims.iss)}, its batch another`);
  }
  return claims;
}

/** The payload of a compact JWS of type `type`, once its Ed25519 signature checks out. */
async function verifiedPayload(jws: string, jwks: unknown, type: string): Promise<Bytes> {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new ReceiptError('a receipt has three dot-separated parts (a compact JWS)');
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown; typ?: unknown };
  let payload: Bytes;
  let signatureBytes: Uint8Array;
  try {
    header = JSON.parse(fromUtf8(fromBase64Url(head)));
    payload = fromBase64Url(body);
    signatureBytes = fromBase64Url(signature);
  } catch {
    throw new ReceiptError('the receipt is not base64url-encoded JSON');
  }
  if (header.alg !== 'EdDSA')
    throw new ReceiptError(`the receipt is signed with ${String(header.alg)}, not EdDSA`);
  if (header.typ !== type) throw new ReceiptError(`the receipt's type is ${String(header.typ)}, not ${type}`);
  const key = ed25519Keys(jwks).find((k) => k.kid === header.kid);
  if (!key)
    throw new ReceiptError(`no key ${String(header.kid)} in the key set: not signed by this endpoint`);
  if (!(await ed25519Verify(key, signatureBytes, utf8(`${head}.${body}`)))) {
    throw new ReceiptError('the signature does not match: the receipt was changed or forged');
  }
  return payload;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch {
    throw new ReceiptError('the receipt is not base64url-encoded JSON');
  }
}
