import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  openSecret,
  resealed,
  sealSecret,
  sealedUnder,
} from '../../../src/server/webhooks/sealed-secrets.ts';
import { keyFromHex, type SubjectKeys } from '../../../src/server/subject-keys.ts';

const keysOf = (current: number, versions: Record<number, string>): SubjectKeys => ({
  current,
  keys: new Map(Object.entries(versions).map(([v, hex]) => [Number(v), keyFromHex(hex)])),
});
const K1 = '07'.repeat(32);
const K2 = '08'.repeat(32);
const secret = fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' });
const id = fc.uuid();

describe('sealed webhook secrets', () => {
  it('open to the secret that was sealed, and never show it in the stored text', () => {
    const keys = keysOf(1, { 1: K1 });
    fc.assert(
      fc.property(id, secret, (webhook, s) => {
        const stored = sealSecret(keys, webhook, s);
        expect(openSecret(keys, webhook, stored)).toBe(s);
        expect(sealedUnder(stored)).toBe(1);
        if (s.length >= 4) expect(stored).not.toContain(s);
      }),
    );
  });

  it('do not open for another webhook, under another key, or when a byte is changed', () => {
    const keys = keysOf(1, { 1: K1 });
    fc.assert(
      fc.property(id, id, secret, fc.nat(), (a, b, s, at) => {
        fc.pre(a !== b);
        const stored = sealSecret(keys, a, s);
        expect(() => openSecret(keys, b, stored)).toThrow(/does not open/);
        expect(() => openSecret(keysOf(1, { 1: K2 }), a, stored)).toThrow(/does not open/);
        const body = stored.slice('sealed:v1:'.length);
        const i = at % body.length;
        const flipped = body[i] === 'A' ? 'B' : 'A';
        const altered = `sealed:v1:${body.slice(0, i)}${flipped}${body.slice(i + 1)}`;
        // base64url's last character may carry unused bits: only a change that alters bytes must fail.
        if (Buffer.from(altered.slice(10), 'base64url').equals(Buffer.from(body, 'base64url'))) return;
        expect(() => openSecret(keys, a, altered)).toThrow(/does not open/);
        // Cut short anywhere, even shorter than its IV or tag.
        expect(() => openSecret(keys, a, stored.slice(0, 'sealed:v1:'.length + i))).toThrow(/does not open/);
      }),
    );
  });

  it('say which key is missing when the key they were sealed under is gone', () => {
    const stored = sealSecret(keysOf(1, { 1: K1 }), 'w1', 'whsec_abc');
    expect(() => openSecret(keysOf(2, { 2: K2 }), 'w1', stored)).toThrow(
      'the signing secret of webhook w1 is sealed under HMAC key version 1, which this endpoint does not have: put that key back in hmac-keys.json, or remove the webhook and register it again',
    );
  });

  it('seal again what is in clear or under an older key, and leave alone what is current or cannot open', () => {
    const old = keysOf(1, { 1: K1 });
    const now = keysOf(2, { 1: K1, 2: K2 });
    const clear = `whsec_${randomBytes(32).toString('hex')}`;
    const stored = [
      { id: 'clear', secret: clear },
      { id: 'older', secret: sealSecret(old, 'older', 'whsec_older') },
      { id: 'current', secret: sealSecret(now, 'current', 'whsec_current') },
      { id: 'lost', secret: sealSecret(keysOf(3, { 3: K2 }), 'lost', 'whsec_lost') },
    ];
    const { updates, problems } = resealed(now, stored);
    expect(updates.map((u) => [u.id, sealedUnder(u.secret), openSecret(now, u.id, u.secret)])).toEqual([
      ['clear', 2, clear],
      ['older', 2, 'whsec_older'],
    ]);
    expect(problems).toEqual([expect.stringContaining('webhook lost is sealed under HMAC key version 3')]);
  });
});
