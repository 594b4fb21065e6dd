/**
 * bench/endpoint/stats: what the stats rollups cost and give.
 *
 * 1. Durable records/s of `POST /v1/records` on SQLite with the stats maintainer running and
 *    with it off (`ASSENT_STATS_MAINTAINER=false`), in pairs run back to back, which goes first
 *    alternating (goal: ≤ 5 %). The cost is the median of the pairs' own ratios, so that a
 *    machine busier in one pair than in another moves both halves of that pair alike.
 * 2. `GET /v1/stats` latency over `--records` records (default 1,000,000) spread over a year,
 *    for a year by day, week and month (goal: ≤ 100 ms), and how long the maintainer takes to
 *    fold them in from nothing; the console's records page too. On SQLite, and on PostgreSQL
 *    with `--postgres` (a throwaway embedded server, or the one `ASSENT_BENCH_DATABASE_URL` names).
 *
 * Everything on 127.0.0.1, each server in its own process. Prints medians, writes
 * bench/results/stats.json.
 *
 *   node bench/endpoint/stats.ts [--records 1000000] [--seconds 10] [--runs 3] [--postgres]
 *                                [--throughput-only]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Manifest } from '../../src/contract/manifest.ts';
import { sampleRecord, sampleRows, seedSqlite, type SampleRow } from '../../src/preview/sample-records.ts';
import { openPostgresStore } from '../../src/server/store/postgres-store.ts';
import { openStatsForUpdate, rollUpNewRecords } from '../../src/server/stats/sqlite-stats.ts';
import { SQLITE_FILE } from '../../src/server/store/sqlite-file.ts';
import { keyFromHex, type SubjectKeys } from '../../src/server/subject-keys.ts';

const root = join(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '256' },
    postgres: { type: 'boolean', default: false },
    'throughput-only': { type: 'boolean', default: false },
  },
});
const recordCount = Number(values.records);
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const connections = Number(values.connections);

const manifestFile = join(root, 'tests/fixtures/manifest.json');
const manifest: Manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const agreement = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!;
const ORIGIN = 'https://shop.example';
const HMAC = 'ab'.repeat(32);
const TOKEN = 'bench-operator-token-0123456789';
const keys: SubjectKeys = { current: 1, keys: new Map([[1, keyFromHex(HMAC)]]) };

const sample = { manifest, slug: agreement.slug, origin: ORIGIN };
const rows = (count: number) => sampleRows({ ...sample, count, days: 365, keys });

async function seedPostgres(url: string, count: number): Promise<void> {
  const store = await openPostgresStore(url, { commitWindowMs: 0, keys });
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let batch: SampleRow[] = [];
  const flush = async () => {
    await client.query(
      `INSERT INTO records (seq, id, subject_hash, server_time, body, hash)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])`,
      [
        batch.map((r) => r.seq),
        batch.map((r) => r.id),
        batch.map((r) => r.subjectHash),
        batch.map((r) => r.serverTime),
        batch.map((r) => r.body),
        batch.map((r) => r.hash),
      ],
    );
    const last = batch.at(-1)!;
    await client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [last.seq, last.hash]);
    batch = [];
  };
  for (const row of rows(count)) {
    batch.push(row);
    if (batch.length === 5000) await flush();
  }
  if (batch.length) await flush();
  await client.query('ANALYZE records');
  await client.end();
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

function startEndpoint(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const args = ['src/cli/assent.ts', 'serve', '--port', '0', '--data', dataDir, '--manifest', manifestFile];
  const child: ChildProcess = spawn(
    process.execPath,
    [...args, '--allow-origin', ORIGIN, '--rate-limit', '0', '--operator-token', TOKEN],
    {
      cwd: root,
      env: { ...process.env, ASSENT_LOG_LEVEL: 'silent', ASSENT_HMAC_SECRET: HMAC, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error('the endpoint exited before listening')));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!;

async function throughput(maintainer: boolean): Promise<number> {
  const server = await startEndpoint(mkdtempSync(join(tmpdir(), 'assent-bench-stats-')), {
    ASSENT_STATS_MAINTAINER: String(maintainer),
  });
  // Bodies made before the clock starts, so the load generator spends its time sending.
  const bodies = Array.from({ length: 40_000 * seconds }, (_, i) => JSON.stringify(sampleRecord(i, sample)));
  let next = 0;
  try {
    return await new Promise<number>((resolve, reject) =>
      autocannon(
        {
          url: `${server.url}/v1/records`,
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN },
          connections,
          duration: seconds,
          requests: [
            { setupRequest: (request: object) => ({ ...request, body: bodies[next++ % bodies.length] }) },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result['2xx'] / result.duration)),
      ),
    );
  } finally {
    await server.stop();
  }
}

async function timed(url: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

async function latency(store: 'sqlite' | 'postgres', databaseUrl?: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-bench-stats-'));
  const seeding = performance.now();
  if (databaseUrl) await seedPostgres(databaseUrl, recordCount);
  else seedSqlite(dataDir, rows(recordCount));
  const seedSeconds = (performance.now() - seeding) / 1000;
  const server = await startEndpoint(dataDir, databaseUrl ? { ASSENT_DATABASE_URL: databaseUrl } : {});
  try {
    const started = performance.now();
    for (;;) {
      const { body } = await timed(`${server.url}/v1/stats`);
      if ((body as { throughSeq: number }).throughSeq >= recordCount) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const catchUpSeconds = (performance.now() - started) / 1000;
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const result: Record<string, { p50: number; p95: number }> = {};
    const queries: Record<string, string> = {
      'stats, a year by day': `/v1/stats?from=${from}&to=${today}&bucket=day`,
      'stats, a year by week': `/v1/stats?from=${from}&to=${today}&bucket=week`,
      'stats, a year by month': `/v1/stats?from=${from}&to=${today}&bucket=month`,
      'records page, newest 50': '/v1/operator-records',
      'records page, declined, one version': `/v1/operator-records?type=declined&document=${agreement.slug}&version=${agreement.versions[0]!.version}`,
    };
    for (const [name, path] of Object.entries(queries)) {
      await timed(`${server.url}${path}`); // warm
      const samples: number[] = [];
      for (let i = 0; i < 30; i++) samples.push((await timed(`${server.url}${path}`)).ms);
      result[name] = { p50: median(samples), p95: percentile(samples, 95) };
    }
    return { store, records: recordCount, seedSeconds, catchUpSeconds, latencyMs: result };
  } finally {
    await server.stop();
  }
}

async function embeddedPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const configured = process.env.ASSENT_BENCH_DATABASE_URL;
  if (configured) return { url: configured, stop: async () => {} };
  const child = spawn(process.execPath, [join(root, 'tests/setup/embedded-postgres.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(() => reject(new Error('the embedded PostgreSQL exited')));
  });
  const message = JSON.parse(line) as { url?: string; error?: string };
  if (!message.url) throw new Error(message.error);
  return { url: message.url, stop: async () => (child.stdin!.end(), exited) };
}

const on: number[] = [];
const off: number[] = [];
for (let run = 1; run <= runs; run++) {
  // Alternate which goes first, so neither always gets the cooler machine.
  if (run % 2) (on.push(await throughput(true)), off.push(await throughput(false)));
  else (off.push(await throughput(false)), on.push(await throughput(true)));
  console.error(
    `run ${run}/${runs}: maintainer on ${on.at(-1)!.toFixed(0)}/s, off ${off.at(-1)!.toFixed(0)}/s`,
  );
}

/** CPU the SQLite rollups spend per record (this thread's, so less sensitive to a busy machine). */
function rollupCpu(count: number): number {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-bench-rollup-'));
  seedSqlite(dataDir, sampleRows({ ...sample, count, days: 90, keys }));
  const db = openStatsForUpdate(dataDir, join(dataDir, SQLITE_FILE));
  const before = process.cpuUsage();
  while (rollUpNewRecords(db, 2000) === 2000);
  const used = process.cpuUsage(before);
  db.close();
  return (used.user + used.system) / count;
}
const rollupMicroseconds = rollupCpu(100_000);

const latencies = values['throughput-only'] ? [] : [await latency('sqlite')];
if (values.postgres && !values['throughput-only']) {
  const server = await embeddedPostgres();
  try {
    latencies.push(await latency('postgres', server.url));
  } finally {
    await server.stop();
  }
}

const result = {
  date: new Date().toISOString(),
  node: process.version,
  seconds,
  runs,
  connections,
  recordsPerSecond: { maintainerOn: median(on), maintainerOff: median(off), samplesOn: on, samplesOff: off },
  /** Median over the pairs of 1 − on/off. */
  maintainerCost: median(on.map((o, i) => 1 - o / off[i]!)),
  pairCosts: on.map((o, i) => 1 - o / off[i]!),
  rollupCpuMicrosecondsPerRecord: rollupMicroseconds,
  latencies,
};
console.log(`medians of ${runs} runs of ${seconds} s, ${connections} connections, ${process.version}`);
console.log(
  `${'durable records/s, stats maintainer on / off (SQLite)'.padEnd(56)} ${median(on).toFixed(0)} / ${median(off).toFixed(0)}   cost ${(result.maintainerCost * 100).toFixed(1)} %, median of the pairs' (goal ≤ 5 %)`,
);
console.log(
  `${'  each pair'.padEnd(56)} ${result.pairCosts.map((c) => `${(c * 100).toFixed(1)} %`).join(', ')}`,
);
console.log(
  `${'stats rollup CPU per record (SQLite, one thread)'.padEnd(56)} ${rollupMicroseconds.toFixed(1)} µs`,
);
for (const l of latencies) {
  console.log(
    `${l.store}: ${l.records} records, seeded in ${l.seedSeconds.toFixed(0)} s, rolled up from nothing in ${l.catchUpSeconds.toFixed(1)} s`,
  );
  for (const [name, { p50, p95 }] of Object.entries(l.latencyMs))
    console.log(`  ${name.padEnd(52)} p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal ≤ 100 ms)`);
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/stats.json'), `${JSON.stringify(result, null, 2)}\n`);
