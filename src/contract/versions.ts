/**
 * Which version of a document applies on a given day. Shared by the site build (build day)
 * and the components (the user's day), so both answer the same way.
 */
import type { CalendarDate } from './dates.ts';

export interface DatedVersion {
  version: string;
  published: CalendarDate;
  effective: CalendarDate;
}

export interface VersionTimeline<V extends DatedVersion> {
  /** The latest version whose effective date has come; undefined before the first one. */
  current: V | undefined;
  /** Published (announced) but not yet effective, soonest first. */
  upcoming: V[];
}

/**
 * Sorts by effective date and splits on `today` (ISO dates compare as strings):
 * `timeline(versions, '2021-01-01').current?.version` → `'2020-12-01'`.
 * Versions not yet published on `today` are neither current nor upcoming.
 */
export function timeline<V extends DatedVersion>(
  versions: readonly V[],
  today: CalendarDate,
): VersionTimeline<V> {
  const sorted = [...versions].sort((a, b) =>
    a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0,
  );
  let current: V | undefined;
  const upcoming: V[] = [];
  for (const v of sorted) {
    if (v.published > today) continue;
    if (v.effective <= today) current = v;
    else upcoming.push(v);
  }
  return { current, upcoming };
}
