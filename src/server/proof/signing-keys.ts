/**
 * The endpoint's Ed25519 signing keys: generated into `<dataDir>/signing-keys.json` on first
 * start (mode 0600, synced to disk like the HMAC key), rotatable (`assent signing-key rotate`:
 * a new current key; the old ones stay so their public halves stay in the JWKS). Receipts and
 * checkpoints are signed with the current key.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  type webcrypto,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBase64Url } from '../../contract/proof/bytes.ts';
import type { Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import { ConfigError } from '../config.ts';
import { makePrivateDir, replacePrivateFileDurably, writePrivateFileDurably } from '../private-files.ts';

export const SIGNING_KEY_FILE = 'signing-keys.json';

/** A key as plain data (for the SQLite writer thread and the key file). Never logged. */
export interface PortableSigningKey {
  kid: string;
  /** The public key, base64url (RFC 8037 `x`). */
  x: string;
  /** The private key, base64url (RFC 8037 `d`). */
  d: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The same key for Web Crypto, whose signing runs off the main thread (libuv's pool). */
  cryptoKey: webcrypto.CryptoKey;
  publicJwk: Ed25519PublicJwk;
  portable: PortableSigningKey;
}

export interface SigningKeys {
  current: SigningKey;
  all: readonly SigningKey[];
}

interface KeyFile {
  current: string;
  keys: PortableSigningKey[];
}

/** RFC 7638 thumbprint of an Ed25519 key: SHA-256 of its required members in order. */
export function thumbprint(x: string): string {
  const json = JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x });
  return toBase64Url(createHash('sha256').update(json).digest());
}

export function publicJwkOf(portable: PortableSigningKey): Ed25519PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: portable.x, kid: portable.kid, alg: 'EdDSA', use: 'sig' };
}

export function signingKeyFrom(portable: PortableSigningKey): SigningKey {
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: portable.x, d: portable.d },
    format: 'jwk',
  });
  return {
    kid: portable.kid,
    privateKey,
    cryptoKey: privateKey.toCryptoKey({ name: 'Ed25519' }, false, ['sign']),
    publicJwk: publicJwkOf(portable),
    portable,
  };
}

export function generateSigningKey(): PortableSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
  return { kid: thumbprint(jwk.x), x: jwk.x, d: jwk.d };
}

/** The keys in the data folder, generated there on first use. */
export function loadSigningKeys(dataDir: string): SigningKeys {
  const file = join(dataDir, SIGNING_KEY_FILE);
  let stored = readKeyFile(file);
  if (!stored) {
    const key = generateSigningKey();
    stored = { current: key.kid, keys: [key] };
    makePrivateDir(dataDir);
    writePrivateFileDurably(file, `${JSON.stringify(stored, null, 2)}\n`);
  }
  return fromKeyFile(stored);
}

/** Adds a new key, makes it current, keeps the others; returns the new key's id. */
export function rotateSigningKey(dataDir: string): string {
  const file = join(dataDir, SIGNING_KEY_FILE);
  const stored = readKeyFile(file) ?? { current: '', keys: [] };
  const key = generateSigningKey();
  const next: KeyFile = { current: key.kid, keys: [...stored.keys, key] };
  makePrivateDir(dataDir);
  replacePrivateFileDurably(file, `${JSON.stringify(next, null, 2)}\n`);
  return key.kid;
}

function fromKeyFile(stored: KeyFile): SigningKeys {
  const all = stored.keys.map(signingKeyFrom);
  return { current: all.find((k) => k.kid === stored.current)!, all };
}

function readKeyFile(file: string): KeyFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(text) as KeyFile;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed.keys) || !parsed.keys.some((k) => k.kid === parsed.current)) {
    throw new ConfigError(
      `${file}: the current key ${JSON.stringify(parsed.current)} is missing from "keys"`,
    );
  }
  for (const key of parsed.keys) {
    if (typeof key.x !== 'string' || typeof key.d !== 'string' || thumbprint(key.x) !== key.kid) {
      throw new ConfigError(`${file}: key ${JSON.stringify(key.kid)} is not an Ed25519 key with that id`);
    }
  }
  return parsed;
}
