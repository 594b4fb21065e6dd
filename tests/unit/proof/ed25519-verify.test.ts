import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519Verify, type Ed25519PublicJwk } from '../../../src/contract/proof/keys.ts';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k' } as Ed25519PublicJwk;
  return { jwk, sign: (data: Uint8Array) => new Uint8Array(sign(null, data, privateKey)) };
};

describe('ed25519Verify (imported keys kept between checks)', () => {
  it('accepts each key’s own signatures and no other key’s, however checks interleave', async () => {
    // More keys than are kept, so that keys are dropped and imported again along the way.
    const keys = Array.from({ length: 70 }, pair);
    const checks = fc.array(fc.tuple(fc.nat(keys.length - 1), fc.nat(keys.length - 1), fc.uint8Array()), {
      minLength: 1,
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(checks, async (asked) => {
        for (const [signer, checker, data] of asked) {
          const signature = keys[signer]!.sign(data);
          expect(await ed25519Verify(keys[checker]!.jwk, signature, data)).toBe(signer === checker);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a key that does not import, and still checks with good keys after it', async () => {
    const good = pair();
    const data = new TextEncoder().encode('checkpoint');
    const bad = { ...good.jwk, x: 'not-a-key' };
    await expect(ed25519Verify(bad, good.sign(data), data)).rejects.toThrow();
    await expect(ed25519Verify(bad, good.sign(data), data)).rejects.toThrow();
    expect(await ed25519Verify(good.jwk, good.sign(data), data)).toBe(true);
  });
});
