/**
 * Webhook administration, for the admin token only: register a partner's URL with a filter
 * (its signing secret is shown once, in the answer), list them with how far their deliveries
 * have come and their failures, see the latest attempts, send a record again, remove one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RecordTypeSchema, SLUG_PATTERN } from '../../contract/record.ts';
import { webhookUrlProblem, type WebhookUrlProblem } from '../../contract/webhooks.ts';
import { Problem, ProblemError } from '../problem.ts';

const Webhook = Type.Object({
  id: Type.String(),
  partner: Type.String(),
  url: Type.String(),
  filter: Type.Object({
    types: Type.Optional(Type.Array(RecordTypeSchema)),
    documents: Type.Optional(Type.Array(Type.String())),
  }),
  createdAt: Type.String(),
  deliveredThrough: Type.Integer(),
  failures: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
});

const Attempt = Type.Object({
  webhookId: Type.String(),
  seq: Type.Integer(),
  at: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  ok: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  replay: Type.Boolean(),
});

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

const EXAMPLE_URL = 'https://shop.example/assent-hook';
const URL_PROBLEMS: Record<WebhookUrlProblem, (url: string) => string> = {
  'not-a-url': (url) =>
    `url ${JSON.stringify(url)} is not an absolute URL: give the whole address, like ${EXAMPLE_URL}`,
  'not-http': (url) =>
    `url ${JSON.stringify(url)} is not an http:// or https:// address: webhooks are POSTed over HTTP, so give one like ${EXAMPLE_URL}`,
};

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = app.operatorRoute('admin');
  const { store: webhooks } = app.webhooks;

  const find = async (id: string) => {
    const webhook = await webhooks.get(id);
    if (!webhook) throw new ProblemError('not-found', `no webhook ${id}`);
    return webhook;
  };

  app.post(
    '/v1/webhooks',
    {
      ...guard,
      schema: {
        body: Type.Object(
          {
            /** Whose backend it is, for the operator's eyes. */
            partner: Type.String({ minLength: 1, maxLength: 100 }),
            /** Where to POST: an http:// or https:// address (checked by webhookUrlProblem). */
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            types: Type.Optional(Type.Array(RecordTypeSchema, { minItems: 1, uniqueItems: true })),
            documents: Type.Optional(
              Type.Array(Type.String({ pattern: SLUG_PATTERN }), { minItems: 1, uniqueItems: true }),
            ),
            /** Deliver from this record on (history); by default from the next record stored. */
            fromSeq: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ webhook: Webhook, secret: Type.String() }), '4xx': Problem },
      },
    },
    async (request, reply) => {
      const { partner, url, types, documents, fromSeq } = request.body;
      const problem = webhookUrlProblem(url);
      if (problem) throw new ProblemError('invalid-webhook-url', URL_PROBLEMS[problem](url));
      const latest = await app.stats.source.latestSeq();
      const webhook = {
        id: randomUUID(),
        partner,
        url,
        filter: { ...(types ? { types } : {}), ...(documents ? { documents } : {}) },
        createdAt: new Date().toISOString(),
        deliveredThrough: fromSeq ? Math.min(fromSeq - 1, latest) : latest,
        failures: 0,
        lastError: null,
        nextAttemptAt: null,
      };
      const secret = `whsec_${randomBytes(32).toString('hex')}`;
      await webhooks.add(webhook, secret);
      return reply.code(201).send({ webhook, secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      ...guard,
      schema: { response: { 200: Type.Object({ webhooks: Type.Array(Webhook) }), '4xx': Problem } },
    },
    async () => ({ webhooks: await webhooks.list() }),
  );

  app.get(
    '/v1/webhooks/:id/attempts',
    {
      ...guard,
      schema: {
        params: Id,
        response: { 200: Type.Object({ attempts: Type.Array(Attempt) }), '4xx': Problem },
      },
    },
    async (request) => {
      await find(request.params.id);
      return { attempts: await webhooks.attempts(request.params.id, 100) };
    },
  );

  app.post(
    '/v1/webhooks/:id/replay',
    {
      ...guard,
      schema: {
        params: Id,
        body: Type.Object({ seq: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ queued: Type.Integer() }), '4xx': Problem },
      },
    },
    async (request, reply) => {
      const webhook = await find(request.params.id);
      const { seq } = request.body;
      if (seq > webhook.deliveredThrough)
        throw new ProblemError(
          'not-found',
          `record ${seq} has not been delivered to this webhook yet (it has reached ${webhook.deliveredThrough}); it will be sent in turn`,
        );
      await webhooks.queueReplay(webhook.id, seq);
      return reply.code(202).send({ queued: seq });
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    { ...guard, schema: { params: Id, response: { 204: Type.Null(), '4xx': Problem } } },
    async (request, reply) => {
      if (!(await webhooks.remove(request.params.id)))
        throw new ProblemError('not-found', `no webhook ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );
};
