// The one "most urgent first" order, shared by the console's portfolio and `assess --format table`, so a person
// sees the same vendor on top in both. Uncovered vendors first: no usable report at all (missing) before a
// lapsed one (stale), the longest lapsed first; then covered vendors by the day their coverage ends (the later of
// the lapse date and a valid bridge letter's end), soonest first. Ties: the higher tier, then the name. The same
// order as the console's stored one (core/summary.ts `urgencyKey`), which cannot change with the calendar.
import type { VendorAssessment } from './assess.js';
import { daysBetween, type CalendarDate } from './dates.js';
import type { Tier } from './portfolio.js';
import { coverageEndOf } from './summary.js';

const RANK = { missing: 0, stale: 1, expiring: 2, bridged: 2, current: 2 } as const;
const TIER_RANK: Record<Tier, number> = { critical: 0, high: 1, moderate: 2, low: 3 };

export interface Urgent {
  assessment: Pick<VendorAssessment, 'status' | 'lapseDate' | 'bridgedUntil'>;
  tier: Tier;
  name: string;
}

/** Days from `asOf` until coverage ends (negative once it has); null without a basis. */
export function daysOfCoverageLeft(
  a: Pick<VendorAssessment, 'status' | 'lapseDate' | 'bridgedUntil'>,
  asOf: CalendarDate,
): number | null {
  const end = coverageEndOf(a.lapseDate, a.bridgedUntil);
  return end === null ? null : daysBetween(asOf, end);
}

export function compareUrgency(a: Urgent, b: Urgent, asOf: CalendarDate): number {
  const left = (u: Urgent) => daysOfCoverageLeft(u.assessment, asOf) ?? Number.NEGATIVE_INFINITY;
  return (
    RANK[a.assessment.status] - RANK[b.assessment.status] ||
    left(a) - left(b) ||
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    a.name.localeCompare(b.name)
  );
}

/** A stable sort, most urgent first. */
export function byUrgency<T extends Urgent>(items: readonly T[], asOf: CalendarDate): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => compareUrgency(a.item, b.item, asOf) || a.index - b.index)
    .map((x) => x.item);
}
