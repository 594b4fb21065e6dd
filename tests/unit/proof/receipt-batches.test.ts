import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyReceipt, type ReceiptClaims } from '../../../src/contract/proof/receipt.ts';
import { ReceiptBatches, signReceiptBatch } from '../../../src/server/proof/receipt-batches.ts';
import { signReceipt } from '../../../src/server/proof/signing.ts';
import {
  generateSigningKey,
  signingKeyFrom,
  type SigningKey,
} from '../../../src/server/proof/signing-keys.ts';
import { refVerifyInclusion } from './rfc9162-reference.ts';

const key = signingKeyFrom(generateSigningKey());
const other = signingKeyFrom(generateSigningKey());
const jwks = { keys: [key.publicJwk] };
const ORIGIN = 'records.shop.example/assent';

function claimsOf(seq: number, overrides: Partial<ReceiptClaims> = {}): ReceiptClaims {
  return {
    iss: ORIGIN,
    sub: `user-${seq}`,
    jti: `019a3f4e-6c2b-7d41-9a3e-${String(seq).padStart(12, '0')}`,
    iat: 1_764_352_800,
    seq,
    type: 'accepted',
    serverTime: '2026-11-28T18:00:00.000Z',
    document: {
      slug: 'weisure-service-agreement',
      version: '2018-06-01',
      contentHash: `sha256:${'ab'.repeat(32)}`,
    },
    hash: `sha256:${seq.toString(16).padStart(64, '0')}`,
    ...overrides,
  };
}

const batchOf = (size: number, from = 1) => Array.from({ length: size }, (_, i) => claimsOf(from + i));

/**
 * The steps README gives for other languages ("Proof", batch receipts), written from that text
 * with Node's own primitives and the reference RFC 9162 code, not with the verifier under test.
 */
function independentCheck(receipt: string, publicJwk: { x: string; kid: string }): unknown {
  const parts = receipt.split('~');
  if (parts.length !== 4) throw new Error('not four parts');
  const [jws, claims, index, path] = parts as [string, string, string, string];
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  if (head.alg !== 'EdDSA' || head.typ !== 'assent-receipt-batch+jws' || head.kid !== publicJwk.kid)
    throw new Error('header');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x }, format: 'jwk' });
  if (
    !verify(
      null,
      Buffer.from(`${header}.${payload}`, 'ascii'),
      publicKey,
      Buffer.from(signature, 'base64url'),
    )
  )
    throw new Error('signature');
  const batch = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const leafData = Buffer.from(claims, 'base64url');
  const pathBytes = Buffer.from(path, 'base64url');
  const hashes = Array.from({ length: pathBytes.length / 32 }, (_, i) =>
    pathBytes.subarray(32 * i, 32 * i + 32),
  );
  const root = Buffer.from(batch.root, 'base64url');
  if (!refVerifyInclusion(Number(index), batch.size, leafData, hashes, root)) throw new Error('path');
  const read = JSON.parse(leafData.toString('utf8'));
  if (read.iss !== batch.iss) throw new Error('issuer');
  return read;
}

/** The receipt with one of its four parts replaced. */
function withPart(receipt: string, part: number, value: string): string {
  const parts = receipt.split('~');
  parts[part] = value;
  return parts.join('~');
}

const flipByte = (base64url: string, at: number) => {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[at % bytes.length]! ^= 0x01;
  return bytes.toString('base64url');
};

describe('receipts signed per batch', () => {
  it('verify, for every size and position, by the contract verifier and by the steps in README', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.nat(), async (size, pick) => {
        const claims = batchOf(size);
        const receipts = signReceiptBatch(claims, key);
        expect(receipts).toHaveLength(size);
        // One signature for all of them.
        expect(new Set(receipts.map((r) => r.split('~')[0]))).toHaveLength(1);
        const at = pick % size;
        expect(independentCheck(receipts[at]!, key.publicJwk)).toEqual(claims[at]);
        await expect(verifyReceipt(receipts[at]!, jwks, { subject: `user-${at + 1}` })).resolves.toEqual(
          claims[at],
        );
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any receipt whose path, claims, leaf index, root or signature was changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('path', 'claims', 'index', 'root', 'signature'),
        async (size, pick, byte, what) => {
          const receipts = signReceiptBatch(batchOf(size), key);
          const at = pick % size;
          const receipt = receipts[at]!;
          const [jws, claims, index, path] = receipt.split('~') as [string, string, string, string];
          const [header, payload, signature] = jws.split('.') as [string, string, string];
          let tampered: string;
          if (what === 'path') tampered = withPart(receipt, 3, flipByte(path, byte));
          else if (what === 'claims') tampered = withPart(receipt, 1, flipByte(claims, byte));
          else if (what === 'index')
            tampered = withPart(receipt, 2, String((Number(index) + 1 + (byte % (size - 1))) % size));
          else if (what === 'signature')
            tampered = withPart(receipt, 0, `${header}.${payload}.${flipByte(signature, byte)}`);
          else {
            const batch = JSON.parse(Buffer.from(payload, 'base64url').toString());
            const root = flipByte(batch.root, byte);
            const changed = Buffer.from(JSON.stringify({ ...batch, root })).toString('base64url');
            tampered = withPart(receipt, 0, `${header}.${changed}.${signature}`);
          }
          expect(() => independentCheck(tampered, key.publicJwk)).toThrow();
          await expect(verifyReceipt(tampered, jwks)).rejects.toThrow(
            /changed or forged|not base64url|malformed/,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses claims rewritten with another subject, and another receipt's claims on this path", async () => {
    const receipts = signReceiptBatch(batchOf(5), key);
    const forged = Buffer.from(JSON.stringify(claimsOf(3, { sub: 'user-99' }))).toString('base64url');
    await expect(verifyReceipt(withPart(receipts[2]!, 1, forged), jwks)).rejects.toThrow(
      /not in the signed batch/,
    );
    const neighbour = receipts[3]!.split('~')[1]!;
    await expect(verifyReceipt(withPart(receipts[2]!, 1, neighbour), jwks)).rejects.toThrow(
      /not in the signed batch/,
    );
  });

  it('refuses a batch signed by a key outside the key set, or a batch JWS passed alone', async () => {
    const [receipt] = signReceiptBatch(batchOf(3), other);
    await expect(verifyReceipt(receipt, jwks)).rejects.toThrow(/not signed by this endpoint/);
    const [mine] = signReceiptBatch(batchOf(3), key);
    await expect(verifyReceipt(mine!.split('~')[0], jwks)).rejects.toThrow(
      /type is assent-receipt-batch\+jws/,
    );
    await expect(verifyReceipt(`${mine}~extra`, jwks)).rejects.toThrow(/four parts/);
  });

  it('still verifies a receipt signed alone (compact JWS), as issued before batches', async () => {
    const claims = claimsOf(7);
    const [batched] = signReceiptBatch([claims], key);
    await expect(verifyReceipt(await signReceipt(claims, key), jwks)).resolves.toEqual(claims);
    await expect(verifyReceipt(batched, jwks)).resolves.toEqual(claims);
  });

  it('gives the same claims the same receipt in the same batch, and equally valid ones in another', async () => {
    const claims = batchOf(4);
    expect(signReceiptBatch(claims, key)).toEqual(
      signReceiptBatch(
        claims.map((c) => ({ ...c })),
        key,
      ),
    );
    const alone = signReceiptBatch([claims[1]!], key)[0]!;
    const among = signReceiptBatch(claims, key)[1]!;
    expect(alone).not.toBe(among);
    expect(await verifyReceipt(alone, jwks)).toEqual(await verifyReceipt(among, jwks));
  });
});

describe('ReceiptBatches', () => {
  it('signs the receipts asked for in one event-loop turn together, and a rotated key from the next turn', async () => {
    let current: SigningKey = key;
    const batches = new ReceiptBatches(() => current);
    const first = await Promise.all(batchOf(5).map((c) => batches.sign(c)));
    expect(new Set(first.map((r) => r.split('~')[0]))).toHaveLength(1);
    expect(first.map((r) => r.split('~')[2])).toEqual(['0', '1', '2', '3', '4']);
    current = other;
    const [later] = await Promise.all([batches.sign(claimsOf(6))]);
    const both = { keys: [key.publicJwk, other.publicJwk] };
    await expect(verifyReceipt(later, both)).resolves.toMatchObject({ seq: 6 });
    await expect(verifyReceipt(later, jwks)).rejects.toThrow(/not signed by this endpoint/);
    for (const [i, receipt] of first.entries()) {
      await expect(verifyReceipt(receipt, both)).resolves.toMatchObject({ seq: i + 1 });
    }
  });
});
