import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  calendarDateOf,
  daysBetween,
  daysInMonth,
  fromEpochDay,
  instantAt,
  isCalendarDate,
  maxDate,
  minDate,
  toEpochDay,
} from '../../../functions/core/dates.js';

/** Any real calendar date between 1900 and 2199. */
const calendarDate = fc
  .integer({ min: toEpochDay('1900-01-01'), max: toEpochDay('2199-12-31') })
  .map((n) => fromEpochDay(n));

describe('calendar dates (spec section 2)', () => {
  it('accepts real dates only, written exactly YYYY-MM-DD', () => {
    for (const ok of ['2024-02-29', '2025-12-31', '2000-02-29', '1999-01-01'])
      expect(isCalendarDate(ok)).toBe(true);
    for (const bad of [
      '2025-02-29',
      '2025-02-30',
      '1900-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-4-3',
      '2025-04-03T00:00:00Z',
      '20250403',
      ' 2025-04-03',
      '',
      20250403,
      null,
    ])
      expect(isCalendarDate(bad), String(bad)).toBe(false);
  });

  it('addMonths clamps to the month end: the spec examples', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-08-31', 12)).toBe('2026-08-31');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-11-30', 15)).toBe('2027-02-28');
  });

  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-12-31', -60)).toBe('2026-11-01');
    expect(addDays('2026-11-26', 90)).toBe('2027-02-24');
  });

  it('daysBetween is to minus from', () => {
    expect(daysBetween('2026-11-26', '2026-12-31')).toBe(35);
    expect(daysBetween('2026-12-31', '2026-11-26')).toBe(-35);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(fromEpochDay(-1)).toBe('1969-12-31');
  });

  it('maxes and mins', () => {
    expect(maxDate('2025-01-02', '2024-12-31')).toBe('2025-01-02');
    expect(minDate('2025-01-02', '2024-12-31')).toBe('2024-12-31');
  });

  it('refuses to compute on a non-date', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('nope', 1)).toThrow(/not a date/);
  });

  describe('properties (fast-check)', () => {
    it('addMonths never overflows into the next month', () => {
      fc.assert(
        fc.property(calendarDate, fc.integer({ min: -240, max: 240 }), (d, n) => {
          const r = addMonths(d, n);
          expect(isCalendarDate(r)).toBe(true);
          const months =
            (Number(r.slice(0, 4)) - Number(d.slice(0, 4))) * 12 +
            Number(r.slice(5, 7)) -
            Number(d.slice(5, 7));
          expect(months).toBe(n);
          const day = Number(r.slice(8, 10));
          expect(day).toBe(
            Math.min(Number(d.slice(8, 10)), daysInMonth(Number(r.slice(0, 4)), Number(r.slice(5, 7)))),
          );
        }),
      );
    });

    it('addMonths is monotonic in the date and in n', () => {
      fc.assert(
        fc.property(calendarDate, calendarDate, fc.integer({ min: -60, max: 60 }), (a, b, n) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(addMonths(lo, n) <= addMonths(hi, n)).toBe(true);
          expect(addMonths(lo, n) <= addMonths(lo, n + 1)).toBe(true);
        }),
      );
    });

    it('addDays and daysBetween agree, and epoch days round-trip', () => {
      fc.assert(
        fc.property(calendarDate, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
          expect(daysBetween(d, addDays(d, n))).toBe(n);
          expect(fromEpochDay(toEpochDay(d))).toBe(d);
        }),
      );
    });
  });
});

describe('instants and zones (the institution calendar)', () => {
  it('calendarDateOf reads the date in the given zone, whatever the machine zone', () => {
    const instant = new Date('2026-11-26T23:30:00Z');
    expect(calendarDateOf(instant, 'UTC')).toBe('2026-11-26');
    expect(calendarDateOf(instant, 'Pacific/Kiritimati')).toBe('2026-11-27');
    expect(calendarDateOf(new Date('2026-11-26T05:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-25');
  });

  it('instantAt finds the wall-clock hour, across DST changes', () => {
    expect(instantAt('2026-11-26', 9, 'UTC').toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(instantAt('2026-11-26', 9, 'America/New_York').toISOString()).toBe('2026-11-26T14:00:00.000Z');
    expect(instantAt('2026-07-01', 9, 'America/New_York').toISOString()).toBe('2026-07-01T13:00:00.000Z');
    // DST starts 2026-03-08 in New York at 02:00 (UTC-5 before, UTC-4 after).
    expect(instantAt('2026-03-08', 9, 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
    // DST ends 2026-11-01 at 02:00.
    expect(instantAt('2026-11-01', 9, 'America/New_York').toISOString()).toBe('2026-11-01T14:00:00.000Z');
    expect(instantAt('2026-11-26', 9, 'Pacific/Kiritimati').toISOString()).toBe('2026-11-25T19:00:00.000Z');
    expect(instantAt('2026-03-29', 9, 'Europe/London').toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('instantAt and calendarDateOf agree', () => {
    fc.assert(
      fc.property(
        calendarDate,
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom('UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Europe/Berlin', 'Asia/Kolkata'),
        (d, hour, zone) => {
          // 02:00-03:00 may not exist on a spring-forward day; every other hour must land on its own date.
          fc.pre(hour !== 2);
          expect(calendarDateOf(instantAt(d, hour, zone), zone)).toBe(d);
        },
      ),
      { numRuns: 200 },
    );
  });
});
