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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { recordId } from '../../src/contract/record-id.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Manifest } from '../../src/contract/manifest.ts';
import type { RecordInput } from '../../src/contract/record.ts';

const root = join(import.meta.dirname, '../..');
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

const manifestFile = join(root, 'tests/fixtures/manifest.json');
const manifest: Manifest = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync(manifestFile, 'utf8')),
);
const agreement = manifest.documents.find((d) => d.slug === 'weisure-service-agreement')!.versions[0]!;
const ORIGIN = 'https://shop.example';

function record(): RecordInput {
  return {
    // What the components send: time-ordered UUIDv7.
    id: recordId(),
    type: 'accepted',
    clientTime: new Date().toISOString(),
    subject: { kind: 'user', id: `user-${randomUUID()}` },
    document: {
      slug: 'weisure-service-agreement',
      version: agreement.version,
      contentHash: agreement.contentHash,
    },
    shown: {
      component: 'assent-accept',
      componentVersion: '0.1.0',
      locale: 'zh-CN',
      buttonText: '同意并继续',
      checkboxPreticked: false,
      pageOrigin: ORIGIN,
      pagePath: '/signup',
    },
  };
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

function startProcess(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ASSENT_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before listening`)));
  });
}

function startEndpoint(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-bench-'));
  return startProcess(
    [
      join(root, 'src/cli/assent.ts'),
      'serve',
      '--port',
      '0',
      '--data',
      dataDir,
      '--manifest',
      manifestFile,
      '--allow-origin',
      ORIGIN,
      '--rate-limit',
      '0',
    ],
    { ASSENT_HMAC_SECRET: 'ab'.repeat(32) },
  );
}

interface Load {
  requestsPerSecond: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
}

function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      const ok = result['2xx'];
      resolve({
        requestsPerSecond: ok / result.duration,
        ok,
        errors: result.non2xx + result.errors + result.timeouts,
        p50: result.latency.p50,
        p99: result.latency.p99,
      });
    });
  });
}

/**
 * Every request carries a new record. The bodies are made before the clock starts, so that the
 * load generator, which shares the machine's two cores, spends its time sending, not building
 * JSON (about 20 µs a request otherwise).
 */
function recordRequest(url: string, expectedPerSecond: number) {
  const bodies = Array.from({ length: Math.ceil(expectedPerSecond * seconds * 1.2) }, () =>
    JSON.stringify(record()),
  );
  let next = 0;
  return {
    url: `${url}/v1/records`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    requests: [
      {
        setupRequest: (request: object) => ({ ...request, body: bodies[next++] ?? JSON.stringify(record()) }),
      },
    ],
  };
}

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
  const server = await startEndpoint();
  try {
    return await cannon({ ...recordRequest(server.url, 40_000), connections, duration: seconds });
  } finally {
    await server.stop();
  }
}

async function steadyRun(): Promise<Load> {
  const server = await startEndpoint();
  try {
    return await cannon({
      ...recordRequest(server.url, 1000),
      connections: 16,
      duration: seconds,
      overallRate: 1000,
    });
  } finally {
    await server.stop();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

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
