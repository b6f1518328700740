// One "most urgent first" order (functions/core/urgency.ts) for the console's portfolio and the CLI's table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assessPortfolio } from '../../../functions/core/assess.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { parsePortfolioJson } from '../../../functions/core/portfolio.js';
import { byUrgency } from '../../../functions/core/urgency.js';
import { coverageEndOf, urgencyKey } from '../../../functions/core/summary.js';
import { renderAssessmentTable } from '../../../cli/table.js';

const asOf = '2026-11-26';
const row = (
  name: string,
  status: string,
  lapseDate: string | null,
  bridgedUntil: string | null = null,
  tier = 'high',
) => ({
  name,
  tier: tier as 'high',
  assessment: { status: status as 'current', lapseDate, bridgedUntil },
});

describe('byUrgency', () => {
  it('uncovered first (no report, then the longest lapsed), then by the day coverage ends, then tier and name', () => {
    const order = byUrgency(
      [
        row('current', 'current', '2027-09-30'),
        row('expiring soon', 'expiring', '2026-12-10'),
        row('bridged to january', 'bridged', '2026-10-31', '2027-01-31'),
        row('stale a month', 'stale', '2026-10-26'),
        row('missing, low tier', 'missing', null, null, 'low'),
        row('stale a year', 'stale', '2025-11-26'),
        row('missing, critical', 'missing', null, null, 'critical'),
        row('expiring too, critical', 'expiring', '2026-12-10', null, 'critical'),
      ],
      asOf,
    ).map((r) => r.name);
    expect(order).toEqual([
      'missing, critical',
      'missing, low tier',
      'stale a year',
      'stale a month',
      'expiring too, critical',
      'expiring soon',
      'bridged to january',
      'current',
    ]);
  });

  it('is the same order as the console’s stored one and `assess --format table`', () => {
    const portfolio = parsePortfolioJson(
      readFileSync(new URL('../../../examples/portfolio.json', import.meta.url), 'utf8'),
    );
    const doc = assessPortfolio(portfolio, asOf, DEFAULT_POLICY);
    const table = renderAssessmentTable(doc, portfolio, { color: false });
    const fromTable = table
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[1])
      .filter((id): id is string => portfolio.vendors.some((v) => v.id === id));
    const byId = new Map(portfolio.vendors.map((v) => [v.id, v]));
    // The console lists the portfolio in its stored order: the summaries' urgency keys, sorted as strings.
    const fromPage = doc.vendors
      .map((a) => ({
        id: a.id,
        key: urgencyKey({
          vendorId: a.id,
          name: byId.get(a.id)!.name,
          tier: byId.get(a.id)!.tier,
          coverageEnd: coverageEndOf(a.lapseDate, a.bridgedUntil),
        }),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((r) => r.id);
    expect(fromTable).toHaveLength(portfolio.vendors.length);
    expect(fromPage).toEqual(fromTable);
  });
});
