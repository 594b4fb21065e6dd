/**
 * Subjects are stored pseudonymised: HMAC-SHA-256 of the id under a server key, with the key's
 * version so keys can be rotated (new records use the current key; lookups try every key).
 * The key never appears in logs or records. Without a configured key, SQLite deployments get
 * one generated into `<dataDir>/hmac-keys.json` (mode 0600) on first start; several instances
 * on PostgreSQL must share one, so there it must be configured.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ServerConfig } from './config.ts';
import { makePrivateDir, writePrivateFileDurably } from './private-files.ts';

export interface SubjectKeys {
  current: number;
  /** KeyObjects, made once: an HMAC from a KeyObject costs a seventh of one from a Buffer. */
  keys: ReadonlyMap<number, KeyObject>;
}

export interface Pseudonym {
  /** `hmac-sha256:<hex>` */
  hash: string;
  keyVersion: number;
}

export function pseudonymise(keys: SubjectKeys, subjectId: string): Pseudonym {
  return { hash: hmac(keys.keys.get(keys.current)!, subjectId), keyVersion: keys.current };
}

/** The subject's hash under every key, for finding all of its records. */
export function subjectHashes(keys: SubjectKeys, subjectId: string): string[] {
  return [...keys.keys.values()].map((key) => hmac(key, subjectId));
}

/** The subject's hash under one key version, if that key is known. */
export function subjectHashUnder(keys: SubjectKeys, version: number, subjectId: string): string | undefined {
  const key = keys.keys.get(version);
  return key && hmac(key, subjectId);
}

function hmac(key: KeyObject, subjectId: string): string {
  return `hmac-sha256:${createHmac('sha256', key).update(subjectId, 'utf8').digest('hex')}`;
}

const KEY_FILE = 'hmac-keys.json';

interface KeyFile {
  current: number;
  keys: Record<string, string>;
}

export function loadSubjectKeys(config: ServerConfig): SubjectKeys {
  const file = join(config.dataDir, KEY_FILE);
  const stored = readKeyFile(file);
  const keys = new Map<number, KeyObject>();
  for (const [version, hex] of Object.entries(stored?.keys ?? {})) keys.set(Number(version), keyFromHex(hex));
  if (config.hmacSecret) {
    keys.set(config.hmacKeyVersion, keyFromHex(config.hmacSecret));
    return { current: config.hmacKeyVersion, keys };
  }
  if (stored) return { current: stored.current, keys };
  if (config.databaseUrl) {
    throw new ConfigError(
      'with PostgreSQL, every endpoint instance must use the same HMAC key: set ASSENT_HMAC_SECRET (64+ hex digits, e.g. from `openssl rand -hex 32`) or hmacSecret in the config file',
    );
  }
  const generated = randomBytes(32);
  makePrivateDir(config.dataDir);
  const content: KeyFile = { current: 1, keys: { '1': generated.toString('hex') } };
  writePrivateFileDurably(file, `${JSON.stringify(content, null, 2)}\n`);
  return { current: 1, keys: new Map([[1, createSecretKey(generated)]]) };
}

export function keyFromHex(hex: string): KeyObject {
  return createSecretKey(Buffer.from(hex, 'hex'));
}

function readKeyFile(file: string): KeyFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as KeyFile;
  if (!parsed.keys?.[String(parsed.current)]) {
    throw new ConfigError(`${file}: the current key (version ${parsed.current}) is missing from "keys"`);
  }
  return parsed;
}

/** The keys as plain data, to hand to the SQLite writer thread. Never logged or stored. */
export interface PortableKeys {
  current: number;
  keys: Array<[version: number, hex: string]>;
}

export function portableKeys(keys: SubjectKeys): PortableKeys {
  return {
    current: keys.current,
    keys: [...keys.keys].map(([version, key]) => [version, key.export().toString('hex')]),
  };
}

export function keysFromPortable(portable: PortableKeys): SubjectKeys {
  return {
    current: portable.current,
    keys: new Map(portable.keys.map(([version, hex]) => [version, keyFromHex(hex)])),
  };
}
