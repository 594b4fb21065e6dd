/**
 * Housekeeping for the SQLite store, in a thread of its own so that it never delays a commit:
 * it brings the subject index up to date, and it checkpoints the write-ahead log (copies it
 * into the database file) with a PASSIVE checkpoint, which runs beside the writer instead of
 * inside one of its commits as SQLite's automatic checkpoint would.
 *
 * Messages in: { type: 'close' }. Messages out: { type: 'problem', message } (a round failed;
 * the next one tries again) and { type: 'closed' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexNewRecords, openSubjectIndex } from './sqlite-subjects.ts';

export interface MaintainerOptions {
  recordsFile: string;
  subjectsFile: string;
  /** Pause between rounds, in milliseconds. */
  intervalMs: number;
}

const options = workerData as MaintainerOptions;
const subjects = openSubjectIndex(options.subjectsFile);
subjects.pragma('busy_timeout = 5000');
subjects.prepare('ATTACH DATABASE ? AS rec').run(options.recordsFile);

function round(): void {
  try {
    // Catch up in slices, so a long backlog does not hold the index's write lock for long.
    while (indexNewRecords(subjects, 5000) === 5000);
    subjects.pragma('rec.wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort!.postMessage({ type: 'problem', message: (error as Error).message });
  }
}

const timer = setInterval(round, options.intervalMs);

parentPort!.on('message', (message: { type: 'close' }) => {
  if (message.type !== 'close') return;
  clearInterval(timer);
  round();
  subjects.close();
  parentPort!.postMessage({ type: 'closed' });
});
