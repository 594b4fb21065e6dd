import { describe, expect, it } from 'vitest';
import { sampleRows } from '../../../src/preview/sample-records.ts';
import { verifyChain } from '../../../src/server/record-hash.ts';
import { manifest, testKeys } from '../../helpers/records.ts';

describe('sample records', () => {
  it('form a chain that verifies, spread over the days asked, with every record type', async () => {
    const rows = [...sampleRows({ manifest, count: 500, days: 30, keys: testKeys })];
    expect(await verifyChain(rows)).toMatchObject({ ok: true, records: 500 });
    const days = new Set(rows.map((r) => r.serverTime.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(30);
    const types = new Set(rows.map((r) => JSON.parse(r.body).type));
    expect([...types].sort()).toEqual(['accepted', 'acknowledged', 'consent', 'declined', 'withdrawn']);
  });
});
