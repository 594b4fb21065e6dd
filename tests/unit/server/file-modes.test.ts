/**
 * The data folder holds evidence and the HMAC key: only its owner may read it, and the key,
 * once generated, must survive a power cut (or every subject id stored since is unfindable).
 */
import fs, { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadServerConfig } from '../../../src/server/config.ts';
import { openSqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { loadSubjectKeys } from '../../../src/server/subject-keys.ts';
import { draft, testKeys } from '../../helpers/records.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});

describe('files in the data folder', () => {
  it('creates the data folder 0700 and every database file 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'assent-modes-')), 'data', 'nested');
    const store = openSqliteStore(dataDir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      await store.append([draft()]);
      await vi.waitFor(() => expect(store.subjectIndexReach()).toBe(1));
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, '..'))).toBe(0o700);
      const files = readdirSync(dataDir);
      expect(files).toEqual(
        expect.arrayContaining(['assent.sqlite', 'assent.sqlite-wal', 'subjects.sqlite']),
      );
      for (const file of files) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    } finally {
      await store.close();
    }
  });

  it('creates the key file 0600 in a 0700 folder, and syncs both to disk', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'assent-modes-')), 'data');
    const fsync = vi.spyOn(fs, 'fsyncSync');
    syncBuiltinESMExports();
    loadSubjectKeys(loadServerConfig({ env: {}, flags: { dataDir } }));
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'hmac-keys.json'))).toBe(0o600);
    // The file's contents, then the folder's entry for it (a new file is not durable until its
    // directory is synced: fsync(2), "Notes").
    expect(fsync).toHaveBeenCalledTimes(2);
  });
});
