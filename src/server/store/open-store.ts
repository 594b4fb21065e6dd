import type { ServerConfig } from '../config.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import { openPostgresReader, openPostgresStore } from './postgres-store.ts';
import type { RecordReader, RecordStore } from './record-store.ts';
import { openSqliteReader, openSqliteStore } from './sqlite-store.ts';

type StoreSettings = Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'commitWindowMs'>;

/**
 * PostgreSQL when a database URL is configured, otherwise SQLite in the data folder.
 * `onProblem` hears of failed housekeeping (SQLite's subject index and checkpoints).
 */
export async function openStore(
  config: StoreSettings,
  keys: SubjectKeys,
  onProblem?: (message: string) => void,
): Promise<RecordStore> {
  const writing = { commitWindowMs: config.commitWindowMs, keys };
  return config.databaseUrl
    ? openPostgresStore(config.databaseUrl, writing)
    : openSqliteStore(config.dataDir, { ...writing, ...(onProblem ? { onProblem } : {}) });
}

/** The same store, for reading only (verify, export): needs no HMAC keys. */
export async function openReader(config: StoreSettings): Promise<RecordReader> {
  return config.databaseUrl ? openPostgresReader(config.databaseUrl) : openSqliteReader(config.dataDir);
}
