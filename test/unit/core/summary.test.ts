// A vendor's summary (functions/core/summary.ts): what the portfolio page lists, and how its stored order and its
// queries answer for any day. Property tests hold the summary's dates to the policy engine, and the query plan's
// key ranges and checks to a brute-force filter of every summary.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { coverageOf, STATUSES } from '../../../functions/core/assess.js';
import { addDays, fromEpochDay, toEpochDay } from '../../../functions/core/dates.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { DEFAULT_SETTINGS, parsePolicy, settingsFor } from '../../../functions/core/policy.js';
import { TIERS, type Tier, type VendorDocument } from '../../../functions/core/portfolio.js';
import {
  countStatuses,
  nextDueOn,
  portfolioParams,
  rollCallEntry,
  statusOn,
  summaryFields,
  vendorSummary,
  type PortfolioQuery,
  type StatusSettings,
  type VendorSummary,
} from '../../../functions/core/summary.js';
import { ValidationError } from '../../../functions/core/errors.js';
import { portfolioVendor } from '../../../functions/core/vendor-state.js';
import { given, report } from '../commands/support.js';

const BASE = toEpochDay('2025-01-01');
const dayArb = (min: number, max: number) => fc.integer({ min, max }).map((n) => fromEpochDay(BASE + n));
const WRITTEN = '2026-06-01';

/** Documents all known by the day the summary is written (issued on or before it). */
const documents: fc.Arbitrary<VendorDocument[]> = fc.array(
  fc.oneof(
    fc
      .record({ end: fc.integer({ min: 0, max: 500 }), type1: fc.boolean() })
      .map(({ end, type1 }): VendorDocument => ({
        ...report(fromEpochDay(BASE + end)),
        ...(type1 ? { kind: 'soc2-type1' as const, periodStart: undefined } : {}),
        issued: WRITTEN,
      })),
    fc
      .record({ from: fc.integer({ min: 0, max: 600 }), length: fc.integer({ min: 1, max: 300 }) })
      .map(({ from, length }): VendorDocument => ({
        kind: 'bridge-letter',
        coversFrom: fromEpochDay(BASE + from),
        coversTo: fromEpochDay(BASE + from + length),
        issued: WRITTEN,
      })),
  ),
  { maxLength: 4 },
);

const stateWith = (docs: VendorDocument[], tier: Tier, extra: NewEvent[] = []) =>
  given(
    { type: 'vendor-updated', data: { changes: { tier } } },
    ...docs.map((document, i): NewEvent => ({
      type: 'document-added',
      data: {
        documentId: `d${i}`,
        document: JSON.parse(JSON.stringify(document)),
        source: 'import',
        status: 'accepted',
      },
    })),
    ...extra,
  );

describe('a summary tells the status of any later day from its dates', () => {
  it('statusOn(summary written on W, D) is the policy engine’s status on D (documents known by W)', () => {
    fc.assert(
      fc.property(documents, fc.constantFrom(...TIERS), dayArb(516, 1100), (docs, tier, day) => {
        const state = stateWith(docs, tier);
        const summary = vendorSummary(state, WRITTEN, DEFAULT_SETTINGS)!;
        const engine = coverageOf(portfolioVendor(state)!, day, DEFAULT_SETTINGS).status;
        expect(statusOn(summary, day, DEFAULT_SETTINGS)).toBe(engine);
        // The roll-call entry counts the same way.
        const counts = countStatuses([rollCallEntry(summary)], day, { ...allTiers(DEFAULT_SETTINGS) });
        expect(counts[engine]).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('counts open findings by severity, names the codes, and the next due event is the first not passed', () => {
    const state = stateWith([report('2026-03-31', { issued: '2026-05-01' })], 'critical', [
      {
        type: 'finding-opened',
        data: {
          findingId: 'a',
          code: 'scope-gap',
          severity: 'critical',
          date: '2026-05-02',
          dueDate: '2026-06-01',
        },
      },
      {
        type: 'finding-opened',
        data: {
          findingId: 'b',
          code: 'category-gap',
          severity: 'critical',
          date: '2026-05-02',
          dueDate: '2026-07-15',
        },
      },
      {
        type: 'finding-risk-accepted',
        data: { findingId: 'b', reason: 'r', expiresOn: '2026-12-31' },
      },
    ]);
    const s = vendorSummary(state, '2026-05-10', DEFAULT_SETTINGS)!;
    expect(s).toMatchObject({
      lapseDate: '2027-03-31',
      coverageEnd: '2027-03-31',
      openFindings: { critical: 1, high: 0, medium: 0, low: 0 },
      riskAccepted: 1,
      findingCodes: ['category-gap', 'scope-gap'],
      findingsDue: '2026-06-01',
    });
    expect(nextDueOn(s, '2026-05-10')).toEqual({ date: '2026-06-01', what: 'finding-due' });
    expect(nextDueOn(s, '2026-06-02')).toEqual({ date: '2026-12-31', what: 'risk-acceptance-ends' });
    expect(nextDueOn(s, '2027-01-01')).toEqual({ date: '2027-01-30', what: 'manager-reminder' });
    expect(nextDueOn(s, '2027-03-01')).toEqual({ date: '2027-03-01', what: 'vendor-request' });
    expect(nextDueOn(s, '2027-04-01')).toBeNull();
  });
});

const allTiers = (s: StatusSettings) =>
  Object.fromEntries(TIERS.map((t) => [t, s])) as Record<Tier, StatusSettings>;

describe('the portfolio’s queries answer as a filter of every summary would', () => {
  // Tiers with their own windows, so that the per-tier checks are exercised.
  const policy = parsePolicy({
    tiers: { critical: { expiringWindowDays: 90 }, low: { expiringWindowDays: 30, bridgeMaxMonths: 1 } },
  });
  const settings = Object.fromEntries(TIERS.map((t) => [t, settingsFor(policy, t)])) as unknown as Record<
    Tier,
    StatusSettings
  >;
  const fleet = fc.array(
    fc.record({
      docs: documents,
      tier: fc.constantFrom(...TIERS),
      manager: fc.constantFrom('a@bank.example', 'b@bank.example'),
      name: fc.constantFrom('Acme', 'acme two', 'Birch', 'Cobalt', 'Ñandú'),
      gap: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  );
  const queryArb = fc.record({
    status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
    tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
    manager: fc.option(fc.constantFrom('a@bank.example', 'B@bank.example'), { nil: undefined }),
    finding: fc.option(fc.constantFrom('scope-gap', 'any', 'bridge-gap'), { nil: undefined }),
    search: fc.option(fc.constantFrom('ac', 'Acme', 'b', 'ñ'), { nil: undefined }),
    sort: fc.constantFrom('urgency' as const, 'name' as const),
    descending: fc.boolean(),
    pageSize: fc.integer({ min: 1, max: 6 }),
    today: dayArb(516, 1000),
    /** Most runs ask on a day where some vendor's status changes (the boundaries are where ranges go wrong). */
    boundary: fc.option(fc.nat(), { nil: undefined, freq: 4 }),
  });

  it('pages, followed to the end, list exactly the matching summaries, each once', async () => {
    await fc.assert(
      fc.asyncProperty(fleet, queryArb, async (vendors, q) => {
        const store = new MemoryEventStore();
        const summaries: VendorSummary[] = [];
        for (const [i, v] of vendors.entries()) {
          const id = `v${i}`;
          const state = stateWith(v.docs, v.tier, [
            {
              type: 'vendor-updated',
              data: { changes: { managerEmail: v.manager, name: `${v.name} ${i}` } },
            },
            ...(v.gap
              ? [
                  {
                    type: 'finding-opened',
                    data: { findingId: 'f', code: 'scope-gap', severity: 'high' },
                  } as NewEvent,
                ]
              : []),
          ]);
          const summary = { ...vendorSummary(state, WRITTEN, settingsFor(policy, v.tier))!, vendorId: id };
          summaries.push(summary);
          await store.writeProjection({
            vendorId: id,
            seq: 1,
            state: { ...state, vendorId: id },
            stateJson: '{}',
            mac: '',
            commitFirstSeq: 1,
            findings: [],
            requests: [],
            summary: { summary, fields: summaryFields(summary), changed: true },
            rollCall: rollCallEntry(summary),
            derivedDigest: 'x',
          });
        }
        const boundaries = summaries
          .flatMap((s) =>
            s.lapseDate === null
              ? []
              : [
                  addDays(s.lapseDate, -settings[s.tier].expiringWindowDays - 1),
                  addDays(s.lapseDate, -settings[s.tier].expiringWindowDays),
                  s.lapseDate,
                  addDays(s.lapseDate, 1),
                  ...(s.bridgedUntil ? [s.bridgedUntil, addDays(s.bridgedUntil, 1)] : []),
                ],
          )
          .filter((d) => d >= WRITTEN);
        const today =
          q.boundary !== undefined && boundaries.length
            ? boundaries[q.boundary % boundaries.length]!
            : q.today;
        const query: PortfolioQuery = {
          ...(q.status ? { status: q.status } : {}),
          ...(q.tier ? { tier: q.tier } : {}),
          ...(q.manager ? { manager: q.manager } : {}),
          ...(q.finding ? { finding: q.finding } : {}),
          ...(q.search ? { search: q.search } : {}),
          sort: q.sort,
          descending: q.descending,
          pageSize: q.pageSize,
          today,
          settings,
        };
        const listed: string[] = [];
        let cursor: string | undefined;
        for (let n = 0; n < 200; n++) {
          const page = await store.portfolioPage({ ...query, ...(cursor ? { cursor } : {}) });
          listed.push(...page.summaries.map((s) => s.vendorId));
          if (!page.cursor) break;
          cursor = page.cursor;
        }
        const expected = summaries.filter(
          (s) =>
            (!q.status || statusOn(s, today, settings[s.tier]) === q.status) &&
            (!q.tier || s.tier === q.tier) &&
            (!q.manager || s.managerEmail === q.manager.toLowerCase()) &&
            (!q.finding ||
              (q.finding === 'any' ? s.openFindings.high > 0 : s.findingCodes.includes(q.finding))) &&
            (!q.search || s.name.toLowerCase().startsWith(q.search.toLowerCase())),
        );
        expect([...listed].sort()).toEqual(expected.map((s) => s.vendorId).sort());
        expect(new Set(listed).size).toBe(listed.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the page’s parameters', () => {
  it('are read with their defaults, and every wrong one is named', () => {
    expect(portfolioParams({})).toEqual({ sort: 'urgency', pageSize: 50 });
    expect(
      portfolioParams({
        status: 'stale',
        manager: 'Jane@Bank.example',
        order: 'desc',
        size: '20',
        after: 'c',
      }),
    ).toEqual({
      status: 'stale',
      manager: 'jane@bank.example',
      sort: 'urgency',
      descending: true,
      pageSize: 20,
      cursor: 'c',
    });
    try {
      portfolioParams({
        status: 'gone',
        tier: 'gold',
        manager: 'x',
        finding: 'nope',
        sort: 'age',
        size: '1000',
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems.map((p) => p.path)).toEqual([
        'status',
        'tier',
        'manager',
        'finding',
        'sort',
        'size',
      ]);
    }
  });
});

describe('the status windows', () => {
  it('follow the tier’s settings', () => {
    const dates = { lapseDate: '2027-03-31', bridgedUntil: null };
    expect(statusOn(dates, '2027-01-15', { expiringWindowDays: 60, bridgeMaxMonths: 3 })).toBe('current');
    expect(statusOn(dates, '2027-01-15', { expiringWindowDays: 90, bridgeMaxMonths: 3 })).toBe('expiring');
    expect(statusOn(dates, addDays('2027-03-31', 1), DEFAULT_SETTINGS)).toBe('stale');
  });
});
