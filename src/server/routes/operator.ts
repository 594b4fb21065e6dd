/**
 * Operator routes, open to the auditor and the admin token (plugins/operator-auth.ts): the
 * token's role, a subject's records (the right of access), the streamed export, and chain
 * verification. Without a configured token they are switched off.
 */
import { PassThrough, Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { StoredRecord } from '../../contract/record.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, exportChunks, jsonArrayChunks } from '../export-format.ts';
import { Problem } from '../problem.ts';
import { CHAIN_BREAKS, verifyChain, type ChainBreak } from '../record-hash.ts';
import { subjectHashes } from '../subject-keys.ts';

const ChainReport = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    records: Type.Integer(),
    lastSeq: Type.Integer(),
    lastHash: Type.String(),
  }),
  Type.Object({
    ok: Type.Literal(false),
    records: Type.Integer(),
    brokenAt: Type.Integer(),
    /** Why, as a stable code (src/server/record-hash.ts), and in English. */
    code: Type.Unsafe<ChainBreak>(Type.Union(CHAIN_BREAKS.map((c) => Type.Literal(c)))),
    reason: Type.String(),
  }),
]);

export const operatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, subjectKeys: keys } = app;
  const guard = app.operatorRoute('auditor');

  // What the console asks first: whether a token is good, and which role it has.
  app.get(
    '/v1/session',
    {
      ...guard,
      schema: {
        response: {
          200: Type.Object({ role: Type.Union([Type.Literal('auditor'), Type.Literal('admin')]) }),
          '4xx': Problem,
        },
      },
    },
    async (request) => ({ role: request.operatorRole! }),
  );

  app.post(
    '/v1/subject-records',
    {
      ...guard,
      schema: {
        body: Type.Object(
          { subject: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        // 200 is `{ "records": StoredRecord[] }`, streamed below rather than serialised whole.
      },
    },
    async (request, reply) => {
      // A page of records at a time, each serialised by the StoredRecord schema as the whole
      // answer's schema serialised it before, so the bytes are the same and memory stays bounded.
      const record = reply.compileSerializationSchema(StoredRecord as unknown as Record<string, unknown>);
      const records = store.subjectRecords(subjectHashes(keys, request.body.subject));
      reply.type('application/json; charset=utf-8');
      return reply.send(Readable.from(jsonArrayChunks('records', records, record)));
    },
  );

  // The same records as a spreadsheet (the export's CSV columns), for the subject to take away.
  app.post(
    '/v1/subject-records.csv',
    {
      ...guard,
      schema: {
        body: Type.Object(
          { subject: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const records = store.subjectRecords(subjectHashes(keys, request.body.subject));
      reply.type(CONTENT_TYPES.csv);
      reply.header('content-disposition', 'attachment; filename="assent-subject-records.csv"');
      return reply.send(Readable.from(exportChunks('csv', records)));
    },
  );

  app.get(
    '/v1/export',
    {
      ...guard,
      schema: {
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))),
            /** First sequence number to export, for resuming. */
            from: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { format = 'ndjson', from = '1' } = request.query;
      reply.type(CONTENT_TYPES[format]);
      reply.header('content-disposition', `attachment; filename="assent-records.${format}"`);
      return reply.send(Readable.from(exportChunks(format, store.records(Number(from)))));
    },
  );

  app.get('/v1/verify', { ...guard, schema: { response: { 200: ChainReport, '4xx': Problem } } }, async () =>
    verifyChain(store.links()),
  );

  // The same walk, told as it goes: NDJSON lines `{"checked":n,"total":N}` every few thousand
  // records, then `{"report":{…}}` (the console's progress bar).
  app.get('/v1/verify/progress', { ...guard }, async (_request, reply) => {
    const total = await store.count();
    const lines = new PassThrough();
    reply.type(CONTENT_TYPES.ndjson);
    void (async () => {
      try {
        const report = await verifyChain(
          counted(store.links(), (checked) => {
            lines.write(`${JSON.stringify({ checked, total })}\n`);
          }),
        );
        lines.end(`${JSON.stringify({ report })}\n`);
      } catch (error) {
        lines.destroy(error as Error);
      }
    })();
    return reply.send(lines);
  });
};

/** How often the progress of a verification is told, in records. */
const PROGRESS_EVERY = 5000;

async function* counted<T>(items: AsyncIterable<T>, progress: (count: number) => void): AsyncIterable<T> {
  let count = 0;
  for await (const item of items) {
    yield item;
    if (++count % PROGRESS_EVERY === 0) progress(count);
  }
}
