/**
 * What the operator console reads besides the operator routes: the overview's figures
 * (`GET /v1/stats`, from the rollups of plugins/stats.ts), the records table
 * (`GET /v1/operator-records`, newest first, filtered, keyset-paged on seq) and the signed
 * checkpoints (`GET /v1/checkpoints`, newest first, keyset-paged on tree size). Auditor or admin.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CheckpointsPage, CheckpointsQuery } from '../../contract/checkpoints-page.ts';
import { RecordsPage, RecordsQuery, SCAN_WINDOW } from '../../contract/records-page.ts';
import { Stats, StatsQuery } from '../../contract/stats.ts';
import { Problem } from '../problem.ts';
import { answerOf } from '../proof/proof-answers.ts';
import { storedRecord } from '../store/seal.ts';
import { statsRange, statsReport } from '../stats/stats-report.ts';

/** Today in UTC: the rollups count days by the server's UTC time. */
const utcToday = () => new Date().toISOString().slice(0, 10);

export const consoleDataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = app.operatorRoute('auditor');

  app.get(
    '/v1/stats',
    { ...guard, schema: { querystring: StatsQuery, response: { 200: Stats, '4xx': Problem } } },
    async (request) => {
      const today = utcToday();
      const range = statsRange(request.query, today);
      const rows = await app.stats.source.rows(range.from, range.to);
      return statsReport(rows, range, app.manifest.current.manifest, today);
    },
  );

  app.get(
    '/v1/operator-records',
    { ...guard, schema: { querystring: RecordsQuery, response: { 200: RecordsPage, '4xx': Problem } } },
    async (request) => {
      const { before, limit = '50', ...filter } = request.query;
      const below = before ? Number(before) : (await app.stats.source.latestSeq()) + 1;
      const lowest = Math.max(1, below - SCAN_WINDOW);
      const rows = await app.stats.source.recordsBetween(filter, lowest, below, Number(limit));
      const full = rows.length === Number(limit);
      // A full page goes on below its last row; otherwise below the window it looked through.
      const next = full ? rows.at(-1)!.seq : lowest > 1 ? lowest : null;
      return { records: rows.map((r) => storedRecord(r.body, r.hash)), next };
    },
  );

  app.get(
    '/v1/checkpoints',
    {
      ...guard,
      schema: { querystring: CheckpointsQuery, response: { 200: CheckpointsPage, '4xx': Problem } },
    },
    async (request) => {
      const { before, limit = '20' } = request.query;
      const count = Number(limit);
      // One more than asked: whether anything older is left, without a second query.
      const stored = await app.store.checkpoints(before ? Number(before) : undefined, count + 1);
      const page = stored.slice(0, count);
      return {
        checkpoints: page.map(answerOf),
        next: stored.length > count ? page.at(-1)!.treeSize : null,
      };
    },
  );
};
