import { describe, expect, it } from 'vitest';
import { isCalendarDate, localDate } from '../../../src/contract/dates.ts';
import { timeline } from '../../../src/contract/versions.ts';

const v = (version: string, published: string) => ({ version, published, effective: version });

describe('timeline', () => {
  const versions = [
    v('2021-06-01', '2021-05-15'),
    v('2020-12-01', '2020-12-01'),
    v('2022-01-01', '2021-12-01'),
  ];

  it('picks the latest version in effect on the day, and lists announced ones', () => {
    const day = timeline(versions, '2021-05-20');
    expect(day.current?.version).toBe('2020-12-01');
    expect(day.upcoming.map((u) => u.version)).toEqual(['2021-06-01']);
  });

  it('switches on the effective date itself', () => {
    expect(timeline(versions, '2021-06-01').current?.version).toBe('2021-06-01');
    expect(timeline(versions, '2021-05-31').current?.version).toBe('2020-12-01');
  });

  it('has no current version before the first one takes effect', () => {
    expect(timeline(versions, '2020-01-01')).toEqual({ current: undefined, upcoming: [] });
  });

  it('leaves out versions not yet published', () => {
    expect(timeline(versions, '2021-11-30').upcoming).toEqual([]);
    expect(timeline(versions, '2021-12-01').upcoming.map((u) => u.version)).toEqual(['2022-01-01']);
  });
});

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-1-01')).toBe(false);
  });

  it('gives the local date of an instant', () => {
    expect(localDate(new Date(2024, 0, 5, 23, 59))).toBe('2024-01-05');
  });
});
