// The console's pages on DynamoDB (dynalite over the wire), with every item DynamoDB reads counted: the portfolio
// page and the register read one page of derived items and the roll-call, never a vendor's state, so what a page
// costs is the same for a portfolio four times larger.
import { signedInSession, staffGet } from '../../support/staff-session.js';
import { StaffRecords } from '../../../functions/app/staff.js';
import { MemoryStaffStore } from '../../../functions/adapters/memory/staff-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPortfolio } from '../../../functions/app/import.js';
import { consoleRoutes, type ConsoleDeps } from '../../../functions/handlers/console.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import type { DocumentFiles } from '../../../functions/ports/document-files.js';
import { PAGE_READ_FACTOR } from '../../../functions/ports/event-store.js';
import { ROLL_CALL_SHARDS } from '../../../functions/core/summary.js';
import { countReads, type ReadCounter } from '../../support/dynamo-reads.js';
import { generatedPortfolio } from '../../support/generated-vendors.js';
import { startTestDb, type TestDb } from './helpers.js';
import '../../support/quiet-logs.js';

const staff = await signedInSession('tprm@bank.example', ['compliance-lead'], 'Tara');
const TODAY = '2026-11-26';
const clock = new FixedClock(new Date(`${TODAY}T10:00:00Z`));
let t: TestDb;
let reads: ReadCounter;
const consoles = new Map<number, ReturnType<typeof consoleRoutes>>();

const get = (path: string, query: Record<string, string> = {}) => staffGet(staff.cookie, path, query);

/** Items read to answer one request. */
async function readsOf(size: number, path: string, query: Record<string, string> = {}) {
  reads.reset();
  const response = await consoles.get(size)!(get(path, query));
  expect(response.statusCode, String(response.body).slice(0, 300)).toBe(200);
  return { items: reads.items, byCommand: { ...reads.byCommand }, body: String(response.body) };
}

beforeAll(async () => {
  t = await startTestDb();
  reads = countReads(t.client);
  for (const size of [300, 1200]) {
    const table = await t.newTable();
    const vendors = t.store(table, { clock, calendar: { timeZone: 'UTC', policy: DEFAULT_POLICY } });
    await importPortfolio(vendors, generatedPortfolio(size, TODAY), {
      actor: { kind: 'import', by: 'test' },
      manageDocuments: true,
      concurrency: 16,
    });
    const deps: ConsoleDeps = {
      vendors,
      files: {} as DocumentFiles,
      wake: async () => {},
      clock,
      sessions: staff.sessions,
      staff: new StaffRecords(new MemoryStaffStore(), clock),
      config: { timeZone: 'UTC', policy: DEFAULT_POLICY, publicBaseUrl: 'https://bk.bank.example' },
    };
    consoles.set(
      size,
      consoleRoutes(() => deps),
    );
  }
}, 300_000);

afterAll(async () => {
  await t?.stop();
});

describe('the portfolio page reads a page, not the portfolio', () => {
  it('reads one page of summaries and the roll-call: the same count for 300 and 1,200 vendors', async () => {
    const small = await readsOf(300, '/');
    const large = await readsOf(1200, '/');
    expect(small.items).toBe(50 + ROLL_CALL_SHARDS);
    expect(large.items).toBe(small.items);
    // Not one vendor's state: only the views index (Query) and the roll-call's shard items (BatchGetItem).
    expect(Object.keys(large.byCommand).sort()).toEqual(['BatchGetItemCommand', 'QueryCommand']);
    expect(large.byCommand.BatchGetItemCommand).toBe(ROLL_CALL_SHARDS);
    // The counts are of the whole portfolio all the same.
    const counts = [...large.body.matchAll(/aria-label="(\d+) (\w+): show them"/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1200);
  });

  it('bounds a filtered page, a next page and a small page by their size', async () => {
    for (const size of [300, 1200]) {
      const queries: Record<string, string>[] = [
        { status: 'stale' },
        { status: 'bridged' },
        { tier: 'critical', status: 'expiring' },
        { manager: 'manager7@bank.example' },
        { q: 'vendor 0001' },
        { sort: 'name', status: 'current' },
      ];
      for (const query of queries) {
        const { items } = await readsOf(size, '/', query);
        expect(items, JSON.stringify(query)).toBeLessThanOrEqual(50 * PAGE_READ_FACTOR + ROLL_CALL_SHARDS);
      }
      const first = await readsOf(size, '/', { size: '10' });
      expect(first.items).toBe(10 + ROLL_CALL_SHARDS);
      const next = /href="\/\?size=10&amp;after=([^"]+)"/.exec(first.body)![1]!;
      const second = await readsOf(size, '/', { size: '10', after: next });
      expect(second.items).toBe(10 + ROLL_CALL_SHARDS);
    }
  });

  it('reads the register a page at a time too', async () => {
    const small = await readsOf(300, '/findings');
    const large = await readsOf(1200, '/findings', { overdue: '1', severity: 'critical' });
    expect(small.items).toBeLessThanOrEqual(50);
    expect(large.items).toBeLessThanOrEqual(50 * PAGE_READ_FACTOR);
  });
});
