/**
 * Webhook signing secrets are kept sealed: AES-256-GCM under a key derived (HKDF) from the
 * endpoint's HMAC key, with the webhook's id as associated data. A copy of the database (a
 * backup, a dump handed to support) then holds no secret that could forge a delivery to a
 * partner, and a sealed secret moved to another webhook's row does not open.
 *
 * Stored form: `sealed:v<HMAC key version>:<base64url of IV (12 bytes) ‖ ciphertext ‖ tag>`.
 * Secrets stored in clear by earlier versions (`whsec_…`) still open, and are sealed when a
 * store opens, as are secrets sealed under an HMAC key that is no longer the current one.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SubjectKeys } from '../subject-keys.ts';

const PREFIX = 'sealed:v';
const INFO = 'assent webhook secrets';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

function sealingKey(keys: SubjectKeys, version: number, webhookId: string): Buffer {
  const key = keys.keys.get(version);
  if (!key) {
    throw new WebhookSecretError(
      `the signing secret of webhook ${webhookId} is sealed under HMAC key version ${version}, which this endpoint does not have: put that key back in hmac-keys.json, or remove the webhook and register it again`,
    );
  }
  return Buffer.from(hkdfSync('sha256', key.export(), Buffer.alloc(0), INFO, 32));
}

/** The secret sealed under the current HMAC key, for the webhook `webhookId`. */
export function sealSecret(keys: SubjectKeys, webhookId: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(keys, keys.current, webhookId), iv);
  cipher.setAAD(Buffer.from(webhookId, 'utf8'));
  const sealed = Buffer.concat([iv, cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keys.current}:${sealed.toString('base64url')}`;
}

/** The HMAC key version a stored secret is sealed under; undefined for one stored in clear. */
export function sealedUnder(stored: string): number | undefined {
  const match = /^sealed:v(\d+):/.exec(stored);
  return match ? Number(match[1]) : undefined;
}

/** The secret a stored text holds; a `WebhookSecretError` when it cannot be opened. */
export function openSecret(keys: SubjectKeys, webhookId: string, stored: string): string {
  const version = sealedUnder(stored);
  if (version === undefined) return stored;
  const sealed = Buffer.from(stored.slice(stored.indexOf(':', PREFIX.length) + 1), 'base64url');
  const key = sealingKey(keys, version, webhookId);
  try {
    // A text cut short gives a wrong-sized IV or tag, which the cipher refuses like a wrong one.
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new WebhookSecretError(
      `the signing secret of webhook ${webhookId} does not open: it was altered, or belongs to another webhook; remove the webhook and register it again`,
    );
  }
}

export interface StoredSecret {
  id: string;
  secret: string;
}

/**
 * The stored secrets that need sealing again (in clear, or under an older key), sealed under
 * the current key; and the webhooks whose secret cannot be opened, with why.
 */
export function resealed(
  keys: SubjectKeys,
  stored: readonly StoredSecret[],
): { updates: StoredSecret[]; problems: string[] } {
  const updates: StoredSecret[] = [];
  const problems: string[] = [];
  for (const { id, secret } of stored) {
    if (sealedUnder(secret) === keys.current) continue;
    try {
      updates.push({ id, secret: sealSecret(keys, id, openSecret(keys, id, secret)) });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { updates, problems };
}
