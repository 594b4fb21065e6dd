import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fromBase64 } from '../../../src/contract/proof/bytes.ts';
import { recordLeafData } from '../../../src/contract/proof/merkle.ts';
import type { StoredRecord } from '../../../src/contract/record.ts';
import { inclusionAnswer } from '../../../src/server/proof/proof-answers.ts';
import { PAGE_SIZE } from '../../../src/server/store/record-store.ts';
import { openSqliteStore, SQLITE_FILE, type SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { SUBJECTS_FILE } from '../../../src/server/store/sqlite-subjects.ts';
import { pseudonymise } from '../../../src/server/subject-keys.ts';
import { acceptance, draft, testKeys } from '../../helpers/records.ts';
import type { CheckpointSettings } from '../../../src/server/store/checkpointing.ts';
import { recordHashes } from '../../helpers/proof.ts';
import { mth, refVerifyInclusion } from '../proof/rfc9162-reference.ts';
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

/**
 * A subject's records as subjectRecords streams them, checked to be what assentsOf finds of
 * them (the acceptances and acknowledgements: the two read the index their own way).
 */
async function found(store: SqliteStore, subject: string): Promise<StoredRecord[]> {
  const hashes = [pseudonymise(testKeys, subject).hash];
  const streamed: StoredRecord[] = [];
  for await (const record of store.subjectRecords(hashes)) streamed.push(record);
  const assents = await store.assentsOf(hashes, [acceptance().document!.slug]);
  expect(assents.map((r) => r.id)).toEqual(
    streamed.filter((r) => r.type === 'accepted' || r.type === 'acknowledged').map((r) => r.id),
  );
  return streamed;
}

describe('SQLite subject index', () => {
  it('streams a subject past a page along the index, then the records since', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const store = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      const batch = Array.from({ length: PAGE_SIZE + 300 }, (_, i) =>
        draft(acceptance({ subject: { kind: 'user', id: i % 5 ? 'alice' : 'bob' } })),
      );
      for (let i = 0; i < batch.length; i += 100) await store.append(batch.slice(i, i + 100));
      await vi.waitFor(() => expect(store.subjectIndexReach()).toBe(PAGE_SIZE + 300), { timeout: 10_000 });
      await store.append([draft(acceptance({ subject: { kind: 'user', id: 'alice' } })), draft()]);
      expect(await found(store, 'alice')).toHaveLength(1040 + 1);
    } finally {
      await store.close();
    }
  });

  it('catches up shortly after commits, and lookups are complete before and after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const store = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      const alice = acceptance({ subject: { kind: 'user', id: 'alice' } });
      await store.append([draft(alice), draft()]);
      const lookup = async () => (await found(store, 'alice')).map((r) => r.id);
      expect(await lookup()).toEqual([alice.id]);
      await vi.waitFor(() => expect(store.subjectIndexReach()).toBe(2), { timeout: 10_000 });
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
    await vi.waitFor(() => expect(first.subjectIndexReach()).toBe(1), { timeout: 10_000 });
    await first.close();
    rmSync(join(dir, SUBJECTS_FILE));
    const second = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys, maintenanceIntervalMs: 20 });
    try {
      // The new threads start (and load their modules) first: about a second on two busy cores.
      await vi.waitFor(() => expect(second.subjectIndexReach()).toBe(1), { timeout: 10_000 });
      expect(await found(second, 'bob')).toHaveLength(1);
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
      (await found(store, subject)).map((r) => r.id);

    const first = open();
    await first.append([as('a')]);
    await first.close();
    copyFileSync(join(dir, SQLITE_FILE), backup);
    const second = open();
    await second.append([as('c')]);
    await second.append([as('c')]);
    await second.append([as('c')]);
    await vi.waitFor(() => expect(second.subjectIndexReach()).toBe(4), { timeout: 10_000 });
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
      await vi.waitFor(() => expect(third.subjectIndexReach()).toBe(4), { timeout: 10_000 });
      expect(await ids(third, 'b')).toEqual(expected);
      expect(await ids(third, 'c')).toEqual([]);
    } finally {
      await third.close();
    }
  });
});

describe('SQLite Merkle rows', () => {
  it('answers proofs that verify, read from the database and again from the rows it keeps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
    const store = openSqliteStore(dir, { commitWindowMs: 0, keys: testKeys });
    try {
      // Past 2,048 records, so that rows of subtrees of 1,024 and 2,048 leaves exist.
      for (let i = 0; i < 6; i++) await store.append(Array.from({ length: 500 }, () => draft()));
      const leaves = (await recordHashes(store)).map(recordLeafData);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: leaves.length }), fc.nat(), async (n, pick) => {
          const seq = 1 + (pick % n);
          const root = mth(leaves.slice(0, n));
          for (let time = 0; time < 2; time++) {
            const { path } = await inclusionAnswer(store, seq, n);
            expect(refVerifyInclusion(seq - 1, n, leaves[seq - 1]!, path.map(fromBase64), root)).toBe(true);
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await store.close();
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
  it(
    'is truncated once it grows past its limit, though appends keep coming',
    { timeout: 40_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'assent-sqlite-'));
      const store = openSqliteStore(dir, {
        commitWindowMs: 0,
        keys: testKeys,
        maintenanceIntervalMs: 20,
        walLimitBytes: 4096,
      });
      try {
        for (let i = 0; i < 20; i++) await store.append([draft(), draft()]);
        // The maintainer's rounds may fall between those commits: one that finds the log past its
        // limit but under four times it RESTARTs it, which keeps the file's size. One last commit
        // of forty records takes the log past four times the limit whatever happened before.
        await store.append(Array.from({ length: 40 }, () => draft()));
        const wal = join(dir, `${SQLITE_FILE}-wal`);
        // A limit, not a timing: the maintainer runs at a lower priority than the request path
        // (background-thread.ts), so on two cores busy with other tests it may wait its turn.
        await vi.waitFor(() => expect(statSync(wal).size).toBe(0), { timeout: 30_000 });
        expect(await store.count()).toBe(80);
      } finally {
        await store.close();
      }
    },
  );
});
