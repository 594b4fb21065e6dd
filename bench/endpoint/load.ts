/**
 * What the endpoint benchmarks share: the records they post (what the components send), the
 * servers they start (each a process of its own, found by the "listening on <url>" line it
 * prints), and autocannon, the load generator, run in the benchmark's own process.
 *
 *   const server = await startEndpoint(['--data', dir]);
 *   const load = await cannon({ ...recordRequests(server.url, 40_000, 10), connections: 256, duration: 10 });
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { acceptance, manifestFile, PAGE_ORIGIN } from '../../tests/helpers/records.ts';

export const root = join(import.meta.dirname, '../..');

/** What the components send for a click on "accept", each time by another user. */
const record = () => acceptance({ subject: { kind: 'user', id: `user-${randomUUID()}` } });

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startProcess(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ASSENT_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, pid: child.pid!, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error(`${args.join(' ')} exited before listening`)));
  });
}

/**
 * `assent serve` on a free port, taking records from the benchmark's origin, without a rate limit;
 * from another checkout of the project when `code` names one (a baseline to compare against).
 */
export function startEndpoint(
  storeArgs: string[],
  env: Record<string, string> = {},
  code = root,
): Promise<Server> {
  return startProcess(
    [
      join(code, 'src/cli/assent.ts'),
      'serve',
      '--port',
      '0',
      ...storeArgs,
      '--manifest',
      manifestFile,
      '--allow-origin',
      PAGE_ORIGIN,
      '--rate-limit',
      '0',
    ],
    { ASSENT_HMAC_SECRET: 'ab'.repeat(32), ...env },
  );
}

export interface Load {
  requestsPerSecond: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
}

export function cannon(options: autocannon.Options): Promise<Load> {
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
 * `POST /v1/records` to one URL or, connection by connection, to several (autocannon spreads
 * its connections over the URLs in turn), every request a new record. The bodies are made
 * before the clock starts, so that the load generator, which shares the machine's cores,
 * spends its time sending, not building JSON (about 20 µs a request otherwise).
 */
export function recordRequests(urls: string | string[], expectedPerSecond: number, seconds: number) {
  const bodies = Array.from({ length: Math.ceil(expectedPerSecond * seconds * 1.2) }, () =>
    JSON.stringify(record()),
  );
  let next = 0;
  const targets = (Array.isArray(urls) ? urls : [urls]).map((url) => `${url}/v1/records`);
  return {
    // autocannon takes several URLs, though its types name one.
    url: (targets.length === 1 ? targets[0]! : targets) as string,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
    requests: [
      {
        setupRequest: (request: object) => ({ ...request, body: bodies[next++] ?? JSON.stringify(record()) }),
      },
    ],
  };
}

/**
 * `POST /v1/records` at a steady rate, open loop: request i is due at start + i ÷ rate, is sent
 * when due whether or not earlier ones were answered (over a pool of kept-alive connections
 * large enough that none waits for a free one), and its latency runs from when it was due to its
 * answer, so a stall counts against every request it holds up (no coordinated omission).
 *
 * autocannon cannot do this: its `overallRate` lets each connection send as fast as answers
 * come until it has made its share of the second, then waits for the next second, so "1,000
 * records/s" is a burst at full speed followed by silence, and its latencies are those of the
 * burst.
 */
export async function steadyLoad(url: string, perSecond: number, seconds: number): Promise<Load> {
  const total = Math.round(perSecond * seconds);
  const bodies = Array.from({ length: total }, () => JSON.stringify(record()));
  const target = new URL(`${url}/v1/records`);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const send = (i: number) => {
      const due = start + (i * 1000) / perSecond;
      const body = bodies[i]!;
      const done = (status: number) => {
        latencies.push(performance.now() - due);
        if (status >= 200 && status < 300) ok++;
        else errors++;
        if (++answered === total) resolve();
      };
      request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            origin: PAGE_ORIGIN,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => done(response.statusCode ?? 0));
        },
      )
        .on('error', () => done(0))
        .end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  // Milliseconds to a tenth, as autocannon's are whole.
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return {
    requestsPerSecond: ok / ((performance.now() - start) / 1000),
    ok,
    errors,
    p50: at(0.5),
    p99: at(0.99),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The project at `rev` (`git archive`), in a temporary folder that uses this checkout's
 * node_modules: a baseline endpoint to run beside this one (pick a commit with the same
 * dependencies, such as `$(git merge-base HEAD main)`).
 */
export function checkout(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'assent-baseline-'));
  const tar = execFileSync('git', ['archive', '--format=tar', rev], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/**
 * CPU seconds (user + system) each thread of a process has used so far, by thread id, from
 * /proc (Linux). Node names its threads: `MainThread`, `WorkerThread` (worker_threads, in the
 * order they were started), `V8Worker` (the garbage collector's and compiler's helpers), `libuv-worker`.
 */
export function threadCpu(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (USER_HZ, 100 a second)
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}
