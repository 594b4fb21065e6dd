/**
 * The stats rollups and the console's records table, run against SQLite and PostgreSQL alike
 * through the endpoint (`GET /v1/stats`, `GET /v1/operator-records`).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordInput } from '../../../src/contract/record.ts';
import type { Stats } from '../../../src/contract/stats.ts';
import { OPERATOR_TOKEN } from '../../helpers/endpoint.ts';
import { acceptance, consent, manifest, PAGE_ORIGIN } from '../../helpers/records.ts';

export interface StatsHarness {
  /** The endpoint on a fresh, empty store. */
  create(): Promise<FastifyInstance>;
  /** The endpoint again, on the same store (as after a restart). */
  reopen(): Promise<FastifyInstance>;
  /** Runs SQL against the records' database directly. */
  sql(statement: string): Promise<void>;
  /** SQL that removes the last record, as restoring an older backup would. */
  dropLastRecord: string;
  cleanup(): Promise<void>;
}

const today = () => new Date().toISOString().slice(0, 10);
const agreement = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!;

export function statsContract(
  name: string,
  harness: () => StatsHarness,
  options: { skip?: string } = {},
): void {
  const title = options.skip ? `${name} stats (skipped: ${options.skip})` : `${name} stats`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let h: StatsHarness;
    let app: FastifyInstance;
    beforeEach(async () => {
      h = harness();
      app = await h.create();
    });
    afterEach(async () => {
      await app.close();
      await h.cleanup();
    });

    const post = async (records: RecordInput[], headers: Record<string, string> = {}) => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { origin: PAGE_ORIGIN, ...headers },
        payload: records,
      });
      expect(response.statusCode).toBe(201);
    };
    const get = async (url: string) => {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      });
      return response;
    };
    const stats = async (query = '') => {
      await app.stats.catchUp();
      const response = await get(`/v1/stats${query}`);
      expect(response.statusCode).toBe(200);
      return response.json() as Stats;
    };

    it('counts records per day by type, consent choices per category and GPC, through the last record', async () => {
      await post([
        acceptance({ subject: { kind: 'user', id: 'alice' } }),
        acceptance({ subject: { kind: 'user', id: 'bob' } }),
        acceptance({ subject: { kind: 'user', id: 'carol' }, type: 'declined' }),
        consent({ analytics: 'granted' }),
        consent({ analytics: 'denied' }),
      ]);
      await post([consent({ analytics: 'granted' })], { 'sec-gpc': '1' });
      const figures = await stats();
      expect(figures).toMatchObject({ throughSeq: 6, latestSeq: 6, to: today(), bucket: 'day' });
      expect(figures.records).toHaveLength(30);
      expect(figures.records.at(-1)).toEqual({
        bucket: today(),
        counts: { accepted: 2, declined: 1, acknowledged: 0, consent: 3, withdrawn: 0 },
      });
      const point = figures.consent.at(-1)!;
      expect(point).toMatchObject({ records: 3, gpc: 1 });
      expect(point.categories.analytics).toEqual({ granted: 2, denied: 1 });
      expect(figures.records.slice(0, -1).every((r) => Object.values(r.counts).every((n) => n === 0))).toBe(
        true,
      );
    });

    it('counts per document and version, and the known subjects who have not accepted the version in effect', async () => {
      const inEffect = agreement.versions.at(-1)!;
      const older = agreement.versions.length > 1 ? agreement.versions.at(-2)! : undefined;
      const ref = (v: typeof inEffect) => ({
        slug: agreement.slug,
        version: v.version,
        contentHash: v.contentHash,
      });
      await post([
        acceptance({ subject: { kind: 'user', id: 'alice' }, document: ref(inEffect) }),
        acceptance({ subject: { kind: 'user', id: 'alice' }, document: ref(inEffect) }),
        acceptance({ subject: { kind: 'user', id: 'bob' }, document: ref(inEffect), type: 'declined' }),
        ...(older ? [acceptance({ subject: { kind: 'user', id: 'carol' }, document: ref(older) })] : []),
      ]);
      const figures = await stats();
      const document = figures.documents.find((d) => d.slug === agreement.slug)!;
      expect(document).toMatchObject({
        title: agreement.title,
        versionInEffect: inEffect.version,
        knownSubjects: older ? 3 : 2,
        pendingSubjects: older ? 2 : 1,
      });
      expect(document.versions.find((v) => v.version === inEffect.version)).toEqual({
        version: inEffect.version,
        accepted: 2,
        acknowledged: 0,
        declined: 1,
        subjects: 1,
      });
    });

    it('sums days into weeks from Monday and into months', async () => {
      await post([acceptance(), acceptance()]);
      const weeks = await stats(`?bucket=week&from=2026-01-01&to=${today()}`);
      expect(weeks.records[0]!.bucket).toBe('2025-12-29');
      expect(weeks.records.every((r) => new Date(`${r.bucket}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
      expect(weeks.records.reduce((n, r) => n + r.counts.accepted, 0)).toBe(2);
      const months = await stats(`?bucket=month&from=2026-01-15&to=${today()}`);
      expect(months.records[0]!.bucket).toBe('2026-01-01');
      expect(months.records.at(-1)!.counts.accepted).toBe(2);
    });

    it('leaves out records outside the range', async () => {
      await post([acceptance()]);
      const figures = await stats('?from=2020-01-01&to=2020-01-31');
      expect(figures.records.every((r) => r.counts.accepted === 0)).toBe(true);
      expect(figures.throughSeq).toBe(1);
    });

    it('refuses a range that ends before it starts, or a day that does not exist, with invalid-query', async () => {
      for (const query of ['?from=2026-02-01&to=2026-01-01', '?from=2026-02-30', '?bucket=year']) {
        const response = await get(`/v1/stats${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().code, query).toBe('invalid-query');
      }
    });

    it('rebuilds the rollups when the records are replaced behind their back', async () => {
      await post([acceptance(), acceptance()]);
      expect((await stats()).records.at(-1)!.counts.accepted).toBe(2);
      await app.close();
      await h.sql(h.dropLastRecord);
      app = await h.reopen();
      await post([acceptance({ type: 'declined' })]);
      const figures = await stats();
      // Record 2 is another record now: rebuilt from the records as they are, not kept from before.
      expect(figures.throughSeq).toBe(2);
      expect(figures.records.at(-1)!.counts).toMatchObject({ accepted: 1, declined: 1 });
    });

    it('pages records newest first by seq, with filters that combine', async () => {
      const origin = 'https://other.example';
      const records: RecordInput[] = [];
      for (let i = 0; i < 7; i++) records.push(i % 2 ? consent({ analytics: 'granted' }) : acceptance());
      await post(records);
      const first = (await get('/v1/operator-records?limit=3')).json();
      expect(first.records.map((r: { seq: number }) => r.seq)).toEqual([7, 6, 5]);
      const second = (await get(`/v1/operator-records?limit=3&before=${first.next}`)).json();
      expect(second.records.map((r: { seq: number }) => r.seq)).toEqual([4, 3, 2]);
      const last = (await get(`/v1/operator-records?limit=3&before=${second.next}`)).json();
      expect(last).toMatchObject({ next: null });
      expect(last.records.map((r: { seq: number }) => r.seq)).toEqual([1]);
      const consents = (await get('/v1/operator-records?type=consent')).json();
      expect(consents.records.map((r: { seq: number }) => r.seq)).toEqual([6, 4, 2]);
      const byDocument = (
        await get(
          `/v1/operator-records?document=${agreement.slug}&version=${agreement.versions[0]!.version}&from=${today()}&to=${today()}`,
        )
      ).json();
      expect(byDocument.records.map((r: { seq: number }) => r.seq)).toEqual([7, 5, 3, 1]);
      expect((await get(`/v1/operator-records?origin=${encodeURIComponent(origin)}`)).json().records).toEqual(
        [],
      );
      expect((await get('/v1/operator-records?from=2020-01-01&to=2020-12-31')).json().records).toEqual([]);
    });
  });
}
