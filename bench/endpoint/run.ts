/**
 * bench/endpoint: durable records per second and latency of `POST /v1/records` on SQLite, next
 * to, in the same run, (a) a hello-world route of the same framework and (b) raw single-row
 * durable inserts into SQLite with the same settings. Then the latency at a steady 1,000
 * records/s: open loop, one request due every millisecond and timed from when it was due
 * (`steadyLoad` in load.ts; autocannon's rate limit sends bursts). Everything on 127.0.0.1;
 * load from this process (autocannon at full load), each server in its own. Prints a table and
 * writes bench/results/endpoint.json.
 *
 *   node bench/endpoint/run.ts [--seconds 10] [--connections 256] [--runs 3] [--baseline <commit>]
 *
 * 256 connections: group commit turns concurrency into throughput (a commit carries what
 * arrived while the one before it was being written), and on this two-core machine 256 is
 * where it peaks; the hello-world baseline gets the same 256 connections.
 *
 * Besides records/s, the endpoint's processor time per record, by thread (from /proc, Linux,
 * after two seconds of warming up): the request thread, the SQLite writer, its maintainer, the
 * stats thread (worker threads in the order the endpoint starts them) and the garbage
 * collector's helpers. On a machine shared with other work, throughput and latency move with
 * the neighbours' load; CPU per record much less.
 * The load average is printed with every run.
 *
 * With --baseline, the endpoint of another commit (`git archive` into a temporary folder, with
 * this checkout's node_modules) runs the same two loads in every run, right after this one's,
 * and the table sets each figure beside the baseline's, with the median of the runs' own ratios.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cannon,
  checkout,
  median,
  recordRequests,
  root,
  startEndpoint,
  startProcess,
  steadyLoad,
  threadCpu,
  type Load,
} from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    baseline: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const runs = Number(values.runs);

/** The endpoint's threads, named by role: its worker threads in the order it starts them. */
const WORKERS = ['writer', 'maintainer', 'stats'];
const THREADS: Record<string, string> = { MainThread: 'request', V8Worker: 'gc' };

/** Microseconds of processor per acknowledged record, by thread role, over one load. */
type CpuPerRecord = Record<string, number>;

interface EndpointLoad extends Load {
  cpu: CpuPerRecord;
  loadAverage: number;
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
  rmSync(dir, { recursive: true, force: true });
  return JSON.parse(out).rowsPerSecond;
}

function cpuPerRecord(
  before: ReturnType<typeof threadCpu>,
  after: ReturnType<typeof threadCpu>,
  records: number,
): CpuPerRecord {
  const workers = [...after].filter(([, t]) => t.name === 'WorkerThread').map(([tid]) => tid);
  workers.sort((a, b) => a - b);
  const cpu: CpuPerRecord = {};
  let total = 0;
  for (const [tid, thread] of after) {
    const used = thread.seconds - (before.get(tid)?.seconds ?? 0);
    if (used <= 0) continue;
    const role =
      thread.name === 'WorkerThread'
        ? (WORKERS[workers.indexOf(tid)] ?? 'other')
        : (THREADS[thread.name] ?? 'other');
    cpu[role] = (cpu[role] ?? 0) + (used * 1e6) / records;
    total += used;
  }
  cpu.total = (total * 1e6) / records;
  return cpu;
}

/** One load on a fresh SQLite endpoint of `code`, with its CPU per record. */
async function endpointLoad(code: string, steady: boolean): Promise<EndpointLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'assent-bench-'));
  const server = await startEndpoint(['--data', dir], {}, code);
  try {
    // Two seconds to warm up (the JIT, SQLite's cache), not counted.
    await steadyLoad(server.url, 1000, 2);
    const loadAverage = loadavg()[0]!;
    const before = threadCpu(server.pid);
    const load = steady
      ? await steadyLoad(server.url, 1000, seconds)
      : await cannon({ ...recordRequests(server.url, 40_000, seconds), connections, duration: seconds });
    return { ...load, cpu: cpuPerRecord(before, threadCpu(server.pid), load.ok), loadAverage };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const variants = [{ name: 'this', code: root }];
if (values.baseline) variants.push({ name: values.baseline, code: checkout(values.baseline) });
process.once('exit', () => {
  for (const v of variants) if (v.code !== root) rmSync(v.code, { recursive: true, force: true });
});

const samples = {
  hello: [] as Load[],
  raw: [] as number[],
  endpoint: new Map(variants.map((v) => [v.name, [] as EndpointLoad[]])),
  steady: new Map(variants.map((v) => [v.name, [] as EndpointLoad[]])),
};
const show = (l: EndpointLoad) =>
  `${l.requestsPerSecond.toFixed(0)}/s p99 ${l.p99} ms, ${l.cpu.total!.toFixed(0)} µs CPU a record (load average ${l.loadAverage.toFixed(1)})`;
for (let run = 1; run <= runs; run++) {
  for (const v of variants) samples.endpoint.get(v.name)!.push(await endpointLoad(v.code, false));
  samples.hello.push(await helloRun());
  samples.raw.push(await rawRun());
  for (const v of variants) samples.steady.get(v.name)!.push(await endpointLoad(v.code, true));
  for (const v of variants) {
    console.error(
      `run ${run}/${runs} ${v.name}: endpoint ${show(samples.endpoint.get(v.name)!.at(-1)!)}; at 1,000/s ${show(samples.steady.get(v.name)!.at(-1)!)}`,
    );
  }
  console.error(
    `run ${run}/${runs}: hello ${samples.hello.at(-1)!.requestsPerSecond.toFixed(0)}/s, raw ${samples.raw.at(-1)!.toFixed(0)}/s`,
  );
}

/** Per thread role, the median over the runs of microseconds per record. */
function medianCpu(loads: EndpointLoad[]): CpuPerRecord {
  const roles = new Set(loads.flatMap((l) => Object.keys(l.cpu)));
  return Object.fromEntries([...roles].map((role) => [role, median(loads.map((l) => l.cpu[role] ?? 0))]));
}

function summary(name: string) {
  const endpoint = samples.endpoint.get(name)!;
  const steady = samples.steady.get(name)!;
  return {
    durableRecordsPerSecond: median(endpoint.map((l) => l.requestsPerSecond)),
    endpointLatencyMs: { p50: median(endpoint.map((l) => l.p50)), p99: median(endpoint.map((l) => l.p99)) },
    endpointErrors: endpoint.reduce((n, l) => n + l.errors, 0),
    cpuMicrosecondsPerRecord: medianCpu(endpoint),
    loadAverages: endpoint.map((l) => l.loadAverage),
    at1000PerSecond: {
      recordsPerSecond: median(steady.map((l) => l.requestsPerSecond)),
      p50: median(steady.map((l) => l.p50)),
      p99: median(steady.map((l) => l.p99)),
      cpuMicrosecondsPerRecord: medianCpu(steady),
      loadAverages: steady.map((l) => l.loadAverage),
    },
  };
}

const hello = median(samples.hello.map((l) => l.requestsPerSecond));
const raw = median(samples.raw);
const current = summary('this');
const result = {
  date: new Date().toISOString(),
  node: process.version,
  seconds,
  connections,
  runs,
  ...current,
  helloWorldPerSecond: hello,
  rawSingleRowInsertsPerSecond: raw,
  ratioToRawInserts: current.durableRecordsPerSecond / raw,
  ratioToHelloWorld: current.durableRecordsPerSecond / hello,
  ...(values.baseline
    ? {
        baseline: {
          commit: values.baseline,
          ...summary(values.baseline),
          // Each run's own ratio (this / baseline), then their median: runs share the machine's moment.
          medianRatioOfRecordsPerSecond: median(
            samples.endpoint
              .get('this')!
              .map(
                (l, i) => l.requestsPerSecond / samples.endpoint.get(values.baseline!)![i]!.requestsPerSecond,
              ),
          ),
          medianRatioOfCpuPerRecord: median(
            samples.endpoint
              .get('this')!
              .map((l, i) => l.cpu.total! / samples.endpoint.get(values.baseline!)![i]!.cpu.total!),
          ),
        },
      }
    : {}),
};

const cpuLine = (cpu: CpuPerRecord) =>
  Object.entries(cpu)
    .filter(([role]) => role !== 'total')
    .sort((a, b) => b[1] - a[1])
    .map(([role, us]) => `${role} ${us.toFixed(0)}`)
    .join(', ');
const rows: Array<[string, string, string]> = [
  [
    'durable records/s (POST /v1/records, SQLite)',
    result.durableRecordsPerSecond.toFixed(0),
    `p50 ${result.endpointLatencyMs.p50} ms, p99 ${result.endpointLatencyMs.p99} ms`,
  ],
  [
    '  CPU µs a record',
    result.cpuMicrosecondsPerRecord.total!.toFixed(0),
    cpuLine(result.cpuMicrosecondsPerRecord),
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
  [
    '  CPU µs a record',
    result.at1000PerSecond.cpuMicrosecondsPerRecord.total!.toFixed(0),
    cpuLine(result.at1000PerSecond.cpuMicrosecondsPerRecord),
  ],
];
if (result.baseline) {
  const b = result.baseline;
  rows.push(
    [
      `baseline ${b.commit}: durable records/s`,
      b.durableRecordsPerSecond.toFixed(0),
      `p99 ${b.endpointLatencyMs.p99} ms; this / baseline, median of the runs' ratios: ${b.medianRatioOfRecordsPerSecond.toFixed(2)}×`,
    ],
    [
      '  CPU µs a record',
      b.cpuMicrosecondsPerRecord.total!.toFixed(0),
      `${cpuLine(b.cpuMicrosecondsPerRecord)}; this / baseline: ${b.medianRatioOfCpuPerRecord.toFixed(2)}×`,
    ],
    [
      `baseline ${b.commit}: at a steady 1,000 records/s`,
      b.at1000PerSecond.recordsPerSecond.toFixed(0),
      `p50 ${b.at1000PerSecond.p50} ms, p99 ${b.at1000PerSecond.p99} ms`,
    ],
    [
      '  CPU µs a record',
      b.at1000PerSecond.cpuMicrosecondsPerRecord.total!.toFixed(0),
      cpuLine(b.at1000PerSecond.cpuMicrosecondsPerRecord),
    ],
  );
}
console.log(`medians of ${runs} runs of ${seconds} s, ${connections} connections, ${process.version}`);
for (const [what, value, note] of rows) console.log(`${what.padEnd(48)} ${value.padStart(8)}   ${note}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/endpoint.json'), `${JSON.stringify(result, null, 2)}\n`);
