import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startEndpointProcess } from '../../helpers/endpoint-process.ts';

const moduleUrl = new URL('../../../src/server/background-thread.ts', import.meta.url).href;

/** The nice value of the calling thread, from /proc (field 19 of stat). */
const NICE_OF_THIS_THREAD = `Number(require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])`;

function inWorker(nice: number): Promise<{ lowered: boolean; nice: number }> {
  const worker = new Worker(
    `import(${JSON.stringify(moduleUrl)}).then(({ yieldToRequests }) => {
       const lowered = yieldToRequests(${nice});
       require('node:worker_threads').parentPort.postMessage({ lowered, nice: ${NICE_OF_THIS_THREAD} });
     });`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (answer) => void worker.terminate().then(() => resolve(answer)));
    worker.once('error', reject);
  });
}

const niceOfMainThread = () =>
  Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);

/** Every thread of a process: its name and nice value, from /proc. */
function threadsOf(pid: number | 'self'): Array<{ name: string; nice: number }> {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]),
    };
  });
}

describe.runIf(process.platform === 'linux')('yieldToRequests', () => {
  it("lowers the calling thread's priority, and only that thread's", async () => {
    const before = niceOfMainThread();
    const answer = await inWorker(10);
    expect(answer).toEqual({ lowered: true, nice: 10 });
    expect(niceOfMainThread()).toBe(before);
  });
});

describe.runIf(process.platform === 'linux')('yieldHelperThreads', () => {
  it("lowers V8's helper threads and no other thread of the process", () => {
    // In a process of its own: the test runner's helpers keep their priority.
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { yieldHelperThreads } = await import(${JSON.stringify(moduleUrl)});
         const { readdirSync, readFileSync } = await import('node:fs');
         const lowered = yieldHelperThreads(10);
         const threads = readdirSync('/proc/self/task').map((tid) => {
           const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
           return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
                    nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
         });
         console.log(JSON.stringify({ lowered, threads }));`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const { lowered, threads } = JSON.parse(child.stdout) as {
      lowered: number;
      threads: Array<{ name: string; nice: number }>;
    };
    const helpers = threads.filter((t) => t.name === 'V8Worker');
    expect(helpers.length).toBeGreaterThan(0);
    expect(lowered).toBe(helpers.length);
    expect(helpers.every((t) => t.nice === 10)).toBe(true);
    expect(threads.filter((t) => t.name !== 'V8Worker').every((t) => t.nice === 0)).toBe(true);
  });

  it('`assent serve` runs its compiler and collector helpers below the request and writer threads', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-helpers-'));
    const endpoint = await startEndpointProcess({ dataDir, operatorToken: 'op-'.repeat(12) });
    try {
      const threads = threadsOf(endpoint.process.pid!);
      const nice = (name: string) => threads.filter((t) => t.name === name).map((t) => t.nice);
      expect(nice('V8Worker').length).toBeGreaterThan(0);
      expect(new Set(nice('V8Worker'))).toEqual(new Set([10]));
      expect(nice('MainThread')).toEqual([0]);
      // The writer thread (first of the worker threads) keeps the request thread's priority.
      expect(nice('WorkerThread')).toContain(0);
    } finally {
      endpoint.process.kill('SIGTERM');
      await endpoint.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
