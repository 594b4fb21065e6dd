/**
 * Generated records for pictures and benchmarks: a mix like a real site's (cookie consents and
 * withdrawals, acceptances of every version of a document, some refusals and notices, some with
 * Global Privacy Control), chained and stored exactly as the endpoint stores them, but with
 * server times spread over the past `days`, which records posted now cannot have.
 *
 *   seedSqlite(dataDir, sampleRows({ manifest, count: 5000, days: 90, keys }));
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Manifest } from '../contract/manifest.ts';
import type { RecordInput, StoredRecord } from '../contract/record.ts';
import { recordId } from '../contract/record-id.ts';
import { GENESIS_HASH, sha256 } from '../server/record-hash.ts';
import { recordBody } from '../server/record-json.ts';
import { applyDurability, migrate, SQLITE_FILE } from '../server/store/sqlite-file.ts';
import { pseudonymise, type SubjectKeys } from '../server/subject-keys.ts';

export interface SampleOptions {
  manifest: Manifest;
  /** The document whose versions are accepted; the manifest's first by default. */
  slug?: string;
  /** Where the pages were: a partner origin. */
  origin?: string;
  count: number;
  /** Server times spread evenly over the `days` before now. */
  days: number;
  keys: SubjectKeys;
  /** Every acceptance, refusal and notice is this user's (a subject export's worst case). */
  subject?: string;
}

/** The `n`th sample record, as a component would post it. */
export function sampleRecord(
  n: number,
  options: Pick<SampleOptions, 'manifest' | 'slug' | 'origin' | 'subject'>,
): RecordInput {
  const { manifest, origin = 'https://shop.example' } = options;
  const document = manifest.documents.find((d) => d.slug === options.slug) ?? manifest.documents[0]!;
  const version = document.versions[n % document.versions.length]!;
  const shown = {
    component: 'assent-accept',
    componentVersion: '0.1.0',
    locale: n % 3 ? 'zh-CN' : 'en',
    buttonText: '同意并继续',
    checkboxPreticked: false,
    pageOrigin: n % 5 ? origin : 'https://app.example',
    pagePath: '/signup',
    ...(n % 7 === 0 ? { gpc: true } : {}),
  };
  const base = { id: recordId(), clientTime: new Date().toISOString(), shown };
  const kind = n % 10;
  if (kind < 5 && manifest.cookies) {
    return {
      ...base,
      type: kind === 4 ? 'withdrawn' : 'consent',
      subject: { kind: 'anonymous', id: randomUUID() },
      cookies: { revision: manifest.cookies.revision },
      // Withdrawals deny all but the necessary; consents grant each category about a third of the time.
      choices: Object.fromEntries(
        manifest.cookies.categories.map((c, i) => [
          c.id,
          c.mode === 'necessary' || (kind !== 4 && (n >> i) % 3 === 0) ? 'granted' : 'denied',
        ]),
      ),
      shown: { ...shown, component: 'assent-cookies' },
    };
  }
  return {
    ...base,
    type: kind === 9 ? 'declined' : kind === 8 ? 'acknowledged' : 'accepted',
    subject: { kind: 'user', id: options.subject ?? `user-${n % 200_000}` },
    document: { slug: document.slug, version: version.version, contentHash: version.contentHash },
  };
}

export interface SampleRow {
  seq: number;
  id: string;
  subjectHash: string;
  serverTime: string;
  /** Canonical JSON without the hash, as stored. */
  body: string;
  hash: string;
}

/** `count` records, chained from the first, as the store keeps them. */
export function* sampleRows(options: SampleOptions): Generator<SampleRow> {
  const start = Date.now() - options.days * 86_400_000;
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= options.count; seq++) {
    const input = sampleRecord(seq, options);
    const serverTime = new Date(
      start + Math.floor((seq / options.count) * options.days * 86_400_000),
    ).toISOString();
    const stored: Omit<StoredRecord, 'hash'> = {
      seq,
      id: input.id,
      type: input.type,
      serverTime,
      clientTime: input.clientTime,
      subject: { kind: input.subject.kind, ...pseudonymise(options.keys, input.subject.id) },
      document: input.document ?? null,
      cookies: input.cookies ?? null,
      choices: input.choices ?? null,
      shown: input.shown,
      ip: '203.0.113.0',
      browser: 'Chrome',
      prevHash,
    };
    const body = recordBody(stored);
    const hash = sha256(body);
    prevHash = hash;
    yield { seq, id: input.id, subjectHash: stored.subject.hash, serverTime, body, hash };
  }
}

/** Writes rows into a new `<dataDir>/assent.sqlite`, for an endpoint to open afterwards. */
export function seedSqlite(dataDir: string, rows: Iterable<SampleRow>): void {
  const db = new Database(join(dataDir, SQLITE_FILE));
  applyDurability(db);
  migrate(db);
  const insert = db.prepare(
    'INSERT INTO records (seq, id, subject_hash, server_time, body, hash) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const flush = db.transaction((batch: SampleRow[]) => {
    for (const r of batch) insert.run(r.seq, r.id, r.subjectHash, r.serverTime, r.body, r.hash);
  });
  let batch: SampleRow[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === 10_000) (flush(batch), (batch = []));
  }
  flush(batch);
  db.close();
}
