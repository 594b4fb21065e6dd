/**
 * POST /v1/records: one record or a batch of up to 100, as JSON or as text/plain (what
 * navigator.sendBeacon sends). A record is answered 201 only once it is durable; an identical
 * retry gets 200 with the original receipt; a batch is stored whole or not at all.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { RecordBatch, RecordInput, RecordReceipt } from '../../contract/record.ts';
import type { AppDeps } from '../app.ts';
import { recordDraft } from '../prepare-record.ts';
import { Problem, ProblemError } from '../problem.ts';
import { signedReceipt } from '../proof/receipts.ts';
import { checkRecord, type RecordIssue } from '../record-check.ts';
import { IdConflictError } from '../store/record-store.ts';

const Receipts = Type.Union([RecordReceipt, Type.Object({ records: Type.Array(RecordReceipt) })]);

export async function recordRoutes(
  app: FastifyInstance,
  { config, store, manifest, signing }: AppDeps,
): Promise<void> {
  const allowed = new Set(config.allowedOrigins);

  app.post(
    '/v1/records',
    {
      schema: {
        body: Type.Union([RecordInput, RecordBatch]),
        response: { 200: Receipts, 201: Receipts, '4xx': Problem, '5xx': Problem },
      },
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && !allowed.has(origin)) {
        throw new ProblemError(
          'origin-not-allowed',
          `pages on ${origin} may not post records here; an operator can add the origin to allowedOrigins`,
        );
      }
      const batch = Array.isArray(request.body);
      const records: RecordInput[] = Array.isArray(request.body) ? request.body : [request.body];

      const issues: RecordIssue[] = [];
      records.forEach((record, i) => {
        const at = batch ? `/${i}` : '';
        issues.push(...checkRecord(record, manifest.current, at));
        if (origin !== undefined && record.shown.pageOrigin !== origin) {
          issues.push({
            code: 'record-not-valid-for-manifest',
            pointer: `${at}/shown/pageOrigin`,
            message: `says the page was on ${record.shown.pageOrigin}, but the request came from ${origin}`,
          });
        }
      });
      if (issues.length) {
        const errors = issues.map(({ pointer, message }) => ({ pointer, message }));
        throw new ProblemError(
          issues[0]!.code,
          issues.map((i) => `${i.pointer || '(record)'}: ${i.message}`).join('; '),
          errors,
        );
      }

      const client = { ip: request.ip, userAgent: request.headers['user-agent'] };
      const drafts = records.map((record) => recordDraft(record, client, config));
      let outcomes;
      try {
        outcomes = await store.append(drafts);
      } catch (error) {
        if (error instanceof IdConflictError) {
          throw new ProblemError(
            'id-conflict',
            `${error.message}; nothing in this request was stored. A new record needs a new id.`,
            error.ids.map((id) => ({
              pointer: batch ? `/${records.findIndex((r) => r.id === id)}/id` : '/id',
              message: `${id} is taken`,
            })),
          );
        }
        throw error;
      }
      const created = outcomes.some((o) => o.status === 'created');
      reply.code(created ? 201 : 200);
      const receipts = await Promise.all(
        outcomes.map(async (o, i) => ({
          ...o.receipt,
          receipt: await signedReceipt(records[i]!, o.receipt, config.logOrigin, signing.current),
        })),
      );
      return batch ? { records: receipts } : receipts[0]!;
    },
  );
}
