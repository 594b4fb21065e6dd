import { describe, expect, it } from 'vitest';
import { recordId } from '../../../src/contract/record-id.ts';

describe('record ids', () => {
  it('are version 7 UUIDs', () => {
    expect(recordId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('carry the time in their first 48 bits, so they sort by time', () => {
    const at = Date.UTC(2026, 10, 23, 10, 0, 0, 123);
    expect(Number.parseInt(recordId(at).replace('-', '').slice(0, 12), 16)).toBe(at);
    const ids = [recordId(at), recordId(at + 1), recordId(at + 1000)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('differ when made in the same millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => recordId(at))).size).toBe(1000);
  });
});
