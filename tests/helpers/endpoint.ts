import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadServerConfig, type ConfigInput, type ServerConfig } from '../../src/server/config.ts';
import { createHttpServer } from '../../src/server/http-server.ts';
import { indexManifest } from '../../src/server/manifest-source.ts';
import { loadSigningKeys } from '../../src/server/proof/signing-keys.ts';
import { checkpointSettings } from '../../src/server/store/checkpointing.ts';
import { openSqliteStore, type SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { manifest, PAGE_ORIGIN, testKeys } from './records.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests';

export interface TestEndpoint {
  app: FastifyInstance;
  store: SqliteStore;
  config: ServerConfig;
  rows(): Promise<number>;
  close(): Promise<void>;
}

/** The endpoint on a fresh SQLite store, for `app.inject` tests. */
export async function testEndpoint(settings: Partial<ConfigInput> = {}): Promise<TestEndpoint> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-endpoint-'));
  const config = loadServerConfig({
    env: {},
    flags: {
      dataDir,
      allowedOrigins: [PAGE_ORIGIN],
      operatorToken: OPERATOR_TOKEN,
      rateLimitPerMinute: 0,
      commitWindowMs: 0,
      ...settings,
    },
  });
  const signing = loadSigningKeys(dataDir);
  const store = openSqliteStore(dataDir, {
    commitWindowMs: config.commitWindowMs,
    keys: testKeys,
    checkpoints: checkpointSettings(config, signing.current.portable),
  });
  const app = await createHttpServer({
    config,
    store,
    manifest: { current: indexManifest(manifest) },
    keys: testKeys,
    signing,
  });
  return {
    app,
    store,
    config,
    rows: () => store.count(),
    async close() {
      await app.close();
      await store.close();
    },
  };
}
