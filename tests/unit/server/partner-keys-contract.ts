import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedPartnerKeys } from '../../../src/server/partners/cached-partner-keys.ts';
import {
  hashPartnerKey,
  newPartnerKey,
  type PartnerKeyStore,
} from '../../../src/server/partners/partner-keys.ts';

export interface PartnerKeysHarness {
  open(): Promise<PartnerKeyStore>;
  cleanup(): Promise<void>;
}

/** What every partner key store promises; run against SQLite and PostgreSQL. */
export function partnerKeysContract(
  name: string,
  harness: () => PartnerKeysHarness,
  { skip }: { skip?: string | undefined } = {},
): void {
  describe.skipIf(skip !== undefined)(`${name} partner keys`, () => {
    let h: PartnerKeysHarness;
    let store: PartnerKeyStore;
    beforeEach(async () => {
      h = harness();
      store = await h.open();
    });
    afterEach(async () => {
      await store.close();
      await h.cleanup();
    });

    it('finds a key by the hash of its secret, never by anything else', async () => {
      const made = newPartnerKey({
        name: 'shop backend',
        origins: ['https://shop.example'],
        documents: ['weisure-service-agreement', 'besttrav-privacy'],
      });
      await store.add(made.key, made.keyHash);
      expect(await store.byHash(hashPartnerKey(made.secret))).toEqual(made.key);
      expect(await store.byHash(hashPartnerKey(`${made.secret}x`))).toBeUndefined();
      expect(await store.byHash(made.secret)).toBeUndefined();
      expect(made.keyHash).not.toContain(made.secret);
    });

    it('lists keys oldest first, and keeps them across a reopen', async () => {
      const first = newPartnerKey(
        { name: 'a', origins: [], documents: ['x'] },
        new Date('2026-01-01T00:00:00Z'),
      );
      const second = newPartnerKey(
        { name: 'b', origins: [], documents: ['y'] },
        new Date('2026-02-01T00:00:00Z'),
      );
      await store.add(second.key, second.keyHash);
      await store.add(first.key, first.keyHash);
      await store.close();
      store = await h.open();
      expect(await store.list()).toEqual([first.key, second.key]);
    });

    it('revokes a key once, and a revoked key is still found (to say it was revoked)', async () => {
      const made = newPartnerKey({ name: 'a', origins: [], documents: ['x'] });
      await store.add(made.key, made.keyHash);
      const at = '2026-03-01T12:00:00.000Z';
      expect(await store.revoke(made.key.id, at)).toBe(true);
      expect(await store.revoke(made.key.id, at)).toBe(false);
      expect(await store.revoke('no-such-key', at)).toBe(false);
      expect(await store.byHash(made.keyHash)).toEqual({ ...made.key, revokedAt: at });
      expect((await store.list())[0]!.revokedAt).toBe(at);
    });

    it('moves its change mark when another connection adds or revokes a key, which a cache follows', async () => {
      // Another connection to the same keys, as `assent keys` in another process.
      const other = await h.open();
      try {
        const cached = new CachedPartnerKeys(store);
        const made = newPartnerKey({ name: 'a', origins: ['https://shop.example'], documents: ['x'] });
        expect(await cached.list()).toEqual([]);
        const empty = await store.changeMark();
        await other.add(made.key, made.keyHash);
        expect(await store.changeMark()).not.toBe(empty);
        expect(await cached.list()).toEqual([made.key]);
        expect(await cached.byHash(made.keyHash)).toEqual(made.key);
        expect(await cached.byId(made.key.id)).toEqual(made.key);

        const working = await store.changeMark();
        const at = '2026-03-01T12:00:00.000Z';
        expect(await other.revoke(made.key.id, at)).toBe(true);
        expect(await store.changeMark()).not.toBe(working);
        const revoked = { ...made.key, revokedAt: at };
        expect(await cached.byHash(made.keyHash)).toEqual(revoked);
        expect(await cached.byId(made.key.id)).toEqual(revoked);
        expect(await cached.list()).toEqual([revoked]);
      } finally {
        await other.close();
      }
    });

    it('follows keys added and revoked through the cache itself at once', async () => {
      const cached = new CachedPartnerKeys(store);
      const made = newPartnerKey({ name: 'a', origins: [], documents: ['x'] });
      expect(await cached.byHash(made.keyHash)).toBeUndefined();
      expect(await cached.list()).toEqual([]);
      await cached.add(made.key, made.keyHash);
      expect(await cached.byHash(made.keyHash)).toEqual(made.key);
      expect(await cached.list()).toEqual([made.key]);
      await cached.revoke(made.key.id, '2026-03-01T12:00:00.000Z');
      expect((await cached.byHash(made.keyHash))!.revokedAt).toBe('2026-03-01T12:00:00.000Z');
      expect((await cached.list())[0]!.revokedAt).toBe('2026-03-01T12:00:00.000Z');
    });
  });
}
