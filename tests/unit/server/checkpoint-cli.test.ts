/**
 * The two attacks the hash chain alone cannot see (issue 10): a deleted tail, and records
 * rewritten from record 7 on with every later hash recomputed. A checkpoint saved off the
 * machine by `assent checkpoint --save` catches both in `assent verify --checkpoint`.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/server/record-hash.ts';
import { recordBody } from '../../../src/server/record-json.ts';
import { openSqliteStore, SQLITE_FILE } from '../../../src/server/store/sqlite-store.ts';
import { assent } from '../../helpers/cli.ts';
import { testCheckpoints } from '../../helpers/proof.ts';
import { draft, testKeys } from '../../helpers/records.ts';

const settings = testCheckpoints({ everyRecords: 20 });

async function storeWith(dataDir: string, records: number): Promise<void> {
  const store = openSqliteStore(dataDir, { commitWindowMs: 0, keys: testKeys, checkpoints: settings });
  await store.append(Array.from({ length: records }, () => draft()));
  await store.close();
}

/** Direct access to the database, as someone with the machine would have. */
function tamper(dataDir: string, change: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, SQLITE_FILE));
  try {
    db.exec('DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;');
    change(db);
  } finally {
    db.close();
  }
}

/** Every record from `seq` on becomes a decline, with the chain's hashes recomputed to match. */
function rewriteFrom(db: Database.Database, seq: number): void {
  const rows = db
    .prepare<[number], { seq: number; body: string }>(
      'SELECT seq, body FROM records WHERE seq >= ? ORDER BY seq',
    )
    .all(seq);
  let prevHash = db
    .prepare<[number], { hash: string }>('SELECT hash FROM records WHERE seq = ?')
    .get(seq - 1)!.hash;
  const update = db.prepare('UPDATE records SET body = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const body = recordBody({ ...JSON.parse(row.body), type: 'declined', prevHash });
    prevHash = sha256(body);
    update.run(body, prevHash, row.seq);
  }
}

describe('assent checkpoint --save and assent verify --checkpoint', () => {
  let dataDir: string;
  let saved: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'assent-audit-'));
    saved = mkdtempSync(join(tmpdir(), 'assent-checkpoints-'));
    await storeWith(dataDir, 20);
    const result = assent(['checkpoint', '--save', saved, '--data', dataDir]);
    expect(result.stdout).toContain('20 records');
    expect(result.code).toBe(0);
    expect(readdirSync(saved).sort()).toEqual(['20.checkpoint', 'assent-keys.json']);
  });

  it('finds every record of a saved checkpoint in an untouched store', () => {
    const result = assent(['verify', '--checkpoint', join(saved, '20.checkpoint'), '--data', dataDir]);
    expect(result.stdout).toContain('ok: all 20 records of the checkpoint');
    expect(result.code).toBe(0);
  });

  it('catches a deleted tail that the chain alone calls intact', () => {
    tamper(dataDir, (db) => {
      db.exec('DELETE FROM records WHERE seq = 20; DELETE FROM merkle_nodes WHERE seq = 20;');
    });
    expect(assent(['verify', '--data', dataDir]).stdout).toContain('ok: 19 records');
    const result = assent(['verify', '--checkpoint', join(saved, '20.checkpoint'), '--data', dataDir]);
    expect(result.stdout).toContain('the store holds 19 records');
    expect(result.stdout).toContain('records 20 to 20 were removed');
    expect(result.code).toBe(1);
  });

  it('catches records rewritten from record 7 on with every later hash recomputed', () => {
    tamper(dataDir, (db) => rewriteFrom(db, 7));
    expect(assent(['verify', '--data', dataDir]).stdout).toContain('ok: 20 records');
    const result = assent(['verify', '--checkpoint', join(saved, '20.checkpoint'), '--data', dataDir]);
    expect(result.stdout).toContain('the first 20 records do not hash to the root');
    expect(result.stdout).toContain('hash chain was recomputed');
    expect(result.code).toBe(1);
  });

  it('saves a later checkpoint only after proving it extends the one saved before', async () => {
    const store = openSqliteStore(dataDir, { commitWindowMs: 0, keys: testKeys, checkpoints: settings });
    await store.append(Array.from({ length: 25 }, () => draft()));
    await store.close();
    const result = assent(['checkpoint', '--save', saved, '--data', dataDir]);
    expect(result.stdout).toContain('45 records');
    expect(result.stdout).toContain('consistent with the 20 saved before');
    expect(result.code).toBe(0);
    expect(assent(['verify', '--checkpoint', join(saved, '20.checkpoint'), '--data', dataDir]).code).toBe(0);
  });

  it('refuses to save a checkpoint the store re-signed over rewritten records', async () => {
    // Whoever holds the machine rewrites records 7 to 20, rebuilds the tree and lets the
    // endpoint sign on: the checkpoint kept off the machine is what the new one must extend.
    tamper(dataDir, (db) => {
      rewriteFrom(db, 7);
      db.exec('DELETE FROM merkle_nodes WHERE seq >= 7; DELETE FROM checkpoints;');
    });
    await storeWith(dataDir, 5);
    const result = assent(['checkpoint', '--save', saved, '--data', dataDir]);
    expect(result.stdout).toContain('does not extend');
    expect(result.code).toBe(1);
    expect(readdirSync(saved).sort()).toEqual(['20.checkpoint', 'assent-keys.json']);
  });

  it('refuses a checkpoint file changed after it was saved', () => {
    const result = assent(['verify', '--checkpoint', join(saved, 'assent-keys.json'), '--data', dataDir]);
    expect(result.stdout).toContain('the checkpoint itself does not verify');
    expect(result.code).toBe(1);
  });
});
