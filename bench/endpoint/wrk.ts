/**
 * wrk (a C load generator, Debian's `wrk` package) as the benchmarks' load where it is
 * installed. autocannon, in the benchmark's own process, costs about 100 µs of processor a
 * request on this project's two-core machine: at 4,000 requests a second, two fifths of a core
 * taken from the endpoint it measures. wrk costs a tenth of that. The requests are made here,
 * ahead of the clock, and written to a file that bench/endpoint/wrk-requests.lua sends round and
 * round.
 *
 *   if (wrkInstalled()) {
 *     const run = wrk(url, [{ path: '/v1/standing?…', headers: { authorization } }], { connections: 16, seconds: 10 });
 *   }
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkRequest {
  path: string;
  headers?: Record<string, string>;
}

export interface WrkRun {
  ok: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

let installed: boolean | undefined;

/** Whether `wrk` is on PATH (checked once). */
export function wrkInstalled(): boolean {
  if (installed === undefined) {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      installed = true;
    } catch (error) {
      // wrk prints its version and exits with 1; only a missing program is "not installed".
      installed = (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  }
  return installed;
}

/**
 * `requests` sent over `connections` for `seconds` (closed loop: each connection sends its next
 * request when the answer to the last one is in), by as many wrk threads as connections allow,
 * up to two.
 */
export function wrk(
  url: string,
  requests: readonly WrkRequest[],
  options: { connections: number; seconds: number },
): WrkRun {
  const dir = mkdtempSync(join(tmpdir(), 'assent-wrk-'));
  try {
    const file = join(dir, 'requests.tsv');
    const line = (r: WrkRequest) =>
      [r.path, ...Object.entries(r.headers ?? {}).map(([name, value]) => `${name}: ${value}`)].join('\t');
    writeFileSync(file, `${requests.map(line).join('\n')}\n`);
    const threads = Math.min(2, options.connections);
    const out = execFileSync(
      'wrk',
      [
        `-t${threads}`,
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        '--timeout',
        '10s',
        '-s',
        join(import.meta.dirname, 'wrk-requests.lua'),
        url,
      ],
      { encoding: 'utf8', env: { ...process.env, WRK_REQUESTS: file }, maxBuffer: 1 << 24 },
    );
    const summary = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as {
      requests: number;
      microseconds: number;
      non2xx: number;
      errors: number;
      p50: number;
      p99: number;
    };
    return {
      ok: summary.requests - summary.non2xx,
      failed: summary.non2xx + summary.errors,
      seconds: summary.microseconds / 1e6,
      p50Ms: summary.p50 / 1000,
      p99Ms: summary.p99 / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
