/**
 * Operator routes, behind a bearer token compared in constant time: a subject's records (the
 * right of access), the streamed export, and chain verification. Without a configured token
 * they are switched off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { Type } from 'typebox';
import { StoredRecord } from '../../contract/record.ts';
import { AuthFailures } from '../auth-failures.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, exportChunks } from '../export-format.ts';
import { Problem, ProblemError } from '../problem.ts';
import { verifyChain } from '../record-hash.ts';
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
    reason: Type.String(),
  }),
]);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export const operatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, store, subjectKeys: keys } = app;
  // Hashing first gives equal lengths, so timingSafeEqual reveals nothing about the token.
  const expected = config.operatorToken ? digest(config.operatorToken) : undefined;

  const failures = new AuthFailures();

  const authorize = async (request: FastifyRequest) => {
    if (!expected) {
      throw new ProblemError(
        'operator-routes-disabled',
        'set an operator token (ASSENT_OPERATOR_TOKEN) to use the operator routes',
      );
    }
    const wait = failures.retryAfter(request.ip);
    if (wait > 0) {
      throw new ProblemError(
        'rate-limited',
        `too many wrong operator tokens from this address; retry after ${wait} seconds`,
        undefined,
        { 'retry-after': String(wait) },
      );
    }
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      failures.add(request.ip);
      throw new ProblemError(
        'unauthorized',
        'send the operator token as "Authorization: Bearer <token>"',
        undefined,
        {
          'www-authenticate': 'Bearer realm="assent"',
        },
      );
    }
  };

  // The general rate limit must count a request before the token is checked: as a plugin hook
  // it would run after this route's own onRequest, and never see a refused token.
  const limit = app.hasDecorator('rateLimit')
    ? (app as unknown as { rateLimit(): onRequestHookHandler }).rateLimit()
    : undefined;
  const guard = {
    onRequest: [...(limit ? [limit] : []), authorize] as onRequestHookHandler[],
    config: { rateLimit: false as const },
  };

  app.post(
    '/v1/subject-records',
    {
      ...guard,
      schema: {
        body: Type.Object(
          { subject: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ records: Type.Array(StoredRecord) }), '4xx': Problem },
      },
    },
    async (request) => {
      const { subject } = request.body;
      return { records: await store.bySubject(subjectHashes(keys, subject)) };
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
};
