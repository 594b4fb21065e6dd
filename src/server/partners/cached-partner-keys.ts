/**
 * Partner keys kept in the endpoint's memory between requests, so that a standing lookup does
 * not read and parse its key again, and a browser's request does not list every key for the
 * CORS check. Before each answer it reads the store's change mark (PartnerKeyStore.changeMark:
 * on SQLite a pragma, no table read) and forgets everything once the mark moved, so a key made
 * or revoked by `assent keys` in another process counts from the next request on, as without
 * the cache.
 *
 * What is kept was read after the mark it is kept under, so it is at least as new as that mark;
 * a read that finishes after the mark moved on lands in a generation nobody asks any more.
 * Only keys that exist are kept: wrong keys are not (they cannot fill memory).
 *
 *   const keys = new CachedPartnerKeys(new SqlitePartnerKeys(dataDir));
 *   await keys.byHash(hashPartnerKey(secret));
 */
import type { PartnerKey, PartnerKeyStore } from './partner-keys.ts';

interface Generation {
  mark: string | undefined;
  byHash: Map<string, PartnerKey>;
  byId: Map<string, PartnerKey>;
  list: Promise<PartnerKey[]> | undefined;
}

const emptyGeneration = (mark: string | undefined): Generation => ({
  mark,
  byHash: new Map(),
  byId: new Map(),
  list: undefined,
});

export class CachedPartnerKeys implements PartnerKeyStore {
  readonly #store: PartnerKeyStore;
  #current: Generation = emptyGeneration(undefined);

  constructor(store: PartnerKeyStore) {
    this.#store = store;
  }

  /** What is kept under the store's mark as of now. */
  async #fresh(): Promise<Generation> {
    const mark = await this.#store.changeMark();
    if (mark !== this.#current.mark) this.#current = emptyGeneration(mark);
    return this.#current;
  }

  async add(key: PartnerKey, keyHash: string): Promise<void> {
    await this.#store.add(key, keyHash);
    this.#current = emptyGeneration(undefined);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const revoked = await this.#store.revoke(id, at);
    this.#current = emptyGeneration(undefined);
    return revoked;
  }

  async list(): Promise<PartnerKey[]> {
    const generation = await this.#fresh();
    generation.list ??= this.#store.list();
    // A failed read is not kept: the next call reads again.
    return generation.list.catch((error: unknown) => {
      generation.list = undefined;
      throw error;
    });
  }

  async byHash(keyHash: string): Promise<PartnerKey | undefined> {
    const generation = await this.#fresh();
    const kept = generation.byHash.get(keyHash);
    if (kept) return kept;
    const key = await this.#store.byHash(keyHash);
    if (key) generation.byHash.set(keyHash, key);
    return key;
  }

  async byId(id: string): Promise<PartnerKey | undefined> {
    const generation = await this.#fresh();
    const kept = generation.byId.get(id);
    if (kept) return kept;
    const key = await this.#store.byId(id);
    if (key) generation.byId.set(id, key);
    return key;
  }

  changeMark(): Promise<string> {
    return this.#store.changeMark();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
