import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../../src/contract/proof/receipt.ts';
import { receiptClaims, ReceiptSigner, type ReceiptInput } from '../../../src/server/proof/receipts.ts';
import { signReceipt } from '../../../src/server/proof/signing.ts';
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

describe('ReceiptSigner (receipts signed one at a time, for standing)', () => {
  it('answers a receipt asked again with the very receipt signing it afresh gives', async () => {
    const signer = new ReceiptSigner();
    const once = await signer.sign(input('r1'), stored(1), ORIGIN, first);
    const again = await signer.sign(input('r1'), stored(1), ORIGIN, first);
    expect(again).toBe(once);
    expect(once).toBe(await signReceipt(receiptClaims(input('r1'), stored(1), ORIGIN), first));
    await expect(verifyReceipt(once, { keys: [first.publicJwk] })).resolves.toMatchObject({ seq: 1 });
  });

  it('signs under the new key after a rotation, never answering the old key’s receipt', async () => {
    const signer = new ReceiptSigner();
    await signer.sign(input('r1'), stored(1), ORIGIN, first);
    const rotated = await signer.sign(input('r1'), stored(1), ORIGIN, second);
    await expect(verifyReceipt(rotated, { keys: [second.publicJwk] })).resolves.toMatchObject({ seq: 1 });
    await expect(verifyReceipt(rotated, { keys: [first.publicJwk] })).rejects.toThrow();
  });

  it('gives each record, subject and origin its own receipt', async () => {
    const signer = new ReceiptSigner();
    const jwks = { keys: [first.publicJwk] };
    await signer.sign(input('r1'), stored(1), ORIGIN, first);
    const other = await signer.sign(input('r2'), stored(2), ORIGIN, first);
    await expect(verifyReceipt(other, jwks)).resolves.toMatchObject({ jti: 'r2', seq: 2 });
    const subject = await signer.sign(input('r1', 'user-43'), stored(1), ORIGIN, first);
    await expect(verifyReceipt(subject, jwks, { subject: 'user-43' })).resolves.toMatchObject({ seq: 1 });
    const origin = await signer.sign(input('r1'), stored(1), 'other.example/log', first);
    await expect(verifyReceipt(origin, jwks)).resolves.toMatchObject({ iss: 'other.example/log' });
  });

  it('keeps at most its limit of signatures, and signs a dropped one again alike', async () => {
    const signer = new ReceiptSigner(2);
    const r1 = await signer.sign(input('r1'), stored(1), ORIGIN, first);
    await signer.sign(input('r2'), stored(2), ORIGIN, first);
    await signer.sign(input('r1'), stored(1), ORIGIN, first);
    await signer.sign(input('r3'), stored(3), ORIGIN, first);
    expect(signer.size).toBe(2);
    expect(await signer.sign(input('r1'), stored(1), ORIGIN, first)).toBe(r1);
  });
});
