// A vendor's summary: the few facts the portfolio page lists (status, tier, manager, lapse date, bridged until,
// next due event, open findings by severity), derived from the vendor's state and stored beside it with every
// commit, so that a page of the portfolio reads one page of summaries and never a vendor's whole state. Pure.
//
// A status changes with the calendar, not only with events, so the summary keeps the dates the status follows
// from (the lapse date L and the bridge's end B) and `statusOn` tells the status for any day under the policy's
// settings (spec 3.4). Sorting and filtering by status are ranges of the coverage end max(L, B), which does not
// move with the calendar: what the stored order says today it says tomorrow.
import { coverageOf, FINDING_CODES, STATUSES, type CoverageStatus, type Severity } from './assess.js';
import { addDays, addMonths, type CalendarDate } from './dates.js';
import { dueDateOf } from './findings.js';
import { cycleOf, REQUEST_DAYS_BEFORE_LAPSE } from './plan.js';
import type { PolicySettings } from './policy.js';
import { ValidationError } from './errors.js';
import { isEmailAddress, TIERS, type Tier } from './portfolio.js';
import { allOf, pageSizeOf, type Where } from './query.js';
import { portfolioVendor, type VendorState } from './vendor-state.js';

/** What the next dated event of a vendor is. */
export type NextDueKind =
  | 'manager-reminder'
  | 'vendor-request'
  | 'document-due'
  | 'lapse'
  | 'bridge-ends'
  | 'finding-due'
  | 'risk-acceptance-ends';

export const NEXT_DUE_WORDS: Readonly<Record<NextDueKind, string>> = {
  'manager-reminder': 'the vendor manager is reminded',
  'vendor-request': 'the vendor is asked for its new report',
  'document-due': 'the vendor’s document is due',
  lapse: 'the report lapses after this day',
  'bridge-ends': 'the bridge letter stops covering after this day',
  'finding-due': 'a finding is due',
  'risk-acceptance-ends': 'a risk acceptance ends',
};

export interface NextDue {
  date: CalendarDate;
  what: NextDueKind;
}

export type SeverityCounts = Record<Severity, number>;

/** One vendor on the portfolio page (and in exports): small, whatever the vendor's history. */
export interface VendorSummary {
  vendorId: string;
  name: string;
  tier: Tier;
  managerEmail: string;
  complianceLeadEmail?: string;
  /** L, as of the day the summary was written (null: no usable report). */
  lapseDate: CalendarDate | null;
  bridgedUntil: CalendarDate | null;
  /** The last covered day, the later of L and B (null: no report): the portfolio's most-urgent-first order. */
  coverageEnd: CalendarDate | null;
  /** The dated events still ahead when it was written, soonest first: `nextDueOn` picks the first not passed. */
  upcoming: NextDue[];
  /** Findings needing someone (not closed, not risk-accepted), by severity. */
  openFindings: SeverityCounts;
  riskAccepted: number;
  /** The codes of every finding not closed, sorted. */
  findingCodes: string[];
  /** The earliest due date among the findings needing someone (overdue once it has passed). */
  findingsDue: CalendarDate | null;
  pendingReviews: number;
  openRequest: boolean;
}

const noSeverities = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0 });

/** The summary of a registered vendor as of `today` under its tier's settings; undefined before registration. */
export function vendorSummary(
  state: VendorState,
  today: CalendarDate,
  settings: PolicySettings,
): VendorSummary | undefined {
  const vendor = portfolioVendor(state);
  const profile = state.profile;
  if (!vendor || !profile) return undefined;
  const coverage = coverageOf(vendor, today, settings);
  const L = coverage.lapseDate;
  const B = coverage.bridgedUntil;
  const openFindings = noSeverities();
  let riskAccepted = 0;
  let findingsDue: CalendarDate | null = null;
  const codes = new Set<string>();
  const upcoming: NextDue[] = [];
  for (const f of Object.values(state.findings)) {
    if (f.status === 'closed') continue;
    codes.add(f.code);
    if (f.status === 'risk-accepted') {
      riskAccepted++;
      if (f.riskAcceptance) upcoming.push({ date: f.riskAcceptance.expiresOn, what: 'risk-acceptance-ends' });
      continue;
    }
    if (f.severity in openFindings) openFindings[f.severity as Severity]++;
    const due = dueDateOf(f, settings);
    if (findingsDue === null || due < findingsDue) findingsDue = due;
  }
  if (findingsDue !== null) upcoming.push({ date: findingsDue, what: 'finding-due' });
  const open = state.openRequestId ? state.requests[state.openRequestId] : undefined;
  if (open) upcoming.push({ date: open.dueDate, what: 'document-due' });
  if (L !== null) {
    const cycleNotes = state.notifications.filter((n) => n.cycle === cycleOf(L));
    if (!cycleNotes.some((n) => n.type === 'manager-reminder'))
      upcoming.push({ date: addDays(L, -settings.expiringWindowDays), what: 'manager-reminder' });
    if (!open && !cycleNotes.some((n) => n.type === 'vendor-request'))
      upcoming.push({ date: addDays(L, -REQUEST_DAYS_BEFORE_LAPSE), what: 'vendor-request' });
    upcoming.push({ date: L, what: 'lapse' });
  }
  if (B !== null && (L === null || B > L)) upcoming.push({ date: B, what: 'bridge-ends' });
  const ahead = upcoming
    .filter((u) => u.date >= today)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.what < b.what ? -1 : 1));
  return {
    vendorId: state.vendorId,
    name: profile.name,
    tier: profile.tier,
    managerEmail: profile.managerEmail,
    ...(profile.complianceLeadEmail ? { complianceLeadEmail: profile.complianceLeadEmail } : {}),
    lapseDate: L,
    bridgedUntil: B,
    coverageEnd: coverageEndOf(L, B),
    upcoming: ahead,
    openFindings,
    riskAccepted,
    findingCodes: [...codes].sort(),
    findingsDue,
    pendingReviews: state.documents.filter((d) => d.status === 'pending-review').length,
    openRequest: open !== undefined,
  };
}

export function coverageEndOf(
  lapseDate: CalendarDate | null,
  bridgedUntil: CalendarDate | null,
): CalendarDate | null {
  if (lapseDate === null) return null;
  return bridgedUntil !== null && bridgedUntil > lapseDate ? bridgedUntil : lapseDate;
}

/** The settings a status needs. */
export type StatusSettings = Pick<PolicySettings, 'expiringWindowDays' | 'bridgeMaxMonths'>;

/** The status on `day` from the dates (spec 3.4, with the documents known when the summary was written). */
export function statusOn(
  dates: { lapseDate: CalendarDate | null; bridgedUntil: CalendarDate | null },
  day: CalendarDate,
  settings: StatusSettings,
): CoverageStatus {
  const { lapseDate: L, bridgedUntil: B } = dates;
  if (L === null) return 'missing';
  if (day < addDays(L, -settings.expiringWindowDays)) return 'current';
  if (day <= L) return 'expiring';
  if (B !== null && day <= B) return 'bridged';
  return 'stale';
}

/** The next dated event on or after `day`, or null. */
export function nextDueOn(summary: Pick<VendorSummary, 'upcoming'>, day: CalendarDate): NextDue | null {
  return summary.upcoming.find((u) => u.date >= day) ?? null;
}

/** Findings needing someone, in all. */
export function openFindingCount(summary: Pick<VendorSummary, 'openFindings'>): number {
  return Object.values(summary.openFindings).reduce((a, b) => a + b, 0);
}

// ---- the portfolio's stored order and its queries ----

const TIER_RANK: Record<Tier, number> = { critical: 0, high: 1, moderate: 2, low: 3 };
/** What a vendor without a report sorts as: before every date. */
export const NO_COVERAGE = '0000-00-00';
/** A name's part of a sort key (lower case, bounded: a sort key holds at most 1,024 bytes). */
export const nameKey = (name: string) => name.toLowerCase().slice(0, 100);

/**
 * Most urgent first, as a string that sorts that way: no report first, then by the last covered day (the longest
 * lapsed first, then what lapses soonest), then the higher tier, the name and the id.
 */
export function urgencyKey(s: Pick<VendorSummary, 'coverageEnd' | 'tier' | 'name' | 'vendorId'>): string {
  return `${s.coverageEnd ?? NO_COVERAGE}#${TIER_RANK[s.tier]}#${nameKey(s.name)}#${s.vendorId}`;
}

export function nameOrderKey(s: Pick<VendorSummary, 'name' | 'vendorId'>): string {
  return `${nameKey(s.name)}#${s.vendorId}`;
}

/** The flat fields a store keeps beside each summary so that a condition can be checked without the summary. */
export type SummaryField = 'lapseDate' | 'coverageEnd' | 'tier' | 'manager' | 'lead' | 'codes' | 'open';

/** A summary's flat fields, as strings (absent: null). `codes` is ` a b ` (space-delimited), `open` a count. */
export function summaryFields(s: VendorSummary): Record<SummaryField, string | null> {
  return {
    lapseDate: s.lapseDate,
    coverageEnd: s.coverageEnd,
    tier: s.tier,
    manager: s.managerEmail.toLowerCase(),
    lead: s.complianceLeadEmail?.toLowerCase() ?? null,
    codes: ` ${s.findingCodes.join(' ')} `,
    open: openFindingCount(s) > 0 ? 'yes' : 'no',
  };
}

/** The sets of summaries a store keeps in order: each is one partition of summaries, sorted by its key. */
export type SummaryView = 'all' | 'name' | 'manager';

export const PORTFOLIO_SORTS = ['urgency', 'name'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

/** What the portfolio page asks for (every filter optional). */
export interface PortfolioQuery {
  /** The day statuses are told for. */
  today: CalendarDate;
  /** The settings of each tier (a status's window differs per tier when the policy says so). */
  settings: Readonly<Record<Tier, StatusSettings>>;
  status?: CoverageStatus;
  tier?: Tier;
  /** The vendor manager's e-mail ("my vendors"). */
  manager?: string;
  /** A finding code the vendor has (not closed), or `any` for any finding needing someone. */
  finding?: string;
  /** The start of the vendor's name (case-insensitive). */
  search?: string;
  sort: PortfolioSort;
  descending?: boolean;
  pageSize: number;
  /** Where the previous page stopped (opaque, from the store). */
  cursor?: string;
}

/** How a store answers a query: which view (and its partition), which key range, and what it checks after. */
export interface QueryPlan {
  view: SummaryView;
  /** The view's partition value: the manager's e-mail in lower case. */
  partition?: string;
  /** Inclusive bounds on the view's sort key. */
  from?: string;
  to?: string;
  where: Where<SummaryField> | undefined;
}

/** The latest a day can sort within a key that starts with it. */
const dayEnd = (day: CalendarDate) => `${day}#\uffff`;

/**
 * Plans a query: a search or the name order reads the name view (statuses are then checked after); otherwise
 * the manager's view or the whole portfolio's, with the status as a range of its coverage-end key, and only what
 * the range cannot say checked after (per tier, when tiers have their own windows).
 */
export function planPortfolioQuery(q: PortfolioQuery): QueryPlan {
  const checks: Where<SummaryField>[] = [];
  const byName = q.sort === 'name' || (q.search ?? '') !== '';
  let view: SummaryView = 'all';
  let partition: string | undefined;
  if (byName) view = 'name';
  else if (q.manager) {
    view = 'manager';
    partition = q.manager.toLowerCase();
  }
  if (q.manager && view !== 'manager')
    checks.push({ field: 'manager', op: '=', value: q.manager.toLowerCase() });
  // A tier is a quarter of the portfolio: checked after the read (a page reads at most PAGE_READ_FACTOR pages).
  if (q.tier) checks.push({ field: 'tier', op: '=', value: q.tier });
  if (q.finding === 'any') checks.push({ field: 'open', op: '=', value: 'yes' });
  else if (q.finding) checks.push({ field: 'codes', op: 'contains', value: ` ${q.finding} ` });

  let from: string | undefined;
  let to: string | undefined;
  if (byName && q.search) {
    from = nameKey(q.search.trim());
    to = `${from}\uffff`;
  }
  if (q.status) {
    const range = statusRange(q.status, q.today, q.settings, q.tier);
    if (byName) checks.push(...(range.range ? [rangeWhere(range.range)] : []));
    else if (range.range) {
      from = range.range.from;
      to = range.range.to;
    }
    if (range.where) checks.push(range.where);
  }
  return {
    view,
    ...(partition !== undefined ? { partition } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    where: allOf(checks),
  };
}

/** A status as a range of the coverage-end key (by day), and the per-tier check the range leaves open. */
function statusRange(
  status: CoverageStatus,
  today: CalendarDate,
  settings: Readonly<Record<Tier, StatusSettings>>,
  onlyTier: Tier | undefined,
): { range?: { fromDay: string; toDay: string; from: string; to: string }; where?: Where<SummaryField> } {
  const tiers = (onlyTier ? [onlyTier] : (Object.keys(settings) as Tier[])).map((t) => ({
    tier: t,
    s: settings[t],
  }));
  const windows = tiers.map((t) => t.s.expiringWindowDays);
  const bridge = Math.max(...tiers.map((t) => t.s.bridgeMaxMonths));
  const range = (fromDay: string, toDay: string) => ({ fromDay, toDay, from: fromDay, to: dayEnd(toDay) });
  const perTier = (check: (window: number) => Where<SummaryField>): Where<SummaryField> =>
    tiers.length === 1 || new Set(windows).size === 1
      ? check(windows[0]!)
      : {
          any: tiers.map(
            ({ tier, s }) =>
              ({
                all: [{ field: 'tier', op: '=', value: tier }, check(s.expiringWindowDays)],
              }) as Where<SummaryField>,
          ),
        };
  // The bridge's end is at most bridgeMaxMonths after L (spec 3.3); a few days more for month-end clamping.
  const bridgeReach = (day: CalendarDate) => addDays(addMonths(day, bridge), 3);
  switch (status) {
    case 'missing':
      return { range: range(NO_COVERAGE, NO_COVERAGE) };
    case 'stale':
      return { range: range('0001-01-01', addDays(today, -1)) };
    case 'bridged':
      return {
        range: range(today, bridgeReach(today)),
        where: { field: 'lapseDate', op: '<', value: today },
      };
    case 'expiring':
      return {
        range: range(today, bridgeReach(addDays(today, Math.max(...windows)))),
        where: {
          all: [
            { field: 'lapseDate', op: '>=', value: today },
            perTier((w) => ({ field: 'lapseDate', op: '<=', value: addDays(today, w) })),
          ],
        },
      };
    case 'current':
      return {
        range: range(addDays(today, Math.min(...windows) + 1), '9999-12-31'),
        where: perTier((w) => ({ field: 'lapseDate', op: '>', value: addDays(today, w) })),
      };
  }
}

function rangeWhere(r: { fromDay: string; toDay: string }): Where<SummaryField> {
  if (r.fromDay === NO_COVERAGE) return { field: 'coverageEnd', op: 'missing' };
  return {
    all: [
      { field: 'coverageEnd', op: '>=', value: r.fromDay },
      { field: 'coverageEnd', op: '<=', value: r.toDay },
    ],
  };
}

// ---- the status counts ----

/**
 * The vendors per status are counted from a roll-call: every vendor's lapse date, bridge end and tier, kept in a
 * few shard items (a vendor always in the same one), so that the counts for any day are a fixed number of reads
 * whatever the portfolio's size. An entry is `<seq>|<L>|<B>|<tier>` (`-` for none); the seq keeps it forwards-only.
 */
export const ROLL_CALL_SHARDS = 16;

export function rollCallShard(vendorId: string): number {
  // FNV-1a: stable across runtimes and releases (a vendor must stay in its shard).
  let hash = 0x811c9dc5;
  for (let i = 0; i < vendorId.length; i++) {
    hash ^= vendorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ROLL_CALL_SHARDS;
}

export function rollCallEntry(s: Pick<VendorSummary, 'lapseDate' | 'bridgedUntil' | 'tier'>): string {
  return `${s.lapseDate ?? '-'}|${s.bridgedUntil ?? '-'}|${s.tier}`;
}

export type StatusCounts = Record<CoverageStatus, number>;

/** Counts the roll-call's entries by their status on `today` (per tier settings). */
export function countStatuses(
  entries: Iterable<string>,
  today: CalendarDate,
  settings: Readonly<Record<Tier, StatusSettings>>,
): StatusCounts {
  const counts: StatusCounts = { current: 0, expiring: 0, bridged: 0, stale: 0, missing: 0 };
  for (const entry of entries) {
    const [L, B, tier] = entry.split('|');
    const s = settings[tier as Tier] ?? settings.critical;
    counts[
      statusOn(
        {
          lapseDate: L === '-' || L === undefined ? null : L,
          bridgedUntil: B === '-' || B === undefined ? null : B,
        },
        today,
        s,
      )
    ]++;
  }
  return counts;
}

/** The portfolio page's query parameters as a filter (every problem named), without today and the settings. */
export function portfolioParams(
  params: Readonly<Record<string, string | undefined>>,
): Omit<PortfolioQuery, 'today' | 'settings'> {
  const problems: { path: string; message: string }[] = [];
  const value = (name: string) => {
    const v = params[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const status = value('status');
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
    problems.push({ path: 'status', message: `${status} is not a status (${STATUSES.join(', ')})` });
  const tier = value('tier');
  if (tier !== undefined && !(TIERS as readonly string[]).includes(tier))
    problems.push({ path: 'tier', message: `${tier} is not a tier (${TIERS.join(', ')})` });
  const manager = value('manager')?.toLowerCase();
  if (manager !== undefined && !isEmailAddress(manager))
    problems.push({ path: 'manager', message: `${manager} is not an e-mail address` });
  const finding = value('finding');
  if (finding !== undefined && finding !== 'any' && !(FINDING_CODES as readonly string[]).includes(finding))
    problems.push({ path: 'finding', message: `${finding} is not a finding code` });
  const search = value('q');
  if (search !== undefined && search.length > 100)
    problems.push({ path: 'q', message: 'at most 100 characters' });
  const sort = value('sort') ?? 'urgency';
  if (!(PORTFOLIO_SORTS as readonly string[]).includes(sort))
    problems.push({ path: 'sort', message: `sort by ${PORTFOLIO_SORTS.join(' or ')}` });
  const pageSize = pageSizeOf(value('size'), problems);
  if (problems.length) throw new ValidationError(problems);
  const cursor = value('after');
  return {
    ...(status ? { status: status as CoverageStatus } : {}),
    ...(tier ? { tier: tier as Tier } : {}),
    ...(manager ? { manager } : {}),
    ...(finding ? { finding } : {}),
    ...(search ? { search } : {}),
    sort: sort as PortfolioSort,
    ...(value('order') === 'desc' ? { descending: true } : {}),
    pageSize,
    ...(cursor ? { cursor } : {}),
  };
}
