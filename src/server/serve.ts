/**
 * Starts the endpoint: opens the store, the HMAC keys and the manifest, then listens. `close`
 * stops taking requests, lets those under way finish (their records are committed), and
 * closes the store.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { describeConfig, type ServerConfig } from './config.ts';
import { createHttpServer } from './http-server.ts';
import { ManifestSource } from './manifest-source.ts';
import { loadSigningKeys } from './proof/signing-keys.ts';
import { checkpointSettings } from './store/checkpointing.ts';
import { openStore } from './store/open-store.ts';
import type { RecordStore } from './store/record-store.ts';
import { loadSubjectKeys } from './subject-keys.ts';

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
  const keys = loadSubjectKeys(config);
  const signing = loadSigningKeys(config.dataDir);
  // Store housekeeping problems go to the log once the app (and its logger) exists.
  let warn = (message: string) => console.error(`assent: ${message}`);
  const store = await openStore(
    config,
    keys,
    (message) => warn(message),
    checkpointSettings(config, signing.current.portable),
  );
  let manifest: ManifestSource | undefined;
  let app: FastifyInstance;
  try {
    // The manifest logs through the app's logger, which exists once the manifest has loaded.
    const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m) };
    manifest = await ManifestSource.open(config.manifest, config.manifestRefreshSeconds, log);
    app = await createHttpServer({ config, store, manifest, keys, signing }, options);
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    manifest?.close();
    await store.close();
    throw error;
  }
  const source = manifest;
  warn = (message) => app.log.warn(message);
  app.log.info({ config: describeConfig(config) }, 'assent endpoint started');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    app,
    store,
    close: () => {
      closing ??= (async () => {
        await app.close();
        source.close();
        await store.close();
      })();
      return closing;
    },
  };
}
