/**
 * Subject tokens: what a partner's backend hands a signed-in user's browser, so that
 * `<assent-accept>` and `<assent-update>` may ask the endpoint for that one subject's standing
 * (`GET /v1/standing`, `Authorization: Bearer <token>`), on any device.
 *
 * A token is a compact JWS (RFC 7515) signed with Ed25519 (`alg` EdDSA, RFC 8037), `typ`
 * `assent-subject+jws`, whose claims are `sub` (the subject id, as the partner sends it in
 * records), `partner` (the partner key's id, as `assent keys create` prints it) and `exp`
 * (seconds since 1970; at most ten minutes ahead). The signing key comes from the partner key
 * itself: its 32-byte Ed25519 seed is HMAC-SHA256 keyed with the partner key (UTF-8) over the
 * text `assent-subject-token`. The endpoint keeps only the public half (computed when the key
 * is made), so a copy of its database can neither use the partner key nor mint tokens.
 * Web Crypto only: Node, edge runtimes and browsers alike.
 *
 *   const token = await mintSubjectToken({
 *     partnerKey: process.env.ASSENT_PARTNER_KEY, partnerId: '3f9c0a1b2c3d', subject: 'user-42',
 *   });
 */
import { concat, fromBase64Url, fromHex, fromUtf8, toBase64Url, utf8, type Bytes } from './proof/bytes.ts';
import { ed25519Verify } from './proof/keys.ts';

export const SUBJECT_TOKEN_TYPE = 'assent-subject+jws';
/** The longest a token may live: the endpoint refuses an `exp` further ahead. */
export const SUBJECT_TOKEN_MAX_SECONDS = 600;
/** Clock difference between the partner's backend and the endpoint that is forgiven on `exp`'s upper bound. */
export const SUBJECT_TOKEN_SKEW_SECONDS = 60;
/** The HMAC message that turns a partner key into its token signing seed. */
export const SUBJECT_TOKEN_SEED_LABEL = 'assent-subject-token';
/** DER of a PKCS #8 Ed25519 private key (RFC 8410 §7) up to its 32-byte seed. */
export const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');

export interface SubjectTokenClaims {
  /** The subject id. */
  sub: string;
  /** The id of the partner key that signed it. */
  partner: string;
  /** Expiry, in seconds since 1970. */
  exp: number;
}

export interface MintOptions {
  /** The partner key (`assent_pk_…`), kept on the partner's backend. */
  partnerKey: string;
  /** Its id, as `assent keys create` and `assent keys list` show it. */
  partnerId: string;
  subject: string;
  /** Lifetime, 1 to 600 seconds (default 300). */
  seconds?: number;
  /** Now, in ms since 1970 (tests). */
  now?: number;
}

export async function subjectTokenSeed(partnerKey: string): Promise<Bytes> {
  const hmac = await crypto.subtle.importKey(
    'raw',
    utf8(partnerKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmac, utf8(SUBJECT_TOKEN_SEED_LABEL)));
}

/** A subject token for `subject`, signed with the key derived from `partnerKey`. */
export async function mintSubjectToken({
  partnerKey,
  partnerId,
  subject,
  seconds = 300,
  now = Date.now(),
}: MintOptions): Promise<string> {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > SUBJECT_TOKEN_MAX_SECONDS)
    throw new RangeError(`a subject token lives 1 to ${SUBJECT_TOKEN_MAX_SECONDS} seconds, not ${seconds}`);
  if (!subject) throw new RangeError('a subject token needs the subject id');
  const key = await crypto.subtle.importKey(
    'pkcs8',
    concat(ED25519_PKCS8_PREFIX, await subjectTokenSeed(partnerKey)),
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
  const part = (value: object) => toBase64Url(utf8(JSON.stringify(value)));
  const claims: SubjectTokenClaims = {
    sub: subject,
    partner: partnerId,
    exp: Math.floor(now / 1000) + seconds,
  };
  const signed = `${part({ alg: 'EdDSA', typ: SUBJECT_TOKEN_TYPE })}.${part(claims)}`;
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key, utf8(signed)));
  return `${signed}.${toBase64Url(signature)}`;
}

/** Why a token is refused; the message says it without naming any subject. */
export class SubjectTokenError extends Error {
  readonly reason: 'malformed' | 'forged' | 'expired' | 'too-long';
  constructor(reason: SubjectTokenError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Whether a bearer credential looks like a subject token (a compact JWS) rather than a partner key. */
export const isSubjectToken = (credential: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(credential);

/**
 * The token's claims, unchecked: which partner key to verify it with. Throws
 * SubjectTokenError('malformed') for anything that is not a subject token.
 */
export function readSubjectToken(token: string): SubjectTokenClaims {
  const malformed = (why: string) =>
    new SubjectTokenError('malformed', `not a subject token: ${why} (mint one with mintSubjectToken)`);
  const [head = '', body = ''] = token.split('.');
  let header: { alg?: unknown; typ?: unknown };
  let claims: Partial<SubjectTokenClaims>;
  try {
    header = JSON.parse(fromUtf8(fromBase64Url(head)));
    claims = JSON.parse(fromUtf8(fromBase64Url(body)));
  } catch {
    throw malformed('its parts are not base64url-encoded JSON');
  }
  if (header?.alg !== 'EdDSA' || header.typ !== SUBJECT_TOKEN_TYPE)
    throw malformed(`its header must be {"alg":"EdDSA","typ":"${SUBJECT_TOKEN_TYPE}"}`);
  const { sub, partner, exp } = claims ?? {};
  if (typeof sub !== 'string' || sub.length < 1 || sub.length > 256)
    throw malformed('`sub` must be the subject id (1 to 256 characters)');
  if (typeof partner !== 'string' || !partner) throw malformed("`partner` must be the partner key's id");
  if (!Number.isInteger(exp)) throw malformed('`exp` must be whole seconds since 1970');
  return { sub, partner, exp: exp! };
}

/**
 * The token's claims, once its signature verifies under `publicKey` (the partner key's token
 * key, 32 bytes base64url) and it is in date at `now` (ms). Throws SubjectTokenError otherwise.
 */
export async function verifySubjectToken(
  token: string,
  publicKey: string,
  now = Date.now(),
): Promise<SubjectTokenClaims> {
  const claims = readSubjectToken(token);
  const [head, body, signature] = token.split('.') as [string, string, string];
  const verified = await ed25519Verify(
    { kty: 'OKP', crv: 'Ed25519', x: publicKey, kid: claims.partner },
    fromBase64Url(signature),
    utf8(`${head}.${body}`),
  ).catch(() => false);
  if (!verified)
    throw new SubjectTokenError(
      'forged',
      `the subject token's signature does not match partner key ${claims.partner}: it was changed, or signed with another key`,
    );
  return assertInDate(claims, now);
}

/**
 * The claims, if the token is in date at `now` (ms): not expired, and not living longer than
 * tokens may. Throws SubjectTokenError('expired' or 'too-long') otherwise. verifySubjectToken
 * checks it; a verifier that keeps tokens it verified checks it again on each use.
 */
export function assertInDate(claims: SubjectTokenClaims, now = Date.now()): SubjectTokenClaims {
  const seconds = Math.floor(now / 1000);
  if (claims.exp <= seconds)
    throw new SubjectTokenError(
      'expired',
      `the subject token expired at ${new Date(claims.exp * 1000).toISOString()}; mint a new one`,
    );
  if (claims.exp > seconds + SUBJECT_TOKEN_MAX_SECONDS + SUBJECT_TOKEN_SKEW_SECONDS)
    throw new SubjectTokenError(
      'too-long',
      `the subject token lives past ${SUBJECT_TOKEN_MAX_SECONDS} seconds (exp ${claims.exp}); mint one that expires sooner`,
    );
  return claims;
}
