import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { verifyReceipt, type ReceiptClaims } from '../../../src/contract/proof/receipt.ts';
import { signCheckpoint, signReceipt } from '../../../src/server/proof/signing.ts';
import {
  generateSigningKey,
  loadSigningKeys,
  rotateSigningKey,
  SIGNING_KEY_FILE,
  signingKeyFrom,
} from '../../../src/server/proof/signing-keys.ts';

const key = signingKeyFrom(generateSigningKey());
const other = signingKeyFrom(generateSigningKey());
const jwks = { keys: [key.publicJwk] };
const ORIGIN = 'assent.example/records';
const root = createHash('sha256').update('root').digest();
const checkpoint = {
  origin: ORIGIN,
  treeSize: 20,
  rootHash: new Uint8Array(root),
  time: '2026-11-28T18:00:00.000Z',
};

describe('signed checkpoints (C2SP tlog-checkpoint, signed-note)', () => {
  it('writes the note the specs describe, which an Ed25519 check of its text accepts', () => {
    const note = signCheckpoint(checkpoint, key);
    const [text, signatures] = note.split('\n\n') as [string, string];
    expect(text.split('\n')).toEqual([
      ORIGIN,
      '20',
      root.toString('base64'),
      'time 2026-11-28T18:00:00.000Z',
    ]);
    const match = /^\u2014 (\S+) (\S+)\n$/.exec(signatures)!;
    expect(match[1]).toBe(ORIGIN);
    const bytes = Buffer.from(match[2]!, 'base64');
    // Key ID = SHA-256(key name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note).
    const publicKey = Buffer.from(key.publicJwk.x, 'base64url');
    const keyId = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${ORIGIN}\n`), Buffer.of(1), publicKey]))
      .digest()
      .subarray(0, 4);
    expect(bytes.subarray(0, 4)).toEqual(keyId);
    const publicKeyObject = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x },
      format: 'jwk',
    });
    expect(verify(null, Buffer.from(`${text}\n`), publicKeyObject, bytes.subarray(4))).toBe(true);
  });

  it('verifies against the key set and reads size, root and time', async () => {
    const read = await verifyCheckpoint(signCheckpoint(checkpoint, key), jwks);
    expect(read).toEqual({ ...checkpoint, rootHash: new Uint8Array(root) });
  });

  it('refuses a checkpoint whose size was changed after signing', async () => {
    const note = signCheckpoint(checkpoint, key).replace('\n20\n', '\n19\n');
    await expect(verifyCheckpoint(note, jwks)).rejects.toThrow(/does not match/);
  });

  it('refuses a checkpoint signed by a key outside the key set, or of another origin', async () => {
    await expect(verifyCheckpoint(signCheckpoint(checkpoint, other), jwks)).rejects.toThrow(
      /no key of the key set/,
    );
    await expect(
      verifyCheckpoint(signCheckpoint(checkpoint, key), jwks, { origin: 'elsewhere/log' }),
    ).rejects.toThrow(/not elsewhere\/log/);
  });

  it('accepts a note cosigned by an unknown key beside a known one', async () => {
    const mine = signCheckpoint(checkpoint, key);
    const theirs = signCheckpoint(checkpoint, other);
    const both = `${mine}${theirs.split('\n\n')[1]}`;
    await expect(verifyCheckpoint(both, jwks)).resolves.toMatchObject({ treeSize: 20 });
  });

  it('says what is wrong with a note that is not one', async () => {
    await expect(verifyCheckpoint('hello', jwks)).rejects.toThrow(/no blank line/);
    await expect(verifyCheckpoint(`${ORIGIN}\nten\nAA==\n\n\u2014 x AAAAAAA=\n`, jwks)).rejects.toThrow(
      /not a decimal/,
    );
  });
});

const claims: ReceiptClaims = {
  iss: ORIGIN,
  sub: 'user-42',
  jti: '019a3f4e-6c2b-7d41-9a3e-5b8c0f2e7a19',
  iat: 1_764_352_800,
  seq: 7,
  type: 'accepted',
  serverTime: '2026-11-28T18:00:00.000Z',
  document: {
    slug: 'weisure-service-agreement',
    version: '2018-06-01',
    contentHash: `sha256:${'ab'.repeat(32)}`,
  },
  hash: `sha256:${'cd'.repeat(32)}`,
};

describe('signed receipts (JWS, EdDSA)', () => {
  it('verifies offline against the key set and gives back what it says', async () => {
    const receipt = await signReceipt(claims, key);
    expect(receipt.split('.')).toHaveLength(3);
    const header = JSON.parse(Buffer.from(receipt.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'assent-receipt+jws' });
    await expect(
      verifyReceipt(receipt, jwks, {
        subject: 'user-42',
        document: 'weisure-service-agreement',
        version: '2018-06-01',
        contentHash: claims.document!.contentHash,
      }),
    ).resolves.toEqual(claims);
  });

  it('is the same receipt when signed again (an idempotent retry)', async () => {
    expect(await signReceipt(claims, key)).toBe(await signReceipt({ ...claims }, key));
  });

  it('refuses a receipt for another subject, document or version', async () => {
    const receipt = await signReceipt(claims, key);
    await expect(verifyReceipt(receipt, jwks, { subject: 'user-43' })).rejects.toThrow(/subject "user-42"/);
    await expect(verifyReceipt(receipt, jwks, { document: 'other' })).rejects.toThrow(/document/);
    await expect(verifyReceipt(receipt, jwks, { version: '2020-01-01' })).rejects.toThrow(/version/);
  });

  it('refuses a changed, re-signed or unsigned receipt', async () => {
    const [head, , signature] = (await signReceipt(claims, key)).split('.');
    const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'user-43' })).toString('base64url');
    await expect(verifyReceipt(`${head}.${changed}.${signature}`, jwks)).rejects.toThrow(/changed or forged/);
    await expect(verifyReceipt(await signReceipt(claims, other), jwks)).rejects.toThrow(
      /not signed by this endpoint/,
    );
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'assent-receipt+jws' })).toString(
      'base64url',
    );
    await expect(verifyReceipt(`${none}.${changed}.`, jwks)).rejects.toThrow(/not EdDSA/);
    await expect(verifyReceipt('2018-06-01', jwks)).rejects.toThrow(/three dot-separated parts/);
  });
});

describe('signing keys in the data folder', () => {
  it('are generated once, private to the owner, and kept across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const first = loadSigningKeys(dir);
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadSigningKeys(dir).current.kid).toBe(first.current.kid);
  });

  it('rotate to a new current key and keep the old ones for checking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const before = loadSigningKeys(dir);
    const old = await signReceipt(claims, before.current);
    const kid = rotateSigningKey(dir);
    const after = loadSigningKeys(dir);
    expect(after.current.kid).toBe(kid);
    expect(after.all.map((k) => k.kid)).toEqual([before.current.kid, kid]);
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, SIGNING_KEY_FILE), 'utf8')).not.toContain('.new');
    await expect(verifyReceipt(old, { keys: after.all.map((k) => k.publicJwk) })).resolves.toMatchObject({
      seq: 7,
    });
  });
});
