/**
 * bench/endpoint/export-memory: how much memory the endpoint takes to answer the operator
 * exports over a large store, where one subject holds half the records (every acceptance is
 * `user-42`'s): `POST /v1/subject-records` (JSON), `POST /v1/subject-records.csv` and
 * `GET /v1/export` (NDJSON). For each: the endpoint process's peak anonymous resident memory
 * (RssAnon: not the database pages SQLite maps) while it answers, above what it held just
 * before, the bytes sent and the time taken.
 *
 * With `--baseline DIR` (a checkout of an earlier commit with its node_modules, e.g.
 * `mkdir /tmp/assent-before && git archive <commit> | tar -x -C /tmp/assent-before &&
 * ln -s $PWD/node_modules /tmp/assent-before/`),
 * the same requests go to that code's endpoint over the same data folder, one after the
 * other, and the answers' SHA-256 are compared: the bytes must be the same.
 *
 * Each request goes to a fresh endpoint process with a V8 heap of `--heap-mib` (default 64 MiB):
 * an answer that is built whole in memory runs out of it, one that streams does not.
 *
 * Linux only (reads /proc/<pid>/status). Everything on 127.0.0.1. Prints a table and writes
 * bench/results/export-memory.json.
 *
 *   node bench/endpoint/export-memory.ts [--records 1000000] [--heap-mib 64] [--baseline DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Manifest } from '../../src/contract/manifest.ts';
import { sampleRows, seedSqlite } from '../../src/preview/sample-records.ts';
import { keyFromHex, type SubjectKeys } from '../../src/server/subject-keys.ts';

const root = join(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    baseline: { type: 'string' },
    'heap-mib': { type: 'string', default: '64' },
  },
});
const recordCount = Number(values.records);

const manifestFile = join(root, 'tests/fixtures/manifest.json');
const manifest: Manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const ORIGIN = 'https://shop.example';
const HMAC = 'ab'.repeat(32);
const TOKEN = 'bench-operator-token-0123456789';
const SUBJECT = 'user-42';
const keys: SubjectKeys = { current: 1, keys: new Map([[1, keyFromHex(HMAC)]]) };

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function startEndpoint(codeDir: string, dataDir: string): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // A small heap: an answer built whole in memory does not fit, one streamed does.
      `--max-old-space-size=${values['heap-mib']}`,
      join(codeDir, 'src/cli/assent.ts'),
      'serve',
      ...['--port', '0', '--data', dataDir, '--manifest', manifestFile],
      ...['--allow-origin', ORIGIN, '--rate-limit', '0', '--operator-token', TOKEN],
    ],
    {
      cwd: codeDir,
      env: { ...process.env, ASSENT_LOG_LEVEL: 'silent', ASSENT_HMAC_SECRET: HMAC },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error('the endpoint exited before listening')));
  });
}

/** CPU time a process (all its threads) has used, in clock ticks. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until the endpoint is idle (under 5 % of a core for a second): its threads fold a new
 * store into the subject index and the stats rollups after start-up, which would otherwise be
 * counted as the export's memory.
 */
async function idle(pid: number): Promise<void> {
  for (;;) {
    const before = cpuTicks(pid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Ticks are usually 1/100 s: 5 ticks in a second is 5 % of a core.
    if (cpuTicks(pid) - before < 5) return;
  }
}

/**
 * Anonymous resident memory of a process, in bytes: its heaps and buffers, without the pages
 * of the database file SQLite maps into memory (which the kernel may drop at any time).
 */
function rss(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // The process is gone (it ran out of memory, say): its request fails and says so.
  }
  const match = /RssAnon:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

interface Measure {
  /** The status and problem, when the endpoint did not answer 200. */
  failed?: string;
  bytes: number;
  sha256: string;
  seconds: number;
  /** Peak anonymous resident memory while answering, above what the process held just before. */
  peakAboveMiB: number;
}

async function measure(server: Server, path: string, init: RequestInit = {}): Promise<Measure> {
  const before = rss(server.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 20);
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) },
    });
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.ok ? response.body! : []) {
      hash.update(chunk);
      bytes += chunk.length;
      peak = Math.max(peak, rss(server.pid));
    }
    return {
      ...(response.ok ? {} : { failed: `${response.status} ${(await response.text()).slice(0, 200)}` }),
      bytes,
      sha256: hash.digest('hex'),
      seconds: (performance.now() - started) / 1000,
      peakAboveMiB: (peak - before) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

const subjectBody = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ subject: SUBJECT }),
};
const REQUESTS: Record<string, [string, RequestInit?]> = {
  'subject, JSON': ['/v1/subject-records', subjectBody],
  'subject, CSV': ['/v1/subject-records.csv', subjectBody],
  'export, NDJSON': ['/v1/export?format=ndjson'],
};

/** Each request in a fresh endpoint process, so none finds a heap grown by the one before. */
async function run(codeDir: string, dataDir: string): Promise<Record<string, Measure>> {
  const results: Record<string, Measure> = {};
  for (const [name, [path, init]] of Object.entries(REQUESTS)) {
    const server = await startEndpoint(codeDir, dataDir);
    try {
      await idle(server.pid);
      results[name] = await measure(server, path, init).catch((error: Error) => ({
        failed: `no answer: ${error.message}`,
        bytes: 0,
        sha256: '',
        seconds: 0,
        peakAboveMiB: 0,
      }));
      console.error(`${codeDir === root ? 'this code' : 'baseline'}: ${name} done`);
    } finally {
      await server.stop();
    }
  }
  return results;
}

const dataDir = mkdtempSync(join(tmpdir(), 'assent-bench-export-'));
const seeding = performance.now();
seedSqlite(dataDir, sampleRows({ manifest, count: recordCount, days: 365, keys, subject: SUBJECT }));
console.error(`seeded ${recordCount} records in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);

const current = await run(root, dataDir);
const baseline = values.baseline ? await run(values.baseline, dataDir) : undefined;

console.log(
  `${recordCount} records, ${process.version}, heap limit ${values['heap-mib']} MiB; peak anonymous resident memory above idle while answering`,
);
for (const [name, now] of Object.entries(current)) {
  const mib = (m: Measure) =>
    m.failed
      ? `failed (${m.failed.slice(0, 60)})`
      : `${m.peakAboveMiB.toFixed(0)} MiB in ${m.seconds.toFixed(1)} s`;
  const was = baseline?.[name];
  const same = !was || was.failed ? '' : was.sha256 === now.sha256 ? 'same bytes' : 'DIFFERENT BYTES';
  console.log(
    `  ${name.padEnd(16)} ${(now.bytes / 2 ** 20).toFixed(0).padStart(5)} MiB sent   this code ${mib(now)}${was ? `   baseline ${mib(was)}   ${same}` : ''}`,
  );
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/export-memory.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, records: recordCount, current, baseline }, null, 2)}\n`,
);
