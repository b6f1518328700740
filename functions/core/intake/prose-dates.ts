// Dates as reports write them ("December 31, 2025", "31 December 2025", "Dec. 31, 2025", "2025-12-31"), read
// into calendar dates. An impossible date ("February 30, 2025") or one outside the portfolio's range is no date:
// the field is left out rather than guessed.
import type { CalendarDate } from '../dates.js';
import { isInRangeDate } from '../portfolio.js';

const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const MONTH =
  '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const ORDINAL = '(?:st|nd|rd|th)?';

/**
 * One date in prose, as a regular expression source without capturing groups (to be embedded in the rules'
 * patterns and captured there). Month names are matched case-insensitively by the patterns that embed it.
 */
export const DATE = `(?:${MONTH}\\s+\\d{1,2}${ORDINAL},?\\s+\\d{4}|\\d{1,2}${ORDINAL}\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2})`;

const US = new RegExp(`^(${MONTH})\\s+(\\d{1,2})${ORDINAL},?\\s+(\\d{4})$`, 'i');
const DAY_FIRST = new RegExp(`^(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?(${MONTH}),?\\s+(\\d{4})$`, 'i');
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function calendarDate(year: number, month: number, day: number): CalendarDate | undefined {
  const d = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isInRangeDate(d) ? d : undefined;
}

/** The calendar date a prose date stands for, or undefined when it is not a real date in range. */
export function parseProseDate(text: string): CalendarDate | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  const monthOf = (name: string) => MONTHS[name.toLowerCase().replace(/\.$/, '')];
  let m = US.exec(flat);
  if (m) {
    const month = monthOf(m[1]!);
    return month ? calendarDate(Number(m[3]), month, Number(m[2])) : undefined;
  }
  m = DAY_FIRST.exec(flat);
  if (m) {
    const month = monthOf(m[2]!);
    return month ? calendarDate(Number(m[3]), month, Number(m[1])) : undefined;
  }
  m = ISO.exec(flat);
  if (m) return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return undefined;
}
