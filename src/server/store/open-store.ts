import type { ServerConfig } from '../config.ts';
import { maskCredentials } from '../secret-text.ts';
import type { SubjectKeys } from '../subject-keys.ts';
import type { CheckpointSettings } from './checkpointing.ts';
import { openPostgresReader, openPostgresStore } from './postgres-store.ts';
import type { RecordReader, RecordStore } from './record-store.ts';
import { openSqliteReader, openSqliteStore } from './sqlite-store.ts';

type StoreSettings = Pick<ServerConfig, 'databaseUrl' | 'dataDir' | 'commitWindowMs'> &
  Partial<Pick<ServerConfig, 'allowAsynchronousCommit'>>;

/**
 * PostgreSQL when a database URL is configured, otherwise SQLite in the data folder.
 * `onProblem` hears of failed housekeeping (SQLite's subject index and checkpoints) and of
 * lost PostgreSQL connections. With `checkpoints`, the store signs checkpoints of its tree.
 */
export async function openStore(
  config: StoreSettings,
  keys: SubjectKeys,
  onProblem?: (message: string) => void,
  checkpoints?: CheckpointSettings,
): Promise<RecordStore> {
  const writing = {
    commitWindowMs: config.commitWindowMs,
    keys,
    ...(onProblem ? { onProblem } : {}),
    ...(checkpoints ? { checkpoints } : {}),
  };
  return masked(async () =>
    config.databaseUrl
      ? openPostgresStore(config.databaseUrl, {
          ...writing,
          allowAsynchronousCommit: config.allowAsynchronousCommit ?? false,
        })
      : openSqliteStore(config.dataDir, writing),
  );
}

/** The same store, for reading only (verify, export): needs no HMAC keys. */
export async function openReader(config: StoreSettings): Promise<RecordReader> {
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
