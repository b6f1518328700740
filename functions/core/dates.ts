// Calendar dates as 'YYYY-MM-DD' strings, with integer epoch-day arithmetic: no local-time Date anywhere,
// so the answers are the same in every TZ the machine may run in.

/** A calendar date 'YYYY-MM-DD' (no time, no zone). Strings compare correctly with < and >. */
export type CalendarDate = string;

const DIGIT_0 = 48;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - DIGIT_0;
  return c >= 0 && c <= 9 ? c : -1;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** True for a real date written exactly 'YYYY-MM-DD' (so '2025-02-30' and '2025-2-3' are not). */
export function isCalendarDate(s: unknown): s is CalendarDate {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return false;
  const y0 = digit(s, 0),
    y1 = digit(s, 1),
    y2 = digit(s, 2),
    y3 = digit(s, 3),
    m0 = digit(s, 5),
    m1 = digit(s, 6),
    d0 = digit(s, 8),
    d1 = digit(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parts(d: CalendarDate): [number, number, number] {
  if (!isCalendarDate(d)) throw new RangeError(`${String(d)} is not a date (YYYY-MM-DD)`);
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian, integers only.
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function format(y: number, m: number, d: number): CalendarDate {
  if (y < 0 || y > 9999) throw new RangeError(`year ${y} is outside 0000-9999`);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(d: CalendarDate): number {
  const [y, m, day] = parts(d);
  return daysFromCivil(y, m, day);
}

export function fromEpochDay(n: number): CalendarDate {
  const [y, m, d] = civilFromDays(n);
  return format(y, m, d);
}

/** `n` calendar days later (earlier when negative). */
export function addDays(d: CalendarDate, n: number): CalendarDate {
  return fromEpochDay(toEpochDay(d) + n);
}

/** The same day of the month, n months later, clamped to that month's last day (spec section 2). */
export function addMonths(d: CalendarDate, n: number): CalendarDate {
  const [y, m, day] = parts(d);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return format(year, month, Math.min(day, daysInMonth(year, month)));
}

/** `to - from` in days. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b;
}

export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a <= b ? a : b;
}

// Intl formatters are costly to build: one per zone, for the life of the process.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const instantFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  withTime: boolean,
): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      ...(withTime ? { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } : {}),
    });
    cache.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. 'America/New_York', 'UTC'). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(dateFormatters, timeZone, false);
    return true;
  } catch {
    return false;
  }
}

function wallClock(instant: Date, timeZone: string, withTime: boolean): Record<string, number> {
  // UTC, the default and the common case, needs no formatter (formatToParts is the costly part).
  if (timeZone === 'UTC' && !Number.isNaN(instant.getTime()))
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      ...(withTime
        ? { hour: instant.getUTCHours(), minute: instant.getUTCMinutes(), second: instant.getUTCSeconds() }
        : {}),
    };
  const out: Record<string, number> = {};
  for (const p of formatterFor(
    withTime ? instantFormatters : dateFormatters,
    timeZone,
    withTime,
  ).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** The calendar date that `instant` falls on in `timeZone`. */
export function calendarDateOf(instant: Date, timeZone: string): CalendarDate {
  const w = wallClock(instant, timeZone, false);
  return format(w.year ?? NaN, w.month ?? NaN, w.day ?? NaN);
}

/** Milliseconds the zone's wall clock is ahead of UTC at `epochMs`. */
function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClock(new Date(epochMs), timeZone, true);
  const wallAsUtc = Date.UTC(
    w.year ?? 0,
    (w.month ?? 1) - 1,
    w.day ?? 1,
    w.hour ?? 0,
    w.minute ?? 0,
    w.second ?? 0,
  );
  return wallAsUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `hour`:00 on date `d`. The zone's offset is looked up
 * twice so that a DST change between UTC midnight and the hour is honoured (an hour that a spring-forward
 * skips resolves to an instant next to the gap).
 */
export function instantAt(d: CalendarDate, hour: number, timeZone: string): Date {
  const [y, m, day] = parts(d);
  const wallAsUtc = Date.UTC(y, m - 1, day, hour);
  const first = wallAsUtc - offsetAt(wallAsUtc, timeZone);
  const second = wallAsUtc - offsetAt(first, timeZone);
  return new Date(second);
}
