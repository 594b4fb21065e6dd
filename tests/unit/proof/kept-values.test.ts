import { describe, expect, it } from 'vitest';
import { KeptValues } from '../../../src/server/proof/kept-values.ts';

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
});
