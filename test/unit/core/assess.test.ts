import { describe, expect, it } from 'vitest';
import {
  assessPortfolio,
  assessVendor,
  coverageOf,
  FINDING_CODES,
  type FindingCode,
} from '../../../functions/core/assess.js';
import { DEFAULT_POLICY, DEFAULT_SETTINGS, parsePolicy } from '../../../functions/core/policy.js';
import type { Tier, Vendor, VendorDocument } from '../../../functions/core/portfolio.js';
import { letter, soc1, type1, type2, vendorWith } from './assess-helpers.js';

const S = DEFAULT_SETTINGS;

function status(vendor: Vendor, asOf: string) {
  return assessVendor(vendor, asOf, S).status;
}

function codes(vendor: Vendor, asOf: string, settings = S): FindingCode[] {
  return assessVendor(vendor, asOf, settings).findings.map((f) => f.code);
}

// P = 2025-12-31, so L = 2026-12-31, L - 60 = 2026-11-01.
const P = '2025-12-31';

describe('status boundaries (spec 3.4)', () => {
  const plain = vendorWith([type2(P)]);
  it('is current on L - 61 and expiring from L - 60', () => {
    expect(status(plain, '2026-10-31')).toBe('current');
    expect(status(plain, '2026-11-01')).toBe('expiring');
  });
  it('is expiring on L itself and stale on L + 1 without a bridge letter', () => {
    expect(status(plain, '2026-12-31')).toBe('expiring');
    expect(assessVendor(plain, '2026-12-31', S).daysToLapse).toBe(0);
    expect(status(plain, '2027-01-01')).toBe('stale');
    expect(assessVendor(plain, '2027-01-01', S).daysToLapse).toBe(-1);
  });
  it('is bridged from L + 1 through bridgedUntil, stale the day after', () => {
    // Letter through 2026-10-15: honoured 3 months more, to 2027-01-15.
    const v = vendorWith([type2(P), letter('2026-01-01', '2026-10-15')]);
    expect(assessVendor(v, '2026-12-31', S)).toMatchObject({
      status: 'expiring',
      bridgedUntil: '2027-01-15',
    });
    expect(status(v, '2027-01-01')).toBe('bridged');
    expect(status(v, '2027-01-15')).toBe('bridged');
    expect(status(v, '2027-01-16')).toBe('stale');
  });
  it('caps bridgedUntil at addMonths(P, maxReportAgeMonths + bridgeMaxMonths)', () => {
    const v = vendorWith([type2(P), letter('2026-01-01', '2027-06-30')]);
    expect(assessVendor(v, '2027-01-01', S).bridgedUntil).toBe('2027-03-31');
    expect(status(v, '2027-03-31')).toBe('bridged');
    expect(status(v, '2027-04-01')).toBe('stale');
  });
  it('a letter ending before L - 3 months leaves nothing to bridge', () => {
    const v = vendorWith([type2(P), letter('2026-01-01', '2026-03-31')]);
    expect(assessVendor(v, '2027-01-01', S)).toMatchObject({ status: 'stale', bridgedUntil: '2026-06-30' });
  });
  it('follows the settings: a 30-day window and an 18-month report age', () => {
    const settings = { ...S, expiringWindowDays: 30, maxReportAgeMonths: 18 };
    expect(assessVendor(plain, '2027-05-30', settings)).toMatchObject({
      status: 'current',
      lapseDate: '2027-06-30',
    });
    expect(assessVendor(plain, '2027-05-31', settings).status).toBe('expiring');
  });
});

describe('month-end clamping and the leap day (spec section 2 in L and bridgedUntil)', () => {
  it('lapse date from a leap-day period end clamps to 28 February', () => {
    const v = vendorWith([type2('2024-02-29')]);
    expect(assessVendor(v, '2025-02-28', S)).toMatchObject({ lapseDate: '2025-02-28', status: 'expiring' });
    expect(status(v, '2025-03-01')).toBe('stale');
  });
  it('lapse date of a 31st lands on the 31st when the month has one', () => {
    expect(assessVendor(vendorWith([type2('2025-08-31')]), '2026-01-01', S).lapseDate).toBe('2026-08-31');
    expect(assessVendor(vendorWith([type2('2023-02-28')]), '2023-06-01', S).lapseDate).toBe('2024-02-28');
  });
  it('bridgedUntil clamps a 30 November letter to 28 February', () => {
    const v = vendorWith([type2('2024-01-31'), letter('2024-02-01', '2024-11-30')]);
    expect(assessVendor(v, '2025-02-01', S)).toMatchObject({ bridgedUntil: '2025-02-28', status: 'bridged' });
    expect(status(v, '2025-03-01')).toBe('stale');
  });
  it('bridgedUntil lands on a leap day, from the letter and from the 15-month cap alike', () => {
    // Cap: addMonths(2022-11-30, 15) = 2024-02-29; letter: addMonths(2023-11-29, 3) = 2024-02-29.
    const v = vendorWith([type2('2022-11-30'), letter('2022-12-01', '2023-11-29')]);
    expect(assessVendor(v, '2024-02-29', S)).toMatchObject({ bridgedUntil: '2024-02-29', status: 'bridged' });
    expect(status(v, '2024-03-01')).toBe('stale');
    const capped = vendorWith([type2('2022-11-30'), letter('2022-12-01', '2024-06-30')]);
    expect(assessVendor(capped, '2024-01-01', S).bridgedUntil).toBe('2024-02-29');
  });
});

describe('bridge letter validity (spec 3.3)', () => {
  const at = '2027-01-10';
  it('a letter starting on P or P + 1 is valid, one starting on P + 2 leaves a gap', () => {
    expect(assessVendor(vendorWith([type2(P), letter(P, '2026-12-31')]), at, S).bridgedUntil).toBe(
      '2027-03-31',
    );
    expect(assessVendor(vendorWith([type2(P), letter('2026-01-01', '2026-12-31')]), at, S).bridgedUntil).toBe(
      '2027-03-31',
    );
    const gap = assessVendor(vendorWith([type2(P), letter('2026-01-02', '2026-12-31')]), at, S);
    expect(gap).toMatchObject({ bridgedUntil: null, status: 'stale' });
  });
  it('a letter ending on P covers nothing after the report; one ending on P + 1 does', () => {
    expect(assessVendor(vendorWith([type2(P), letter('2025-07-01', P)]), at, S).bridgedUntil).toBeNull();
    expect(
      assessVendor(vendorWith([type2(P), letter('2025-07-01', '2026-01-01')]), '2026-06-01', S).bridgedUntil,
    ).toBe('2026-04-01');
  });
  it('gives bridgedUntil before L too, and uses the latest coversTo among valid letters', () => {
    const v = vendorWith([type2(P), letter('2026-01-01', '2026-06-30'), letter('2025-12-01', '2026-09-30')]);
    expect(assessVendor(v, '2026-03-01', S)).toMatchObject({ status: 'current', bridgedUntil: '2026-12-30' }); // 30 Sep + 3 months
    expect(coverageOf(v, '2026-03-01', S).validBridgeLetters).toHaveLength(2);
  });
  it('a letter for an older report does not bridge a newer one', () => {
    const v = vendorWith([type2('2024-12-31'), type2(P), letter('2025-01-01', '2025-12-31')]);
    expect(assessVendor(v, '2027-01-05', S)).toMatchObject({ status: 'stale', bridgedUntil: null });
  });
});

describe('basis selection (spec 3.1)', () => {
  it('takes the latest periodEnd among unqualified and qualified SOC 2 Type II reports', () => {
    const v = vendorWith([
      type2('2024-12-31'),
      type2('2025-06-30', { opinion: 'qualified' }),
      type2('2025-03-31'),
    ]);
    expect(assessVendor(v, '2026-01-01', S).basis).toEqual({ kind: 'soc2-type2', periodEnd: '2025-06-30' });
  });
  it('never takes an adverse or disclaimed report, nor a SOC 1', () => {
    const v = vendorWith([
      type2('2024-12-31'),
      type2('2025-06-30', { opinion: 'adverse' }),
      type2('2025-07-31', { opinion: 'disclaimer' }),
      soc1('2025-09-30'),
    ]);
    expect(assessVendor(v, '2026-01-01', S).basis?.periodEnd).toBe('2024-12-31');
  });
  it('takes a Type I only for moderate and low tiers', () => {
    const docs = [type2('2024-12-31'), type1('2025-06-30')];
    for (const tier of ['critical', 'high'] as Tier[])
      expect(assessVendor(vendorWith(docs, { tier }), '2025-08-01', S).basis?.kind, tier).toBe('soc2-type2');
    for (const tier of ['moderate', 'low'] as Tier[])
      expect(assessVendor(vendorWith(docs, { tier }), '2025-08-01', S).basis?.kind, tier).toBe('soc2-type1');
  });
  it('breaks a periodEnd tie in favour of Type II, then the later issue date', () => {
    const tie = vendorWith([type1(P, { issued: '2026-02-01' }), type2(P, { issued: '2026-01-15' })], {
      tier: 'low',
    });
    expect(assessVendor(tie, '2026-03-01', S).basis?.kind).toBe('soc2-type2');
    const qualifiedLater = vendorWith([
      type2(P, { issued: '2026-03-01', opinion: 'qualified' }),
      type2(P, { issued: '2026-02-01' }),
    ]);
    expect(codes(qualifiedLater, '2026-04-01')).toContain('qualified-opinion');
    const unqualifiedLater = vendorWith([
      type2(P, { issued: '2026-02-01', opinion: 'qualified' }),
      type2(P, { issued: '2026-03-01' }),
    ]);
    expect(codes(unqualifiedLater, '2026-04-01')).not.toContain('qualified-opinion');
  });
});

describe('known documents (spec 3.0): documents issued after the as-of date are ignored', () => {
  it('a report issued after D is not the basis until its issue date', () => {
    const v = vendorWith([type2('2024-12-31'), type2(P, { issued: '2026-02-14' })]);
    expect(assessVendor(v, '2026-02-13', S)).toMatchObject({
      status: 'stale',
      basis: { periodEnd: '2024-12-31' },
    });
    expect(assessVendor(v, '2026-02-14', S)).toMatchObject({ status: 'current', basis: { periodEnd: P } });
  });
  it('a bridge letter issued after D does not bridge yet', () => {
    const v = vendorWith([type2(P), letter('2026-01-01', '2026-12-31', '2027-01-08')]);
    expect(assessVendor(v, '2027-01-07', S)).toMatchObject({ status: 'stale', bridgedUntil: null });
    expect(assessVendor(v, '2027-01-08', S)).toMatchObject({ status: 'bridged', bridgedUntil: '2027-03-31' });
  });
  it('an unknown adverse report raises no finding yet; a report without issued is known', () => {
    const v = vendorWith([type2('2024-12-31'), type2(P, { opinion: 'adverse', issued: '2026-03-01' })]);
    expect(codes(v, '2026-02-28')).not.toContain('adverse-opinion');
    expect(codes(v, '2026-03-01')).toContain('adverse-opinion');
    expect(status(vendorWith([type2(P)]), '2026-01-01')).toBe('current');
  });
});

describe('findings table (spec 3.5): each row firing and not firing at its edge', () => {
  it('no-report: fires only when missing', () => {
    expect(codes(vendorWith([]), '2026-01-01')).toEqual(['no-report']);
    expect(codes(vendorWith([type2(P)]), '2026-01-01')).toEqual([]);
  });

  it('stale-report: fires when stale, not when bridged', () => {
    expect(codes(vendorWith([type2(P)]), '2027-01-01')).toEqual(['stale-report']);
    expect(codes(vendorWith([type2(P), letter('2026-01-01', '2026-12-31')]), '2027-01-01')).toEqual([]);
  });

  it('type1-only for critical and high: a usable Type I and no candidate', () => {
    expect(codes(vendorWith([type1(P)]), '2026-03-01')).toEqual(['no-report', 'type1-only']);
    expect(codes(vendorWith([type1(P, { opinion: 'adverse' })]), '2026-03-01')).not.toContain('type1-only');
    expect(codes(vendorWith([type1(P), type2('2024-12-31')], { tier: 'high' }), '2025-06-01')).not.toContain(
      'type1-only',
    );
  });

  it('type1-only for moderate and low: the basis is a Type I', () => {
    expect(codes(vendorWith([type1(P)], { tier: 'moderate' }), '2026-03-01')).toEqual(['type1-only']);
    expect(codes(vendorWith([type1('2025-06-30'), type2(P)], { tier: 'low' }), '2026-03-01')).toEqual([]);
  });

  it('soc1-not-soc2: no basis and a SOC 1 report', () => {
    expect(codes(vendorWith([soc1(P)]), '2026-03-01')).toEqual(['no-report', 'soc1-not-soc2']);
    expect(codes(vendorWith([soc1(P), type2(P)]), '2026-03-01')).toEqual([]);
  });

  it('adverse-opinion: the latest SOC 2 report is adverse or a disclaimer', () => {
    expect(codes(vendorWith([type2('2024-12-31'), type2(P, { opinion: 'adverse' })]), '2026-01-01')).toEqual([
      'adverse-opinion',
      'stale-report',
    ]);
    expect(codes(vendorWith([type1(P, { opinion: 'disclaimer' })]), '2026-01-01')).toEqual([
      'adverse-opinion',
      'no-report',
    ]);
    expect(codes(vendorWith([type2('2024-12-31', { opinion: 'adverse' }), type2(P)]), '2026-01-01')).toEqual(
      [],
    );
  });

  it('qualified-opinion: the basis is qualified', () => {
    expect(codes(vendorWith([type2(P, { opinion: 'qualified' })]), '2026-01-01')).toEqual([
      'qualified-opinion',
    ]);
    expect(codes(vendorWith([type2(P, { opinion: 'unqualified' })]), '2026-01-01')).toEqual([]);
  });

  it('scope-gap: the basis states regions and misses one of the data regions', () => {
    const v = (regions?: string[]) =>
      vendorWith([type2(P, regions ? { regions } : {})], { dataRegions: ['us', 'eu'] });
    expect(codes(v(['us']), '2026-01-01')).toEqual(['scope-gap']);
    expect(codes(v(['us', 'eu', 'apac']), '2026-01-01')).toEqual([]);
    expect(codes(v(['US', 'EU']), '2026-01-01')).toEqual([]);
    expect(codes(v(), '2026-01-01')).toEqual([]);
  });

  it('category-gap: a required category (security always) missing from the basis', () => {
    const req = { requiredCategories: ['availability', 'confidentiality'] } as Partial<Vendor>;
    expect(
      codes(vendorWith([type2(P, { categories: ['security', 'availability'] })], req), '2026-01-01'),
    ).toEqual(['category-gap']);
    expect(
      codes(
        vendorWith([type2(P, { categories: ['security', 'availability', 'confidentiality'] })], req),
        '2026-01-01',
      ),
    ).toEqual([]);
    expect(codes(vendorWith([type2(P, { categories: ['availability'] })]), '2026-01-01')).toEqual([
      'category-gap',
    ]);
    expect(codes(vendorWith([type2(P)]), '2026-01-01')).toEqual([]);
    expect(codes(vendorWith([type2(P)], { requiredCategories: ['privacy'] }), '2026-01-01')).toEqual([
      'category-gap',
    ]);
  });

  it('exception-without-response: an absent or blank management response', () => {
    const withResponse = (managementResponse?: string) =>
      vendorWith([
        type2(P, {
          exceptions: [
            { control: 'CC6.1', managementResponse: 'Fixed in Q3.' },
            { control: 'CC7.2', managementResponse },
          ],
        }),
      ]);
    expect(codes(withResponse('   '), '2026-01-01')).toEqual(['exception-without-response']);
    expect(codes(withResponse(''), '2026-01-01')).toEqual(['exception-without-response']);
    expect(codes(withResponse(undefined), '2026-01-01')).toEqual(['exception-without-response']);
    expect(codes(withResponse('Alerting rule added.'), '2026-01-01')).toEqual([]);
  });

  it('many-exceptions: 5 or more fires, 4 does not; the threshold is a setting', () => {
    const withN = (n: number) =>
      vendorWith([
        type2(P, {
          exceptions: Array.from({ length: n }, (_, i) => ({ control: `CC${i}`, managementResponse: 'ok' })),
        }),
      ]);
    expect(codes(withN(4), '2026-01-01')).toEqual([]);
    expect(codes(withN(5), '2026-01-01')).toEqual(['many-exceptions']);
    expect(codes(withN(3), '2026-01-01', { ...S, manyExceptions: 3 })).toEqual(['many-exceptions']);
  });

  it('bridge-gap: past L, no valid letter, and a letter reaching past P', () => {
    const gapLetter = letter('2026-01-15', '2026-12-31');
    expect(codes(vendorWith([type2(P), gapLetter]), '2027-01-01')).toEqual(['bridge-gap', 'stale-report']);
    expect(codes(vendorWith([type2(P), gapLetter]), '2026-12-31')).toEqual([]);
    expect(codes(vendorWith([type2(P), letter('2025-07-01', P)]), '2027-01-01')).toEqual(['stale-report']);
    expect(
      codes(vendorWith([type2(P), gapLetter, letter('2026-01-01', '2026-01-31')]), '2027-01-01'),
    ).toEqual(['stale-report']);
  });

  describe('renewal-at-risk', () => {
    const D = '2026-11-26';
    const atRisk = (renewal: string, docs: VendorDocument[] = [type2(P)]) =>
      codes(vendorWith(docs, { contractRenewal: renewal }), D).includes('renewal-at-risk');
    it('fires for a renewal 90 days ahead that falls after L, not for one 91 days ahead', () => {
      expect(atRisk('2027-02-24')).toBe(true); // D + 90
      expect(atRisk('2027-02-25')).toBe(false); // D + 91
    });
    it('fires for a renewal today when uncovered that day, not for one in the past', () => {
      const old = [type2('2025-06-30')]; // L = 2026-06-30
      expect(atRisk(D, old)).toBe(true);
      expect(atRisk('2026-11-25', old)).toBe(false);
    });
    it('does not fire when the renewal is on or before L', () => {
      expect(atRisk('2026-12-31')).toBe(false);
      expect(atRisk('2027-01-01')).toBe(true);
    });
    it('does not fire while a valid bridge letter covers the renewal date', () => {
      const bridged = [type2(P), letter('2026-01-01', '2026-11-30')]; // bridgedUntil 2027-02-28
      expect(atRisk('2027-02-24', bridged)).toBe(false);
      const short = [type2(P), letter('2026-01-01', '2026-10-31')]; // bridgedUntil 2027-01-31
      expect(atRisk('2027-02-01', short)).toBe(true);
    });
    it('fires for a vendor with no basis at all', () => {
      expect(atRisk('2027-01-15', [])).toBe(true);
    });
    it('follows renewalWindowDays', () => {
      const v = vendorWith([type2(P)], { contractRenewal: '2027-01-20' });
      expect(codes(v, D, { ...S, renewalWindowDays: 60 })).toContain('renewal-at-risk');
      expect(codes(v, D, { ...S, renewalWindowDays: 30 })).not.toContain('renewal-at-risk');
    });
  });

  it('severity follows the tier', () => {
    const sev = (tier: Tier) => assessVendor(vendorWith([], { tier }), '2026-01-01', S).findings[0]?.severity;
    expect([sev('critical'), sev('high'), sev('moderate'), sev('low')]).toEqual([
      'critical',
      'high',
      'medium',
      'low',
    ]);
  });

  it('lists findings sorted by code', () => {
    const v = vendorWith(
      [
        type2(P, {
          opinion: 'qualified',
          regions: ['us'],
          categories: ['availability'],
          exceptions: Array.from({ length: 5 }, () => ({ managementResponse: '' })),
        }),
        letter('2026-02-01', '2027-01-31'),
      ],
      { dataRegions: ['eu'], contractRenewal: '2027-02-01' },
    );
    const found = codes(v, '2027-01-05');
    expect(found).toEqual([...found].sort());
    expect(found).toEqual([
      'bridge-gap',
      'category-gap',
      'exception-without-response',
      'many-exceptions',
      'qualified-opinion',
      'renewal-at-risk',
      'scope-gap',
      'stale-report',
    ]);
    expect([...FINDING_CODES]).toEqual([...FINDING_CODES].sort());
  });
});

describe('the assess document (spec section 4)', () => {
  it('keeps input order, nulls without a basis, counts each status', () => {
    const doc = assessPortfolio(
      {
        vendors: [
          vendorWith([], { id: 'zeta' }),
          vendorWith([type2(P, { categories: ['security', 'availability'] })], {
            id: 'acme-pay',
            requiredCategories: ['availability', 'confidentiality'],
          }),
          vendorWith([type2('2026-06-30')], { id: 'beta' }),
        ],
      },
      '2026-11-26',
      DEFAULT_POLICY,
    );
    expect(doc).toEqual({
      asOf: '2026-11-26',
      vendors: [
        {
          id: 'zeta',
          status: 'missing',
          basis: null,
          lapseDate: null,
          bridgedUntil: null,
          daysToLapse: null,
          findings: [{ code: 'no-report', severity: 'critical' }],
        },
        {
          id: 'acme-pay',
          status: 'expiring',
          basis: { kind: 'soc2-type2', periodEnd: '2025-12-31' },
          lapseDate: '2026-12-31',
          bridgedUntil: null,
          daysToLapse: 35,
          findings: [{ code: 'category-gap', severity: 'critical' }],
        },
        {
          id: 'beta',
          status: 'current',
          basis: { kind: 'soc2-type2', periodEnd: '2026-06-30' },
          lapseDate: '2027-06-30',
          bridgedUntil: null,
          daysToLapse: 216,
          findings: [],
        },
      ],
      summary: { current: 1, expiring: 1, bridged: 0, stale: 0, missing: 1 },
    });
  });

  it('applies per-tier policy overrides', () => {
    const policy = parsePolicy({
      defaults: { expiringWindowDays: 30 },
      tiers: { critical: { maxReportAgeMonths: 9 } },
    });
    const doc = assessPortfolio(
      { vendors: [vendorWith([type2(P)], { id: 'c' }), vendorWith([type2(P)], { id: 'l', tier: 'low' })] },
      '2026-09-01',
      policy,
    );
    expect(doc.vendors.map((v) => [v.id, v.status, v.lapseDate])).toEqual([
      ['c', 'expiring', '2026-09-30'],
      ['l', 'current', '2026-12-31'],
    ]);
  });
});
