/**
 * Starts the endpoint: the app opens its manifest and store (plugins/), then listens. `close`
 * stops taking requests, lets those under way finish (their records are committed), and
 * closes the store.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { describeConfig, type ServerConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import type { RecordStore } from './store/record-store.ts';

export interface RunningEndpoint {
  url: string;
  app: FastifyInstance;
  store: RecordStore;
  close(): Promise<void>;
}

export async function startEndpoint(
  config: ServerConfig,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<RunningEndpoint> {
  const app = await createHttpServer(config, options);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  app.log.info({ config: describeConfig(config) }, 'assent endpoint started');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    app,
    store: app.store,
    close: () => (closing ??= app.close()),
  };
}
