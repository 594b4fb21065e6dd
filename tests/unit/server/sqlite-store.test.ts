import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { openSqliteStore, SQLITE_FILE } from '../../../src/server/store/sqlite-store.ts';
import { SUBJECTS_FILE } from '../../../src/server/store/sqlite-subjects.ts';
import { pseudonymise } from '../../../src/server/subject-keys.ts';
import { acceptance, draft, testKeys } from '../../helpers/records.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
  const open = async () => openSqliteStore(dir, { commitWindowMs: 1, keys: testKeys });
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
      await vi.waitFor(() => expect(second.subjectIndexReach()).toBe(1));
      expect(await second.bySubject([pseudonymise(testKeys, 'bob').hash])).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
