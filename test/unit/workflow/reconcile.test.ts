// The reconciler's judgement: which vendors' lifecycles are dead and need their next generation, and that it
// reads the due index only (never the whole portfolio).
import { describe, expect, it } from 'vitest';
import { logger } from '../../../functions/edge/logger.js';
import {
  GRACE_MS,
  OVERDUE_MS,
  judge,
  runReconcile,
  whyRestart,
} from '../../../functions/handlers/reconcile.js';
import { emptyState, reduceEvents, type VendorState } from '../../../functions/core/vendor-state.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import type { LifecycleControl } from '../../../functions/adapters/sfn/lifecycle.js';
import type { DueVendor, VendorStore } from '../../../functions/ports/vendor-store.js';
import type { LifecycleDeps } from '../../../functions/edge/logger.js';
import { chain, registered } from '../storage/fixtures.js';

// The reconciler logs what it restarts and what it could not handle: expected here, not worth printing.
logger.setLogLevel('SILENT');

const now = new Date('2026-11-10T06:00:00Z');
const vendor = (over: Partial<VendorState>): VendorState => ({
  ...emptyState('v'),
  profile: { id: 'v', name: 'V', tier: 'low', managerEmail: 'm@b.example', contactEmail: 'c@v.example' },
  ...over,
});
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe('whyRestart', () => {
  it('restarts a vendor that never had a lifecycle, one that failed, and one more than a day overdue', () => {
    expect(whyRestart(vendor({}), now)).toBe('no lifecycle yet');
    expect(
      whyRestart(
        vendor({ lifecycle: { execution: 'v-g1', failed: { error: 'TypeError', cause: '', at: 'x' } } }),
        now,
      ),
    ).toBe('failed: TypeError');
    const overdue = ago(OVERDUE_MS + 1000);
    expect(whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: overdue }), now)).toBe(
      `overdue since ${overdue}`,
    );
  });
  it('leaves alone a live lifecycle, one waking right now, a stopped one and an unregistered vendor', () => {
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: '2026-12-01T09:00:00.000Z' }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: ago(GRACE_MS - 1000) }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1', stoppedAt: 'x' }, nextActionAt: null }), now),
    ).toBeNull();
    expect(whyRestart(emptyState('v'), now)).toBeNull();
  });
  it('asks Step Functions about a recorded execution past the grace, and starts generation 1 outright', () => {
    expect(judge(vendor({}), now)).toEqual({ action: 'start', why: 'no lifecycle yet' });
    // 21 hours late (yesterday's 09:00 wake-up at 06:00): suspicious, but only dead if the execution is not running.
    expect(
      judge(vendor({ lifecycle: { execution: 'v-g3' }, nextActionAt: '2026-11-09T09:00:00.000Z' }), now),
    ).toEqual({
      action: 'restart-unless-running',
      why: 'overdue since 2026-11-09T09:00:00.000Z',
      execution: 'v-g3',
    });
  });
  it('a registered vendor is due from its registration instant until a lifecycle moves it on', () => {
    const state = reduceEvents('v', chain('v', [registered('v')]));
    expect(state.nextActionAt).toBe(state.createdAt);
    expect(judge(state, new Date(Date.parse(state.createdAt!) + 1))).toEqual({
      action: 'start',
      why: 'no lifecycle yet',
    });
  });
});

/** A store over fixed states that counts what the reconciler reads; listing the portfolio is an error. */
function countingStore(states: VendorState[]) {
  const calls = { dueVendors: 0, loaded: [] as string[] };
  const store = {
    async dueVendors(instant: Date): Promise<DueVendor[]> {
      calls.dueVendors++;
      return states
        .filter((s) => s.nextActionAt !== null && Date.parse(s.nextActionAt) <= instant.getTime())
        .map((s) => ({ vendorId: s.vendorId, nextActionAt: s.nextActionAt! }));
    },
    async loadMany(ids: readonly string[]) {
      calls.loaded.push(...ids);
      return new Map(states.filter((s) => ids.includes(s.vendorId)).map((s) => [s.vendorId, s]));
    },
    async listVendorIds(): Promise<string[]> {
      throw new Error('the reconciler must not list the portfolio');
    },
    async load(): Promise<VendorState | undefined> {
      throw new Error('the reconciler reads states in batches');
    },
  } as unknown as VendorStore;
  return { store, calls };
}

function fakeControl(statuses: Record<string, string | Error>, existing: string[] = []) {
  const started: string[] = [];
  const asked: string[] = [];
  const control: LifecycleControl = {
    async start(vendorId, generation) {
      const executionName = `${vendorId}-g${generation}`;
      if (existing.includes(executionName) || started.includes(executionName))
        return { executionName, started: false };
      started.push(executionName);
      return { executionName, started: true };
    },
    async wake() {
      return false;
    },
    async status(name) {
      asked.push(name);
      const s = statuses[name];
      if (s instanceof Error) throw s;
      return s;
    },
  };
  return { control, started, asked };
}

const depsOf = (store: VendorStore, control: LifecycleControl) =>
  ({ store, control, clock: new FixedClock(now) }) as unknown as LifecycleDeps;

describe('runReconcile', () => {
  it('reads only the due vendors of a large portfolio, and restarts only the dead ones', async () => {
    const profile = (id: string) => ({
      id,
      name: id,
      tier: 'low' as const,
      managerEmail: 'm@b.example',
      contactEmail: 'c@v.example',
    });
    const live = (i: number): VendorState => ({
      ...emptyState(`live-${i}`),
      profile: profile(`live-${i}`),
      lifecycle: { execution: `live-${i}-g1` },
      nextActionAt: new Date(now.getTime() + (i + 1) * 3_600_000).toISOString(),
    });
    const states: VendorState[] = Array.from({ length: 2000 }, (_, i) => live(i));
    const due = (id: string, over: Partial<VendorState>): VendorState => ({
      ...emptyState(id),
      profile: profile(id),
      ...over,
    });
    states.push(
      due('new', { nextActionAt: ago(5 * 60_000) }),
      due('failed', {
        lifecycle: { execution: 'failed-g2', failed: { error: 'TypeError', cause: '', at: ago(86_400_000) } },
        nextActionAt: ago(86_400_000),
      }),
      due('crashed', { lifecycle: { execution: 'crashed-g1' }, nextActionAt: ago(21 * 3_600_000) }),
      due('slow', { lifecycle: { execution: 'slow-g4' }, nextActionAt: ago(3 * 3_600_000) }),
      due('waking', { lifecycle: { execution: 'waking-g1' }, nextActionAt: ago(60_000) }),
      due('stopped', { lifecycle: { execution: 'stopped-g1', stoppedAt: ago(1) }, nextActionAt: null }),
    );
    const { store, calls } = countingStore(states);
    const sfn = fakeControl({ 'failed-g2': 'FAILED', 'crashed-g1': 'ABORTED', 'slow-g4': 'RUNNING' });
    const result = await runReconcile(depsOf(store, sfn.control));

    expect(calls.dueVendors).toBe(1);
    expect(calls.loaded.sort()).toEqual(['crashed', 'failed', 'new', 'slow', 'waking']);
    expect(result.due).toBe(5);
    expect(result.checked).toBe(5);
    expect(sfn.asked.sort()).toEqual(['crashed-g1', 'failed-g2', 'slow-g4']);
    expect(sfn.started.sort()).toEqual(['crashed-g2', 'failed-g3', 'new-g1']);
    expect(result.started).toEqual([
      {
        vendorId: 'crashed',
        execution: 'crashed-g2',
        why: `overdue since ${ago(21 * 3_600_000)}`,
      },
      { vendorId: 'failed', execution: 'failed-g3', why: 'failed: TypeError' },
      { vendorId: 'new', execution: 'new-g1', why: 'no lifecycle yet' },
    ]);
    expect(result.running).toEqual([
      { vendorId: 'slow', execution: 'slow-g4', why: `overdue since ${ago(3 * 3_600_000)}` },
    ]);
    expect(result.errors).toEqual([]);
  });

  it('without an answer from Step Functions, restarts only what the record shows dead', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const { store } = countingStore([
      vendor({
        vendorId: 'late',
        lifecycle: { execution: 'late-g1' },
        nextActionAt: ago(OVERDUE_MS - 3_600_000),
      }),
      vendor({ vendorId: 'dead', lifecycle: { execution: 'dead-g1' }, nextActionAt: ago(OVERDUE_MS + 1) }),
    ]);
    const sfn = fakeControl({ 'late-g1': denied, 'dead-g1': denied });
    const result = await runReconcile(depsOf(store, sfn.control));
    expect(sfn.started).toEqual(['dead-g2']);
    expect(result.errors).toEqual([]);
  });

  it('reports a refused start (name taken) and one vendor failing without stopping the others', async () => {
    const { store } = countingStore([
      vendor({ vendorId: 'a', nextActionAt: ago(1) }),
      vendor({ vendorId: 'b', nextActionAt: ago(1) }),
      vendor({ vendorId: 'c', nextActionAt: ago(1) }),
    ]);
    const sfn = fakeControl({}, ['a-g1']);
    const start = sfn.control.start;
    sfn.control.start = async (vendorId, generation) => {
      if (vendorId === 'b') throw Object.assign(new Error('throttled'), { name: 'UnavailableError' });
      return start(vendorId, generation);
    };
    const result = await runReconcile(depsOf(store, sfn.control));
    expect(result.refused).toEqual([{ vendorId: 'a', execution: 'a-g1', why: 'no lifecycle yet' }]);
    expect(result.errors).toEqual([{ vendorId: 'b', error: 'UnavailableError' }]);
    expect(result.started.map((s) => s.execution)).toEqual(['c-g1']);
  });
});
