// The calendar feed (iCalendar, RFC 5545): a member of staff's lapse dates, request due dates, bridge ends and
// finding due dates, as all-day events. Each event's UID is built from the vendor, the kind and the date
// (`<vendor>-<kind>-<date>@bridgekeeper`), so a calendar that polls the feed updates what it has instead of
// adding duplicates; a date that moves is a new event, and the old one leaves the feed. Pure.
import { assessVendor } from './assess.js';
import { addDays, type CalendarDate } from './dates.js';
import { explainFinding } from './explain.js';
import { settingsFor, type Policy } from './policy.js';
import type { Vendor } from './portfolio.js';
import { kindName } from './review.js';

export type CalendarKind = 'lapse' | 'bridge-end' | 'request-due' | 'finding-due';

/**
 * How often one feed link may be read: calendar applications poll every few minutes to every few hours, and each
 * read assesses the person's vendors, so a leaked or hammered link is held to this (counted per link, before the
 * link is looked up: guessing is limited per token tried, as for upload links).
 */
export const CALENDAR_FEED_LIMIT = { requests: 30, windowSeconds: 3600 } as const;

export interface CalendarEntry {
  uid: string;
  kind: CalendarKind;
  date: CalendarDate;
  vendorId: string;
  summary: string;
  description: string;
  /** The vendor's console page, when the base URL is known. */
  url?: string;
}

/** What the feed needs of one vendor: the policy's view of it, its open request, its findings not closed. */
export interface CalendarVendor {
  vendor: Vendor;
  requestDue: CalendarDate | null;
  findings: readonly { code: string; severity: string; state: string; dueDate: CalendarDate }[];
}

/** The vendors whose dates concern `email`: those they manage and those they are the compliance lead of. */
export function concerns(
  vendor: Pick<Vendor, 'managerEmail' | 'complianceLeadEmail'>,
  email: string,
): boolean {
  const me = email.trim().toLowerCase();
  return (
    vendor.managerEmail.trim().toLowerCase() === me || vendor.complianceLeadEmail?.trim().toLowerCase() === me
  );
}

/** Every dated event of the vendors, by date then UID. */
export function calendarEntries(
  vendors: readonly CalendarVendor[],
  options: { today: CalendarDate; policy: Policy; baseUrl?: string },
): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const { vendor, requestDue, findings } of vendors) {
    const a = assessVendor(vendor, options.today, settingsFor(options.policy, vendor.tier));
    const url = options.baseUrl ? `${options.baseUrl}/vendors/${encodeURIComponent(vendor.id)}` : undefined;
    const add = (kind: CalendarKind, date: CalendarDate, summary: string, description: string, part = '') =>
      entries.push({
        uid: `${vendor.id}-${kind}${part ? `-${part}` : ''}-${date}@bridgekeeper`,
        kind,
        date,
        vendorId: vendor.id,
        summary,
        description,
        ...(url ? { url } : {}),
      });
    const tier = `${vendor.name} (${vendor.id}, tier ${vendor.tier})`;
    if (a.lapseDate !== null && a.basis !== null)
      add(
        'lapse',
        a.lapseDate,
        `SOC 2 coverage of ${vendor.name} lapses after today`,
        `${tier}: the ${kindName(a.basis.kind)} report on file covers a period ending ${a.basis.periodEnd}; ` +
          `it is stale from ${addDays(a.lapseDate, 1)} unless a new report or a bridge letter arrives.`,
      );
    if (a.bridgedUntil !== null && a.lapseDate !== null && a.bridgedUntil > a.lapseDate)
      add(
        'bridge-end',
        a.bridgedUntil,
        `Bridge letter for ${vendor.name} ends`,
        `${tier}: the bridge letter carries the coverage through ${a.bridgedUntil}; from the next day the vendor is not covered.`,
      );
    if (requestDue !== null)
      add(
        'request-due',
        requestDue,
        `New SOC 2 report due from ${vendor.name}`,
        `${tier}: the vendor was asked for its new SOC 2 Type II report (or a bridge letter) by this day.`,
      );
    for (const f of findings)
      add(
        'finding-due',
        f.dueDate,
        `Finding due: ${vendor.name} (${f.code})`,
        `${tier}: the ${f.severity} finding ${f.code} (${f.state}) is due today. ${explainFinding(f.code)}`,
        f.code,
      );
  }
  return entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
}

// ---- iCalendar text (RFC 5545) ----

/**
 * TEXT values (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a line break as `\n`; any other
 * control character dropped. So no vendor-supplied name can end a property or start one.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // eslint-disable-next-line no-control-regex -- dropping control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}

/**
 * A content line folded at 75 octets (RFC 5545 3.1): each continuation starts with one space, and a multi-byte
 * UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ` ${ch}`;
      octets = 1 + size;
    } else {
      current += ch;
      octets += size;
    }
  }
  out.push(current);
  return out.join('\r\n');
}

const basicDate = (d: CalendarDate) => d.replaceAll('-', '');
/** DATE-TIME in UTC, basic format: 20261126T100000Z. */
function utcStamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A URI property value: only a URL we built (http/https), with nothing that could break the line. */
function uri(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- a line break in a URL is refused
  return /^https?:\/\/[^\s\u0000-\u001f"<>\\]+$/.test(value) ? value : undefined;
}

/** The whole feed: CRLF line ends, folded lines, one VEVENT per entry (all-day: DTEND is the next day). */
export function writeIcs(entries: readonly CalendarEntry[], options: { name: string; now: Date }): string {
  const stamp = utcStamp(options.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Bridgekeeper//Coverage calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.name)}`,
  ];
  for (const e of entries) {
    const link = e.url === undefined ? undefined : uri(e.url);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(e.date)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(e.date, 1))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      `CATEGORIES:${escapeText(e.kind)}`,
      ...(link ? [`URL:${link}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map((l) => `${foldLine(l)}\r\n`).join('');
}
