/**
 * One endpoint process per SQLite data folder: two writers would each think they hold the end
 * of the chain. The lock is an operating-system lock (POSIX fcntl, taken by SQLite on a small
 * file of its own, `assent.lock`), so it goes when its process goes, even on SIGKILL or a
 * crash: no stale lock file to clean up by hand.
 *
 * Why SQLite: it already ships in the process, and in EXCLUSIVE locking mode a connection that
 * has written holds its file's exclusive lock until it closes.
 * https://www.sqlite.org/pragma.html#pragma_locking_mode
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../private-files.ts';

export const LOCK_FILE = 'assent.lock';

export class DataFolderBusyError extends Error {}

export interface DataFolderLock {
  release(): void;
}

export function lockDataFolder(dataDir: string): DataFolderLock {
  const file = join(dataDir, LOCK_FILE);
  createPrivateFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.transaction(() => {
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    }).exclusive();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DataFolderBusyError(
        `another Assent endpoint is already using the data folder ${dataDir} (it holds ${file}); stop it first, or give this one another --data folder. One endpoint process may use a data folder; for several, use PostgreSQL (--database).`,
      );
    }
    throw error;
  }
  return { release: () => db.close() };
}
