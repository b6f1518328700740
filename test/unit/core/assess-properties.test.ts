// Property-based tests (fast-check) of the assessment: invariants that must hold for any documents.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessVendor, type VendorAssessment } from '../../../functions/core/assess.js';
import { addDays, fromEpochDay, maxDate, toEpochDay } from '../../../functions/core/dates.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import {
  OPINIONS,
  SOC_KINDS,
  TIERS,
  TRUST_CATEGORIES,
  parsePortfolio,
  type VendorDocument,
} from '../../../functions/core/portfolio.js';
import { vendorWith } from './assess-helpers.js';

const BASE = toEpochDay('2024-01-01');
const day = (min: number, max: number) => fc.integer({ min, max }).map((n) => fromEpochDay(BASE + n));

/** Any document the schema accepts, with dates spread over 2024-2027. */
const document: fc.Arbitrary<VendorDocument> = fc.oneof(
  fc
    .record({
      kind: fc.constantFrom(...SOC_KINDS),
      end: fc.integer({ min: 0, max: 900 }),
      length: fc.integer({ min: 0, max: 365 }),
      issuedAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      opinion: fc.constantFrom(...OPINIONS),
      categories: fc.option(fc.subarray([...TRUST_CATEGORIES]), { nil: undefined }),
      regions: fc.option(fc.subarray(['us', 'eu', 'apac']), { nil: undefined }),
      exceptions: fc.nat({ max: 6 }),
    })
    .map((r) => {
      const periodEnd = fromEpochDay(BASE + r.end);
      const doc: VendorDocument = { kind: r.kind, periodEnd, opinion: r.opinion };
      if (r.kind.endsWith('type2')) doc.periodStart = fromEpochDay(BASE + r.end - r.length);
      if (r.issuedAfter !== undefined) doc.issued = addDays(periodEnd, r.issuedAfter);
      if (r.categories) doc.categories = r.categories;
      if (r.regions) doc.regions = r.regions;
      if (r.exceptions)
        doc.exceptions = Array.from({ length: r.exceptions }, () => ({ managementResponse: 'ok' }));
      return doc;
    }),
  fc
    .record({
      from: fc.integer({ min: 0, max: 1000 }),
      length: fc.integer({ min: 0, max: 400 }),
      issued: fc.option(fc.integer({ min: 0, max: 1200 }), { nil: undefined }),
    })
    .map((r) => {
      const doc: VendorDocument = {
        kind: 'bridge-letter',
        coversFrom: fromEpochDay(BASE + r.from),
        coversTo: fromEpochDay(BASE + r.from + r.length),
      };
      if (r.issued !== undefined) doc.issued = fromEpochDay(BASE + r.issued);
      return doc;
    }),
);

const tier = fc.constantFrom(...TIERS);
const covered = (a: VendorAssessment) =>
  a.status === 'current' || a.status === 'expiring' || a.status === 'bridged';
/** The last day the vendor is covered: L, or bridgedUntil when later. */
const coveredUntil = (a: VendorAssessment) =>
  a.lapseDate === null ? null : a.bridgedUntil === null ? a.lapseDate : maxDate(a.lapseDate, a.bridgedUntil);

describe('assessment properties (fast-check)', () => {
  it('the generated documents are valid input (so the properties speak of real portfolios)', () => {
    fc.assert(
      fc.property(fc.array(document, { maxLength: 6 }), tier, (documents, t) => {
        const p = parsePortfolio({
          complianceLeadEmail: 'l@bank.example',
          vendors: [vendorWith(documents, { tier: t })],
        });
        expect(p.vendors[0]?.documents).toHaveLength(documents.length);
      }),
      { numRuns: 200 },
    );
  });

  it('with the documents fixed, moving the as-of date forward never turns stale back into current or expiring', () => {
    fc.assert(
      fc.property(
        // Documents fixed: every one already known (no issue date), so time is the only thing that moves.
        fc.array(
          document.map(({ issued: _issued, ...rest }) => rest as VendorDocument),
          { maxLength: 6 },
        ),
        tier,
        day(0, 1500),
        fc.integer({ min: 1, max: 800 }),
        (documents, t, asOf, forward) => {
          const v = vendorWith(documents, { tier: t });
          const before = assessVendor(v, asOf, DEFAULT_SETTINGS);
          fc.pre(before.status === 'stale');
          const after = assessVendor(v, addDays(asOf, forward), DEFAULT_SETTINGS);
          expect(['current', 'expiring']).not.toContain(after.status);
          expect(after.status).toBe('stale');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('status never moves backwards along current, expiring, bridged, stale as time passes (documents fixed)', () => {
    const rank = { current: 0, expiring: 1, bridged: 2, stale: 3, missing: 4 };
    fc.assert(
      fc.property(
        fc.array(
          document.map(({ issued: _issued, ...rest }) => rest as VendorDocument),
          { maxLength: 6 },
        ),
        tier,
        day(0, 1500),
        fc.integer({ min: 1, max: 800 }),
        (documents, t, asOf, forward) => {
          const v = vendorWith(documents, { tier: t });
          const a = assessVendor(v, asOf, DEFAULT_SETTINGS).status;
          const b = assessVendor(v, addDays(asOf, forward), DEFAULT_SETTINGS).status;
          expect(rank[b]).toBeGreaterThanOrEqual(rank[a]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adding a valid document never removes coverage', () => {
    fc.assert(
      fc.property(
        fc.array(document, { maxLength: 6 }),
        document,
        fc.nat({ max: 7 }),
        tier,
        day(0, 1500),
        (documents, extra, at, t, asOf) => {
          const before = assessVendor(vendorWith(documents, { tier: t }), asOf, DEFAULT_SETTINGS);
          const withExtra = [...documents];
          withExtra.splice(Math.min(at, withExtra.length), 0, extra);
          const after = assessVendor(vendorWith(withExtra, { tier: t }), asOf, DEFAULT_SETTINGS);
          if (covered(before)) expect(covered(after)).toBe(true);
          const untilBefore = coveredUntil(before);
          if (untilBefore !== null) expect(coveredUntil(after)! >= untilBefore).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('findings are unique, sorted, and carry the tier severity', () => {
    fc.assert(
      fc.property(fc.array(document, { maxLength: 6 }), tier, day(0, 1500), (documents, t, asOf) => {
        const { findings } = assessVendor(
          vendorWith(documents, { tier: t, dataRegions: ['us'] }),
          asOf,
          DEFAULT_SETTINGS,
        );
        const c = findings.map((f) => f.code);
        expect(c).toEqual([...new Set(c)].sort());
        expect(new Set(findings.map((f) => f.severity)).size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
