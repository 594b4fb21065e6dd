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
 *                                    [--baseline <commit>]   (also run that commit's endpoint, taking turns)
 *
 * With --baseline, the endpoint of another commit (`git archive` into a temporary folder, with
 * this checkout's node_modules, so pick one with the same dependencies, such as
 * `$(git merge-base HEAD main)`) runs every instance count too, in the same runs, so that a
 * change is compared side by side with what it changes.
 *
 * What it samples while the load runs (every 10 ms, pg_stat_activity of the bench database):
 * - head held: the share of samples in which a transaction holds the chain head's row lock
 *   (the backend whose transaction id is the head row's xmax, the row locker's). Near 100 %,
 *   more instances cannot commit more often.
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
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  cannon,
  checkout,
  median,
  recordRequests,
  root,
  startEndpoint,
  type Load,
  type Server,
} from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1,2,4' },
    database: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const runs = Number(values.runs);
const counts = values.instances.split(',').map(Number);

/** The endpoints compared: this checkout, and the baseline commit when one is given. */
interface Variant {
  name: string;
  code: string;
}

const variants: Variant[] = [{ name: 'this', code: root }];
if (values.baseline) variants.push({ name: values.baseline, code: checkout(values.baseline) });

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
      // The head's row lock is kept in the row itself: its xmax is the locking transaction's id
      // (until the next one locks it). Other writers (stats, webhooks) are not counted.
      const { rows } = await client.query<{
        wal: boolean;
        server: boolean;
        client: boolean;
        waiters: number;
      }>(
        `WITH holders AS (
           SELECT * FROM pg_stat_activity
            WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
              AND backend_xid = (SELECT xmax FROM chain_head WHERE id = 1)
              AND wait_event_type IS DISTINCT FROM 'Lock')
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
  variant: string;
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

async function scaleRun(
  server: string,
  admin: pg.Client,
  variant: Variant,
  instances: number,
): Promise<Measured> {
  const database = `assent_bench_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = withDatabase(server, database);
  const endpoints: Server[] = [];
  const monitor = new pg.Client({ connectionString: url });
  try {
    for (let i = 0; i < instances; i++)
      endpoints.push(await startEndpoint(['--database', url], {}, variant.code));
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
      variant: variant.name,
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
const key = (variant: Variant | string, n: number) =>
  `${typeof variant === 'string' ? variant : variant.name}/${n}`;
const samples = new Map<string, Measured[]>(variants.flatMap((v) => counts.map((n) => [key(v, n), []])));
const raw: number[] = [];
/** The machine's load averages (1, 5, 15 minutes), as `uptime` shows them. */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const loadBefore = loadAverage();
try {
  for (let run = 1; run <= runs; run++) {
    for (const n of counts) {
      for (const variant of variants) {
        const measured = await scaleRun(server.url, admin, variant, n);
        samples.get(key(variant, n))!.push(measured);
        console.error(
          `run ${run}/${runs}, ${variant.name}, ${n} instance(s): ${measured.requestsPerSecond.toFixed(0)} records/s, ${measured.commitsPerSecond.toFixed(0)} commits/s, head held ${(measured.headHeld * 100).toFixed(0)} % (${measured.heldPerCommitMs.toFixed(1)} ms per commit), machine busy ${(measured.machineBusy * 100).toFixed(0)} %`,
        );
      }
    }
    raw.push(await rawCommitsPerSecond(server.url, admin));
  }
} finally {
  await admin.end();
  await server.stop();
  for (const variant of variants.slice(1)) rmSync(variant.code, { recursive: true, force: true });
}

const med = (k: string, pick: (m: Measured) => number) => median(samples.get(k)!.map(pick));
const result = {
  date: new Date().toISOString(),
  node: process.version,
  postgres: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
  seconds,
  connections,
  runs,
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadAverage(),
  rawSingleRowCommitsPerSecond: median(raw),
  instances: variants.flatMap((variant) =>
    counts.map((n) => {
      const k = key(variant, n);
      const recordsPerSecond = med(k, (m) => m.requestsPerSecond);
      return {
        variant: variant.name,
        instances: n,
        recordsPerSecond,
        ratioToFirst: recordsPerSecond / med(key(variant, counts[0]!), (m) => m.requestsPerSecond),
        ratioToThisOnFirstVariant: recordsPerSecond / med(key(variants[0]!, n), (m) => m.requestsPerSecond),
        p50: med(k, (m) => m.p50),
        p99: med(k, (m) => m.p99),
        errors: samples.get(k)!.reduce((sum, m) => sum + m.errors, 0),
        commitsPerSecond: med(k, (m) => m.commitsPerSecond),
        recordsPerCommit: med(k, (m) => m.recordsPerCommit),
        headHeld: med(k, (m) => m.headHeld),
        heldPerCommitMs: med(k, (m) => m.heldPerCommitMs),
        heldByClient: med(k, (m) => m.heldBy.client),
        heldByWal: med(k, (m) => m.heldBy.wal),
        heldByServer: med(k, (m) => m.heldBy.server),
        lockWaiters: med(k, (m) => m.lockWaiters),
        lockWaitPerCommitMs: med(k, (m) => m.lockWaitPerCommitMs),
        machineBusy: med(k, (m) => m.machineBusy),
        endpointCores: med(k, (m) => m.endpointCores),
        loadCores: med(k, (m) => m.loadCores),
        postgresCores: med(k, (m) => m.postgresCores),
      };
    }),
  ),
};

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
console.log(
  `PostgreSQL ${result.postgres.server_version} (fsync ${result.postgres.fsync}, synchronous_commit ${result.postgres.synchronous_commit}); medians of ${runs} runs of ${seconds} s, ${connections} connections, ${process.version}`,
);
console.log(
  `raw single-row durable inserts, one connection: ${result.rawSingleRowCommitsPerSecond.toFixed(0)} commits/s; load average ${result.loadAverageBefore.join(' ')} before, ${result.loadAverageAfter.join(' ')} after`,
);
const header = [
  'endpoint',
  'instances',
  'records/s',
  'vs 1',
  'vs this',
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
      r.variant,
      r.instances,
      r.recordsPerSecond.toFixed(0),
      `${r.ratioToFirst.toFixed(2)}×`,
      `${r.ratioToThisOnFirstVariant.toFixed(2)}×`,
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
