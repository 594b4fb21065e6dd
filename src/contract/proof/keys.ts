/**
 * The endpoint's public signing keys, as the JWKS it serves at `/.well-known/assent-keys.json`
 * (RFC 7517; Ed25519 keys as RFC 8037 defines them), and Ed25519 checks by Web Crypto.
 */
import { fromBase64Url, type Bytes } from './bytes.ts';

export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The 32-byte public key, base64url. */
  x: string;
  /** RFC 7638 thumbprint, base64url: how receipts name the key that signed them. */
  kid: string;
  alg?: 'EdDSA';
  use?: 'sig';
}

export interface Jwks {
  keys: readonly Ed25519PublicJwk[];
}

/** The usable Ed25519 keys of a JWKS that came over the network; others are left out. */
export function ed25519Keys(jwks: unknown): Ed25519PublicJwk[] {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.filter(
    (k): k is Ed25519PublicJwk =>
      typeof k === 'object' &&
      k !== null &&
      k.kty === 'OKP' &&
      k.crv === 'Ed25519' &&
      typeof k.x === 'string' &&
      typeof k.kid === 'string',
  );
}

export function publicKeyBytes(jwk: Ed25519PublicJwk): Bytes {
  return fromBase64Url(jwk.x);
}

/**
 * Keys imported for checking, by their public bytes (base64url): an import costs a tenth of a
 * check, and a verifier checks many signatures of few keys (an endpoint's subject tokens, an
 * auditor's receipts). At most KEYS_KEPT: past it the map starts again, so that signatures from
 * a flood of unknown keys cannot grow it.
 */
const imported = new Map<string, Promise<CryptoKey>>();
const KEYS_KEPT = 64;

function importedKey(x: string): Promise<CryptoKey> {
  let key = imported.get(x);
  if (!key) {
    if (imported.size >= KEYS_KEPT) imported.clear();
    key = crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x }, { name: 'Ed25519' }, false, [
      'verify',
    ]);
    imported.set(x, key);
    // A key that does not import is not kept: the next check tries again and fails alike.
    key.catch(() => imported.delete(x));
  }
  return key;
}

/** Whether `signature` is the key's Ed25519 signature of `data` (RFC 8032). */
export async function ed25519Verify(
  jwk: Ed25519PublicJwk,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  return crypto.subtle.verify({ name: 'Ed25519' }, await importedKey(jwk.x), signature as Bytes, data as Bytes);
}
