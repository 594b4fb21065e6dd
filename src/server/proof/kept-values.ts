/**
 * A map that keeps at most `limit` entries, dropping the least recently used first: for values
 * that are expensive to make and never go stale under their key (kept receipts in receipts.ts,
 * kept range hashes in tree-proofs.ts, checked subject tokens in plugins/partner-auth.ts).
 *
 *   const kept = new KeptValues<string, Uint8Array>(4096);
 *   kept.get(range) ?? kept.set(range, hashOf(range));
 *
 * The entries are also linked from least to most recently used, so that finding the one to drop
 * costs nothing. Dropping a Map's first entry instead (its insertion order) walks past every
 * entry deleted before it, which V8 leaves in place until the table is rebuilt: a full map that
 * kept dropping spent 15 µs a drop at 10,000 entries and 116 µs at 100,000.
 */
interface Entry<K, V> {
  key: K;
  value: V;
  /** Less recently used. */
  older: Entry<K, V> | undefined;
  /** More recently used. */
  newer: Entry<K, V> | undefined;
}

export class KeptValues<K, V> {
  readonly #entries = new Map<K, Entry<K, V>>();
  readonly #limit: number;
  #oldest: Entry<K, V> | undefined;
  #newest: Entry<K, V> | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#unlink(entry);
    this.#append(entry);
    return entry.value;
  }

  set(key: K, value: V): V {
    const entry = this.#entries.get(key);
    if (entry) {
      entry.value = value;
      this.#unlink(entry);
      this.#append(entry);
      return value;
    }
    if (this.#entries.size >= this.#limit && this.#oldest) {
      this.#entries.delete(this.#oldest.key);
      this.#unlink(this.#oldest);
    }
    const added: Entry<K, V> = { key, value, older: undefined, newer: undefined };
    this.#entries.set(key, added);
    this.#append(added);
    return value;
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#unlink(entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  #unlink(entry: Entry<K, V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  #append(entry: Entry<K, V>): void {
    entry.older = this.#newest;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }
}

/**
 * The promise kept under `key`, or `make()`'s, kept from the moment it is asked for: callers
 * asking at once share one piece of work. A promise that rejects is dropped, so the next caller
 * makes it again; the callers already waiting get the same rejection.
 *
 *   await keptPromise(receipts, claimsText, () => batches.sign(claims));
 */
export function keptPromise<K, T>(
  kept: KeptValues<K, Promise<T>>,
  key: K,
  make: () => Promise<T>,
): Promise<T> {
  let promise = kept.get(key);
  if (!promise) {
    promise = kept.set(key, make());
    promise.catch(() => kept.delete(key));
  }
  return promise;
}
