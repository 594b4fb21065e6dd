/**
 * Partner API keys: what a partner's backend sends (`Authorization: Bearer <key>`) to ask about
 * a subject's standing (routes/standing.ts). Each key has a name, the origins a browser may
 * send it from, and the documents it may ask about. Only the SHA-256 of a key is stored, beside
 * the records (a `partner_keys` table, migration 003, in SQLite or PostgreSQL); the key itself
 * is shown once, when it is made. Both stores pass tests/unit/server/partner-keys-contract.ts.
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { ED25519_PKCS8_PREFIX, SUBJECT_TOKEN_SEED_LABEL } from '../../contract/subject-token.ts';

export interface PartnerKey {
  /** Public handle, for `assent keys list|revoke` and the logs; never a credential. */
  id: string;
  name: string;
  /** Origins (`https://shop.example`) a request carrying an Origin header may come from. */
  origins: string[];
  /** Document slugs the key may ask about. */
  documents: string[];
  createdAt: string;
  /** When it was revoked (ISO 8601), or null while it works. */
  revokedAt: string | null;
  /**
   * The public Ed25519 key (32 bytes, base64url) that checks the subject tokens minted with
   * this key (src/contract/subject-token.ts); null for a key made before subject tokens.
   */
  tokenKey: string | null;
}

export interface PartnerKeyStore {
  /** Stores a key under the hash of its secret. */
  add(key: PartnerKey, keyHash: string): Promise<void>;
  /** Every key, revoked ones too, oldest first. */
  list(): Promise<PartnerKey[]>;
  /** The key whose secret hashes to `keyHash`, revoked or not. */
  byHash(keyHash: string): Promise<PartnerKey | undefined>;
  /** The key with this id, revoked or not (a subject token names its key by id). */
  byId(id: string): Promise<PartnerKey | undefined>;
  /** Marks a key revoked; false when no key has that id or it was already revoked. */
  revoke(id: string, at: string): Promise<boolean>;
  /**
   * A mark of the keys as stored now: it differs from every earlier mark once any process may
   * have added, revoked or otherwise changed a key since (cached-partner-keys.ts reads it before
   * answering from what it keeps). It may also change when nothing did.
   */
  changeMark(): Promise<string>;
  close(): Promise<void>;
}

/** Prefix of every key, so a leaked one is recognisable (secret scanners, logs). */
const KEY_PREFIX = 'assent_pk_';

/** SHA-256 of a presented key: what the store looks a key up by. */
export function hashPartnerKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The public half of the key that signs a partner key's subject tokens: its seed is
 * HMAC-SHA256(partner key, "assent-subject-token"), as mintSubjectToken derives it. Only this
 * half is stored, so the store can check tokens but not make them.
 */
export function subjectTokenKey(secret: string): string {
  const seed = createHmac('sha256', secret).update(SUBJECT_TOKEN_SEED_LABEL).digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return createPublicKey(privateKey).export({ format: 'jwk' }).x!;
}

/** A new key: its record, the secret to show once, and the hash to store. */
export function newPartnerKey(
  fields: Pick<PartnerKey, 'name' | 'origins' | 'documents'>,
  now = new Date(),
): { key: PartnerKey; secret: string; keyHash: string } {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const key: PartnerKey = {
    id: randomBytes(6).toString('hex'),
    ...fields,
    createdAt: now.toISOString(),
    revokedAt: null,
    tokenKey: subjectTokenKey(secret),
  };
  return { key, secret, keyHash: hashPartnerKey(secret) };
}

/** Why an origin given for a key is not one, or undefined if it is (`https://shop.example`). */
export function originProblem(origin: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `"${origin}" is not a URL; give an origin such as https://shop.example`;
  }
  if (parsed.origin !== origin)
    return `"${origin}" is not an origin; give scheme, host and port only, such as ${parsed.origin}`;
  return undefined;
}

/** The stored columns of a key, in the order `partnerKeyValues` gives them (then its hash). */
export const PARTNER_KEY_COLUMNS = 'id, name, origins, documents, created_at, revoked_at, token_key';

export function partnerKeyValues(key: PartnerKey, keyHash: string): unknown[] {
  return [
    key.id,
    key.name,
    JSON.stringify(key.origins),
    JSON.stringify(key.documents),
    key.createdAt,
    key.revokedAt,
    key.tokenKey,
    keyHash,
  ];
}
