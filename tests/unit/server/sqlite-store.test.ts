import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, SQLITE_FILE } from '../../../src/server/store/sqlite-store.ts';
import { testKeys } from '../../helpers/records.ts';
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
