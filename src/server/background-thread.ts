/**
 * Housekeeping threads (the SQLite maintainer, the stats rollups) give way to the threads that
 * answer requests. On a machine with few cores, a housekeeping round that runs while the
 * request thread and the SQLite writer are busy takes a core from them for its whole length,
 * and every request in flight waits that long: the tail of the latency. A thread that lowers
 * its own scheduling priority (a higher nice value) still gets the idle time, which is most of
 * the time, and yields when the request path needs the cores.
 *
 * Linux schedules threads one by one: setpriority(2) on the thread's own id (read from
 * /proc/thread-self) lowers this thread alone. Elsewhere, or if it is refused, nothing changes.
 *
 *   yieldToRequests(10); // at the top of a worker thread's module
 *
 * V8's own helper threads are housekeeping too: `yieldHelperThreads` lowers them the same way.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Lowers the calling thread's priority to `nice` (1 … 19; higher gives way more); true if it did. */
export function yieldToRequests(nice: number): boolean {
  try {
    // "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lowers V8's helper threads in this process (the pool Node names "V8Worker", shared by the
 * main thread and every worker thread) to `nice`; returns how many it lowered (0 where there is
 * no /proc).
 *
 * They compile hot functions with the optimizing compiler (TurboFan) and do the garbage
 * collector's concurrent marking and sweeping: work that can wait for an idle core. At a steady
 * 1,000 records/s a fresh endpoint sends its whole request path to TurboFan at once, about
 * 10,000 requests after it starts (60-odd functions: Node's HTTP parsing and streams, Fastify,
 * the validators, the writer's hashing and tree), and at the same priority as the request and
 * writer threads those jobs took the two cores of the machine the figures come from for a few
 * hundred milliseconds: the one stall of 40 to 180 ms every endpoint had (README, "Record
 * endpoint"). Below them, the compiler gets the idle time, which at that load is most of it.
 *
 * Not far below: the collector's parallel phases (a scavenge) make the thread that collects
 * wait for the helpers that took part. At nice 19 a helper held up by other processes kept a
 * scavenge waiting 270 to 300 ms. At 10 (the stats thread's) the longest scavenge of a run grew
 * too, though less (README, "The stall, found"); the p99 at 1,000 records/s, which counts them,
 * still fell.
 */
export function yieldHelperThreads(nice: number): number {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== 'V8Worker') continue;
      setPriority(Number(tid), nice);
      lowered++;
    } catch {
      // The thread ended meanwhile, or the change was refused: it keeps its priority.
    }
  }
  return lowered;
}
