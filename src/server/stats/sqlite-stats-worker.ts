/**
 * The SQLite stats maintainer, a thread of its own so that it never delays a commit or a
 * request: every `intervalMs` it folds the newly committed records into `stats.sqlite`
 * (sqlite-stats.ts), in slices so that a long backlog never holds its write lock for long.
 *
 * Messages in: { type: 'round' } (one now, answered by { type: 'round' }) and { type: 'close' }.
 * Messages out: { type: 'problem', message } (a round failed; the next one tries again),
 * { type: 'round' } and { type: 'closed' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { yieldToRequests } from '../background-thread.ts';
import { discardStaleStats, openStatsForUpdate, rollUpNewRecords } from './sqlite-stats.ts';

export interface StatsWorkerOptions {
  dataDir: string;
  recordsFile: string;
  intervalMs: number;
}

const options = workerData as StatsWorkerOptions;
// The figures may lag a busy moment (they say how far they reach): requests go first.
yieldToRequests(10);
const db = openStatsForUpdate(options.dataDir, options.recordsFile);

function round(): void {
  try {
    if (discardStaleStats(db)) {
      parentPort!.postMessage({
        type: 'problem',
        message: 'stats.sqlite did not match the records (were they restored from a backup?); rebuilding it',
      });
    }
    while (rollUpNewRecords(db, 2000) === 2000);
  } catch (error) {
    parentPort!.postMessage({ type: 'problem', message: `stats rollup: ${(error as Error).message}` });
  }
}

round();
const timer = setInterval(round, options.intervalMs);

parentPort!.on('message', (message: { type: 'round' | 'close' }) => {
  if (message.type === 'round') {
    round();
    parentPort!.postMessage({ type: 'round' });
    return;
  }
  if (message.type !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort!.postMessage({ type: 'closed' });
});
