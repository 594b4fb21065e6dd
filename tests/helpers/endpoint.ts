import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadServerConfig, type ConfigInput, type ServerConfig } from '../../src/server/config.ts';
import { createHttpServer, type HttpServerOptions } from '../../src/server/http-server.ts';
import type { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { manifestFile, PAGE_ORIGIN } from './records.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests';

export interface TestEndpoint {
  app: FastifyInstance;
  store: SqliteStore;
  config: ServerConfig;
  rows(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The endpoint as `assent serve` builds it (its plugins open the fixture manifest and a fresh
 * SQLite store, keyed like `testKeys`), for `app.inject` tests.
 */
export async function testEndpoint(
  settings: Partial<ConfigInput> = {},
  options: HttpServerOptions = {},
): Promise<TestEndpoint> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-endpoint-'));
  const config = loadServerConfig({
    env: {},
    flags: {
      dataDir,
      manifest: manifestFile,
      hmacSecret: '07'.repeat(32),
      allowedOrigins: [PAGE_ORIGIN],
      operatorToken: OPERATOR_TOKEN,
      rateLimitPerMinute: 0,
      commitWindowMs: 0,
      ...settings,
    },
  });
  const app = await createHttpServer(config, options);
  const store = app.store as SqliteStore;
  return {
    app,
    store,
    config,
    rows: () => store.count(),
    close: () => app.close(),
  };
}
