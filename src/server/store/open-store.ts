import type { ServerConfig } from '../config.ts';
import { makePrivateDir } from '../private-files.ts';
import { maskCredentials } from '../secret-text.ts';
import { loadSubjectKeys, type SubjectKeys } from '../subject-keys.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { openPostgresReader, openPostgresStore } from './postgres-store.ts';
import type { RecordReader, RecordStore } from './record-store.ts';
import { openSqliteReader, openSqliteStore } from './sqlite-store.ts';

type ReaderSettings = Pick<ServerConfig, 'databaseUrl' | 'dataDir'>;

/** A store ready to take records, and the keys it pseudonymises subjects with. */
export interface OpenedStore {
  store: RecordStore;
  keys: SubjectKeys;
}

/**
 * PostgreSQL when a database URL is configured, otherwise SQLite in the data folder.
 * `onProblem` hears of failed housekeeping (SQLite's subject index and checkpoints) and of
 * lost PostgreSQL connections.
 */
export async function openStore(
  config: ServerConfig,
  onProblem?: (message: string) => void,
): Promise<OpenedStore> {
  const writing = { commitWindowMs: config.commitWindowMs, ...(onProblem ? { onProblem } : {}) };
  return masked(async () => {
    if (config.databaseUrl) {
      const keys = loadSubjectKeys(config);
      const store = await openPostgresStore(config.databaseUrl, {
        ...writing,
        keys,
        allowAsynchronousCommit: config.allowAsynchronousCommit,
      });
      return { store, keys };
    }
    // The folder is locked before anything is written into it: a second process is refused
    // before it could generate a key file of its own beside the first one's records.
    makePrivateDir(config.dataDir);
    const lock = lockDataFolder(config.dataDir);
    try {
      const keys = loadSubjectKeys(config);
      return { store: openSqliteStore(config.dataDir, { ...writing, keys }, lock), keys };
    } catch (error) {
      lock.release();
      throw error;
    }
  });
}

/** The same store, for reading only (verify, export): needs no HMAC keys. */
export async function openReader(config: ReaderSettings): Promise<RecordReader> {
  return masked(async () =>
    config.databaseUrl ? openPostgresReader(config.databaseUrl) : openSqliteReader(config.dataDir),
  );
}

/** A driver's error may quote the connection string: its password never reaches a message. */
async function masked<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof Error) error.message = maskCredentials(error.message);
    throw error;
  }
}
