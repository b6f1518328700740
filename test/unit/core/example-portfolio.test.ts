// examples/portfolio.json must show every status and every finding code as of 2026-11-26 (issue 2), and spread
// its lapse dates over the simulated year 2026-09-01 to 2027-09-01.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assessPortfolio,
  FINDING_CODES,
  STATUSES,
  SUBSERVICE_FINDING_CODES,
} from '../../../functions/core/assess.js';
import { DEFAULT_POLICY, parsePolicyJson } from '../../../functions/core/policy.js';
import { parsePortfolioJson } from '../../../functions/core/portfolio.js';

const portfolio = parsePortfolioJson(
  readFileSync(new URL('../../../examples/portfolio.json', import.meta.url), 'utf8'),
);

describe('examples/portfolio.json as of 2026-11-26', () => {
  const doc = assessPortfolio(portfolio, '2026-11-26', DEFAULT_POLICY);

  it('has about a dozen vendors, at least one in every status', () => {
    expect(portfolio.vendors.length).toBeGreaterThanOrEqual(10);
    for (const status of STATUSES) expect(doc.summary[status], status).toBeGreaterThan(0);
  });

  it('raises every finding code of spec section 3 somewhere', () => {
    const seen = new Set(doc.vendors.flatMap((v) => v.findings.map((f) => f.code)));
    for (const code of FINDING_CODES)
      if (!SUBSERVICE_FINDING_CODES.includes(code)) expect(seen.has(code), code).toBe(true);
  });

  it('has no subservice organisations, so its document is section 4’s', () => {
    expect(portfolio.subserviceOrganizations).toBeUndefined();
    expect(Object.keys(doc)).toEqual(['asOf', 'vendors', 'summary']);
  });

  it('reproduces the spec section 4 line for acme-pay', () => {
    expect(doc.vendors[0]).toEqual({
      id: 'acme-pay',
      status: 'expiring',
      basis: { kind: 'soc2-type2', periodEnd: '2025-12-31' },
      lapseDate: '2026-12-31',
      bridgedUntil: null,
      daysToLapse: 35,
      findings: [{ code: 'category-gap', severity: 'critical' }],
    });
  });

  it('spreads lapse dates over the simulated year', () => {
    const inYear = doc.vendors
      .map((v) => v.lapseDate)
      .filter((l): l is string => l !== null && l >= '2026-09-01' && l <= '2027-09-01');
    expect(inYear.length).toBeGreaterThanOrEqual(6);
    expect(new Set(inYear.map((l) => l.slice(0, 7))).size).toBeGreaterThanOrEqual(6);
  });

  it('examples/policy.json is a valid policy', () => {
    const policy = parsePolicyJson(
      readFileSync(new URL('../../../examples/policy.json', import.meta.url), 'utf8'),
    );
    expect(Object.keys(policy.tiers)).toEqual(['critical', 'high', 'low']);
  });
});

describe('examples/portfolio-fourth-parties.json as of 2026-11-26', () => {
  const fourth = parsePortfolioJson(
    readFileSync(new URL('../../../examples/portfolio-fourth-parties.json', import.meta.url), 'utf8'),
  );
  const doc = assessPortfolio(fourth, '2026-11-26', DEFAULT_POLICY);

  it('has subservice organisations in every status', () => {
    const statuses = new Set(doc.subserviceOrganizations?.map((o) => o.status));
    for (const status of STATUSES) expect(statuses.has(status), status).toBe(true);
  });

  it('raises every finding code of spec section 9 somewhere', () => {
    const seen = new Set(doc.vendors.flatMap((v) => v.findings.map((f) => f.code)));
    for (const code of SUBSERVICE_FINDING_CODES) expect(seen.has(code), code).toBe(true);
  });

  it('has an organisation carved out by several vendors and one nobody carves out', () => {
    const dependents = doc.subserviceOrganizations?.map((o) => o.dependents) ?? [];
    expect(Math.max(...dependents)).toBeGreaterThanOrEqual(2);
    expect(dependents).toContain(0);
  });
});
