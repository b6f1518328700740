// The daily reconciler over the embedded stack: it finds new vendors and dead lifecycles through the sparse due
// index alone (never the vendor list), so what it reads is the vendors due, not the portfolio.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importPortfolio } from '../../../functions/app/import.js';
import { createDynamoClient } from '../../../functions/adapters/dynamodb/client.js';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { createSesMailer } from '../../../functions/adapters/ses/mailer.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { openMac } from '../../../functions/edge/mac.js';
import {
  runReconcile,
  type ReconcileDeps,
  type ReconcileResult,
} from '../../../functions/handlers/reconcile.js';
import { startEmbeddedStack, type EmbeddedStack } from '../../../local/embedded.js';
import { VirtualClock } from '../../../local/runner/runner.js';
import { portfolioOf, report, vendor } from './helpers.js';

let stack: EmbeddedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const VENDORS = 60;

describe('daily reconciler on the due index', () => {
  it('starts imported vendors, then reads nothing while all live, then only the one that died', async () => {
    const s = (stack = await startEmbeddedStack({
      clock: new VirtualClock(new Date('2026-10-01T00:00:00Z')),
    }));
    // Reports ending a month apart: the vendors' reminders fall on different days.
    const portfolio = portfolioOf(
      ...Array.from({ length: VENDORS }, (_, i) =>
        vendor([report(`2026-${String((i % 12) + 1).padStart(2, '0')}-28`)], {
          id: `v${String(i).padStart(3, '0')}`,
          name: `Vendor ${i}`,
        }),
      ),
    );
    await importPortfolio(s.store, portfolio, {
      actor: { kind: 'import', by: 'test' },
      manageDocuments: true,
    });
    // The reconciler gets a store of its own (the handlers keep theirs), so what it counts is the reconciler's.
    const table = new DynamoEventStore({
      tableName: s.tableName,
      client: createDynamoClient({ endpoint: s.endpoints.dynamodb }),
    });
    const store = new Vendors(table, { clock: s.clock, mac: openMac(s.macKey) });
    const list = vi.spyOn(store, 'listVendorIds');
    const loadMany = vi.spyOn(store, 'loadMany');
    const deps: ReconcileDeps = {
      vendors: store,
      control: s.lifecycle,
      mail: {
        mailer: createSesMailer({ from: 'bridgekeeper@bank.example', endpoint: s.endpoints.ses }),
        mac: openMac(s.macKey),
        publicBaseUrl: 'http://127.0.0.1:3000',
        timeZone: 'UTC',
      },
      clock: s.clock,
    };
    const reconcile = async () => {
      const scannedBefore = table.stats.scanned;
      loadMany.mockClear();
      const result = await runReconcile(deps);
      await s.runner.idle();
      const loaded = loadMany.mock.calls.flatMap(([ids]) => [...ids]);
      return { result, scanned: table.stats.scanned - scannedBefore, loaded };
    };

    // Imported, never started: every vendor is due from its registration, and each gets generation 1.
    const first = await reconcile();
    expect(first.result.due).toBe(VENDORS);
    expect(first.result.started).toHaveLength(VENDORS);
    expect(new Set(first.result.started.map((x) => x.why))).toEqual(new Set(['no lifecycle yet']));
    expect(first.scanned).toBe(VENDORS);
    const alive = await s.store.loadMany(portfolio.vendors.map((v) => v.id));
    for (const state of alive.values()) {
      expect(state.lifecycle.execution).toBe(`${state.vendorId}-g1`);
      expect(Date.parse(state.nextActionAt!)).toBeGreaterThan(s.clock.now().getTime());
    }

    // Every lifecycle took its vendor over and moved it forward: the index holds nothing due.
    const quiet = await reconcile();
    expect(quiet.result).toMatchObject({ due: 0, checked: 0, started: [], running: [] });
    expect(quiet.scanned).toBe(0);
    expect(quiet.loaded).toEqual([]);

    // One execution dies without a trace; a few weeks pass (the others wake, send and sleep again).
    const victim = 'v005';
    const wakeAt = alive.get(victim)!.nextActionAt!;
    s.runner.stopExecution(s.runner.executionArn(`${victim}-g1`));
    await s.runUntil(new Date(Date.parse(wakeAt) + 3 * 3_600_000));
    const late = await reconcile();
    expect(late.result.due).toBe(1);
    expect(late.loaded).toEqual([victim]);
    expect(late.scanned).toBe(1);
    expect(late.result.started).toEqual([
      { vendorId: victim, execution: `${victim}-g2`, why: `overdue since ${wakeAt}` },
    ]);
    expect((await s.store.load(victim))!.lifecycle.execution).toBe(`${victim}-g2`);
    expect(list).not.toHaveBeenCalled();
  });

  it('leaves a lifecycle alone while Step Functions says it is running, however late its record looks', async () => {
    const s = (stack = await startEmbeddedStack({
      clock: new VirtualClock(new Date('2026-10-01T00:00:00Z')),
    }));
    const p = portfolioOf(vendor([report('2025-12-31')]));
    await importPortfolio(s.store, p, { actor: { kind: 'import', by: 'test' }, manageDocuments: true });
    await s.startLifecycle('acme-pay');
    const wakeAt = (await s.store.load('acme-pay'))!.nextActionAt!;
    // Time moves past the wake-up without the runner waking anything: the execution is still RUNNING.
    s.clock.set(new Date(Date.parse(wakeAt) + 2 * 86_400_000));
    const result = (await s.reconcile()) as ReconcileResult;
    expect(result.started).toEqual([]);
    expect(result.running).toEqual([
      { vendorId: 'acme-pay', execution: 'acme-pay-g1', why: `overdue since ${wakeAt}` },
    ]);
  });
});
