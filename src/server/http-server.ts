/**
 * The Fastify instance around the endpoint plugin, with the limits from the configuration:
 * body size, request timeout, and strict validation (no type coercion, no silently dropped
 * fields: a record is stored exactly as sent, or refused).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { assentApp, type AppDeps } from './app.ts';

export async function createHttpServer(
  deps: AppDeps,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: deps.config.bodyLimit,
    requestTimeout: deps.config.requestTimeoutMs,
    connectionTimeout: deps.config.requestTimeoutMs * 2,
    keepAliveTimeout: 5_000,
    trustProxy: deps.config.trustProxy,
    // While closing, the app answers problem+json `shutting-down` itself (app.ts).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  await app.register(assentApp, deps);
  return app;
}
