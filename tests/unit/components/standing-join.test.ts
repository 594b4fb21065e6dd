import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withStanding, type RemoteStanding } from '../../../components/shared/standing.ts';
import type { DocumentMarks } from '../../../components/shared/cookies.ts';
import type { ManifestDocument } from '../../../src/contract/manifest.ts';
import { manifest } from '../../helpers/records.ts';

const doc: ManifestDocument = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!;
const versions = ['2017-01-01', '2018-06-01', '2024-01-01', '2030-01-01'];

const version = fc.constantFrom(...versions);
const time = fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 });
const serverTime = time.map((t) => new Date(t).toISOString());
const cookieMark = fc.record({ version, time, record: fc.uuid() });
const marks: fc.Arbitrary<DocumentMarks> = fc.record(
  { accepted: cookieMark, notified: fc.record({ version, time }), dismissed: version },
  { requiredKeys: [] },
);
const remote: fc.Arbitrary<RemoteStanding> = fc.record({
  accepted: fc.option(
    fc.record({ version, seq: fc.nat(), serverTime, receipt: fc.string({ minLength: 1 }) }),
    {
      nil: null,
    },
  ),
  latest: fc.option(
    fc.record({
      version,
      seq: fc.nat(),
      serverTime,
      receipt: fc.string({ minLength: 1 }),
      type: fc.constantFrom('accepted' as const, 'acknowledged' as const),
    }),
    { nil: null },
  ),
});

describe("joining this browser's marks with the endpoint's standing", () => {
  it("never counts the cookie's acceptance unless its record is this browser's own and unconfirmed", () => {
    fc.assert(
      fc.property(marks, remote, (own, standing) => {
        const joined = withStanding(doc, own, standing, () => false);
        expect(joined.accepted?.version).toBe(standing.accepted?.version);
        if (standing.accepted) expect(joined.accepted?.receipt).toBe(standing.accepted.receipt);
      }),
    );
  });

  it("takes the newer acceptance of the two when the cookie's is this browser's own", () => {
    fc.assert(
      fc.property(marks, remote, (own, standing) => {
        const joined = withStanding(doc, own, standing, (id) => id === own.accepted?.record);
        const candidates = [own.accepted?.version, standing.accepted?.version].filter(Boolean).sort();
        expect(joined.accepted?.version).toBe(candidates.at(-1));
      }),
    );
  });

  it('counts as seen whatever either side saw, and an acknowledged version as dismissed', () => {
    fc.assert(
      fc.property(marks, remote, (own, standing) => {
        const joined = withStanding(doc, own, standing, () => true);
        const seen = [own.notified?.version, standing.latest?.version].filter(Boolean).sort();
        expect(joined.notified?.version).toBe(seen.at(-1));
        if (standing.latest?.type === 'acknowledged')
          expect(joined.dismissed! >= standing.latest.version).toBe(true);
        else expect(joined.dismissed).toBe(own.dismissed);
      }),
    );
  });

  it("names the endpoint's acceptance by the content hash the manifest publishes for its version", () => {
    const v = doc.versions[0]!;
    const joined = withStanding(
      doc,
      {},
      {
        accepted: { version: v.version, seq: 3, serverTime: '2026-11-28T10:00:00.000Z', receipt: 'r' },
        latest: null,
      },
      () => false,
    );
    expect(joined.accepted).toEqual({
      version: v.version,
      time: Date.parse('2026-11-28T10:00:00.000Z'),
      hash: v.contentHash,
      receipt: 'r',
    });
  });
});
