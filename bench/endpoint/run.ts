/**
 * bench/endpoint: durable records per second and latency of `POST /v1/records` on SQLite, next
 * to, in the same run, (a) a hello-world route of the same framework and (b) raw single-row
 * durable inserts into SQLite with the same settings. Then the latency at a steady 1,000
 * records/s. Everything on 127.0.0.1; load from autocannon in this process, each server in its
 * own. Prints a table and writes bench/results/endpoint.json.
 *
 *   node bench/endpoint/run.ts [--seconds 10] [--connections 256] [--runs 3]
 *
 * 256 connections: group commit turns concurrency into throughput (a commit carries what
 * arrived while the one before it was being written), and on this two-core machine 256 is
 * where it peaks; the hello-world baseline gets the same 256 connections.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cannon, median, recordRequests, root, startEndpoint, startProcess, type Load } from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const runs = Number(values.runs);

const sqliteEndpoint = () => startEndpoint(['--data', mkdtempSync(join(tmpdir(), 'assent-bench-'))]);

async function helloRun(): Promise<Load> {
  const server = await startProcess([join(root, 'bench/endpoint/hello-server.ts')]);
  try {
    return await cannon({ url: `${server.url}/hello`, method: 'POST', connections, duration: seconds });
  } finally {
    await server.stop();
  }
}

async function rawRun(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'assent-raw-'));
  const child = spawn(process.execPath, [join(root, 'bench/endpoint/raw-inserts.ts'), dir, String(seconds)], {
    cwd: root,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out).rowsPerSecond;
}

async function endpointRun(): Promise<Load> {
  const server = await sqliteEndpoint();
  try {
    return await cannon({ ...recordRequests(server.url, 40_000, seconds), connections, duration: seconds });
  } finally {
    await server.stop();
  }
}

async function steadyRun(): Promise<Load> {
  const server = await sqliteEndpoint();
  try {
    return await cannon({
      ...recordRequests(server.url, 1000, seconds),
      connections: 16,
      duration: seconds,
      overallRate: 1000,
    });
  } finally {
    await server.stop();
  }
}

const samples = { hello: [] as Load[], raw: [] as number[], endpoint: [] as Load[], steady: [] as Load[] };
for (let run = 1; run <= runs; run++) {
  samples.endpoint.push(await endpointRun());
  samples.hello.push(await helloRun());
  samples.raw.push(await rawRun());
  samples.steady.push(await steadyRun());
  const e = samples.endpoint.at(-1)!;
  console.error(
    `run ${run}/${runs}: endpoint ${e.requestsPerSecond.toFixed(0)}/s, hello ${samples.hello.at(-1)!.requestsPerSecond.toFixed(0)}/s, raw ${samples.raw.at(-1)!.toFixed(0)}/s`,
  );
}

const endpoint = median(samples.endpoint.map((l) => l.requestsPerSecond));
const hello = median(samples.hello.map((l) => l.requestsPerSecond));
const raw = median(samples.raw);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  seconds,
  connections,
  runs,
  durableRecordsPerSecond: endpoint,
  endpointLatencyMs: {
    p50: median(samples.endpoint.map((l) => l.p50)),
    p99: median(samples.endpoint.map((l) => l.p99)),
  },
  endpointErrors: samples.endpoint.reduce((n, l) => n + l.errors, 0),
  helloWorldPerSecond: hello,
  rawSingleRowInsertsPerSecond: raw,
  ratioToRawInserts: endpoint / raw,
  ratioToHelloWorld: endpoint / hello,
  at1000PerSecond: {
    recordsPerSecond: median(samples.steady.map((l) => l.requestsPerSecond)),
    p50: median(samples.steady.map((l) => l.p50)),
    p99: median(samples.steady.map((l) => l.p99)),
  },
};

const rows: Array<[string, string, string]> = [
  [
    'durable records/s (POST /v1/records, SQLite)',
    result.durableRecordsPerSecond.toFixed(0),
    `p50 ${result.endpointLatencyMs.p50} ms, p99 ${result.endpointLatencyMs.p99} ms`,
  ],
  [
    '(a) Fastify hello-world requests/s',
    hello.toFixed(0),
    `ratio ${(result.ratioToHelloWorld * 100).toFixed(0)} % (goal ≥ 30 %)`,
  ],
  [
    '(b) raw single-row durable inserts/s',
    raw.toFixed(0),
    `ratio ${result.ratioToRawInserts.toFixed(2)}× (goal ≥ 3×)`,
  ],
  [
    'at a steady 1,000 records/s',
    result.at1000PerSecond.recordsPerSecond.toFixed(0),
    `p50 ${result.at1000PerSecond.p50} ms, p99 ${result.at1000PerSecond.p99} ms (goal p99 ≤ 20 ms)`,
  ],
];
console.log(`medians of ${runs} runs of ${seconds} s, ${connections} connections, ${process.version}`);
for (const [what, value, note] of rows) console.log(`${what.padEnd(48)} ${value.padStart(8)}   ${note}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/endpoint.json'), `${JSON.stringify(result, null, 2)}\n`);
