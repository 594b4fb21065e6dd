/**
 * The `GET /v1/stats` answer, from what a rollup source read for the range: buckets filled in
 * (empty ones too, so charts have an even axis), documents named and their version in effect
 * taken from the manifest. Pure: both stores' sources hand it the same rows.
 */
import type { Manifest } from '../../contract/manifest.ts';
import {
  MAX_STATS_DAYS,
  type Stats,
  type StatsBucket,
  type StatsQuery,
  type TypeCounts,
} from '../../contract/stats.ts';
import { timeline } from '../../contract/versions.ts';
import { ProblemError } from '../problem.ts';
import type { RecordFilter } from '../../contract/records-page.ts';
import type { ChoiceCount, DailyCount, StoredRow } from './rollup.ts';

/** What a source reads from its rollups for a range of days (inclusive, UTC). */
export interface RollupRows {
  throughSeq: number;
  latestSeq: number;
  daily: DailyCount[];
  choices: ChoiceCount[];
  /** Document records in the range, summed per version and type. */
  documents: Array<{ slug: string; version: string; type: string; records: number }>;
  /** Distinct subjects per document (`version` empty) and per version taken in, ever. */
  subjects: Array<{ slug: string; version: string; subjects: number }>;
}

export interface StatsSource {
  readonly kind: 'sqlite' | 'postgres';
  rows(from: string, to: string): Promise<RollupRows>;
  /**
   * Records matching `filter` with `seq` in [`lowest`, `below`), newest first, at most `limit`:
   * the console's records table (routes/console-records.ts bounds the window).
   */
  recordsBetween(filter: RecordFilter, lowest: number, below: number, limit: number): Promise<StoredRow[]>;
  /** The last record's seq (0 when there is none). */
  latestSeq(): Promise<number>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the bucket a day falls in: itself, its week's Monday, or its month's first. */
export function bucketStart(date: string, bucket: StatsBucket): string {
  if (bucket === 'day') return date;
  if (bucket === 'month') return `${date.slice(0, 8)}01`;
  const day = dayNumber(date);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  return dateOf(day - ((day + 3) % 7));
}

/** The range a query asks for, defaults filled in, checked. */
export function statsRange(
  query: StatsQuery,
  today: string,
): { from: string; to: string; bucket: StatsBucket } {
  const to = query.to ?? today;
  const from = query.from ?? dateOf(dayNumber(to) - 29);
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (Number.isNaN(dayNumber(value)) || dateOf(dayNumber(value)) !== value)
      throw new ProblemError('invalid-query', `${name}=${value} is not a calendar date; use YYYY-MM-DD`);
  }
  if (from > to) throw new ProblemError('invalid-query', `from=${from} is after to=${to}; swap them`);
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_STATS_DAYS)
    throw new ProblemError(
      'invalid-query',
      `from=${from} to to=${to} spans more than ${MAX_STATS_DAYS} days; ask for a shorter range`,
    );
  return { from, to, bucket: query.bucket ?? 'day' };
}

function emptyCounts(): TypeCounts {
  return { accepted: 0, declined: 0, acknowledged: 0, consent: 0, withdrawn: 0 };
}

export function statsReport(
  rows: RollupRows,
  range: { from: string; to: string; bucket: StatsBucket },
  manifest: Manifest,
  today: string,
): Stats {
  const { from, to, bucket } = range;
  const starts: string[] = [];
  for (let day = dayNumber(from); day <= dayNumber(to); day++) {
    const start = bucketStart(dateOf(day), bucket);
    if (starts.at(-1) !== start) starts.push(start);
  }
  const records = new Map(starts.map((b) => [b, emptyCounts()]));
  const consent = new Map(
    starts.map((b) => [
      b,
      {
        bucket: b,
        records: 0,
        gpc: 0,
        categories: {} as Record<string, { granted: number; denied: number }>,
      },
    ]),
  );
  for (const row of rows.daily) {
    const b = bucketStart(row.day, bucket);
    const counts = records.get(b);
    if (!counts || !(row.type in counts)) continue;
    counts[row.type as keyof TypeCounts] += row.records;
    if (row.type === 'consent') {
      consent.get(b)!.records += row.records;
      consent.get(b)!.gpc += row.gpc;
    }
  }
  for (const row of rows.choices) {
    const point = consent.get(bucketStart(row.day, bucket));
    if (!point) continue;
    const category = (point.categories[row.category] ??= { granted: 0, denied: 0 });
    category.granted += row.granted;
    category.denied += row.denied;
  }

  const subjectCount = new Map(rows.subjects.map((s) => [`${s.slug}|${s.version}`, s.subjects]));
  const slugs = [
    ...new Set([
      ...manifest.documents.map((d) => d.slug),
      ...rows.documents.map((d) => d.slug),
      ...rows.subjects.map((s) => s.slug),
    ]),
  ];
  const documents = slugs.map((slug) => {
    const published = manifest.documents.find((d) => d.slug === slug);
    const inEffect = published ? (timeline(published.versions, today).current?.version ?? null) : null;
    const versionNames = [
      ...new Set([
        ...(published?.versions.map((v) => v.version) ?? []),
        ...rows.documents.filter((d) => d.slug === slug).map((d) => d.version),
      ]),
    ].sort();
    const known = subjectCount.get(`${slug}|`) ?? 0;
    return {
      slug,
      title: published?.title ?? slug,
      versionInEffect: inEffect,
      knownSubjects: known,
      pendingSubjects: inEffect ? known - (subjectCount.get(`${slug}|${inEffect}`) ?? 0) : 0,
      versions: versionNames.map((version) => {
        const of = (type: string) =>
          rows.documents.find((d) => d.slug === slug && d.version === version && d.type === type)?.records ??
          0;
        return {
          version,
          accepted: of('accepted'),
          acknowledged: of('acknowledged'),
          declined: of('declined'),
          subjects: subjectCount.get(`${slug}|${version}`) ?? 0,
        };
      }),
    };
  });

  return {
    from,
    to,
    bucket,
    throughSeq: rows.throughSeq,
    latestSeq: rows.latestSeq,
    records: starts.map((b) => ({ bucket: b, counts: records.get(b)! })),
    consent: starts.map((b) => consent.get(b)!),
    documents,
  };
}
