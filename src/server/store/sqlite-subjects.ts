/**
 * The index of records by subject, for the right of access, kept in a file of its own
 * (`subjects.sqlite`) beside the records. It is derived data: the maintainer thread fills it
 * from the records shortly after they are committed, so a durable append never pays for an
 * index write at a random place, and it can always be deleted and rebuilt. Lookups combine
 * the index with a scan of the few records committed since it was last brought up to date, so
 * they are complete at every moment. Subjects are keyed by the 32 bytes of their HMAC, not its
 * 76-character text, which keeps the index small.
 *
 * The index remembers the hash of the last record it indexed. If the records are replaced
 * behind its back (restored from a backup, say), that record no longer matches: the maintainer
 * starts the index again from nothing, and lookups meanwhile ignore it and scan the records.
 */
import Database from 'better-sqlite3';
import { createPrivateFile } from '../private-files.ts';
import { mapForReading } from './sqlite-file.ts';

export const SUBJECTS_FILE = 'subjects.sqlite';

/** SQL turning `value` (`hmac-sha256:<hex>`, from json_each) into the index's key. */
const KEY_OF_VALUE = "unhex(substr(value, length('hmac-sha256:') + 1))";
/** The same, of a bound parameter. */
const KEY = "unhex(substr(?, length('hmac-sha256:') + 1))";

export function openSubjectIndex(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const readonly = options.readonly ?? false;
  if (!readonly) createPrivateFile(file);
  const db = new Database(file, { readonly, fileMustExist: readonly });
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    // Derived data: after a crash the maintainer redoes what was lost, so no fsync per batch.
    db.pragma('synchronous = NORMAL');
    // An index made before it remembered the last record's hash cannot be checked: start again.
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('progress')").all();
    if (columns.length > 0 && !columns.some((c) => c.name === 'indexed_hash'))
      db.exec('DROP TABLE IF EXISTS subjects; DROP TABLE progress;');
    db.exec(`
      CREATE TABLE IF NOT EXISTS subjects (
        subject BLOB NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (subject, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_through INTEGER NOT NULL,
        indexed_hash TEXT
      );
      INSERT OR IGNORE INTO progress (id, indexed_through, indexed_hash) VALUES (1, 0, NULL);
    `);
  }
  return db;
}

/**
 * Empties the index when its last indexed record is not the one in the records (`rec`) any
 * more; returns whether it did. The next `indexNewRecords` rounds rebuild it.
 */
export function discardIfStale(subjects: Database.Database): boolean {
  return subjects
    .transaction(() => {
      const progress = subjects
        .prepare<[], { indexed_through: number; indexed_hash: string | null }>(
          'SELECT indexed_through, indexed_hash FROM progress',
        )
        .get()!;
      if (progress.indexed_through === 0) return false;
      const record = subjects
        .prepare<[number], { hash: string }>('SELECT hash FROM rec.records WHERE seq = ?')
        .get(progress.indexed_through);
      if (record && record.hash === progress.indexed_hash) return false;
      subjects.exec('DELETE FROM subjects; UPDATE progress SET indexed_through = 0, indexed_hash = NULL;');
      return true;
    })
    .immediate();
}

/**
 * Indexes up to `limit` records committed since the last run; returns how many. `subjects` has
 * the records file attached as `rec`, so the copy runs inside SQLite, not row by row in here.
 */
export function indexNewRecords(subjects: Database.Database, limit: number): number {
  return subjects.transaction(() => {
    const from = subjects
      .prepare<[], { indexed_through: number }>('SELECT indexed_through FROM progress')
      .get()!.indexed_through;
    const slice = subjects
      .prepare<[number, number], { last: number | null; n: number }>(
        'SELECT max(seq) AS last, count(*) AS n FROM (SELECT seq FROM rec.records WHERE seq > ? ORDER BY seq LIMIT ?)',
      )
      .get(from, limit)!;
    if (slice.n === 0) return 0;
    subjects
      .prepare(
        `INSERT OR IGNORE INTO subjects (subject, seq)
         SELECT unhex(substr(subject_hash, length('hmac-sha256:') + 1)), seq FROM rec.records WHERE seq > ? AND seq <= ?`,
      )
      .run(from, slice.last);
    subjects
      .prepare(
        'UPDATE progress SET indexed_through = ?, indexed_hash = (SELECT hash FROM rec.records WHERE seq = ?)',
      )
      .run(slice.last, slice.last);
    return slice.n;
  })();
}

export interface IndexedSeqs {
  /** Records of the subject that the index knows. */
  seqs: number[];
  /** How far the index reaches (a record number). */
  through: number;
  /** The hash of the record it reaches, for the caller to check against the records. */
  throughHash: string | null;
}

/**
 * Reads the index on a connection of its own, kept open with its statements prepared once: a
 * standing lookup is a few index rows, and opening the file and preparing the statements again
 * for each would cost several times the lookup itself (bench/endpoint/standing.ts).
 *
 *   const reader = SubjectIndexReader.open(file); // undefined until the maintainer made the index
 *   reader?.seqsOf(hashes);
 */
export class SubjectIndexReader {
  readonly #db: Database.Database;
  readonly #read: (hashes: string) => IndexedSeqs;
  readonly #after: Database.Statement<[string, number, number, number], { seq: number }>;

  private constructor(db: Database.Database) {
    this.#db = db;
    // One statement, so one read transaction: the numbers and the reach agree.
    const read = db.prepare<[string], { through: number; hash: string | null; seqs: string }>(
      `SELECT indexed_through AS through, indexed_hash AS hash,
              (SELECT json_group_array(seq) FROM subjects
               WHERE subject IN (SELECT ${KEY_OF_VALUE} FROM json_each(?))) AS seqs
       FROM progress`,
    );
    this.#after = db.prepare(
      `SELECT seq FROM subjects WHERE subject = ${KEY} AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
    );
    this.#read = (hashes) => {
      const row = read.get(hashes);
      return row
        ? { seqs: JSON.parse(row.seqs) as number[], through: row.through, throughHash: row.hash }
        : { seqs: [], through: 0, throughHash: null };
    };
  }

  /** The reader of the index file, or undefined when there is none yet (or not of this version). */
  static open(file: string): SubjectIndexReader | undefined {
    let db: Database.Database | undefined;
    try {
      db = openSubjectIndex(file, { readonly: true });
      mapForReading(db);
      return new SubjectIndexReader(db);
    } catch {
      db?.close();
      return undefined;
    }
  }

  /** The subject's records that the index knows, by its hashes under every key version. */
  seqsOf(hashes: readonly string[]): IndexedSeqs {
    return this.#read(JSON.stringify(hashes));
  }

  /**
   * Up to `limit` of one subject's indexed record numbers above `after` and up to `through`, in
   * order: a page of a subject's export, read along the index's key, so that a page costs the
   * same however many records the subject has.
   */
  seqsAfter(hash: string, page: { after: number; through: number; limit: number }): number[] {
    return this.#after.all(hash, page.after, page.through, page.limit).map((r) => r.seq);
  }

  close(): void {
    this.#db.close();
  }
}
