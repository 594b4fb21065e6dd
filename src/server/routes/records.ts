/**
 * POST /v1/records: one record or a batch of up to 100, as JSON or as text/plain (what
 * navigator.sendBeacon sends). A record is answered 201 only once it is durable; an identical
 * retry gets 200 and a receipt with the original's claims; a batch is stored whole or not at all.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RecordBatch, RecordInput, RecordReceipt } from '../../contract/record.ts';
import { recordDraft } from '../store/prepare-record.ts';
import { Problem, ProblemError } from '../problem.ts';
import { ReceiptBatches } from '../proof/receipt-batches.ts';
import { receiptClaims } from '../proof/receipts.ts';
import { checkRecord, type RecordIssue } from '../record-check.ts';
import { IdConflictError } from '../store/record-store.ts';

const Receipts = Type.Union([RecordReceipt, Type.Object({ records: Type.Array(RecordReceipt) })]);

export const recordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, store, manifest, signing } = app;
  const allowed = new Set(config.allowedOrigins);
  // One signature for the receipts of every request a commit answers (receipt-batches.ts). The
  // SQLite writer signs them itself, off this thread; for a store that does not, they are signed here.
  const receipts = new ReceiptBatches(() => signing.current);

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
      const { body } = request;
      const batch = Array.isArray(body);
      const records = batch ? body : [body];

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
      const gpc = request.headers['sec-gpc'] === '1';
      const drafts = records.map((record) => recordDraft(gpc ? withGpc(record) : record, client, config));
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
      const answers = await Promise.all(
        outcomes.map(async (o, i) => ({
          ...o.receipt,
          receipt:
            o.receipt.receipt ??
            (await receipts.sign(receiptClaims(records[i]!, o.receipt, config.logOrigin))),
        })),
      );
      return batch ? { records: answers } : answers[0]!;
    },
  );
};

/**
 * Global Privacy Control: a browser with GPC on sends `Sec-GPC: 1` with every request
 * (https://privacycg.github.io/gpc-spec/#the-sec-gpc-header-field-for-http-requests), also when
 * the page's script did not copy `navigator.globalPrivacyControl` into the record. The header
 * can only add the signal to what the record says was shown, never take it away.
 */
function withGpc(record: RecordInput): RecordInput {
  return record.shown.gpc === true ? record : { ...record, shown: { ...record.shown, gpc: true } };
}
