/**
 * The day the site is built for. Pages show the version in effect on this day and leave out
 * versions not yet published. `ASSENT_BUILD_DATE=2021-05-20` builds the site as of that day
 * (previews, tests); otherwise it is today in the build machine's time zone.
 */
import { isCalendarDate, localDate } from '../../contract/dates.ts';

function resolveBuildDate(): string {
  const given = process.env.ASSENT_BUILD_DATE;
  if (given === undefined || given === '') return localDate(new Date());
  if (!isCalendarDate(given)) {
    throw new Error(
      `ASSENT_BUILD_DATE is "${given}": expected a date written YYYY-MM-DD, or unset it to build for today`,
    );
  }
  return given;
}

export const buildDate = resolveBuildDate();
