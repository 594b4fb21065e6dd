/**
 * Housekeeping for the SQLite store, in a thread of its own so that it never delays a commit:
 * it brings the subject index up to date, and it checkpoints the write-ahead log (copies it
 * into the database file) with a PASSIVE checkpoint, which runs beside the writer instead of
 * inside one of its commits as SQLite's automatic checkpoint would. A PASSIVE checkpoint never
 * waits, so under steady load (or a long export holding an old snapshot) it may never reach the
 * end of the log, and the log grows without bound. Past `walLimitBytes` the checkpoint
 * escalates: RESTART (waits for the writer, then new commits start again at the beginning of
 * the log), and past four times the limit TRUNCATE (also gives the disk space back).
 * https://www.sqlite.org/c3ref/wal_checkpoint_v2.html
 *
 * Messages in: { type: 'close' }. Messages out: { type: 'problem', message } (a round failed;
 * the next one tries again) and { type: 'closed' }.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { yieldToRequests } from '../background-thread.ts';
import { discardIfStale, indexNewRecords, openSubjectIndex } from './sqlite-subjects.ts';

export interface MaintainerOptions {
  recordsFile: string;
  subjectsFile: string;
  /** Pause between rounds, in milliseconds. */
  intervalMs: number;
  /** Log size past which checkpoints escalate (default 64 MiB). */
  walLimitBytes?: number;
}

const walLimit = (workerData as MaintainerOptions).walLimitBytes ?? 64 * 1024 * 1024;

// Below the request and writer threads, though less far than the stats thread: its checkpoints
// keep the write-ahead log short, and under overload it still gets about a quarter of a core.
yieldToRequests(5);

function walSize(): number {
  try {
    return statSync(`${options.recordsFile}-wal`).size;
  } catch {
    return 0;
  }
}

const options = workerData as MaintainerOptions;
const subjects = openSubjectIndex(options.subjectsFile);
subjects.pragma('busy_timeout = 5000');
subjects.prepare('ATTACH DATABASE ? AS rec').run(options.recordsFile);

function round(): void {
  try {
    if (discardIfStale(subjects)) {
      parentPort!.postMessage({
        type: 'problem',
        message: `${options.subjectsFile} did not match the records (were they restored from a backup?); rebuilding it`,
      });
    }
    // Catch up in slices, so a long backlog does not hold the index's write lock for long.
    while (indexNewRecords(subjects, 5000) === 5000);
    subjects.pragma('rec.wal_checkpoint(PASSIVE)');
    const size = walSize();
    if (size > 4 * walLimit) subjects.pragma('rec.wal_checkpoint(TRUNCATE)');
    else if (size > walLimit) subjects.pragma('rec.wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort!.postMessage({ type: 'problem', message: (error as Error).message });
  }
}

// A first round at once, so that an index that no longer matches the records is found early.
round();
const timer = setInterval(round, options.intervalMs);

parentPort!.on('message', (message: { type: 'close' }) => {
  if (message.type !== 'close') return;
  clearInterval(timer);
  round();
  subjects.close();
  parentPort!.postMessage({ type: 'closed' });
});
