/**
 * A map that keeps at most `limit` entries, dropping the least recently used first: for values
 * that are expensive to make and never go stale under their key (kept signatures in
 * receipts.ts, kept range hashes in tree-proofs.ts).
 *
 *   const kept = new KeptValues<string, string>(10_000);
 *   kept.get(text) ?? kept.set(text, await sign(text));
 */
export class KeptValues<K, V> {
  readonly #values = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    const value = this.#values.get(key);
    if (value !== undefined) {
      // A Map keeps insertion order: moved to the end, it is the last to go.
      this.#values.delete(key);
      this.#values.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): V {
    if (!this.#values.has(key) && this.#values.size >= this.#limit)
      this.#values.delete(this.#values.keys().next().value!);
    this.#values.set(key, value);
    return value;
  }

  get size(): number {
    return this.#values.size;
  }
}
