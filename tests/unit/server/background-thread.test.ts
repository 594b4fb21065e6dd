import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

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

describe.runIf(process.platform === 'linux')('yieldToRequests', () => {
  it("lowers the calling thread's priority, and only that thread's", async () => {
    const before = niceOfMainThread();
    const answer = await inWorker(10);
    expect(answer).toEqual({ lowered: true, nice: 10 });
    expect(niceOfMainThread()).toBe(before);
  });
});
