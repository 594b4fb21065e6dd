import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../../src/contract/proof/receipt.ts';
import { receiptClaims, ReceiptSigner, type ReceiptInput } from '../../../src/server/proof/receipts.ts';
import { generateSigningKey, signingKeyFrom } from '../../../src/server/proof/signing-keys.ts';

const ORIGIN = 'assent.example/records';
const first = signingKeyFrom(generateSigningKey());
const second = signingKeyFrom(generateSigningKey());

const input = (id: string, subject = 'user-42'): ReceiptInput => ({
  id,
  type: 'accepted',
  subject: { id: subject },
  document: {
    slug: 'weisure-service-agreement',
    version: '2018-06-01',
    contentHash: `sha256:${'ab'.repeat(32)}`,
  },
});
const stored = (seq: number) => ({
  id: `r${seq}`,
  seq,
  serverTime: '2026-11-28T18:00:00.000Z',
  hash: `sha256:${seq.toString(16).padStart(64, '0')}`,
});

const jwks = { keys: [first.publicJwk] };

describe('ReceiptSigner (receipts for standing, signed in batches and kept)', () => {
  it('answers a receipt asked again with the very receipt it gave', async () => {
    const signer = new ReceiptSigner(() => first);
    const once = await signer.sign(input('r1'), stored(1), ORIGIN);
    expect(await signer.sign(input('r1'), stored(1), ORIGIN)).toBe(once);
    await expect(verifyReceipt(once, jwks)).resolves.toMatchObject({ jti: 'r1', seq: 1 });
  });

  it('gives answers that ask for the same receipt at once the very same receipt', async () => {
    const signer = new ReceiptSigner(() => first);
    const [one, two] = await Promise.all([
      signer.sign(input('r1'), stored(1), ORIGIN),
      signer.sign(input('r1'), stored(1), ORIGIN),
    ]);
    expect(two).toBe(one);
    await expect(verifyReceipt(one, jwks)).resolves.toMatchObject({ jti: 'r1' });
  });

  it('signs the receipts asked for in one event-loop turn under one signature', async () => {
    const signer = new ReceiptSigner(() => first);
    const receipts = await Promise.all(
      [1, 2, 3].map((seq) => signer.sign(input(`r${seq}`), stored(seq), ORIGIN)),
    );
    // A batch receipt: the batch's JWS, then the leaf, its index and its path (receipt-batches.ts).
    expect(new Set(receipts.map((r) => r.split('~')[0]))).toHaveLength(1);
    for (const [i, receipt] of receipts.entries())
      await expect(verifyReceipt(receipt, jwks)).resolves.toEqual(
        receiptClaims(input(`r${i + 1}`), stored(i + 1), ORIGIN),
      );
  });

  it('signs under the new key after a rotation, never answering the old key’s receipt', async () => {
    let current = first;
    const signer = new ReceiptSigner(() => current);
    await signer.sign(input('r1'), stored(1), ORIGIN);
    current = second;
    const rotated = await signer.sign(input('r1'), stored(1), ORIGIN);
    await expect(verifyReceipt(rotated, { keys: [second.publicJwk] })).resolves.toMatchObject({ seq: 1 });
    await expect(verifyReceipt(rotated, jwks)).rejects.toThrow();
  });

  it('gives each record, subject and origin its own receipt', async () => {
    const signer = new ReceiptSigner(() => first);
    await signer.sign(input('r1'), stored(1), ORIGIN);
    const other = await signer.sign(input('r2'), stored(2), ORIGIN);
    await expect(verifyReceipt(other, jwks)).resolves.toMatchObject({ jti: 'r2', seq: 2 });
    const subject = await signer.sign(input('r1', 'user-43'), stored(1), ORIGIN);
    await expect(verifyReceipt(subject, jwks, { subject: 'user-43' })).resolves.toMatchObject({ seq: 1 });
    const origin = await signer.sign(input('r1'), stored(1), 'other.example/log');
    await expect(verifyReceipt(origin, jwks)).resolves.toMatchObject({ iss: 'other.example/log' });
  });

  it('keeps at most its limit of receipts, and signs a dropped one again', async () => {
    const signer = new ReceiptSigner(() => first, 2);
    const r1 = await signer.sign(input('r1'), stored(1), ORIGIN);
    await signer.sign(input('r2'), stored(2), ORIGIN);
    await signer.sign(input('r1'), stored(1), ORIGIN);
    await signer.sign(input('r3'), stored(3), ORIGIN);
    expect(signer.size).toBe(2);
    // Kept: r1 was asked after r2, so r2 made room for r3.
    expect(await signer.sign(input('r1'), stored(1), ORIGIN)).toBe(r1);
    const r2 = await signer.sign(input('r2'), stored(2), ORIGIN);
    await expect(verifyReceipt(r2, jwks)).resolves.toMatchObject({ jti: 'r2' });
  });
});
