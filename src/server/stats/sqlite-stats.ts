/**
 * The stats rollups of the SQLite store, in a file of their own (`stats.sqlite`) beside the
 * records. Like the subject index (store/sqlite-subjects.ts) they are derived data: a thread
 * (sqlite-stats-worker.ts) folds in the records committed since its last round, so an append
 * never pays for them, and the file can be deleted and rebuilt at any time. The rollups
 * remember the hash of the last record they read; when the records no longer hold it (restored
 * from a backup), they start again from nothing.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../private-files.ts';
import type { RecordFilter } from '../../contract/records-page.ts';
import { rollUpFields, type RollupFields, type StoredRow } from './rollup.ts';
import type { RollupRows, StatsSource } from './stats-report.ts';

export const STATS_FILE = 'stats.sqlite';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS progress (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    through_seq INTEGER NOT NULL,
    through_hash TEXT
  );
  INSERT OR IGNORE INTO progress (id, through_seq, through_hash) VALUES (1, 0, NULL);
  CREATE TABLE IF NOT EXISTS daily (
    day TEXT NOT NULL, type TEXT NOT NULL, records INTEGER NOT NULL, gpc INTEGER NOT NULL,
    PRIMARY KEY (day, type)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS choices (
    day TEXT NOT NULL, category TEXT NOT NULL, granted INTEGER NOT NULL, denied INTEGER NOT NULL,
    PRIMARY KEY (day, category)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS documents (
    day TEXT NOT NULL, slug TEXT NOT NULL, version TEXT NOT NULL, type TEXT NOT NULL, records INTEGER NOT NULL,
    PRIMARY KEY (day, slug, version, type)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS subjects_seen (
    slug TEXT NOT NULL, version TEXT NOT NULL, subject BLOB NOT NULL,
    PRIMARY KEY (slug, version, subject)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS subject_counts (
    slug TEXT NOT NULL, version TEXT NOT NULL, subjects INTEGER NOT NULL,
    PRIMARY KEY (slug, version)
  ) WITHOUT ROWID;
`;

/** Opens (creating if needed) `<dataDir>/stats.sqlite` for the maintainer, with the records attached as `rec`. */
export function openStatsForUpdate(dataDir: string, recordsFile: string): Database.Database {
  const file = join(dataDir, STATS_FILE);
  createPrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Derived data: after a crash the maintainer redoes what was lost, so no fsync per round.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  db.prepare('ATTACH DATABASE ? AS rec').run(recordsFile);
  return db;
}

/**
 * Empties the rollups when the last record they read is not in the records any more (or is
 * another one); returns whether it did.
 */
export function discardStaleStats(db: Database.Database): boolean {
  return db
    .transaction(() => {
      const progress = db
        .prepare<[], { through_seq: number; through_hash: string | null }>(
          'SELECT through_seq, through_hash FROM progress',
        )
        .get()!;
      if (progress.through_seq === 0) return false;
      const record = db
        .prepare<[number], { hash: string }>('SELECT hash FROM rec.records WHERE seq = ?')
        .get(progress.through_seq);
      if (record?.hash === progress.through_hash) return false;
      db.exec(`
        DELETE FROM daily; DELETE FROM choices; DELETE FROM documents;
        DELETE FROM subjects_seen; DELETE FROM subject_counts;
        UPDATE progress SET through_seq = 0, through_hash = NULL;
      `);
      return true;
    })
    .immediate();
}

/** Folds in up to `limit` records committed since the last call; returns how many. */
export function rollUpNewRecords(db: Database.Database, limit: number): number {
  return db.transaction(() => {
    const from = db.prepare<[], { through_seq: number }>('SELECT through_seq FROM progress').get()!
      .through_seq;
    // SQLite picks out the few fields the rollups read (one parse of each body, in C): cheaper
    // than moving the bodies here and parsing them whole. server_time and subject_hash are the
    // body's serverTime and subject.hash, kept as columns.
    const rows = db
      .prepare<[number, number], { seq: number; hash: string; day: string; subject: string; fields: string }>(
        `SELECT seq, hash, server_time AS day, subject_hash AS subject,
                json_extract(body, '$.type', '$.shown.gpc', '$.choices', '$.document') AS fields
           FROM rec.records WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(from, limit);
    if (rows.length === 0) return 0;
    const batch = rollUpFields(
      rows.map(({ seq, hash, day, subject, fields }) => {
        const [type, gpc, choices, document] = JSON.parse(fields) as [
          string,
          boolean | null,
          RollupFields['choices'],
          RollupFields['document'],
        ];
        return {
          seq,
          hash,
          serverTime: day,
          subjectHash: subject,
          type,
          gpc: gpc === true,
          choices,
          document,
        };
      }),
    );
    const daily = db.prepare(
      `INSERT INTO daily (day, type, records, gpc) VALUES (@day, @type, @records, @gpc)
       ON CONFLICT (day, type) DO UPDATE SET records = records + excluded.records, gpc = gpc + excluded.gpc`,
    );
    for (const row of batch.daily) daily.run(row);
    const choices = db.prepare(
      `INSERT INTO choices (day, category, granted, denied) VALUES (@day, @category, @granted, @denied)
       ON CONFLICT (day, category) DO UPDATE SET granted = granted + excluded.granted, denied = denied + excluded.denied`,
    );
    for (const row of batch.choices) choices.run(row);
    const documents = db.prepare(
      `INSERT INTO documents (day, slug, version, type, records) VALUES (@day, @slug, @version, @type, @records)
       ON CONFLICT (day, slug, version, type) DO UPDATE SET records = records + excluded.records`,
    );
    for (const row of batch.documents) documents.run(row);
    const seen = db.prepare(
      'INSERT OR IGNORE INTO subjects_seen (slug, version, subject) VALUES (?, ?, unhex(?))',
    );
    const added = new Map<string, { slug: string; version: string; n: number }>();
    for (const s of batch.subjects) {
      if (seen.run(s.slug, s.version, s.subject).changes === 0) continue;
      const key = `${s.slug}|${s.version}`;
      (added.get(key) ?? added.set(key, { slug: s.slug, version: s.version, n: 0 }).get(key)!).n += 1;
    }
    const counts = db.prepare(
      `INSERT INTO subject_counts (slug, version, subjects) VALUES (?, ?, ?)
       ON CONFLICT (slug, version) DO UPDATE SET subjects = subjects + excluded.subjects`,
    );
    for (const a of added.values()) counts.run(a.slug, a.version, a.n);
    db.prepare('UPDATE progress SET through_seq = ?, through_hash = ?').run(
      batch.last!.seq,
      batch.last!.hash,
    );
    return rows.length;
  })();
}

/** Reads the rollups of `<dataDir>/stats.sqlite` (made by the maintainer) for `GET /v1/stats`. */
export class SqliteStatsSource implements StatsSource {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;

  constructor(dataDir: string, recordsFile: string) {
    // Created here, so that a query before the maintainer's first round finds empty rollups.
    const update = openStatsForUpdate(dataDir, recordsFile);
    update.close();
    this.#db = new Database(join(dataDir, STATS_FILE), { readonly: true });
    this.#db.pragma('busy_timeout = 5000');
    this.#db.prepare('ATTACH DATABASE ? AS rec').run(recordsFile);
  }

  async rows(from: string, to: string): Promise<RollupRows> {
    const db = this.#db;
    // One read transaction, so every figure is of the same moment.
    return db.transaction(() => ({
      throughSeq: db.prepare<[], { n: number }>('SELECT through_seq AS n FROM progress').get()!.n,
      latestSeq: db.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM rec.records').get()!.n ?? 0,
      daily: db
        .prepare<[string, string], RollupRows['daily'][number]>(
          'SELECT day, type, records, gpc FROM daily WHERE day BETWEEN ? AND ?',
        )
        .all(from, to),
      choices: db
        .prepare<[string, string], RollupRows['choices'][number]>(
          'SELECT day, category, granted, denied FROM choices WHERE day BETWEEN ? AND ?',
        )
        .all(from, to),
      documents: db
        .prepare<[string, string], RollupRows['documents'][number]>(
          `SELECT slug, version, type, sum(records) AS records FROM documents
           WHERE day BETWEEN ? AND ? GROUP BY slug, version, type`,
        )
        .all(from, to),
      subjects: db
        .prepare<[], RollupRows['subjects'][number]>('SELECT slug, version, subjects FROM subject_counts')
        .all(),
    }))();
  }

  async recordsBetween(
    filter: RecordFilter,
    lowest: number,
    below: number,
    limit: number,
  ): Promise<StoredRow[]> {
    const where = ['seq >= ?', 'seq < ?'];
    const values: unknown[] = [lowest, below];
    const match = (sql: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(sql);
      values.push(value);
    };
    match("json_extract(body, '$.type') = ?", filter.type);
    match("json_extract(body, '$.document.slug') = ?", filter.document);
    match("json_extract(body, '$.document.version') = ?", filter.version);
    match("json_extract(body, '$.shown.pageOrigin') = ?", filter.origin);
    match('server_time >= ?', filter.from);
    // Server times are ISO 8601 strings: every time on the last day sorts before the day after.
    match("server_time < date(?, '+1 day')", filter.to);
    return this.#db
      .prepare<unknown[], StoredRow>(
        `SELECT seq, body, hash FROM rec.records WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
      )
      .all(...values, limit);
  }

  async latestSeq(): Promise<number> {
    return this.#db.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM rec.records').get()!.n ?? 0;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
