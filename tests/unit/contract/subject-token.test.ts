import { createHmac, createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mintSubjectToken,
  readSubjectToken,
  SubjectTokenError,
  verifySubjectToken,
} from '../../../src/contract/subject-token.ts';
import { newPartnerKey, subjectTokenKey } from '../../../src/server/partners/partner-keys.ts';

/**
 * Minting as README.md's "Subject tokens" Python snippet spells it, line for line, with Node's
 * own crypto (not Web Crypto, not src/contract): HMAC-SHA256 of "assent-subject-token" under
 * the partner key is the Ed25519 seed; header and claims are base64url JSON without padding.
 */
function mintFromReadme(
  partnerKey: string,
  partnerId: string,
  subject: string,
  seconds: number,
  nowSeconds: number,
) {
  const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
  const seed = createHmac('sha256', partnerKey).update('assent-subject-token').digest();
  // RFC 8410: a PKCS #8 Ed25519 key is this 16-byte prefix, then the seed.
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const header = b64(JSON.stringify({ alg: 'EdDSA', typ: 'assent-subject+jws' }));
  const claims = b64(JSON.stringify({ sub: subject, partner: partnerId, exp: nowSeconds + seconds }));
  const signature = sign(null, Buffer.from(`${header}.${claims}`), privateKey);
  return `${header}.${claims}.${b64(signature)}`;
}

const made = newPartnerKey({ name: 'shop', origins: [], documents: ['terms'] });
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('subject tokens', () => {
  it('are minted by the exported helper exactly as the README recipe mints them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 256, unit: 'grapheme' }).filter((s) => s.length <= 256),
        fc.integer({ min: 1, max: 600 }),
        async (subject, seconds) => {
          const ours = await mintSubjectToken({
            partnerKey: made.secret,
            partnerId: made.key.id,
            subject,
            seconds,
            now: NOW,
          });
          // Ed25519 signatures are deterministic (RFC 8032), so both recipes give the same bytes.
          expect(ours).toBe(mintFromReadme(made.secret, made.key.id, subject, seconds, NOW / 1000));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("verify under the partner key's stored public half, and under no other key's", async () => {
    const token = mintFromReadme(made.secret, made.key.id, 'user-42', 300, NOW / 1000);
    expect(made.key.tokenKey).toBe(subjectTokenKey(made.secret));
    await expect(verifySubjectToken(token, made.key.tokenKey!, NOW)).resolves.toEqual({
      sub: 'user-42',
      partner: made.key.id,
      exp: NOW / 1000 + 300,
    });
    const other = newPartnerKey({ name: 'other', origins: [], documents: ['terms'] });
    await expect(verifySubjectToken(token, other.key.tokenKey!, NOW)).rejects.toMatchObject({
      reason: 'forged',
    });
  });

  it('are refused once expired, and when they would live past ten minutes (a minute of clock skew allowed)', async () => {
    const token = await mintSubjectToken({
      partnerKey: made.secret,
      partnerId: made.key.id,
      subject: 'u',
      now: NOW,
    });
    const key = made.key.tokenKey!;
    await expect(verifySubjectToken(token, key, NOW + 299_000)).resolves.toMatchObject({ sub: 'u' });
    await expect(verifySubjectToken(token, key, NOW + 300_000)).rejects.toMatchObject({ reason: 'expired' });
    const long = mintFromReadme(made.secret, made.key.id, 'u', 661, NOW / 1000);
    await expect(verifySubjectToken(long, key, NOW)).rejects.toMatchObject({ reason: 'too-long' });
    const skewed = mintFromReadme(made.secret, made.key.id, 'u', 660, NOW / 1000);
    await expect(verifySubjectToken(skewed, key, NOW)).resolves.toMatchObject({ sub: 'u' });
  });

  it('cannot be minted for longer than ten minutes, or for no subject', async () => {
    const mint = (seconds: number, subject = 'u') =>
      mintSubjectToken({ partnerKey: made.secret, partnerId: made.key.id, subject, seconds });
    await expect(mint(601)).rejects.toThrow(/1 to 600 seconds, not 601/);
    await expect(mint(0)).rejects.toThrow(RangeError);
    await expect(mint(60, '')).rejects.toThrow(/subject/);
  });

  it('say what is wrong with something that is not a token', () => {
    const cases: Array<[string, RegExp]> = [
      ['a.b.c', /base64url-encoded JSON/],
      [`${b64({ alg: 'HS256', typ: 'assent-subject+jws' })}.${b64({})}.x`, /"alg":"EdDSA"/],
      [`${b64({ alg: 'EdDSA', typ: 'assent-subject+jws' })}.${b64({ partner: 'p', exp: 1 })}.x`, /`sub`/],
      [`${b64({ alg: 'EdDSA', typ: 'assent-subject+jws' })}.${b64({ sub: 's', exp: 1 })}.x`, /`partner`/],
      [
        `${b64({ alg: 'EdDSA', typ: 'assent-subject+jws' })}.${b64({ sub: 's', partner: 'p', exp: 1.5 })}.x`,
        /`exp`/,
      ],
    ];
    for (const [token, message] of cases) {
      expect(() => readSubjectToken(token)).toThrow(SubjectTokenError);
      expect(() => readSubjectToken(token)).toThrow(message);
    }
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
