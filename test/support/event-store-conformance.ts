// The store conformance suite: one behaviour for every EventStore adapter (functions/ports/event-store.ts),
// exercised through the application's commit loop (functions/app/vendors.ts) the way every command uses it.
// test/unit/storage/memory-store.test.ts runs it on the in-memory store, test/integration/dynamodb/store.test.ts
// on the DynamoDB adapter over the wire (dynalite). `simulate` may use the in-memory store only because it passes.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../functions/core/events.js';
import { ConflictError, ValidationError } from '../../functions/core/errors.js';
import { verifyChain } from '../../functions/core/audit-chain.js';
import { Vendors, type VendorsOptions } from '../../functions/app/vendors.js';
import { FixedClock, systemClock } from '../../functions/ports/clock.js';
import type { CommitRange, EventStore } from '../../functions/ports/event-store.js';
import { testMac } from './mac.js';
import { registered, vendor } from '../unit/storage/fixtures.js';
import { ValidationError as QueryRefused } from '../../functions/core/errors.js';
import { DEFAULT_SETTINGS } from '../../functions/core/policy.js';
import { TIERS, type Tier, type Vendor } from '../../functions/core/portfolio.js';
import {
  countStatuses,
  statusOn,
  urgencyKey,
  nameOrderKey,
  type PortfolioQuery,
  type VendorSummary,
} from '../../functions/core/summary.js';
import type { RegisterQuery } from '../../functions/core/findings.js';

const mac = testMac();

export interface StoreHarness {
  /** A fresh, empty store (a new table). */
  newStore(): Promise<EventStore>;
}

const workflow = { kind: 'workflow' as const, execution: 'exec-1' };
const schedule = (at: string | null): NewEvent => ({
  type: 'next-action-scheduled',
  data: { nextActionAt: at },
});

export function eventStoreConformance(name: string, harness: StoreHarness): void {
  // Every reader and writer of a test shares the test's store (one table), each with its own Vendors.
  let current: EventStore;
  const t = {
    async newTable() {
      current = await harness.newStore();
      return current;
    },
    store(_table: EventStore, options: Partial<VendorsOptions> = {}) {
      return new Vendors(_table, { clock: systemClock, mac, ...options });
    },
  };
  void current!;

  describe(`${name}: conformance`, () => {
    describe('appending with optimistic concurrency', () => {
      it('two writers racing on one vendor: each seq won exactly once, nothing lost or duplicated', async () => {
        const table = await t.newTable();
        const a = t.store(table);
        const b = t.store(table);
        await a.update('acme', () => [registered('acme')], { actor: workflow });
        const rounds = 40;
        let conflicts = 0;
        const writer = async (store: typeof a, name: string) => {
          for (let round = 0; round < rounds; round++) {
            let attempts = 0;
            await store.update(
              'acme',
              () => {
                attempts++;
                return [
                  {
                    type: 'finding-opened',
                    // Distinct codes: at most one finding of a code is not closed at a time.
                    data: { findingId: `${name}-${round}`, code: `x-${name}-${round}`, severity: 'low' },
                  },
                ];
              },
              { actor: { kind: 'staff', id: name }, maxAttempts: 100 },
            );
            conflicts += attempts - 1;
          }
        };
        await Promise.all([writer(a, 'a'), writer(b, 'b')]);
        const events = await a.events('acme');
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * rounds + 1 }, (_, i) => i + 1));
        const ids = events.slice(1).map((e) => (e.data as { findingId: string }).findingId);
        expect(new Set(ids).size).toBe(2 * rounds);
        const state = await b.load('acme');
        expect(Object.keys(state?.findings ?? {})).toHaveLength(2 * rounds);
        expect(verifyChain('acme', events, { seq: state!.seq, hash: state!.headHash }).problems).toEqual([]);
        // The race really happened (otherwise this test would prove nothing).
        expect(conflicts).toBeGreaterThan(0);
      });

      it('append with a stale expected seq is a ConflictError and writes nothing', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        await store.append('acme', [registered('acme')], { expectedSeq: 0, actor: workflow });
        await expect(
          store.append('acme', [schedule(null)], { expectedSeq: 0, actor: workflow }),
        ).rejects.toBeInstanceOf(ConflictError);
        await expect(
          store.append('acme', [registered('acme')], { expectedSeq: 1, actor: workflow }),
        ).rejects.toBeInstanceOf(ValidationError);
        expect((await store.events('acme')).map((e) => e.type)).toEqual(['vendor-registered']);
      });

      it('a multi-event append is all or none: a writer that lost never leaves half its events', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        await store.append('acme', [registered('acme')], { expectedSeq: 0, actor: workflow });
        const results = await Promise.allSettled(
          ['x', 'y'].map((w) =>
            store.append(
              'acme',
              [
                schedule(`2027-01-0${w === 'x' ? 1 : 2}T09:00:00.000Z`),
                { type: 'lifecycle-resumed', data: { reason: w } },
              ],
              { expectedSeq: 1, actor: workflow },
            ),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const events = await store.events('acme');
        expect(events).toHaveLength(3);
        expect(
          new Set(events.slice(1).map((e) => (e.type === 'lifecycle-resumed' ? e.data.reason : e.data))),
        ).toHaveProperty('size', 2);
      });
    });

    describe('projections', () => {
      it('a crash after the event and before the projection: the next read repairs it, nothing lost', async () => {
        const table = await t.newTable();
        let crash = false;
        const crashing = t.store(table, {
          clock: new FixedClock(new Date('2026-11-26T09:00:00Z')),
          afterCommit: () => {
            if (crash) throw new Error('injected crash');
          },
        });
        const registeredAt = (await crashing.update('acme', () => [registered('acme')], { actor: workflow }))
          .state.createdAt;
        crash = true;
        await expect(
          crashing.update(
            'acme',
            () => [
              { type: 'finding-opened', data: { findingId: 'f1', code: 'stale-report', severity: 'high' } },
              schedule('2026-12-01T09:00:00.000Z'),
            ],
            { actor: workflow },
          ),
        ).rejects.toThrow('injected crash');
        const reader = t.store(table);
        // The projections are behind: the index still has the registration's entry, not the new schedule.
        expect(await reader.dueVendors(new Date('2027-01-01T00:00:00Z'))).toEqual([
          { vendorId: 'acme', nextActionAt: registeredAt },
        ]);
        expect(await reader.findingsByStatus('open')).toEqual([]);
        const state = await reader.load('acme');
        expect(state?.seq).toBe(3);
        expect(state?.findings.f1?.status).toBe('open');
        // ... and after the read they are caught up.
        expect(await reader.dueVendors(new Date('2027-01-01T00:00:00Z'))).toEqual([
          { vendorId: 'acme', nextActionAt: '2026-12-01T09:00:00.000Z' },
        ]);
        expect((await reader.findingsByStatus('open')).map((f) => [f.vendorId, f.findingId])).toEqual([
          ['acme', 'f1'],
        ]);
        const raw = await reader.rawLog('acme');
        expect(raw.head).toEqual({ seq: 3, hash: state?.headHash });
      });

      it('a vendor whose very first append crashed before projecting is still listed and loaded', async () => {
        const table = await t.newTable();
        const crashing = t.store(table, {
          afterCommit: () => {
            throw new Error('injected crash');
          },
        });
        await expect(
          crashing.update('beta', () => [registered('beta')], { actor: workflow }),
        ).rejects.toThrow('injected crash');
        const reader = t.store(table);
        expect(await reader.listVendorIds()).toEqual(['beta']);
        expect((await reader.loadMany(['beta'], { projectedOnly: true })).size).toBe(0);
        const many = await reader.loadMany(['beta', 'ghost']);
        expect([...many.keys()]).toEqual(['beta']);
        expect(many.get('beta')?.profile?.id).toBe('beta');
        // ... and the read repaired the projection.
        expect((await reader.loadMany(['beta'], { projectedOnly: true })).get('beta')?.seq).toBe(1);
      });

      it('the due index holds only vendors with a next action, in time order, and moves with them', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        for (const [id, at] of [
          ['early', '2026-12-01T09:00:00Z'],
          ['late', '2027-03-01T09:00:00Z'],
          ['never', null],
        ] as const)
          await store.update(id, () => [registered(id), schedule(at)], { actor: workflow });
        expect(await store.dueVendors(new Date('2026-12-01T09:00:00Z'))).toEqual([
          { vendorId: 'early', nextActionAt: '2026-12-01T09:00:00.000Z' },
        ]);
        expect((await store.dueVendors(new Date('2030-01-01T00:00:00Z'))).map((d) => d.vendorId)).toEqual([
          'early',
          'late',
        ]);
        // The next action strictly after an instant (the local demo's "next due event"), the earliest first.
        expect(
          await store.dueVendors(new Date('2030-01-01T00:00:00Z'), {
            after: new Date('2026-12-01T09:00:00Z'),
            limit: 1,
          }),
        ).toEqual([{ vendorId: 'late', nextActionAt: expect.stringMatching(/^2027-/) }]);
        expect(
          (
            await store.dueVendors(new Date('2030-01-01T00:00:00Z'), {
              after: new Date('2026-12-01T08:59:59Z'),
            })
          ).map((d) => d.vendorId),
        ).toEqual(['early', 'late']);
        await store.update('early', () => [schedule(null)], { actor: workflow });
        expect((await store.dueVendors(new Date('2030-01-01T00:00:00Z'))).map((d) => d.vendorId)).toEqual([
          'late',
        ]);
        expect(await store.listVendorIds()).toEqual(['early', 'late', 'never']);
        expect(await store.listVendorIds({ thorough: true })).toEqual(['early', 'late', 'never']);
      });

      it('finds a request by its token hash and follows it when closed', async () => {
        const table = await t.newTable();
        const store = t.store(table, { clock: new FixedClock(new Date('2026-11-26T09:00:00Z')) });
        const tokenHash = 'c'.repeat(64);
        await store.update(
          'acme',
          () => [
            registered('acme'),
            {
              type: 'request-opened',
              data: {
                requestId: 'r1',
                cycle: 1,
                date: '2026-11-26',
                lapseDate: '2026-12-31',
                dueDate: '2026-12-31',
                nonce: 'a'.repeat(32),
                tokenHash,
                expiresAt: '2027-02-24T09:00:00.000Z',
              },
            },
          ],
          { actor: workflow },
        );
        expect(await store.requestByTokenHash(tokenHash)).toMatchObject({
          vendorId: 'acme',
          request: { requestId: 'r1', open: true, openedAt: '2026-11-26T09:00:00.000Z' },
        });
        await store.update(
          'acme',
          () => [{ type: 'request-closed', data: { requestId: 'r1', reason: 'accepted' } }],
          {
            actor: { kind: 'staff', id: 'jane' },
          },
        );
        expect((await store.requestByTokenHash(tokenHash))?.request.open).toBe(false);
        expect(await store.requestByTokenHash('d'.repeat(64))).toBeUndefined();
      });

      it('finds a renewed request by its new link and by the previous one', async () => {
        const table = await t.newTable();
        const store = t.store(table, { clock: new FixedClock(new Date('2026-11-26T09:00:00Z')) });
        const [first, second] = ['e'.repeat(64), 'f'.repeat(64)];
        const link = (tokenHash: string) => ({
          nonce: 'b'.repeat(32),
          tokenHash,
          expiresAt: '2027-02-24T09:00:00.000Z',
        });
        await store.update(
          'acme',
          () => [
            registered('acme'),
            {
              type: 'request-opened',
              data: {
                requestId: 'r1',
                cycle: 1,
                date: '2026-11-26',
                lapseDate: null,
                dueDate: '2026-12-31',
                ...link(first),
              },
            },
            { type: 'request-link-renewed', data: { requestId: 'r1', ...link(second) } },
          ],
          { actor: workflow },
        );
        for (const hash of [first, second])
          expect((await store.requestByTokenHash(hash))?.request).toMatchObject({
            requestId: 'r1',
            tokenHash: second,
            previousLink: { tokenHash: first },
          });
      });

      it('keeps projections forwards only: an older projection written late changes nothing', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        const early = (await store.update('acme', () => [registered('acme')], { actor: workflow })).state;
        const late = (
          await store.update('acme', () => [schedule('2027-01-01T00:00:00.000Z')], { actor: workflow })
        ).state;
        await table.writeProjection({
          vendorId: 'acme',
          seq: early.seq,
          state: early,
          stateJson: JSON.stringify(early),
          mac: 'x',
          commitFirstSeq: 1,
          findings: [],
          requests: [],
          derivedDigest: 'x',
        });
        expect((await table.readState('acme'))?.state.seq).toBe(late.seq);
        expect(await table.dueVendors(new Date('2030-01-01T00:00:00Z'))).toEqual([
          { vendorId: 'acme', nextActionAt: '2027-01-01T00:00:00.000Z' },
        ]);
      });

      it('refuses a commit at a taken seq, and reads commits in seq order from a boundary', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        await store.update('acme', () => [registered('acme'), schedule(null)], { actor: workflow });
        for (let i = 1; i <= 3; i++)
          await store.update('acme', () => [schedule(`2027-01-0${i}T00:00:00.000Z`)], { actor: workflow });
        const seqs = async (range?: CommitRange) =>
          (await table.readCommits('acme', range)).flatMap((c) => c.events.map((e) => e.seq));
        const commits = await table.readCommits('acme');
        expect(commits.map((c) => [c.firstSeq, c.lastSeq])).toEqual([
          [1, 2],
          [3, 3],
          [4, 4],
          [5, 5],
        ]);
        // Each commit keeps its seal.
        expect(
          commits.every((c) => typeof c.mac === 'string' && /^[0-9a-f]{64}$/.test(c.stateDigest ?? '')),
        ).toBe(true);
        expect((await table.lastCommit('acme'))?.firstSeq).toBe(5);
        expect(await table.lastCommit('ghost')).toBeUndefined();
        await expect(
          table.appendCommit({ ...commits[1]!, vendorId: 'acme', mac: 'x', stateDigest: 'y' }),
        ).rejects.toBeInstanceOf(ConflictError);
        // After seq 2 (a commit boundary): exactly the tail; through seq 4: the commits that start by then.
        expect(await seqs()).toEqual([1, 2, 3, 4, 5]);
        expect(await seqs({ afterSeq: 2 })).toEqual([3, 4, 5]);
        expect(await seqs({ throughSeq: 4 })).toEqual([1, 2, 3, 4]);
        expect(await table.readCommits('ghost')).toEqual([]);
      });

      it('lists findings of a status oldest first across vendors, and bounds the due list', async () => {
        const table = await t.newTable();
        const clock = new FixedClock(new Date('2026-11-26T09:00:00Z'));
        const store = t.store(table, { clock });
        for (const [id, day] of [
          ['beta', '2026-11-02'],
          ['acme', '2026-11-03'],
          ['gamma', '2026-11-01'],
        ] as const) {
          clock.set(new Date(`${day}T09:00:00Z`));
          await store.update(
            id,
            () => [
              registered(id),
              {
                type: 'finding-opened',
                data: { findingId: `f-${id}`, code: 'stale-report', severity: 'high' },
              },
              schedule(`${day}T10:00:00.000Z`),
            ],
            { actor: workflow },
          );
        }
        expect((await store.findingsByStatus('open')).map((f) => f.vendorId)).toEqual([
          'gamma',
          'beta',
          'acme',
        ]);
        expect(await store.findingsByStatus('closed')).toEqual([]);
        const due = await store.dueVendors(new Date('2030-01-01T00:00:00Z'), { limit: 2 });
        expect(due.map((d) => d.vendorId)).toEqual(['gamma', 'beta']);
      });

      it('lists events by range and loads many vendors at once', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        await store.update('acme', () => [registered('acme')], { actor: workflow });
        for (let i = 1; i <= 5; i++)
          await store.update('acme', () => [schedule(`2027-01-0${i}T00:00:00.000Z`)], { actor: workflow });
        expect((await store.events('acme', { fromSeq: 3, toSeq: 4 })).map((e) => e.seq)).toEqual([3, 4]);
        expect((await store.events('acme', { fromSeq: 5 })).map((e) => e.seq)).toEqual([5, 6]);
        const many = await store.loadMany(['acme', 'ghost', 'acme']);
        expect([...many.keys()]).toEqual(['acme']);
        expect(many.get('acme')?.seq).toBe(6);
        expect(await store.load('ghost')).toBeUndefined();
      });

      it('lists subservice organisations apart from vendors; the thorough listing (the audit) has both', async () => {
        const table = await t.newTable();
        const store = t.store(table);
        await store.update('acme', () => [registered('acme')], { actor: workflow });
        await store.update('nimbus', () => [{ type: 'organization-registered', data: { name: 'Nimbus' } }], {
          actor: { kind: 'import', by: 'test' },
        });
        await store.update('aws', () => [{ type: 'organization-registered', data: { name: 'AWS' } }], {
          actor: { kind: 'import', by: 'test' },
        });
        expect(await store.listVendorIds()).toEqual(['acme']);
        expect(await store.listSubserviceOrganizationIds()).toEqual(['aws', 'nimbus']);
        expect(await store.listVendorIds({ thorough: true })).toEqual(['acme', 'aws', 'nimbus']);
        expect((await store.load('nimbus'))?.organization).toEqual({ name: 'Nimbus' });
        // A vendor's events on an organisation's record (and the other way round) are refused, writing nothing.
        await expect(
          store.update('nimbus', () => [schedule('2027-01-01T00:00:00.000Z')], { actor: workflow }),
        ).rejects.toThrow('nimbus is a subservice organisation, not a vendor');
        await expect(
          store.update('acme', () => [{ type: 'organization-registered', data: { name: 'Acme' } }], {
            actor: workflow,
          }),
        ).rejects.toThrow('acme is a vendor');
        expect((await store.load('nimbus'))?.seq).toBe(1);
      });
    });

    describe('the portfolio and the register, a page at a time', () => {
      const TODAY = '2026-11-26';
      const settings = Object.fromEntries(TIERS.map((t) => [t, DEFAULT_SETTINGS])) as Record<
        Tier,
        typeof DEFAULT_SETTINGS
      >;
      const day = new Date(`${TODAY}T10:00:00Z`);
      const report = (periodEnd: string) => ({
        kind: 'soc2-type2' as const,
        periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
        periodEnd,
        opinion: 'unqualified' as const,
        issued: '2026-11-01',
      });
      /** 24 vendors: every status, four tiers, three managers, some with a scope-gap (a finding the plan opens). */
      const fleet: Vendor[] = Array.from({ length: 24 }, (_, i) => {
        const periodEnds = [
          '2025-08-31',
          '2025-11-30',
          '2025-06-30',
          '2026-03-31',
          '2026-06-30',
          '2026-09-30',
        ];
        const documents: Vendor['documents'] =
          i % 6 === 5
            ? []
            : [
                { ...report(periodEnds[i % 6]!), ...(i % 4 === 0 ? { regions: ['us'] } : {}) },
                ...(i % 6 === 0
                  ? [{ kind: 'bridge-letter' as const, coversFrom: '2025-09-01', coversTo: '2026-10-31' }]
                  : []),
              ];
        return vendor(`v${String(i).padStart(2, '0')}`, {
          name: `${['Acme', 'Birch', 'Cobalt', 'Delta'][i % 4]} ${i}`,
          tier: TIERS[i % 4]!,
          managerEmail: `m${i % 3}@bank.example`,
          dataRegions: ['us', 'eu'],
          documents,
        });
      });
      const seed = async (table: EventStore) => {
        const store = t.store(table, { clock: new FixedClock(day) });
        for (const v of fleet) {
          const { documents, ...profile } = v;
          await store.update(
            v.id,
            () => [
              { type: 'vendor-registered', data: { profile } },
              ...documents.map((document, n): NewEvent => ({
                type: 'document-added',
                data: { documentId: `d${n}`, document, source: 'import', status: 'accepted' },
              })),
              // A finding as the plan opens it, on every fourth vendor.
              ...(Number(v.id.slice(1)) % 4 === 0 && documents.length
                ? [
                    {
                      type: 'finding-opened',
                      data: {
                        findingId: 'scope-gap-2026-11-26',
                        code: 'scope-gap',
                        severity: 'high',
                        date: TODAY,
                        dueDate: '2026-11-20',
                      },
                    } as NewEvent,
                  ]
                : []),
            ],
            { actor: workflow },
          );
        }
        return store;
      };
      const query = (over: Partial<PortfolioQuery> = {}): PortfolioQuery => ({
        today: TODAY,
        settings,
        sort: 'urgency',
        pageSize: 5,
        ...over,
      });
      /** Every page of a query, following the cursors. */
      const allPages = async (store: Vendors, q: PortfolioQuery) => {
        const pages: VendorSummary[][] = [];
        let cursor: string | undefined;
        for (let n = 0; n < 50; n++) {
          const page = await store.portfolioPage({ ...q, ...(cursor ? { cursor } : {}) });
          pages.push(page.summaries);
          if (!page.cursor) break;
          cursor = page.cursor;
        }
        return pages;
      };

      it('pages the whole portfolio in the stored order, a page size at a time', async () => {
        const store = await seed(await t.newTable());
        const pages = await allPages(store, query());
        expect(pages.slice(0, 4).map((p) => p.length)).toEqual([5, 5, 5, 5]);
        const listed = pages.flat();
        expect(listed).toHaveLength(fleet.length);
        const keys = listed.map(urgencyKey);
        expect(keys).toEqual([...keys].sort());
        // Missing first (no report), then the longest lapsed.
        expect(statusOn(listed[0]!, TODAY, DEFAULT_SETTINGS)).toBe('missing');
        const byName = (await allPages(store, query({ sort: 'name', pageSize: 7 }))).flat();
        expect(byName.map(nameOrderKey)).toEqual(listed.map(nameOrderKey).sort());
        const reversed = (await allPages(store, query({ descending: true, pageSize: 24 }))).flat();
        expect(reversed.map((s) => s.vendorId)).toEqual(listed.map((s) => s.vendorId).reverse());
      });

      it('filters by status, tier, manager, finding and name exactly as the summaries say', async () => {
        const store = await seed(await t.newTable());
        const every = (await allPages(store, query({ pageSize: 24 }))).flat();
        const ids = (list: VendorSummary[]) => list.map((s) => s.vendorId).sort();
        const statuses = new Set<string>();
        for (const status of ['current', 'expiring', 'bridged', 'stale', 'missing'] as const) {
          const expected = every.filter((s) => statusOn(s, TODAY, DEFAULT_SETTINGS) === status);
          expect(expected.length, status).toBeGreaterThan(0);
          expect(ids((await allPages(store, query({ status }))).flat()), status).toEqual(ids(expected));
          // The same on the name order (checked after the read instead of a key range).
          expect(ids((await allPages(store, query({ status, sort: 'name' }))).flat()), status).toEqual(
            ids(expected),
          );
          statuses.add(status);
        }
        expect(ids((await allPages(store, query({ tier: 'critical' }))).flat())).toEqual(
          ids(every.filter((s) => s.tier === 'critical')),
        );
        expect(
          ids((await allPages(store, query({ manager: 'M1@bank.example', status: 'stale' }))).flat()),
        ).toEqual(
          ids(
            every.filter(
              (s) => s.managerEmail === 'm1@bank.example' && statusOn(s, TODAY, DEFAULT_SETTINGS) === 'stale',
            ),
          ),
        );
        const gaps = every.filter((s) => s.findingCodes.includes('scope-gap'));
        expect(gaps.length).toBeGreaterThan(0);
        expect(ids((await allPages(store, query({ finding: 'scope-gap' }))).flat())).toEqual(ids(gaps));
        expect(ids((await allPages(store, query({ finding: 'any' }))).flat())).toEqual(ids(gaps));
        expect(ids((await allPages(store, query({ search: 'cob' }))).flat())).toEqual(
          ids(every.filter((s) => s.name.startsWith('Cobalt'))),
        );
        // The counts for the day, from the roll-call, agree with the summaries.
        const counts = countStatuses(await store.rollCall(), TODAY, settings);
        for (const status of statuses)
          expect(counts[status as keyof typeof counts]).toBe(
            every.filter((s) => statusOn(s, TODAY, DEFAULT_SETTINGS) === status).length,
          );
        // ... and for a later day, with no write in between (the calendar moves the statuses).
        const later = countStatuses(await store.rollCall(), '2027-06-01', settings);
        expect(Object.values(later).reduce((a, b) => a + b, 0)).toBe(fleet.length);
        expect(later.stale).toBeGreaterThan(counts.stale);
      });

      it('reads at most four pages’ worth for a sparse filter, and goes on from its cursor', async () => {
        const store = await seed(await t.newTable());
        const first = await store.portfolioPage(
          query({ manager: 'm0@bank.example', finding: 'category-gap', pageSize: 2 }),
        );
        expect(first.summaries).toEqual([]);
        // Nothing matches: it stopped after 8 reads (a manager has 8 vendors), with where to go on.
        const rest = await store.portfolioPage(query({ finding: 'category-gap', pageSize: 2 }));
        expect(rest.summaries).toEqual([]);
        expect(rest.cursor).not.toBeNull();
        const next = await store.portfolioPage(
          query({ finding: 'category-gap', pageSize: 2, cursor: rest.cursor! }),
        );
        expect(next.summaries).toEqual([]);
      });

      it('refuses a cursor edited by hand or taken from another view', async () => {
        const store = await seed(await t.newTable());
        const page = await store.portfolioPage(query());
        await expect(store.portfolioPage(query({ cursor: 'not-a-cursor' }))).rejects.toBeInstanceOf(
          QueryRefused,
        );
        await expect(
          store.portfolioPage(query({ manager: 'm0@bank.example', cursor: page.cursor! })),
        ).rejects.toBeInstanceOf(QueryRefused);
        await expect(store.portfolioPage(query({ cursor: page.cursor! }))).resolves.toMatchObject({
          summaries: expect.any(Array),
        });
      });

      it('moves a vendor between views when it changes, and lists it once', async () => {
        const table = await t.newTable();
        const store = await seed(table);
        await store.update(
          'v01',
          () => [
            {
              type: 'vendor-updated',
              data: { changes: { managerEmail: 'm9@bank.example', name: 'Zeta 1' } },
            },
          ],
          {
            actor: workflow,
          },
        );
        const mine = (await allPages(store, query({ manager: 'm9@bank.example' }))).flat();
        expect(mine.map((s) => s.vendorId)).toEqual(['v01']);
        expect(
          (await allPages(store, query({ manager: 'm1@bank.example' }))).flat().map((s) => s.vendorId),
        ).not.toContain('v01');
        const every = (await allPages(store, query({ pageSize: 24 }))).flat();
        expect(every.filter((s) => s.vendorId === 'v01')).toHaveLength(1);
      });

      it('keeps every finding in the register, active ones by due date, and finds the overdue ones', async () => {
        const table = await t.newTable();
        const store = await seed(table);
        const register = (over: Partial<RegisterQuery> = {}) =>
          store.registerPage({ today: TODAY, pageSize: 50, state: 'active', ...over });
        const active = await register();
        expect(active.findings.map((f) => f.vendorId)).toEqual(['v00', 'v04', 'v08', 'v12', 'v16', 'v20']);
        expect(active.findings[0]).toMatchObject({ vendorName: 'Acme 0', code: 'scope-gap', status: 'open' });
        expect((await register({ overdue: true })).findings).toHaveLength(6);
        expect((await register({ overdue: true, today: '2026-11-20' })).findings).toHaveLength(0);
        expect((await register({ severity: 'critical' })).findings).toEqual([]);
        expect((await register({ vendorId: 'v04' })).findings.map((f) => f.findingId)).toEqual([
          'scope-gap-2026-11-26',
        ]);
        // Risk accepted: not overdue, in its state's view; closed: out of the active view, still in the register.
        await store.update(
          'v04',
          () => [
            {
              type: 'finding-risk-accepted',
              data: { findingId: 'scope-gap-2026-11-26', reason: 'r', expiresOn: '2027-01-31' },
            },
          ],
          { actor: { kind: 'staff', id: 'tara' } },
        );
        await store.update(
          'v08',
          () => [{ type: 'finding-closed', data: { findingId: 'scope-gap-2026-11-26', reason: 'gone' } }],
          { actor: workflow },
        );
        expect((await register({ overdue: true })).findings.map((f) => f.vendorId)).toEqual([
          'v00',
          'v12',
          'v16',
          'v20',
        ]);
        expect((await register({ state: 'risk-accepted' })).findings.map((f) => f.vendorId)).toEqual(['v04']);
        expect((await register({ state: 'risk-accepted', overdue: true })).findings).toEqual([]);
        expect((await register({ state: 'closed' })).findings.map((f) => [f.vendorId, f.status])).toEqual([
          ['v08', 'closed'],
        ]);
        expect((await register()).findings).toHaveLength(5);
        const paged = await register({ pageSize: 2 });
        expect(paged.findings).toHaveLength(2);
        const rest = await register({ pageSize: 50, cursor: paged.cursor! });
        expect(rest.findings.map((f) => f.vendorId)).toEqual(['v12', 'v16', 'v20']);
        await expect(register({ state: 'closed', cursor: paged.cursor! })).rejects.toBeInstanceOf(
          QueryRefused,
        );
      });
    });
  });
}
