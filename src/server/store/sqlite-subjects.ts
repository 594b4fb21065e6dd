/**
 * The index of records by subject, for the right of access, kept in a file of its own
 * (`subjects.sqlite`) beside the records. It is derived data: the maintainer thread fills it
 * from the records shortly after they are committed, so a durable append never pays for an
 * index write at a random place, and it can always be deleted and rebuilt. Lookups combine
 * the index with a scan of the few records committed since it was last brought up to date, so
 * they are complete at every moment.
 */
import Database from 'better-sqlite3';

export const SUBJECTS_FILE = 'subjects.sqlite';

export function openSubjectIndex(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // Derived data: after a crash the maintainer redoes what was lost, so no fsync per batch.
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS subjects (
        subject_hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (subject_hash, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_through INTEGER NOT NULL
      );
      INSERT OR IGNORE INTO progress (id, indexed_through) VALUES (1, 0);
    `);
  }
  return db;
}

/** Indexes up to `limit` records committed since the last run; returns how many. */
export function indexNewRecords(
  records: Database.Database,
  subjects: Database.Database,
  limit: number,
): number {
  const from = subjects
    .prepare<[], { indexed_through: number }>('SELECT indexed_through FROM progress')
    .get()!.indexed_through;
  const rows = records
    .prepare<[number, number], { seq: number; subject_hash: string }>(
      'SELECT seq, subject_hash FROM records WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    .all(from, limit);
  if (rows.length === 0) return 0;
  const insert = subjects.prepare('INSERT OR IGNORE INTO subjects (subject_hash, seq) VALUES (?, ?)');
  subjects.transaction(() => {
    for (const row of rows) insert.run(row.subject_hash, row.seq);
    subjects.prepare('UPDATE progress SET indexed_through = ?').run(rows[rows.length - 1]!.seq);
  })();
  return rows.length;
}

/** The sequence numbers of a subject's records that the index knows, and how far it reaches. */
export function indexedSeqs(
  subjects: Database.Database | undefined,
  hashes: readonly string[],
): { seqs: number[]; through: number } {
  if (!subjects) return { seqs: [], through: 0 };
  // One read transaction, so the numbers and the reach agree.
  return subjects.transaction(() => {
    const through =
      subjects.prepare<[], { indexed_through: number }>('SELECT indexed_through FROM progress').get()
        ?.indexed_through ?? 0;
    const seqs = subjects
      .prepare<string[], { seq: number }>(
        `SELECT seq FROM subjects WHERE subject_hash IN (${hashes.map(() => '?').join(',')})`,
      )
      .all(...hashes)
      .map((r) => r.seq);
    return { seqs, through };
  })();
}
