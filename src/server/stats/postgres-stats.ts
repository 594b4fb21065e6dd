/**
 * The stats rollups of the PostgreSQL store: tables of their own (`stats_*`) beside the
 * records, kept by a maintainer that reads the records committed since its last round, so an
 * append never pays for them. Several endpoint instances may run one each: a round takes a
 * transaction-scoped advisory lock first, and an instance that does not get it leaves the
 * round to the one that did. Derived data: the rollups remember the hash of the last record
 * they read, and start again from nothing when the records no longer hold it.
 */
import pg from 'pg';
import { asStoreError } from '../store/postgres-errors.ts';
import { openSideTables } from '../store/postgres-side-tables.ts';
import type { RecordFilter } from '../../contract/records-page.ts';
import { rollUp, type StoredRow } from './rollup.ts';
import type { RollupRows, StatsSource } from './stats-report.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS stats_progress (
    id SMALLINT PRIMARY KEY CHECK (id = 1), through_seq BIGINT NOT NULL, through_hash TEXT
  );
  INSERT INTO stats_progress (id, through_seq, through_hash) VALUES (1, 0, NULL) ON CONFLICT DO NOTHING;
  CREATE TABLE IF NOT EXISTS stats_daily (
    day DATE NOT NULL, type TEXT NOT NULL, records BIGINT NOT NULL, gpc BIGINT NOT NULL, PRIMARY KEY (day, type)
  );
  CREATE TABLE IF NOT EXISTS stats_choices (
    day DATE NOT NULL, category TEXT NOT NULL, granted BIGINT NOT NULL, denied BIGINT NOT NULL,
    PRIMARY KEY (day, category)
  );
  CREATE TABLE IF NOT EXISTS stats_documents (
    day DATE NOT NULL, slug TEXT NOT NULL, version TEXT NOT NULL, type TEXT NOT NULL, records BIGINT NOT NULL,
    PRIMARY KEY (day, slug, version, type)
  );
  CREATE TABLE IF NOT EXISTS stats_subjects_seen (
    slug TEXT NOT NULL, version TEXT NOT NULL, subject BYTEA NOT NULL, PRIMARY KEY (slug, version, subject)
  );
  CREATE TABLE IF NOT EXISTS stats_subject_counts (
    slug TEXT NOT NULL, version TEXT NOT NULL, subjects BIGINT NOT NULL, PRIMARY KEY (slug, version)
  );
`;

/** Both the schema set-up and the rounds hold this lock, so instances never fold a record twice. */
const LOCK = "pg_try_advisory_xact_lock(hashtext('assent-stats'))";

export class PostgresStatsSource implements StatsSource {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(
    url: string,
    onProblem: (message: string) => void = () => {},
  ): Promise<PostgresStatsSource> {
    const pool = await openSideTables(url, {
      lock: 'assent-stats',
      schema: SCHEMA,
      onLostConnection: (error) =>
        onProblem(`a pooled PostgreSQL connection (stats) was lost: ${error.message}`),
    });
    return new PostgresStatsSource(pool);
  }

  /**
   * One round: folds in up to `limit` records committed since the last one; returns how many,
   * or 0 when another instance holds the round.
   */
  async rollUpNewRecords(limit: number): Promise<number> {
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw asStoreError(error);
    });
    // A checked-out client whose connection dies emits 'error' as well as failing its query;
    // the failed query is what the round reports, the event only needs a listener.
    const ignore = () => {};
    client.on('error', ignore);
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ locked: boolean }>(`SELECT ${LOCK} AS locked`);
      if (!locked.rows[0]!.locked) {
        await client.query('ROLLBACK');
        return 0;
      }
      const progress = (
        await client.query<{ through_seq: string; through_hash: string | null; stored_hash: string | null }>(
          `SELECT p.through_seq, p.through_hash, r.hash AS stored_hash
             FROM stats_progress p LEFT JOIN records r ON r.seq = p.through_seq WHERE p.id = 1`,
        )
      ).rows[0]!;
      let from = Number(progress.through_seq);
      if (from > 0 && progress.stored_hash !== progress.through_hash) {
        // The records were replaced behind the rollups' back: start again.
        await client.query(`
          TRUNCATE stats_daily, stats_choices, stats_documents, stats_subjects_seen, stats_subject_counts;
          UPDATE stats_progress SET through_seq = 0, through_hash = NULL;
        `);
        from = 0;
      }
      const { rows } = await client.query<{ seq: string; body: string; hash: string }>(
        'SELECT seq, body, hash FROM records WHERE seq > $1 ORDER BY seq LIMIT $2',
        [from, limit],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const batch = rollUp(rows.map((r) => ({ seq: Number(r.seq), body: r.body, hash: r.hash })));
      const column = <T, K extends keyof T>(items: readonly T[], key: K) => items.map((i) => i[key]);
      await client.query(
        `INSERT INTO stats_daily (day, type, records, gpc)
         SELECT * FROM unnest($1::date[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (day, type) DO UPDATE
           SET records = stats_daily.records + EXCLUDED.records, gpc = stats_daily.gpc + EXCLUDED.gpc`,
        [
          column(batch.daily, 'day'),
          column(batch.daily, 'type'),
          column(batch.daily, 'records'),
          column(batch.daily, 'gpc'),
        ],
      );
      await client.query(
        `INSERT INTO stats_choices (day, category, granted, denied)
         SELECT * FROM unnest($1::date[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (day, category) DO UPDATE
           SET granted = stats_choices.granted + EXCLUDED.granted, denied = stats_choices.denied + EXCLUDED.denied`,
        [
          column(batch.choices, 'day'),
          column(batch.choices, 'category'),
          column(batch.choices, 'granted'),
          column(batch.choices, 'denied'),
        ],
      );
      await client.query(
        `INSERT INTO stats_documents (day, slug, version, type, records)
         SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[])
         ON CONFLICT (day, slug, version, type) DO UPDATE SET records = stats_documents.records + EXCLUDED.records`,
        [
          column(batch.documents, 'day'),
          column(batch.documents, 'slug'),
          column(batch.documents, 'version'),
          column(batch.documents, 'type'),
          column(batch.documents, 'records'),
        ],
      );
      // New subjects only (RETURNING skips those already seen), counted per document and version.
      await client.query(
        `WITH added AS (
           INSERT INTO stats_subjects_seen (slug, version, subject)
           SELECT s, v, decode(h, 'hex') FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, v, h)
           ON CONFLICT DO NOTHING RETURNING slug, version
         )
         INSERT INTO stats_subject_counts (slug, version, subjects)
         SELECT slug, version, count(*) FROM added GROUP BY slug, version
         ON CONFLICT (slug, version) DO UPDATE SET subjects = stats_subject_counts.subjects + EXCLUDED.subjects`,
        [
          column(batch.subjects, 'slug'),
          column(batch.subjects, 'version'),
          column(batch.subjects, 'subject'),
        ],
      );
      await client.query('UPDATE stats_progress SET through_seq = $1, through_hash = $2 WHERE id = 1', [
        batch.last!.seq,
        batch.last!.hash,
      ]);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw asStoreError(error);
    } finally {
      client.off('error', ignore);
      client.release();
    }
  }

  async rows(from: string, to: string): Promise<RollupRows> {
    // One statement: one round trip, and one snapshot, so every figure is of the same moment.
    const json = (select: string) => `(SELECT coalesce(json_agg(r), '[]') FROM (${select}) r)`;
    const [row] = await this.#run<
      { through: string; latest: string | null } & Omit<RollupRows, 'throughSeq' | 'latestSeq'>
    >(
      `SELECT
         (SELECT through_seq FROM stats_progress WHERE id = 1) AS through,
         (SELECT max(seq) FROM records) AS latest,
         ${json(`SELECT to_char(day, 'YYYY-MM-DD') AS day, type, records, gpc FROM stats_daily WHERE day BETWEEN $1 AND $2`)} AS daily,
         ${json(`SELECT to_char(day, 'YYYY-MM-DD') AS day, category, granted, denied FROM stats_choices WHERE day BETWEEN $1 AND $2`)} AS choices,
         ${json(`SELECT slug, version, type, sum(records) AS records FROM stats_documents WHERE day BETWEEN $1 AND $2 GROUP BY slug, version, type`)} AS documents,
         ${json('SELECT slug, version, subjects FROM stats_subject_counts')} AS subjects`,
      [from, to],
    );
    return {
      throughSeq: Number(row!.through),
      latestSeq: Number(row!.latest ?? 0),
      daily: row!.daily,
      choices: row!.choices,
      documents: row!.documents.map((d) => ({ ...d, records: Number(d.records) })),
      subjects: row!.subjects,
    };
  }

  async #run<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, values)).rows;
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async recordsBetween(
    filter: RecordFilter,
    lowest: number,
    below: number,
    limit: number,
  ): Promise<StoredRow[]> {
    const values: unknown[] = [lowest, below];
    const where = ['seq >= $1', 'seq < $2'];
    const match = (sql: (n: string) => string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(value);
      where.push(sql(`$${values.length}`));
    };
    // Bodies are canonical JSON: a member appears as `"name":"value"` exactly, which a LIKE finds
    // without parsing; jsonb then confirms it on the few rows that pass.
    const member = (path: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(`%"${name}":${JSON.stringify(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`, value);
      // CASE, so that PostgreSQL parses only the bodies the LIKE let through.
      where.push(
        `CASE WHEN body LIKE $${values.length - 1} THEN body::jsonb${path} = $${values.length} ELSE false END`,
      );
    };
    member("->>'type'", 'type', filter.type);
    member("->'document'->>'slug'", 'slug', filter.document);
    member("->'document'->>'version'", 'version', filter.version);
    member("->'shown'->>'pageOrigin'", 'pageOrigin', filter.origin);
    match((n) => `server_time >= (${n}::date)::timestamp AT TIME ZONE 'UTC'`, filter.from);
    match((n) => `server_time < (${n}::date + 1)::timestamp AT TIME ZONE 'UTC'`, filter.to);
    values.push(limit);
    try {
      const { rows } = await this.#pool.query<{ seq: string; body: string; hash: string }>(
        `SELECT seq, body, hash FROM records WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map((r) => ({ seq: Number(r.seq), body: r.body, hash: r.hash }));
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async latestSeq(): Promise<number> {
    try {
      const { rows } = await this.#pool.query<{ n: string | null }>('SELECT max(seq) AS n FROM records');
      return Number(rows[0]!.n ?? 0);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
