/**
 * `GET /v1/operator-records`: the console's records table. Newest first, filtered, paged by
 * keyset on `seq` (`before` = the `next` of the previous page), so a page costs the same at
 * record 10 as at record 10 million. A page reads at most `SCAN_WINDOW` records, so a filter
 * that matches rarely answers quickly with fewer rows (maybe none) and a `next` to go on from.
 */
import { Type, type Static } from 'typebox';
import { RecordTypeSchema, SLUG_PATTERN, StoredRecord } from './record.ts';

/** Records one page looks through at most. */
export const SCAN_WINDOW = 20_000;

const CalendarDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const RecordsQuery = Type.Object(
  {
    type: Type.Optional(RecordTypeSchema),
    /** A document's slug. */
    document: Type.Optional(Type.String({ pattern: SLUG_PATTERN, maxLength: 100 })),
    version: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    /** The page origin the record came from, `https://shop.example`. */
    origin: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$', maxLength: 200 })),
    /** First and last day (UTC, server time), inclusive. */
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
    /** Only records with a smaller `seq`: the previous page's `next`. */
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$' })),
  },
  { additionalProperties: false },
);
export type RecordsQuery = Static<typeof RecordsQuery>;

export const RecordsPage = Type.Object({
  records: Type.Array(StoredRecord),
  /** `before` for the next (older) page; null when nothing older is left. */
  next: Type.Union([Type.Integer(), Type.Null()]),
});
export type RecordsPage = Static<typeof RecordsPage>;

/** The filters of a records page, as the stores apply them. */
export interface RecordFilter {
  type?: string;
  document?: string;
  version?: string;
  origin?: string;
  from?: string;
  to?: string;
}
