/**
 * The SQLite file: its name in the data folder, the durability settings every connection
 * uses (the benchmark's raw inserts use them too), and its migrations.
 */
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';
import { StoreNotFoundError } from './record-store.ts';

export const SQLITE_FILE = 'assent.sqlite';

/** WAL journal, and an fsync at every commit: a committed record survives a crash or a power cut. */
export function applyDurability(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
}

/**
 * Reads through memory-mapped pages rather than a `read()` call and a copy per page: a standing
 * lookup or a proof touches a few pages scattered over a large file, and at 1,000,000 records
 * (1.1 GB) the calls cost about a third of the lookup's processor (bench/endpoint/standing.ts).
 * The pages are the operating system's file cache, shared, not memory of the process's own.
 * Only for connections of this process: writes still go through `write()` (SQLite maps for
 * reading only), and nothing here ever shrinks the file under the map (no VACUUM). SQLite caps
 * the size at its build's limit (2 GiB for better-sqlite3); past it, the rest is read as before.
 */
export function mapForReading(db: Database.Database): void {
  db.pragma(`mmap_size = ${2 ** 31}`);
}

export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
  );
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  for (const migration of migrations('sqlite')) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

/**
 * Refuses a file that is not an Assent database, before anything is written to it: readers
 * (verify, export) must never turn a wrong path into an empty store that "verifies".
 */
export function assertAssentDatabase(db: Database.Database, file: string): void {
  let tables: string[];
  try {
    tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  } catch (error) {
    throw new StoreNotFoundError(`${file} is not an Assent database: ${(error as Error).message}`);
  }
  if (!tables.includes('records') || !tables.includes('schema_migrations')) {
    throw new StoreNotFoundError(
      `${file} is not an Assent database (it has no records table); point --data at the folder the endpoint writes to`,
    );
  }
}
