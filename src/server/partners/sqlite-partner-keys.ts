/**
 * Partner keys of the SQLite store, in `assent.sqlite` beside the records, on a connection of
 * their own (the writer thread keeps its own; WAL lets both work, busy_timeout waits out a
 * commit). Opening migrates the file, so `assent keys` works before the endpoint first ran.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, makePrivateDir } from '../private-files.ts';
import { applyDurability, migrate, SQLITE_FILE } from '../store/sqlite-file.ts';
import {
  PARTNER_KEY_COLUMNS as COLUMNS,
  partnerKeyValues,
  type PartnerKey,
  type PartnerKeyStore,
} from './partner-keys.ts';

interface Row {
  id: string;
  name: string;
  origins: string;
  documents: string;
  created_at: string;
  revoked_at: string | null;
  token_key: string | null;
}

const partnerKey = (r: Row): PartnerKey => ({
  id: r.id,
  name: r.name,
  origins: JSON.parse(r.origins),
  documents: JSON.parse(r.documents),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  tokenKey: r.token_key,
});

export class SqlitePartnerKeys implements PartnerKeyStore {
  readonly #db: Database.Database;
  readonly #byHash: Database.Statement<[string], Row>;
  readonly #byId: Database.Statement<[string], Row>;
  readonly #dataVersion: Database.Statement<[], number>;
  /** Writes made on this connection, which data_version does not count. */
  #ownWrites = 0;

  constructor(dataDir: string) {
    makePrivateDir(dataDir);
    const file = join(dataDir, SQLITE_FILE);
    createPrivateFile(file);
    this.#db = new Database(file);
    applyDurability(this.#db);
    migrate(this.#db);
    this.#byHash = this.#db.prepare(`SELECT ${COLUMNS} FROM partner_keys WHERE key_hash = ?`);
    this.#byId = this.#db.prepare(`SELECT ${COLUMNS} FROM partner_keys WHERE id = ?`);
    this.#dataVersion = this.#db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  async add(key: PartnerKey, keyHash: string): Promise<void> {
    this.#ownWrites++;
    this.#db
      .prepare(`INSERT INTO partner_keys (${COLUMNS}, key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...partnerKeyValues(key, keyHash));
  }

  async list(): Promise<PartnerKey[]> {
    return this.#db
      .prepare<[], Row>(`SELECT ${COLUMNS} FROM partner_keys ORDER BY created_at, id`)
      .all()
      .map(partnerKey);
  }

  async byHash(keyHash: string): Promise<PartnerKey | undefined> {
    const row = this.#byHash.get(keyHash);
    return row && partnerKey(row);
  }

  async byId(id: string): Promise<PartnerKey | undefined> {
    const row = this.#byId.get(id);
    return row && partnerKey(row);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    this.#ownWrites++;
    return (
      this.#db
        .prepare('UPDATE partner_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(at, id).changes === 1
    );
  }

  /**
   * SQLite's data_version (https://sqlite.org/pragma.html#pragma_data_version): it changes
   * whenever another connection, in this process or another, commits to the file (`assent keys`,
   * and also the record writer: a few re-reads a second while records arrive, each a small table).
   * Reading it takes no lock and touches no table.
   */
  async changeMark(): Promise<string> {
    return `${this.#dataVersion.get()}/${this.#ownWrites}`;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
