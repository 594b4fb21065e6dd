/**
 * Calendar dates as legal documents use them: `YYYY-MM-DD`, no time, no zone. A version takes
 * effect at the start of its date wherever the reader is, so "today" is always the reader's
 * local date (the build machine's for static pages, the user's in the components).
 */

export type CalendarDate = string;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real date in `YYYY-MM-DD` form: `isCalendarDate('2018-02-30') === false`. */
export function isCalendarDate(value: string): value is CalendarDate {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The local calendar date of an instant: `localDate(new Date())` → `'2026-11-23'`. */
export function localDate(instant: Date): CalendarDate {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}
