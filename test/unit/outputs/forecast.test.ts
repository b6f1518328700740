// The coverage forecast against the policy engine itself, on a generated portfolio: each month's counts are what
// `assessPortfolio` says as of that date with only today's documents, and each listed change is a day on which
// `assessVendor` says the status changes from covered.
import { describe, expect, it } from 'vitest';
import { assessPortfolio, assessVendor, isKnownAsOf, STATUSES } from '../../../functions/core/assess.js';
import { addDays, daysBetween } from '../../../functions/core/dates.js';
import {
  COVERED_STATUSES,
  coveredOf,
  forecastCoverage,
  forecastDates,
} from '../../../functions/core/forecast.js';
import {
  DEFAULT_POLICY,
  DEFAULT_SETTINGS,
  settingsFor,
  type Policy,
} from '../../../functions/core/policy.js';
import { TIERS, type Vendor } from '../../../functions/core/portfolio.js';
import { generateVendors } from './generated-portfolio.js';
import { letter, type2, vendorWith } from '../core/assess-helpers.js';

const TODAY = '2026-11-26';
const POLICY: Policy = {
  defaults: { ...DEFAULT_SETTINGS },
  // A tier override, so the forecast must use each vendor's own settings.
  tiers: { critical: { maxReportAgeMonths: 9, expiringWindowDays: 45 }, low: { bridgeMaxMonths: 6 } },
};

function knownToday(vendors: Vendor[]): Vendor[] {
  return vendors.map((v) => ({ ...v, documents: v.documents.filter((d) => isKnownAsOf(d, TODAY)) }));
}

describe('forecastCoverage', () => {
  const vendors = generateVendors(1500, TODAY);
  const forecast = forecastCoverage(vendors, TODAY, POLICY);

  it('counts, for every month, what the policy engine says as of that date from today’s documents', () => {
    expect(forecast.months.map((m) => m.date)).toEqual(forecastDates(TODAY));
    expect(forecast.months).toHaveLength(13);
    const known = knownToday(vendors);
    for (const point of forecast.months) {
      const doc = assessPortfolio({ vendors: known }, point.date, POLICY);
      expect(point.total).toEqual(doc.summary);
      for (const tier of TIERS) {
        const expected = Object.fromEntries(STATUSES.map((s) => [s, 0]));
        doc.vendors.forEach((a, i) => {
          if (known[i]!.tier === tier) expected[a.status]!++;
        });
        expect(point.byTier[tier]).toEqual(expected);
      }
    }
    // The generated portfolio is not trivial: coverage falls over the year.
    expect(coveredOf(forecast.months[12]!.total)).toBeLessThan(coveredOf(forecast.months[0]!.total));
  });

  it('lists exactly the days within 90 days on which a covered vendor’s status changes for the worse', () => {
    const known = knownToday(vendors);
    const expected: string[] = [];
    for (const v of known) {
      const s = settingsFor(POLICY, v.tier);
      for (let d = 1; d <= 90; d++) {
        const day = addDays(TODAY, d);
        const before = assessVendor(v, addDays(day, -1), s).status;
        const after = assessVendor(v, day, s).status;
        if (COVERED_STATUSES.has(before) && after !== before && after !== 'expiring')
          expected.push(`${v.id} ${day} ${after}`);
      }
    }
    const listed = forecast.changes.map((c) => `${c.vendorId} ${c.date} ${c.becomes}`);
    expect([...listed].sort()).toEqual([...expected].sort());
    expect(listed.length).toBeGreaterThan(50);
    for (const c of forecast.changes) {
      expect(c.inDays).toBe(daysBetween(TODAY, c.date));
      expect(c.window).toBe(c.inDays <= 30 ? 30 : c.inDays <= 60 ? 60 : 90);
      expect(c.lastCoveredDay).toBe(addDays(c.date, -1));
    }
    // In date order.
    const dates = forecast.changes.map((c) => c.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('ignores a document issued after today (“if nothing new arrives”)', () => {
    const lapsing = vendorWith([type2('2025-12-15', { issued: '2026-01-20' })]);
    const renewed = vendorWith([
      type2('2025-12-15', { issued: '2026-01-20' }),
      type2('2026-12-15', { issued: '2026-12-01' }),
    ]);
    const a = forecastCoverage([lapsing], TODAY, DEFAULT_POLICY);
    const b = forecastCoverage([renewed], TODAY, DEFAULT_POLICY);
    expect(b).toEqual(a);
    expect(a.changes).toEqual([
      expect.objectContaining({
        kind: 'report-lapses',
        lastCoveredDay: '2026-12-15',
        date: '2026-12-16',
        becomes: 'stale',
        window: 30,
      }),
    ]);
  });

  it('names a bridge letter taking over from the report, and the day the bridge ends', () => {
    const bridged = vendorWith([
      type2('2025-12-31', { issued: '2026-02-01' }),
      letter('2026-01-01', '2026-12-31', '2026-11-01'),
    ]);
    const f = forecastCoverage([bridged], TODAY, DEFAULT_SETTINGS);
    // L = 2026-12-31; bridged until min(2026-12-31 + 3 months, P + 15 months) = 2027-03-31: beyond 90 days.
    expect(f.changes.map((c) => [c.kind, c.date, c.becomes])).toEqual([
      ['report-lapses', '2027-01-01', 'bridged'],
    ]);
    const later = forecastCoverage([bridged], '2027-02-01', DEFAULT_SETTINGS);
    expect(later.changes.map((c) => [c.kind, c.date, c.becomes, c.window])).toEqual([
      ['bridge-ends', '2027-04-01', 'stale', 60],
    ]);
  });

  it('accepts one set of settings for every tier as well as a policy', () => {
    const same = forecastCoverage(vendors.slice(0, 200), TODAY, DEFAULT_SETTINGS);
    expect(same).toEqual(forecastCoverage(vendors.slice(0, 200), TODAY, DEFAULT_POLICY));
  });
});
