/**
 * The record endpoint as a Fastify plugin: its configuration, manifest and store (plugins that
 * decorate the instance: `app.config`, `app.manifest`, `app.store`), content types, CORS for
 * the allowed partner sites, the rate limit, one error handler that answers with problem
 * details, and the routes. `createHttpServer` (http-server.ts) creates the Fastify instance
 * around it.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ServerConfig } from './config.ts';
import { configPlugin } from './plugins/config.ts';
import { manifestPlugin } from './plugins/manifest.ts';
import { operatorAuthPlugin } from './plugins/operator-auth.ts';
import { partnerAuthPlugin } from './plugins/partner-auth.ts';
import { statsPlugin } from './plugins/stats.ts';
import { storePlugin } from './plugins/store.ts';
import { webhooksPlugin } from './plugins/webhooks.ts';
import { problem, ProblemError, type ProblemDetail } from './problem.ts';
import { consoleRoutes } from './routes/console.ts';
import { consoleDataRoutes } from './routes/console-data.ts';
import { healthRoutes } from './routes/health.ts';
import { operatorRoutes } from './routes/operator.ts';
import { proofRoutes } from './routes/proof.ts';
import { recordRoutes } from './routes/records.ts';
import { standingRoutes } from './routes/standing.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { OpenedStore } from './store/open-store.ts';
import { StoreUnavailableError } from './store/record-store.ts';

/** Every route file is a plugin that reads what it needs from the instance; a new one is added here. */
const ROUTES: FastifyPluginAsync[] = [
  recordRoutes,
  operatorRoutes,
  proofRoutes,
  standingRoutes,
  consoleDataRoutes,
  consoleRoutes,
  webhookRoutes,
  healthRoutes,
];

export interface AssentAppOptions {
  config: ServerConfig;
  /** A store opened elsewhere (tests); by default the store plugin opens the configured one. */
  store?: OpenedStore;
}

export async function assentApp(app: FastifyInstance, { config, store }: AssentAppOptions): Promise<void> {
  // The manifest first: without one the endpoint cannot start, and has then locked nothing.
  await app.register(configPlugin, { config });
  await app.register(manifestPlugin);
  await app.register(storePlugin, store ? { opened: store } : {});
  await app.register(statsPlugin);
  await app.register(webhooksPlugin);

  // navigator.sendBeacon sends JSON as text/plain (which also spares a CORS preflight).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(
        new ProblemError('malformed-json', `the body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
    }
  });

  // Requests that still arrive while the endpoint closes (on a kept-alive or pipelining
  // connection) are told so as problem details, like every other refusal; those under way finish.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook, not an async one: it runs on every request, and most of the time does nothing.
  app.addHook('onRequest', (_request, _reply, done) => {
    if (!closing) return done();
    done(
      new ProblemError(
        'shutting-down',
        'the endpoint is shutting down; nothing in this request was stored, retry shortly',
        undefined,
        { 'retry-after': '5', connection: 'close' },
      ),
    );
  });

  const allowed = new Set(config.allowedOrigins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['POST'],
    allowedHeaders: ['content-type'],
    maxAge: 600,
  });

  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        new ProblemError(
          'rate-limited',
          `more than ${context.max} requests a minute from this address; retry after ${context.after}`,
        ),
    });
  }

  // After the rate limit, whose hook the operator routes run before checking a token.
  await app.register(operatorAuthPlugin);
  await app.register(partnerAuthPlugin);

  app.setErrorHandler((raised: FastifyError | ProblemError | StoreUnavailableError, request, reply) => {
    const error = raised instanceof StoreUnavailableError ? unavailable(raised) : raised;
    const answer = toProblem(error, request);
    if (raised instanceof StoreUnavailableError)
      request.log.warn({ err: raised.cause ?? raised, url: request.url }, 'record store unavailable');
    else if (answer.status === 503)
      request.log.warn({ code: answer.code, detail: answer.detail }, 'not ready');
    else if (answer.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code: answer.code, detail: answer.detail }, 'request refused');
    if (error instanceof ProblemError) reply.headers(error.headers);
    return reply.code(answer.status).type('application/problem+json').send(answer);
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(problem('not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  for (const routes of ROUTES) await app.register(routes);
}

/** The database is away: the client is told to come back, not that something broke. */
function unavailable(error: StoreUnavailableError): ProblemError {
  return new ProblemError(
    'store-unavailable',
    `the record store cannot be reached just now; nothing in this request was stored, retry after ${error.retryAfterSeconds} seconds with the same record ids`,
    undefined,
    { 'retry-after': String(error.retryAfterSeconds) },
  );
}

function toProblem(error: FastifyError | ProblemError, request: FastifyRequest) {
  const instance = `${request.method} ${request.url.split('?')[0]} (request ${request.id})`;
  if (error instanceof ProblemError) return error.toProblem(instance);
  if (error.validation) {
    const inQuery = error.validationContext === 'querystring';
    const errors = validationDetails(error, inQuery ? request.query : request.body);
    return problem(
      inQuery ? 'invalid-query' : 'invalid-record',
      errors.map((e) => `${e.pointer || (inQuery ? '(query)' : '(body)')} ${e.message}`).join('; '),
      errors,
      instance,
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('malformed-json', `the body is not valid JSON: ${error.message}`, undefined, instance);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('body-too-large', error.message, undefined, instance);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'unsupported-media-type',
        'send records as application/json (or text/plain, as navigator.sendBeacon does)',
        undefined,
        instance,
      );
  }
  if (error instanceof SyntaxError)
    return problem('malformed-json', `the body is not valid JSON: ${error.message}`, undefined, instance);
  return problem('internal-error', 'internal error', undefined, instance);
}

/**
 * Ajv's errors, made readable. The body may be one record or an array of them; for a union
 * Ajv reports the failures of both alternatives, so keep those of the one the body is.
 */
function validationDetails(error: FastifyError, body: unknown): ProblemDetail[] {
  const branch = Array.isArray(body) ? '#/anyOf/1' : '#/anyOf/0';
  const all = error.validation ?? [];
  const relevant = all.filter((e) => !e.schemaPath.startsWith('#/anyOf/') || e.schemaPath.startsWith(branch));
  return (relevant.length ? relevant : all)
    .filter((e) => e.keyword !== 'anyOf')
    .map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return { pointer: e.instancePath, message: `${e.message ?? 'is not valid'}${extra}` };
    });
}
