import type { ServerConfig } from '../config.ts';
import { makePrivateDir } from '../private-files.ts';
import { maskCredentials } from '../secret-text.ts';
import { loadSigningKeys, type SigningKeys } from '../proof/signing-keys.ts';
import { loadSubjectKeys, type SubjectKeys } from '../subject-keys.ts';
import { checkpointSettings } from './checkpointing.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { openPostgresReader, openPostgresStore } from './postgres-store.ts';
import type { RecordReader, RecordStore } from './record-store.ts';
import { openSqliteReader, openSqliteStore } from './sqlite-store.ts';

type ReaderSettings = Pick<ServerConfig, 'databaseUrl' | 'dataDir'>;

/** A store ready to take records, the keys it pseudonymises subjects with, and the signing keys. */
export interface OpenedStore {
  store: RecordStore;
  keys: SubjectKeys;
  /** Receipts and checkpoints are signed with the current one (see src/server/proof/). */
  signing: SigningKeys;
}

/**
 * PostgreSQL when a database URL is configured, otherwise SQLite in the data folder.
 * `onProblem` hears of failed housekeeping (SQLite's subject index and checkpoints) and of
 * lost PostgreSQL connections. The store signs checkpoints of its Merkle tree with the signing
 * key from the data folder (generated there on first start).
 */
export async function openStore(
  config: ServerConfig,
  onProblem?: (message: string) => void,
): Promise<OpenedStore> {
  const writing = { commitWindowMs: config.commitWindowMs, ...(onProblem ? { onProblem } : {}) };
  return masked(async () => {
    if (config.databaseUrl) {
      const keys = loadSubjectKeys(config);
      const signing = loadSigningKeys(config.dataDir);
      const store = await openPostgresStore(config.databaseUrl, {
        ...writing,
        keys,
        checkpoints: checkpointSettings(config, signing.current.portable),
        allowAsynchronousCommit: config.allowAsynchronousCommit,
      });
      return { store, keys, signing };
    }
    // The folder is locked before anything is written into it: a second process is refused
    // before it could generate a key file of its own beside the first one's records.
    makePrivateDir(config.dataDir);
    const lock = lockDataFolder(config.dataDir);
    try {
      const keys = loadSubjectKeys(config);
      const signing = loadSigningKeys(config.dataDir);
      const checkpoints = checkpointSettings(config, signing.current.portable);
      return {
        store: openSqliteStore(config.dataDir, { ...writing, keys, checkpoints }, lock),
        keys,
        signing,
      };
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
