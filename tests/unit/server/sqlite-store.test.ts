import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { openSqliteStore, SQLITE_FILE } from '../../../src/server/store/sqlite-store.ts';
import { SUBJECTS_FILE } from '../../../src/server/store/sqlite-subjects.ts';
import { pseudonymise } from '../../../src/server/subject-keys.ts';
import { acceptance, draft, testKeys } from '../../helpers/records.ts';
import type { CheckpointSettings } from '../../../src/server/store/checkpointing.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
  const open = async (keys = testKeys, checkpoints?: CheckpointSettings) =>
    openSqliteStore(dir, { commitWindowMs: 1, keys, ...(checkpoints ? { checkpoints } : {}) });
  return {
    create: open,
    reopen: open,
    async sql(statement) {
      const db = new Database(join(dir, SQLITE_FILE));
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    disableAppendOnly: 'DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;',
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite subject index', () => {
  it('catches up shortly after commits, and lookups are complete before and after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const store = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      const alice = acceptance({ subject: { kind: 'user', id: 'alice' } });
      await store.append([draft(alice), draft()]);
      const lookup = async () =>
        (await store.bySubject([pseudonymise(testKeys, 'alice').hash])).map((r) => r.id);
      expect(await lookup()).toEqual([alice.id]);
      await vi.waitFor(() => expect(store.subjectIndexReach()).toBe(2));
      expect(await lookup()).toEqual([alice.id]);
      const later = acceptance({ subject: { kind: 'user', id: 'alice' }, type: 'declined' });
      await store.append([draft(later)]);
      expect(await lookup()).toEqual([alice.id, later.id]);
    } finally {
      await store.close();
    }
  });

  it('is rebuilt from the records when its file is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const first = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    await first.append([draft(acceptance({ subject: { kind: 'user', id: 'bob' } }))]);
    await vi.waitFor(() => expect(first.subjectIndexReach()).toBe(1));
    await first.close();
    rmSync(join(dir, SUBJECTS_FILE));
    const second = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      // The new threads start (and load their modules) first: about a second on two busy cores.
      await vi.waitFor(() => expect(second.subjectIndexReach()).toBe(1), { timeout: 5000 });
      expect(await second.bySubject([pseudonymise(testKeys, 'bob').hash])).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("returns only the asked subject's records after assent.sqlite is restored from an older backup", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const backup = join(mkdtempSync(join(tmpdir(), 'assent-backup-')), SQLITE_FILE);
    const open = () => openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    const as = (id: string) => draft(acceptance({ subject: { kind: 'user', id } }));
    const ids = async (store: ReturnType<typeof open>, subject: string) =>
      (await store.bySubject([pseudonymise(testKeys, subject).hash])).map((r) => r.id);

    const first = open();
    await first.append([as('a')]);
    await first.close();
    copyFileSync(join(dir, SQLITE_FILE), backup);
    const second = open();
    await second.append([as('c')]);
    await second.append([as('c')]);
    await second.append([as('c')]);
    await vi.waitFor(() => expect(second.subjectIndexReach()).toBe(4));
    await second.close();

    // The records go back to the backup; the subject index, derived data, is left as it was.
    copyFileSync(backup, join(dir, SQLITE_FILE));
    const third = open();
    try {
      const b = [as('b'), as('b'), as('b')];
      for (const record of b) await third.append([record]);
      const expected = b.map((d) => d.input.id);
      expect(await ids(third, 'b')).toEqual(expected);
      expect(await ids(third, 'c')).toEqual([]);
      await vi.waitFor(() => expect(third.subjectIndexReach()).toBe(4));
      expect(await ids(third, 'b')).toEqual(expected);
      expect(await ids(third, 'c')).toEqual([]);
    } finally {
      await third.close();
    }
  });
});

describe('SQLite data folder', () => {
  it('refuses a second store on a data folder in use, naming the folder, and frees it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const first = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys });
    expect(() => openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys })).toThrow(
      `another Assent endpoint is already using the data folder ${dir}`,
    );
    await first.append([draft()]);
    await first.close();
    const second = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys });
    expect(await second.count()).toBe(1);
    await second.close();
  });
});

describe('SQLite write-ahead log', () => {
  it('is truncated once it grows past its limit, though appends keep coming', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const store = openSqliteStore(dir, {
      commitWindowMs: 0,
      keys: testKeys,
      maintenanceIntervalMs: 20,
      walLimitBytes: 4096,
    });
    try {
      for (let i = 0; i < 20; i++) await store.append([draft(), draft()]);
      const wal = join(dir, `${SQLITE_FILE}-wal`);
      await vi.waitFor(() => expect(statSync(wal).size).toBe(0), { timeout: 5_000 });
      expect(await store.count()).toBe(40);
    } finally {
      await store.close();
    }
  });
});
