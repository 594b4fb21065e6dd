/**
 * `GET /v1/stats`: the figures behind the operator console's overview. JSON Schemas (TypeBox)
 * with the types derived from them; the console imports only the types.
 *
 * Counts come from rollups that a maintainer keeps by reading the records after they are
 * committed (src/server/stats/), so they reach record `throughSeq`, usually a fraction of a
 * second behind `latestSeq`.
 */
import { Type, type Static } from 'typebox';

const Bucket = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]);
export type StatsBucket = Static<typeof Bucket>;
export const STATS_BUCKETS: readonly StatsBucket[] = ['day', 'week', 'month'];

/** Longest range one request may ask for, in days (ten years of daily figures). */
export const MAX_STATS_DAYS = 3660;

const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const StatsQuery = Type.Object(
  {
    /** First day counted (UTC), `YYYY-MM-DD`; default 29 days before `to`. */
    from: Type.Optional(CalendarDate),
    /** Last day counted (UTC), inclusive; default today. */
    to: Type.Optional(CalendarDate),
    /** Width of each point: `day`, `week` (from Monday, ISO 8601) or `month`. Default `day`. */
    bucket: Type.Optional(Bucket),
  },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuery>;

const Count = Type.Integer({ minimum: 0 });

export const TypeCounts = Type.Object({
  accepted: Count,
  declined: Count,
  acknowledged: Count,
  consent: Count,
  withdrawn: Count,
});
export type TypeCounts = Static<typeof TypeCounts>;

export const Stats = Type.Object({
  from: CalendarDate,
  to: CalendarDate,
  bucket: Bucket,
  /** The last record the figures include. */
  throughSeq: Count,
  /** The last record stored; the difference is what the maintainer has not read yet. */
  latestSeq: Count,
  /** Records per bucket by type; one entry per bucket in the range, empty ones included. */
  records: Type.Array(Type.Object({ bucket: CalendarDate, counts: TypeCounts })),
  /**
   * Cookie choices per bucket: for each category, how many `consent` and `withdrawn` records
   * granted or denied it; and how many consent records came with Global Privacy Control.
   */
  consent: Type.Array(
    Type.Object({
      bucket: CalendarDate,
      records: Count,
      gpc: Count,
      categories: Type.Record(Type.String(), Type.Object({ granted: Count, denied: Count })),
    }),
  ),
  /** Per document of the manifest (and any other one records name), per version. */
  documents: Type.Array(
    Type.Object({
      slug: Type.String(),
      /** From the manifest; the slug when the manifest does not know the document any more. */
      title: Type.String(),
      /** The version in effect today (UTC) by the manifest, or null. */
      versionInEffect: Type.Union([Type.String(), Type.Null()]),
      /** Subjects (by their hash) with any record about this document, ever. */
      knownSubjects: Count,
      /**
       * Known subjects with no `accepted` or `acknowledged` record of the version in effect:
       * those who still have to accept it (or be told of it).
       */
      pendingSubjects: Count,
      versions: Type.Array(
        Type.Object({
          version: Type.String(),
          /** In the range. */
          accepted: Count,
          acknowledged: Count,
          declined: Count,
          /** Distinct subjects that accepted or acknowledged this version, ever. */
          subjects: Count,
        }),
      ),
    }),
  ),
});
export type Stats = Static<typeof Stats>;
