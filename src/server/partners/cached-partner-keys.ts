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

  byHash(keyHash: string): Promise<PartnerKey | undefined> {
    return this.#keptOr('byHash', keyHash, (store) => store.byHash(keyHash));
  }

  byId(id: string): Promise<PartnerKey | undefined> {
    return this.#keptOr('byId', id, (store) => store.byId(id));
  }

  /** The key kept under `index`/`value` in the fresh generation, or read (and kept if found). */
  async #keptOr(
    index: 'byHash' | 'byId',
    value: string,
    read: (store: PartnerKeyStore) => Promise<PartnerKey | undefined>,
  ): Promise<PartnerKey | undefined> {
    const kept = (await this.#fresh())[index];
    const found = kept.get(value);
    if (found) return found;
    const key = await read(this.#store);
    if (key) kept.set(value, key);
    return key;
  }

  changeMark(): Promise<string> {
    return this.#store.changeMark();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
