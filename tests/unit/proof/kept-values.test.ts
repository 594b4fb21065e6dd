import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keptPromise, KeptValues } from '../../../src/server/proof/kept-values.ts';

describe('KeptValues', () => {
  it('keeps at most its limit, dropping the least recently used first', () => {
    const kept = new KeptValues<string, number>(2);
    kept.set('a', 1);
    kept.set('b', 2);
    expect(kept.get('a')).toBe(1);
    kept.set('c', 3);
    expect(kept.size).toBe(2);
    expect(kept.get('b')).toBeUndefined();
    expect(kept.get('a')).toBe(1);
    expect(kept.get('c')).toBe(3);
  });

  it('replaces a value under a kept key without dropping another', () => {
    const kept = new KeptValues<string, number>(2);
    kept.set('a', 1);
    kept.set('b', 2);
    expect(kept.set('a', 10)).toBe(10);
    expect([kept.get('a'), kept.get('b'), kept.size]).toEqual([10, 2, 2]);
  });

  it('answers as a plain least-recently-used list would, over any sequence of reads, writes and deletes', () => {
    const op = fc.oneof(
      fc.record({ get: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ set: fc.integer({ min: 0, max: 6 }), value: fc.integer() }),
      fc.record({ delete: fc.integer({ min: 0, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (limit, ops) => {
        const kept = new KeptValues<number, number>(limit);
        // The model: most recently used last.
        let model: Array<[number, number]> = [];
        for (const o of ops) {
          if ('get' in o) {
            const found = model.find(([k]) => k === o.get);
            if (found) model = [...model.filter(([k]) => k !== o.get), found];
            expect(kept.get(o.get)).toBe(found?.[1]);
          } else if ('delete' in o) {
            model = model.filter(([k]) => k !== o.delete);
            kept.delete(o.delete);
          } else {
            model = [...model.filter(([k]) => k !== o.set), [o.set, o.value]];
            if (model.length > limit) model = model.slice(1);
            expect(kept.set(o.set, o.value)).toBe(o.value);
          }
          expect(kept.size).toBe(model.length);
        }
        for (const [k, v] of model) expect(kept.get(k)).toBe(v);
      }),
      // Cheap runs; many of them, so that an order slip shows every time.
      { numRuns: 2000 },
    );
  });
});

describe('keptPromise', () => {
  it('shares one piece of work among callers asking at once, and drops one that failed', async () => {
    const kept = new KeptValues<string, Promise<number>>(4);
    let made = 0;
    const work = (fail: boolean) => () => {
      made++;
      return fail ? Promise.reject(new Error('no')) : Promise.resolve(made);
    };
    const [a, b] = await Promise.all([
      keptPromise(kept, 'k', work(false)),
      keptPromise(kept, 'k', work(false)),
    ]);
    expect([a, b, made]).toEqual([1, 1, 1]);
    const failed = [keptPromise(kept, 'f', work(true)), keptPromise(kept, 'f', work(true))];
    for (const f of failed) await expect(f).rejects.toThrow('no');
    expect(made).toBe(2);
    // Dropped once it failed: the next caller makes it again.
    await expect(keptPromise(kept, 'f', work(false))).resolves.toBe(3);
    expect(kept.size).toBe(2);
  });
});
