/**
 * bench/endpoint/scale-out: `POST /v1/records` on PostgreSQL with 1, 2 and 4 endpoint instances
 * on one database, under one load generator (autocannon in this process, its connections
 * spread over the instances), in the same run; then where the time goes. Every instance count
 * gets a fresh database, and the counts take turns run after run, so that whatever else the
 * machine does falls on all of them alike. Next to it, in the same run, raw single-row durable
 * inserts on the same server: the rate at which commits can follow one another.
 *
 *   node bench/endpoint/scale-out.ts [--seconds 10] [--connections 256] [--runs 3] [--instances 1,2,4]
 *                                    [--database postgres://…]   (default: an embedded server, fsync on)
 *
 * What it samples while the load runs (every 10 ms, pg_stat_activity of the bench database):
 * - head held: the share of samples in which some transaction is past BEGIN and not waiting
 *   for a lock. Every append takes the chain head's row lock first thing, so this is the share
 *   of time the single head is taken; near 100 %, more instances cannot commit more often.
 *   Divided by the commits, it is how long each commit holds the head: commits/s can never
 *   pass its inverse. Split by what the holder is doing: waiting for the endpoint (`client`:
 *   a round trip, or the endpoint's event loop busy with other requests), flushing the WAL
 *   (`wal`), or running a statement (`server`).
 * - lock waiters: transactions waiting for a lock (here, only the head's row lock), on average,
 *   and the wait that makes per commit.
 * - CPU: the machine's busy share (of all cores), and the cores used by the endpoint processes,
 *   the load generator and the PostgreSQL server's processes.
 * It also checks that every request answered 2xx is in the database.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cannon, median, recordRequests, root, startEndpoint, type Load, type Server } from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1,2,4' },
    database: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const runs = Number(values.runs);
const counts = values.instances.split(',').map(Number);

/** An embedded PostgreSQL with fsync on (tests/setup/embedded-postgres.ts --durable), or the one given. */
async function postgres(): Promise<{ url: string; stop(): Promise<void> }> {
  if (values.database) return { url: values.database, stop: async () => {} };
  const child = spawn(process.execPath, [join(root, 'tests/setup/embedded-postgres.ts'), '--durable'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('the embedded PostgreSQL did not start')));
  });
  const message = JSON.parse(first) as { url?: string; error?: string };
  if (!message.url) throw new Error(message.error);
  return {
    url: message.url,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.href;
}

/** CPU seconds (user + system) a process has used, from /proc; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** The machine's busy and total time, over all cores, in clock ticks. */
function machineTicks(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle, iowait
  return { busy: total - idle, total };
}

/** The PostgreSQL server's processes: its postmaster and the postmaster's children. */
function serverPids(postmaster: number): number[] {
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * What the head's holder is doing: `client` (PostgreSQL waits for the endpoint's next statement:
 * a round trip, or the endpoint's event loop busy with other requests), `wal` (flushing the
 * commit to disk), `server` (running a statement); undefined when the head is free.
 */
type Phase = 'client' | 'wal' | 'server';

interface Sample {
  phase: Phase | undefined;
  waiters: number;
}

/** Samples pg_stat_activity of one database every 10 ms until stopped. */
function sampleActivity(client: pg.Client, database: string) {
  const samples: Sample[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<{
        wal: boolean;
        server: boolean;
        client: boolean;
        waiters: number;
      }>(
        `WITH holders AS (
           SELECT * FROM pg_stat_activity
            WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
              AND xact_start IS NOT NULL AND wait_event_type IS DISTINCT FROM 'Lock')
         SELECT coalesce(bool_or(wait_event ILIKE 'wal%'), false) AS wal,
                coalesce(bool_or(state = 'active'), false) AS server,
                coalesce(bool_or(state LIKE 'idle in transaction%'), false) AS client,
                (SELECT count(*)::int FROM pg_stat_activity
                  WHERE datname = $1 AND wait_event_type = 'Lock') AS waiters
           FROM holders`,
        [database],
      );
      const row = rows[0]!;
      const phase = row.wal ? 'wal' : row.server ? 'server' : row.client ? 'client' : undefined;
      samples.push({ phase, waiters: row.waiters });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return async () => {
    running = false;
    await done;
    return samples;
  };
}

interface Measured extends Load {
  instances: number;
  stored: number;
  commitsPerSecond: number;
  recordsPerCommit: number;
  headHeld: number;
  heldPerCommitMs: number;
  /** Shares of the time the head is held while the holder is in each phase. */
  heldBy: Record<Phase, number>;
  lockWaiters: number;
  lockWaitPerCommitMs: number;
  machineBusy: number;
  endpointCores: number;
  loadCores: number;
  postgresCores: number;
}

async function scaleRun(server: string, admin: pg.Client, instances: number): Promise<Measured> {
  const database = `assent_bench_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = withDatabase(server, database);
  const endpoints: Server[] = [];
  const monitor = new pg.Client({ connectionString: url });
  try {
    for (let i = 0; i < instances; i++) endpoints.push(await startEndpoint(['--database', url]));
    await monitor.connect();
    const postmaster = await monitor
      .query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      .then(({ rows }) =>
        Number(readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]),
      );

    const load = recordRequests(
      endpoints.map((e) => e.url),
      20_000,
      seconds,
    );
    const endpointCpu = () => endpoints.reduce((sum, e) => sum + cpuSeconds(e.pid), 0);
    const serverCpu = () => serverPids(postmaster).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const before = {
      machine: machineTicks(),
      endpoints: endpointCpu(),
      server: serverCpu(),
      load: process.cpuUsage(),
    };
    const stopSampling = sampleActivity(monitor, database);
    const started = performance.now();
    const result = await cannon({ ...load, connections, duration: seconds });
    const elapsed = (performance.now() - started) / 1000;
    const samples = await stopSampling();
    const machine = machineTicks();
    const loadCpu = process.cpuUsage(before.load);

    const { rows } = await monitor.query<{ stored: number; commits: number }>(
      'SELECT count(*)::int AS stored, count(DISTINCT server_time)::int AS commits FROM records',
    );
    const { stored, commits } = rows[0]!;
    if (stored < result.ok)
      throw new Error(`${result.ok} records were answered 2xx but only ${stored} are stored`);
    const commitsPerSecond = commits / seconds;
    const lockWaiters = samples.reduce((n, s) => n + s.waiters, 0) / samples.length;
    const share = (phase?: Phase) =>
      samples.filter((s) => (phase ? s.phase === phase : s.phase !== undefined)).length / samples.length;
    const headHeld = share();
    return {
      ...result,
      instances,
      stored,
      commitsPerSecond,
      recordsPerCommit: stored / commits,
      headHeld,
      heldPerCommitMs: (headHeld * 1000) / commitsPerSecond,
      heldBy: { client: share('client'), wal: share('wal'), server: share('server') },
      lockWaiters,
      lockWaitPerCommitMs: (lockWaiters * 1000) / commitsPerSecond,
      machineBusy: (machine.busy - before.machine.busy) / (machine.total - before.machine.total),
      endpointCores: (endpointCpu() - before.endpoints) / elapsed,
      loadCores: (loadCpu.user + loadCpu.system) / 1e6 / elapsed,
      postgresCores: (serverCpu() - before.server) / elapsed,
    };
  } finally {
    await Promise.all(endpoints.map((e) => e.stop()));
    await monitor.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  }
}

/** Single-row inserts, one durable commit each, on one connection: how fast commits can follow one another. */
async function rawCommitsPerSecond(server: string, admin: pg.Client): Promise<number> {
  const database = `assent_bench_raw_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ connectionString: withDatabase(server, database) });
  try {
    await client.connect();
    await client.query(
      'CREATE TABLE rows (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)',
    );
    // About the size of a stored record.
    const body = JSON.stringify({ padding: 'x'.repeat(900) });
    const until = performance.now() + seconds * 1000;
    let rows = 0;
    while (performance.now() < until) {
      await client.query('INSERT INTO rows (id, body) VALUES ($1, $2)', [randomUUID(), body]);
      rows++;
    }
    return rows / seconds;
  } finally {
    await client.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  }
}

const server = await postgres();
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
const { rows: settings } = await admin.query<{ name: string; setting: string }>(
  "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')",
);
const samples = new Map<number, Measured[]>(counts.map((n) => [n, []]));
const raw: number[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    for (const n of counts) {
      const measured = await scaleRun(server.url, admin, n);
      samples.get(n)!.push(measured);
      console.error(
        `run ${run}/${runs}, ${n} instance(s): ${measured.requestsPerSecond.toFixed(0)} records/s, ${measured.commitsPerSecond.toFixed(0)} commits/s, head held ${(measured.headHeld * 100).toFixed(0)} %, machine busy ${(measured.machineBusy * 100).toFixed(0)} %`,
      );
    }
    raw.push(await rawCommitsPerSecond(server.url, admin));
  }
} finally {
  await admin.end();
  await server.stop();
}

const med = (n: number, pick: (m: Measured) => number) => median(samples.get(n)!.map(pick));
const one = med(counts[0]!, (m) => m.requestsPerSecond);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  postgres: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
  seconds,
  connections,
  runs,
  rawSingleRowCommitsPerSecond: median(raw),
  instances: counts.map((n) => ({
    instances: n,
    recordsPerSecond: med(n, (m) => m.requestsPerSecond),
    ratioToFirst: med(n, (m) => m.requestsPerSecond) / one,
    p50: med(n, (m) => m.p50),
    p99: med(n, (m) => m.p99),
    errors: samples.get(n)!.reduce((sum, m) => sum + m.errors, 0),
    commitsPerSecond: med(n, (m) => m.commitsPerSecond),
    recordsPerCommit: med(n, (m) => m.recordsPerCommit),
    headHeld: med(n, (m) => m.headHeld),
    heldPerCommitMs: med(n, (m) => m.heldPerCommitMs),
    heldByClient: med(n, (m) => m.heldBy.client),
    heldByWal: med(n, (m) => m.heldBy.wal),
    heldByServer: med(n, (m) => m.heldBy.server),
    lockWaiters: med(n, (m) => m.lockWaiters),
    lockWaitPerCommitMs: med(n, (m) => m.lockWaitPerCommitMs),
    machineBusy: med(n, (m) => m.machineBusy),
    endpointCores: med(n, (m) => m.endpointCores),
    loadCores: med(n, (m) => m.loadCores),
    postgresCores: med(n, (m) => m.postgresCores),
  })),
};

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
console.log(
  `PostgreSQL ${result.postgres.server_version} (fsync ${result.postgres.fsync}, synchronous_commit ${result.postgres.synchronous_commit}); medians of ${runs} runs of ${seconds} s, ${connections} connections, ${process.version}`,
);
console.log(
  `raw single-row durable inserts, one connection: ${result.rawSingleRowCommitsPerSecond.toFixed(0)} commits/s`,
);
const header = [
  'instances',
  'records/s',
  'vs 1',
  'p50 ms',
  'p99 ms',
  'commits/s',
  'rec/commit',
  'head held',
  'held/commit ms',
  'held: client/wal/server',
  'lock waiters',
  'wait/commit ms',
  'machine busy',
  'endpoint cores',
  'load cores',
  'pg cores',
];
console.log(header.join(' | '));
for (const r of result.instances) {
  console.log(
    [
      r.instances,
      r.recordsPerSecond.toFixed(0),
      `${r.ratioToFirst.toFixed(2)}×`,
      r.p50,
      r.p99,
      r.commitsPerSecond.toFixed(0),
      r.recordsPerCommit.toFixed(1),
      pct(r.headHeld),
      r.heldPerCommitMs.toFixed(1),
      `${pct(r.heldByClient)}/${pct(r.heldByWal)}/${pct(r.heldByServer)}`,
      r.lockWaiters.toFixed(2),
      r.lockWaitPerCommitMs.toFixed(2),
      pct(r.machineBusy),
      r.endpointCores.toFixed(2),
      r.loadCores.toFixed(2),
      r.postgresCores.toFixed(2),
    ].join(' | '),
  );
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/endpoint-scale-out.json'), `${JSON.stringify(result, null, 2)}\n`);
