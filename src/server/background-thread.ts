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
 */
import { readlinkSync } from 'node:fs';
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
