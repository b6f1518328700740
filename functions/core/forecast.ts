// The coverage forecast: what the portfolio looks like over the next twelve months if no new document arrives.
// Every status here is the policy engine's own (core/assess.ts `coverageOf`), asked as of a future date with
// only the documents known today: nothing in this module decides when a report goes stale or how long a bridge
// letter holds. Pure: no clock, no I/O.
import { coverageOf, isKnownAsOf, STATUSES, type CoverageStatus } from './assess.js';
import { addDays, addMonths, daysBetween, type CalendarDate } from './dates.js';
import { settingsFor, type Policy, type PolicySettings } from './policy.js';
import { TIERS, type Tier, type Vendor } from './portfolio.js';

/** The windows the forecast lists changes in, in days from today. */
export const FORECAST_WINDOWS = [30, 60, 90] as const;
export type ForecastWindow = (typeof FORECAST_WINDOWS)[number];
/** How many months ahead the coverage chart looks. */
export const FORECAST_MONTHS = 12;

/** The statuses under which a vendor is covered (it has a report, or a bridge letter, the policy honours). */
export const COVERED_STATUSES: ReadonlySet<CoverageStatus> = new Set(['current', 'expiring', 'bridged']);

export type ForecastChangeKind =
  /** The report the coverage rests on passes its lapse date L. */
  | 'report-lapses'
  /** The bridge letter carrying the coverage past L stops being honoured. */
  | 'bridge-ends';

/** One vendor losing (part of) its coverage within the windows. */
export interface ForecastChange {
  vendorId: string;
  name: string;
  tier: Tier;
  managerEmail: string;
  kind: ForecastChangeKind;
  /** The last day still covered by what ends (L, or the bridge's end). */
  lastCoveredDay: CalendarDate;
  /** The first day without it: the status changes on this day. */
  date: CalendarDate;
  /** The status from `date` on: `bridged` when a bridge letter takes over from the report, else `stale`. */
  becomes: CoverageStatus;
  /** `date - today` in days. */
  inDays: number;
  /** The smallest of the windows (30, 60, 90) the change falls in. */
  window: ForecastWindow;
}

export type StatusCounts = Record<CoverageStatus, number>;

/** The portfolio as of one future date: vendors per status, per tier and overall. */
export interface ForecastPoint {
  date: CalendarDate;
  byTier: Record<Tier, StatusCounts>;
  total: StatusCounts;
}

export interface CoverageForecast {
  today: CalendarDate;
  vendors: number;
  /** Changes within the largest window, by date, then the higher tier, then vendor id. */
  changes: ForecastChange[];
  /** Today, then the same day of each of the next 12 months (clamped to the month's end). */
  months: ForecastPoint[];
}

const TIER_RANK: Record<Tier, number> = { critical: 0, high: 1, moderate: 2, low: 3 };

function noCounts(): StatusCounts {
  return { current: 0, expiring: 0, bridged: 0, stale: 0, missing: 0 };
}

function isPolicy(settings: Policy | PolicySettings): settings is Policy {
  return 'defaults' in settings && 'tiers' in settings;
}

/** The per-tier settings: a whole policy, or one set of settings for every tier. */
function settingsLookup(settings: Policy | PolicySettings): (tier: Tier) => PolicySettings {
  if (!isPolicy(settings)) return () => settings;
  const cache = new Map<Tier, PolicySettings>();
  return (tier) => {
    let s = cache.get(tier);
    if (s === undefined) cache.set(tier, (s = settingsFor(settings, tier)));
    return s;
  };
}

/** The vendor with only the documents known today: "if nothing new arrives". */
function asKnownToday(vendor: Vendor, today: CalendarDate): Vendor {
  const documents = vendor.documents;
  for (let i = 0; i < documents.length; i++)
    if (!isKnownAsOf(documents[i]!, today))
      return { ...vendor, documents: documents.filter((d) => isKnownAsOf(d, today)) };
  return vendor;
}

function windowOf(inDays: number): ForecastWindow | undefined {
  for (const w of FORECAST_WINDOWS) if (inDays <= w) return w;
  return undefined;
}

/** The dates of the chart: today and the same day of each of the next `months` months. */
export function forecastDates(today: CalendarDate, months = FORECAST_MONTHS): CalendarDate[] {
  const dates: CalendarDate[] = [];
  for (let m = 0; m <= months; m++) dates.push(addMonths(today, m));
  return dates;
}

/**
 * The forecast of `vendors` (as in core/portfolio.ts) from `today`, under `settings` (a whole policy, whose
 * tiers may override, or one set of settings for all): who loses coverage within 30, 60 and 90 days, and the
 * vendors per status and tier on each of the next 12 months.
 */
export function forecastCoverage(
  vendors: readonly Vendor[],
  today: CalendarDate,
  settings: Policy | PolicySettings,
): CoverageForecast {
  const settingsOf = settingsLookup(settings);
  const dates = forecastDates(today);
  const months: ForecastPoint[] = dates.map((date) => ({
    date,
    byTier: Object.fromEntries(TIERS.map((t) => [t, noCounts()])) as Record<Tier, StatusCounts>,
    total: noCounts(),
  }));
  const horizon = addDays(today, FORECAST_WINDOWS[FORECAST_WINDOWS.length - 1]!);
  const changes: ForecastChange[] = [];

  for (const original of vendors) {
    const vendor = asKnownToday(original, today);
    const s = settingsOf(vendor.tier);
    for (let m = 0; m < dates.length; m++) {
      const status = coverageOf(vendor, dates[m]!, s).status;
      const point = months[m]!;
      point.byTier[vendor.tier][status]++;
      point.total[status]++;
    }
    // The days coverage changes: the day after L (report lapses) and the day after the bridge's end. What the
    // status becomes on those days is the engine's answer, not assumed here.
    const now = coverageOf(vendor, today, s);
    if (now.lapseDate === null) continue;
    const ends: [ForecastChangeKind, CalendarDate][] = [['report-lapses', now.lapseDate]];
    if (now.bridgedUntil !== null && now.bridgedUntil > now.lapseDate)
      ends.push(['bridge-ends', now.bridgedUntil]);
    for (const [kind, lastCoveredDay] of ends) {
      const date = addDays(lastCoveredDay, 1);
      if (date <= today || date > horizon) continue;
      const becomes = coverageOf(vendor, date, s).status;
      const inDays = daysBetween(today, date);
      changes.push({
        vendorId: vendor.id,
        name: vendor.name,
        tier: vendor.tier,
        managerEmail: vendor.managerEmail,
        kind,
        lastCoveredDay,
        date,
        becomes,
        inDays,
        window: windowOf(inDays)!,
      });
    }
  }
  changes.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
      (a.vendorId < b.vendorId ? -1 : a.vendorId > b.vendorId ? 1 : 0) ||
      (a.kind < b.kind ? -1 : 1),
  );
  return { today, vendors: vendors.length, changes, months };
}

/** Vendors covered (current, expiring or bridged) among `counts`. */
export function coveredOf(counts: StatusCounts): number {
  let n = 0;
  for (const s of STATUSES) if (COVERED_STATUSES.has(s)) n += counts[s];
  return n;
}

/** All vendors among `counts`. */
export function totalOf(counts: StatusCounts): number {
  let n = 0;
  for (const s of STATUSES) n += counts[s];
  return n;
}
