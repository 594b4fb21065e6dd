/**
 * What a run of stored records adds to the stats rollups: counts per day and type, cookie
 * choices per day and category, document records per day, version and type, and the subjects
 * each document and version has seen. Both stores' maintainers (sqlite-stats.ts,
 * postgres-stats.ts) fold records through here, so they count alike.
 *
 *   const batch = rollUp(rows);         // rows: { seq, body, hash } as stored, in seq order
 *   const batch = rollUpFields(fields); // or only the fields it reads (RollupFields)
 */
import type { StoredRecord } from '../../contract/record.ts';

export interface DailyCount {
  day: string;
  type: string;
  records: number;
  /** Of those, sent with Global Privacy Control. */
  gpc: number;
}

export interface ChoiceCount {
  day: string;
  category: string;
  granted: number;
  denied: number;
}

export interface DocumentCount {
  day: string;
  slug: string;
  version: string;
  type: string;
  records: number;
}

/** A subject seen for a document (`version` empty) or for a version it accepted or acknowledged. */
export interface SubjectSeen {
  slug: string;
  version: string;
  /** The hex of the subject's HMAC. */
  subject: string;
}

export interface RollupBatch {
  daily: DailyCount[];
  choices: ChoiceCount[];
  documents: DocumentCount[];
  subjects: SubjectSeen[];
  /** The last record folded in; undefined for an empty batch. */
  last: { seq: number; hash: string } | undefined;
}

export interface StoredRow {
  seq: number;
  body: string;
  hash: string;
}

/**
 * What the rollups read of a record: a few fields, not the whole body. SQLite's maintainer
 * has its database pick them out (sqlite-stats.ts), which costs less than moving each body to
 * JavaScript and parsing it whole; PostgreSQL's reads the body (`fieldsOf`).
 */
export interface RollupFields {
  seq: number;
  hash: string;
  serverTime: string;
  type: string;
  gpc: boolean;
  choices: Record<string, 'granted' | 'denied'> | null;
  document: { slug: string; version: string } | null;
  /** `hmac-sha256:<hex>`, as stored. */
  subjectHash: string;
}

export function fieldsOf(row: StoredRow): RollupFields {
  const record = JSON.parse(row.body) as Omit<StoredRecord, 'hash'>;
  return {
    seq: row.seq,
    hash: row.hash,
    serverTime: record.serverTime,
    type: record.type,
    gpc: Boolean(record.shown.gpc),
    choices: record.choices,
    document: record.document,
    subjectHash: record.subject.hash,
  };
}

/** Record types that count a subject as having taken in a version. */
const TAKEN_IN = new Set(['accepted', 'acknowledged']);

export function rollUp(rows: readonly StoredRow[]): RollupBatch {
  return rollUpFields(rows.map(fieldsOf));
}

export function rollUpFields(rows: readonly RollupFields[]): RollupBatch {
  const daily = new Map<string, DailyCount>();
  const choices = new Map<string, ChoiceCount>();
  const documents = new Map<string, DocumentCount>();
  const subjects = new Map<string, SubjectSeen>();
  for (const record of rows) {
    // Server times are ISO 8601 in UTC: the day is their first ten characters.
    const day = record.serverTime.slice(0, 10);
    const type = record.type;
    const dailyKey = `${day}|${type}`;
    const count =
      daily.get(dailyKey) ?? daily.set(dailyKey, { day, type, records: 0, gpc: 0 }).get(dailyKey)!;
    count.records += 1;
    if (record.gpc) count.gpc += 1;
    if (record.choices) {
      for (const [category, choice] of Object.entries(record.choices)) {
        const key = `${day}|${category}`;
        const c = choices.get(key) ?? choices.set(key, { day, category, granted: 0, denied: 0 }).get(key)!;
        c[choice] += 1;
      }
    }
    if (record.document) {
      const { slug, version } = record.document;
      const key = `${day}|${slug}|${version}|${type}`;
      const d = documents.get(key) ?? documents.set(key, { day, slug, version, type, records: 0 }).get(key)!;
      d.records += 1;
      const subject = record.subjectHash.slice(record.subjectHash.indexOf(':') + 1);
      subjects.set(`${slug}||${subject}`, { slug, version: '', subject });
      if (TAKEN_IN.has(type)) subjects.set(`${slug}|${version}|${subject}`, { slug, version, subject });
    }
  }
  const lastRow = rows.at(-1);
  return {
    daily: [...daily.values()],
    choices: [...choices.values()],
    documents: [...documents.values()],
    subjects: [...subjects.values()],
    last: lastRow && { seq: lastRow.seq, hash: lastRow.hash },
  };
}
