/**
 * The Fastify instance around the endpoint plugin, with the limits from the configuration:
 * body size, request timeout, and strict validation (no type coercion, no silently dropped
 * fields: a record is stored exactly as sent, or refused). The endpoint plugin is not
 * encapsulated (fastify-plugin), so its decorations (`app.store`, …) are the instance's.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { assentApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import type { OpenedStore } from './store/open-store.ts';

export interface HttpServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** A store opened elsewhere (tests); by default the configured one is opened. */
  store?: OpenedStore;
  /** Routes registered after the endpoint's own, with its decorations at hand (tests). */
  extraRoutes?: FastifyPluginAsync;
}

export async function createHttpServer(
  config: ServerConfig,
  options: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs * 2,
    keepAliveTimeout: 5_000,
    trustProxy: config.trustProxy,
    // While closing, the app answers problem+json `shutting-down` itself (app.ts).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  try {
    await app.register(fp(assentApp), { config, ...(options.store ? { store: options.store } : {}) });
    if (options.extraRoutes) await app.register(options.extraRoutes);
    await app.ready();
  } catch (error) {
    // What did open (the store, its folder lock) closes again: a failed start holds nothing.
    await app.close();
    throw error;
  }
  return app;
}
