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

/** Whether `signature` is the key's Ed25519 signature of `data` (RFC 8032). */
export async function ed25519Verify(
  jwk: Ed25519PublicJwk,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Bytes, data as Bytes);
}
