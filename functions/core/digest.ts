// The weekly digest: for each vendor manager and compliance lead, what changed on their vendors in the past week,
// whose coverage lapses in the next 30 days, and which findings are overdue. Pure: the facts of one person's
// digest from the vendors' states; the e-mail is rendered from these facts (core/mail/digest.ts) and goes through
// the outbox like every other message, once per person per ISO week (`digestKey`).
import { assessVendor } from './assess.js';
import {
  addDays,
  calendarDateOf,
  daysBetween,
  fromEpochDay,
  instantAt,
  toEpochDay,
  type CalendarDate,
} from './dates.js';
import { explainFinding } from './explain.js';
import { dueDateOf, isOverdue } from './findings.js';
import { forecastCoverage } from './forecast.js';
import { settingsFor, type Policy } from './policy.js';
import type { Vendor } from './portfolio.js';
import { kindName } from './review.js';
import { normalEmail, staffKeyOf } from './staff-record.js';
import type { VendorState } from './vendor-state.js';
import type { DigestChange, DigestFacts, DigestLapse, DigestOverdue, DigestRole } from './mail/digest.js';

export type { DigestFacts };

/** At most this many lines per section (the rest is counted, and the console has them all). */
export const DIGEST_SECTION_LIMIT = 40;

// ---- the calendar of the digest ----

export interface IsoWeek {
  /** 2026-W48 */
  label: string;
  /** The week's Monday. */
  monday: CalendarDate;
}

/** The ISO 8601 week of a date (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(date: CalendarDate): IsoWeek {
  const day = toEpochDay(date);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const weekday = (((day + 3) % 7) + 7) % 7;
  const monday = day - weekday;
  const thursday = fromEpochDay(monday + 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday: fromEpochDay(monday) };
}

/** The instant this week's digest is due: its weekday (ISO: 1 Monday ... 7 Sunday) at the mail hour. */
export function digestDueAt(today: CalendarDate, weekday: number, mailHour: number, timeZone: string): Date {
  return instantAt(addDays(isoWeekOf(today).monday, weekday - 1), mailHour, timeZone);
}

/** The outbox key of one person's digest of one ISO week: one message per key, ever. */
export function digestKey(email: string, week: string): string {
  return `digest/${staffKeyOf(email)}/${week}`;
}

// ---- who gets one, and what it says ----

export interface Recipient {
  email: string;
  roles: DigestRole[];
  states: VendorState[];
}

/** Every vendor manager and compliance lead named on a vendor, with the vendors that concern them. */
export function digestRecipients(states: readonly VendorState[]): Recipient[] {
  const byEmail = new Map<string, { roles: Set<DigestRole>; states: VendorState[] }>();
  const add = (email: string | undefined, role: DigestRole, state: VendorState) => {
    if (!email) return;
    const key = normalEmail(email);
    let entry = byEmail.get(key);
    if (!entry) byEmail.set(key, (entry = { roles: new Set(), states: [] }));
    entry.roles.add(role);
    if (!entry.states.includes(state)) entry.states.push(state);
  };
  for (const state of states) {
    if (!state.profile) continue;
    add(state.profile.managerEmail, 'vendor manager', state);
    add(state.profile.complianceLeadEmail, 'compliance lead', state);
  }
  return [...byEmail.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([email, { roles, states }]) => ({
      email,
      roles: (['compliance lead', 'vendor manager'] as const).filter((r) => roles.has(r)),
      states,
    }));
}

export interface DigestOptions {
  now: Date;
  /** The start of the week the digest reports on (the previous digest's due instant). */
  since: Date;
  timeZone: string;
  policy: Policy;
  consoleUrl?: string;
}

function capped<T>(items: T[]): { shown: T[]; more: number } {
  return {
    shown: items.slice(0, DIGEST_SECTION_LIMIT),
    more: Math.max(0, items.length - DIGEST_SECTION_LIMIT),
  };
}

const byDate = (a: { on: string; vendorName: string }, b: { on: string; vendorName: string }) =>
  a.on < b.on ? -1 : a.on > b.on ? 1 : a.vendorName.localeCompare(b.vendorName);

/** What happened on one vendor between `since` and `now`, in words, from what its record keeps. */
function changesOf(state: VendorState, vendor: Vendor, o: DigestOptions): DigestChange[] {
  const from = o.since.getTime();
  const to = o.now.getTime();
  const within = (instant: string | undefined) => {
    if (instant === undefined) return false;
    const t = Date.parse(instant);
    return t >= from && t <= to;
  };
  const on = (instant: string) => calendarDateOf(new Date(instant), o.timeZone);
  const out: DigestChange[] = [];
  const push = (instant: string, what: string) =>
    out.push({ vendorId: vendor.id, vendorName: vendor.name, on: on(instant), what });
  for (const d of state.documents) {
    const name = d.document.kind === 'bridge-letter' ? 'bridge letter' : kindName(d.document.kind);
    if (within(d.addedAt))
      push(
        d.addedAt,
        d.status === 'accepted' && d.decidedAt === d.addedAt
          ? `A ${name} was recorded and accepted.`
          : `A ${name} was ${d.source === 'import' ? 'imported' : 'uploaded'} for review.`,
      );
    if (d.decidedAt !== undefined && d.decidedAt !== d.addedAt && within(d.decidedAt)) {
      if (d.status === 'accepted') push(d.decidedAt, `The ${name} was accepted.`);
      else if (d.status === 'rejected')
        push(d.decidedAt, `The ${name} was rejected: ${d.reason ?? ''}`.trim());
      else if (d.status === 'withdrawn') push(d.decidedAt, `The ${name} was withdrawn.`);
    }
  }
  for (const f of Object.values(state.findings)) {
    if (within(f.openedAt))
      push(f.openedAt, `A ${f.severity} finding opened (${f.code}). ${explainFinding(f.code)}`);
    if (within(f.acknowledgedAt)) push(f.acknowledgedAt!, `The ${f.code} finding was acknowledged.`);
    if (within(f.closedAt)) push(f.closedAt!, `The ${f.code} finding was closed.`);
  }
  for (const r of Object.values(state.requests)) {
    if (within(r.openedAt)) push(r.openedAt, `The vendor was asked for its new report, due ${r.dueDate}.`);
    if (within(r.closedAt)) push(r.closedAt!, 'The request to the vendor was answered and closed.');
  }
  const settings = settingsFor(o.policy, vendor.tier);
  const before = assessVendor(vendor, calendarDateOf(o.since, o.timeZone), settings).status;
  const now = assessVendor(vendor, calendarDateOf(o.now, o.timeZone), settings).status;
  if (before !== now) push(o.now.toISOString(), `The status is now ${now} (it was ${before}).`);
  return out;
}

/** One person's digest. */
export function digestFor(recipient: Recipient, o: DigestOptions): DigestFacts {
  const today = calendarDateOf(o.now, o.timeZone);
  const changes: DigestChange[] = [];
  const overdue: DigestOverdue[] = [];
  const vendors: Vendor[] = [];
  const names = new Map<string, string>();
  for (const state of recipient.states) {
    const vendor = portfolioVendorOf(state);
    if (!vendor) continue;
    vendors.push(vendor);
    names.set(vendor.id, vendor.name);
    changes.push(...changesOf(state, vendor, o));
    for (const f of Object.values(state.findings)) {
      const settings = settingsFor(o.policy, vendor.tier);
      if (!isOverdue(f, today, settings)) continue;
      const dueDate = dueDateOf(f, settings);
      overdue.push({
        vendorId: vendor.id,
        vendorName: vendor.name,
        code: f.code,
        meaning: explainFinding(f.code),
        severity: f.severity,
        dueDate,
        daysOverdue: daysBetween(dueDate, today),
      });
    }
  }
  const lapsing: DigestLapse[] = forecastCoverage(vendors, today, o.policy)
    .changes.filter((c) => c.window === 30)
    .map((c) => ({
      vendorId: c.vendorId,
      vendorName: c.name,
      tier: c.tier,
      kind: c.kind,
      lastCoveredDay: c.lastCoveredDay,
      becomes: c.becomes,
    }));
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.vendorName.localeCompare(b.vendorName));
  const c = capped(changes.sort(byDate));
  const l = capped(lapsing);
  const v = capped(overdue);
  const week = isoWeekOf(today);
  return {
    week: week.label,
    from: calendarDateOf(o.since, o.timeZone),
    to: today,
    roles: recipient.roles,
    vendors: vendors.length,
    changes: c.shown,
    moreChanges: c.more,
    lapsing: l.shown,
    moreLapsing: l.more,
    overdue: v.shown,
    moreOverdue: v.more,
    ...(o.consoleUrl ? { consoleUrl: o.consoleUrl } : {}),
  };
}

/** The vendor as the policy sees it (profile and accepted documents), without copying the whole state. */
function portfolioVendorOf(state: VendorState): Vendor | undefined {
  if (!state.profile) return undefined;
  return {
    ...state.profile,
    documents: state.documents.filter((d) => d.status === 'accepted').map((d) => d.document),
  } as Vendor;
}
