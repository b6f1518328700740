// Spec section 9 in the assessment: carved-out subservice organisations assessed with section 3 (default
// settings, SOC 2 Type II only), the three new findings on the basis, and the assess document's new parts.
import { describe, expect, it } from 'vitest';
import {
  assessPortfolio,
  assessVendor,
  FINDING_CODES,
  subserviceCoverageOf,
  subserviceIndexOf,
  type FindingCode,
  type SubserviceIndex,
} from '../../../functions/core/assess.js';
import { DEFAULT_POLICY, DEFAULT_SETTINGS, parsePolicy } from '../../../functions/core/policy.js';
import type {
  Cuec,
  Portfolio,
  SocReport,
  SubserviceOrganization,
  SubserviceReference,
  Vendor,
  VendorDocument,
} from '../../../functions/core/portfolio.js';
import { letter, type1, type2, vendorWith } from './assess-helpers.js';

const S = DEFAULT_SETTINGS;
// The organisation's report ends on OP, so its L = 2026-06-30 and L - 60 = 2026-05-01.
const OP = '2025-06-30';

function org(id: string, documents: VendorDocument[]): SubserviceOrganization {
  return { id, name: `${id} Inc.`, documents };
}

const carve = (id: string): SubserviceReference => ({ id, method: 'carve-out' });
const include = (id: string): SubserviceReference => ({ id, method: 'inclusive' });

/** A vendor whose current basis (P = 2026-03-31) names `subservices` and `cuecs`. */
function relying(subservices: SubserviceReference[], cuecs?: Cuec[], extra: Partial<Vendor> = {}): Vendor {
  const basis: SocReport = type2('2026-03-31', { subservices, ...(cuecs ? { cuecs } : {}) });
  return vendorWith([basis], extra);
}

function index(
  organizations: SubserviceOrganization[],
  asOf: string,
  policy = DEFAULT_POLICY,
): SubserviceIndex {
  return subserviceIndexOf(organizations, asOf, policy);
}

function codes(vendor: Vendor, asOf: string, organizations: SubserviceOrganization[] = []): FindingCode[] {
  return assessVendor(vendor, asOf, S, index(organizations, asOf)).findings.map((f) => f.code);
}

describe('a carved-out subservice organisation is assessed with section 3 as of D', () => {
  const host = org('nimbus-cloud', [type2(OP)]);
  const vendor = relying([carve('nimbus-cloud')]);
  const standing = (asOf: string, o = host) => assessVendor(vendor, asOf, S, index([o], asOf)).subservices;

  it('given its report is current (D < L - 60), then it is current and raises nothing', () => {
    expect(standing('2026-04-30')).toEqual([
      { id: 'nimbus-cloud', status: 'current', lapseDate: '2026-06-30' },
    ]);
    expect(codes(vendor, '2026-04-30', [host])).toEqual([]);
  });

  it('given D is in the expiring window through L itself, then it is expiring and still covered', () => {
    expect(standing('2026-05-01')?.[0]?.status).toBe('expiring');
    expect(standing('2026-06-30')?.[0]?.status).toBe('expiring');
    expect(codes(vendor, '2026-06-30', [host])).toEqual([]);
  });

  it('given D is past L without a bridge letter, then it is stale and the vendor has subservice-uncovered', () => {
    expect(standing('2026-07-01')?.[0]).toEqual({
      id: 'nimbus-cloud',
      status: 'stale',
      lapseDate: '2026-06-30',
    });
    expect(codes(vendor, '2026-07-01', [host])).toEqual(['subservice-uncovered']);
  });

  it('given a valid bridge letter, then it is bridged (covered) until bridgedUntil and stale the day after', () => {
    // Letter through 2026-06-30: honoured to 2026-09-30, which is also the 15-month cap.
    const bridged = org('nimbus-cloud', [type2(OP), letter('2025-07-01', '2026-06-30')]);
    expect(standing('2026-09-30', bridged)?.[0]?.status).toBe('bridged');
    expect(codes(vendor, '2026-09-30', [bridged])).toEqual([]);
    expect(standing('2026-10-01', bridged)?.[0]?.status).toBe('stale');
    expect(codes(vendor, '2026-10-01', [bridged])).toEqual(['subservice-uncovered']);
  });

  it('given it has no usable report, then it is missing with no lapse date and raises subservice-uncovered', () => {
    for (const documents of [[], [type2(OP, { opinion: 'adverse' })]]) {
      const none = org('nimbus-cloud', documents);
      expect(standing('2026-01-01', none)).toEqual([
        { id: 'nimbus-cloud', status: 'missing', lapseDate: null },
      ]);
      expect(codes(vendor, '2026-01-01', [none])).toEqual(['subservice-uncovered']);
    }
  });

  it('given its only recent report is a Type I, then the Type I is not its basis', () => {
    expect(subserviceCoverageOf(org('o', [type1('2026-03-31')]), '2026-04-01', S).status).toBe('missing');
    const older = org('nimbus-cloud', [type2(OP), type1('2026-03-31')]);
    expect(subserviceCoverageOf(older, '2026-07-01', S)).toMatchObject({
      status: 'stale',
      basis: { kind: 'soc2-type2', periodEnd: OP },
    });
    // Even for a low-tier vendor, whose own Type I would count.
    const low = relying([carve('nimbus-cloud')], undefined, { tier: 'low' });
    const typeOnly = org('nimbus-cloud', [type1('2026-03-31')]);
    expect(
      assessVendor(low, '2026-04-01', S, index([typeOnly], '2026-04-01')).findings.map((f) => f.code),
    ).toEqual(['subservice-uncovered']);
  });

  it('given its report is issued after D, then it is not known yet (rule 0)', () => {
    const late = org('nimbus-cloud', [type2('2026-03-31', { issued: '2026-05-15' })]);
    expect(standing('2026-05-14', late)?.[0]?.status).toBe('missing');
    expect(standing('2026-05-15', late)?.[0]?.status).toBe('current');
  });

  it("uses the policy's default settings, never the vendor's tier", () => {
    const policy = parsePolicy({
      defaults: { maxReportAgeMonths: 18 },
      tiers: { critical: { maxReportAgeMonths: 6 } },
    });
    const ix = subserviceIndexOf([host], '2026-12-01', policy);
    expect(ix.get('nimbus-cloud')).toEqual({
      id: 'nimbus-cloud',
      status: 'expiring',
      lapseDate: '2026-12-30',
    });
    const doc = assessPortfolio({ vendors: [vendor], subserviceOrganizations: [host] }, '2026-12-01', policy);
    expect(doc.vendors[0]?.subservices?.[0]?.lapseDate).toBe('2026-12-30');
    expect(doc.vendors[0]?.lapseDate).toBe('2026-09-30'); // the critical vendor's own 6 months
  });
});

describe('subservice-uncovered: only carve-outs of the basis count', () => {
  const missing = org('ghost-host', []);

  it('given an inclusive organisation with no report, then nothing is raised and nothing is listed', () => {
    const v = relying([include('ghost-host')]);
    const a = assessVendor(v, '2026-04-01', S, index([missing], '2026-04-01'));
    expect(a.findings).toEqual([]);
    expect('subservices' in a).toBe(false);
  });

  it('given a carve-out only on an older report, then it is ignored', () => {
    const v = vendorWith([type2('2025-03-31', { subservices: [carve('ghost-host')] }), type2('2026-03-31')]);
    expect(codes(v, '2026-04-01', [missing])).toEqual([]);
    expect(assessVendor(v, '2026-04-01', S, index([missing], '2026-04-01')).subservices).toBeUndefined();
  });

  it('given the vendor is stale, then the basis finding is still raised (the last report still says it)', () => {
    const v = vendorWith([type2('2025-03-31', { subservices: [carve('ghost-host')] })]);
    expect(codes(v, '2026-04-01', [missing])).toEqual(['stale-report', 'subservice-uncovered']);
  });

  it('given two uncovered organisations, then the finding appears once, with the vendor’s severity', () => {
    const v = relying([carve('ghost-host'), carve('other-host')], undefined, { tier: 'moderate' });
    const a = assessVendor(v, '2026-04-01', S, index([missing, org('other-host', [])], '2026-04-01'));
    expect(a.findings).toEqual([{ code: 'subservice-uncovered', severity: 'medium' }]);
  });

  it('given no subservice index (a caller that does not know the organisations), then carve-outs are not assessed', () => {
    const a = assessVendor(relying([carve('ghost-host')]), '2026-04-01', S);
    expect(a.findings).toEqual([]);
    expect('subservices' in a).toBe(false);
  });

  it('given an index without the carved-out id, then that organisation counts as missing', () => {
    const a = assessVendor(relying([carve('ghost-host')]), '2026-04-01', S, new Map());
    expect(a.subservices).toEqual([{ id: 'ghost-host', status: 'missing', lapseDate: null }]);
    expect(a.findings.map((f) => f.code)).toEqual(['subservice-uncovered']);
  });

  it('lists carve-outs in the basis order, leaving inclusive ones out', () => {
    const orgs = [org('a-host', [type2(OP)]), org('b-host', []), org('c-host', [])];
    const v = relying([carve('c-host'), include('b-host'), carve('a-host')]);
    expect(assessVendor(v, '2026-04-01', S, index(orgs, '2026-04-01')).subservices).toEqual([
      { id: 'c-host', status: 'missing', lapseDate: null },
      { id: 'a-host', status: 'current', lapseDate: '2026-06-30' },
    ]);
  });
});

describe('cuec-unowned and cuec-not-in-place (on the basis)', () => {
  const owned = (status?: Cuec['status']): Cuec =>
    status === undefined
      ? { id: 'C1', text: 'Review access.', owner: 'iam@bank.example' }
      : { id: 'C1', text: 'Review access.', owner: 'iam@bank.example', status };

  it('given every CUEC has an owner, then no cuec-unowned; given one has none, then cuec-unowned', () => {
    expect(codes(relying([], [owned('in-place')]), '2026-04-01')).toEqual([]);
    expect(
      codes(relying([], [owned('in-place'), { id: 'C2', text: 'Encrypt uploads.' }]), '2026-04-01'),
    ).toEqual(['cuec-unowned']);
  });

  it('given a CUEC is not-in-place, then cuec-not-in-place; in-place, not-applicable or no status do not', () => {
    expect(codes(relying([], [owned('not-in-place')]), '2026-04-01')).toEqual(['cuec-not-in-place']);
    for (const status of ['in-place', 'not-applicable', undefined] as const)
      expect(codes(relying([], [owned(status)]), '2026-04-01'), String(status)).toEqual([]);
  });

  it('given an unowned CUEC that is not in place, then both findings, sorted by code, each once', () => {
    const cuecs: Cuec[] = [
      { id: 'C1', text: 'x', status: 'not-in-place' },
      { id: 'C2', text: 'y', status: 'not-in-place' },
    ];
    const a = assessVendor(relying([], cuecs, { tier: 'high' }), '2026-04-01', S);
    expect(a.findings).toEqual([
      { code: 'cuec-not-in-place', severity: 'high' },
      { code: 'cuec-unowned', severity: 'high' },
    ]);
  });

  it('given CUECs only on an older report, or no basis at all, then nothing is raised', () => {
    const older = vendorWith([
      type2('2025-03-31', { cuecs: [{ id: 'C1', text: 'x' }] }),
      type2('2026-03-31'),
    ]);
    expect(codes(older, '2026-04-01')).toEqual([]);
    const adverse = vendorWith([
      type2('2026-03-31', { opinion: 'adverse', cuecs: [{ id: 'C1', text: 'x' }] }),
    ]);
    expect(codes(adverse, '2026-04-01')).toEqual(['adverse-opinion', 'no-report']);
  });

  it('keeps FINDING_CODES sorted with the three new codes in it', () => {
    expect([...FINDING_CODES]).toEqual([...FINDING_CODES].sort());
    for (const code of ['cuec-not-in-place', 'cuec-unowned', 'subservice-uncovered'])
      expect(FINDING_CODES).toContain(code);
  });
});

describe('the assess document: subservices per vendor and subserviceOrganizations', () => {
  const orgs = [org('nimbus-cloud', [type2(OP)]), org('ironvault-dc', []), org('quartz-print', [])];

  it('given a portfolio without the field, then the document is exactly section 4’s (no new keys)', () => {
    const doc = assessPortfolio(
      { vendors: [vendorWith([type2('2026-03-31')])] },
      '2026-04-01',
      DEFAULT_POLICY,
    );
    expect(Object.keys(doc)).toEqual(['asOf', 'vendors', 'summary']);
    expect(Object.keys(doc.vendors[0] ?? {})).toEqual([
      'id',
      'status',
      'basis',
      'lapseDate',
      'bridgedUntil',
      'daysToLapse',
      'findings',
    ]);
  });

  it('given an empty subserviceOrganizations, then the document lists an empty array', () => {
    const doc = assessPortfolio({ vendors: [], subserviceOrganizations: [] }, '2026-04-01', DEFAULT_POLICY);
    expect(doc).toEqual({
      asOf: '2026-04-01',
      vendors: [],
      subserviceOrganizations: [],
      summary: { current: 0, expiring: 0, bridged: 0, stale: 0, missing: 0 },
    });
    expect(Object.keys(doc)).toEqual(['asOf', 'vendors', 'subserviceOrganizations', 'summary']);
  });

  it('counts as dependents the vendors whose basis carves the organisation out, nothing else', () => {
    const portfolio: Portfolio = {
      subserviceOrganizations: orgs,
      vendors: [
        relying([carve('nimbus-cloud'), carve('ironvault-dc')], undefined, { id: 'a' }),
        relying([carve('nimbus-cloud'), include('quartz-print')], undefined, { id: 'b' }),
        // An older report's carve-out, and a vendor with no basis whose only report carves out: not dependents.
        vendorWith([type2('2025-03-31', { subservices: [carve('ironvault-dc')] }), type2('2026-03-31')], {
          id: 'c',
        }),
        vendorWith([type2('2026-03-31', { opinion: 'adverse', subservices: [carve('quartz-print')] })], {
          id: 'd',
        }),
        // A stale basis still carves out.
        vendorWith([type2('2025-01-31', { subservices: [carve('nimbus-cloud')] })], { id: 'e' }),
      ],
    };
    const doc = assessPortfolio(portfolio, '2026-04-01', DEFAULT_POLICY);
    expect(doc.subserviceOrganizations).toEqual([
      { id: 'nimbus-cloud', status: 'current', lapseDate: '2026-06-30', dependents: 3 },
      { id: 'ironvault-dc', status: 'missing', lapseDate: null, dependents: 1 },
      { id: 'quartz-print', status: 'missing', lapseDate: null, dependents: 0 },
    ]);
    expect(doc.vendors.map((v) => v.subservices?.map((s) => s.id))).toEqual([
      ['nimbus-cloud', 'ironvault-dc'],
      ['nimbus-cloud'],
      undefined,
      undefined,
      ['nimbus-cloud'],
    ]);
    expect(doc.vendors.map((v) => v.findings.map((f) => f.code))).toEqual([
      ['subservice-uncovered'],
      [],
      [],
      ['adverse-opinion', 'no-report'],
      ['stale-report'],
    ]);
    expect(Object.keys(doc.vendors[0] ?? {}).at(-1)).toBe('subservices');
  });

  it('lists subservice organisations in input order, whatever their status', () => {
    const reversed = [...orgs].reverse();
    const doc = assessPortfolio(
      { vendors: [], subserviceOrganizations: reversed },
      '2026-04-01',
      DEFAULT_POLICY,
    );
    expect(doc.subserviceOrganizations?.map((o) => o.id)).toEqual([
      'quartz-print',
      'ironvault-dc',
      'nimbus-cloud',
    ]);
  });
});
