// The reconciler's judgement: which vendors' lifecycles are dead and need their next generation, and that it
// reads the due index only (never the whole portfolio).
import { describe, expect, it } from 'vitest';
import { logger } from '../../../functions/edge/logger.js';
import {
  GRACE_MS,
  OVERDUE_MS,
  judge,
  runReconcile,
  type ReconcileDeps,
} from '../../../functions/handlers/reconcile.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { MemoryMailbox } from '../../../functions/adapters/memory/mailbox.js';
import { sealedProjection, testMac } from '../../support/mac.js';

const mac = testMac(1);
import { Vendors } from '../../../functions/app/vendors.js';
import { intend, OUTBOX_GRACE_MS } from '../../../functions/core/commands/outbox.js';
import { emptyState, reduceEvents, type VendorState } from '../../../functions/core/vendor-state.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import type { LifecycleControl } from '../../../functions/adapters/sfn/lifecycle.js';
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

/** Why the reconciler would (re)start this vendor's lifecycle, or null when it leaves it alone. */
const whyRestart = (state: VendorState, at: Date) => judge(state, at)?.why ?? null;

describe('judge', () => {
  it('restarts a vendor that never had a lifecycle, one that failed, and one more than a day overdue', () => {
    expect(whyRestart(vendor({}), now)).toBe('no lifecycle yet');
    expect(
      whyRestart(
        vendor({ lifecycle: { execution: 'v-g1', failed: { error: 'TypeError', cause: '', at: 'x' } } }),
        now,
      ),
    ).toBe('failed: TypeError');
    const overdue = ago(OVERDUE_MS + 1000);
    expect(whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, scheduledAt: overdue }), now)).toBe(
      `overdue since ${overdue}`,
    );
  });
  it('leaves alone a live lifecycle, one waking right now, a stopped one and an unregistered vendor', () => {
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, scheduledAt: '2026-12-01T09:00:00.000Z' }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, scheduledAt: ago(GRACE_MS - 1000) }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1', stoppedAt: 'x' }, scheduledAt: null }), now),
    ).toBeNull();
    expect(whyRestart(emptyState('v'), now)).toBeNull();
  });
  it('asks Step Functions about a recorded execution past the grace, and starts generation 1 outright', () => {
    expect(judge(vendor({}), now)).toEqual({ action: 'start', why: 'no lifecycle yet' });
    // 21 hours late (yesterday's 09:00 wake-up at 06:00): suspicious, but only dead if the execution is not running.
    expect(
      judge(vendor({ lifecycle: { execution: 'v-g3' }, scheduledAt: '2026-11-09T09:00:00.000Z' }), now),
    ).toEqual({
      action: 'restart-unless-running',
      why: 'overdue since 2026-11-09T09:00:00.000Z',
      execution: 'v-g3',
    });
  });
  it('a registered vendor is due from its registration instant until a lifecycle moves it on', () => {
    const state = reduceEvents('v', chain('v', [registered('v')]));
    expect(state.scheduledAt).toBe(state.createdAt);
    expect(state.nextActionAt).toBe(state.createdAt);
    expect(judge(state, new Date(Date.parse(state.createdAt!) + 1))).toEqual({
      action: 'start',
      why: 'no lifecycle yet',
    });
  });
});

/**
 * The in-memory store holding fixed projected states, counting what the reconciler reads through the port;
 * listing the portfolio is an error.
 */
async function countingStore(states: VendorState[]) {
  const memory = new MemoryEventStore();
  for (const state of states) await memory.writeProjection(await sealedProjection(state, mac));
  const calls = { dueVendors: 0, loaded: [] as string[] };
  const counting = Object.assign(Object.create(memory) as MemoryEventStore, {
    async dueVendors(instant: Date, options?: { limit?: number }) {
      calls.dueVendors++;
      return memory.dueVendors(instant, options);
    },
    async readStates(ids: readonly string[]) {
      calls.loaded.push(...ids);
      return memory.readStates(ids);
    },
    async listVendorIds(): Promise<string[]> {
      throw new Error('the reconciler must not list the portfolio');
    },
  });
  return { vendors: new Vendors(counting, { clock: new FixedClock(now), mac }), calls };
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
    async resume() {
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

const mailbox = new MemoryMailbox();
const depsOf = (vendors: Vendors, control: LifecycleControl): ReconcileDeps => ({
  vendors,
  control,
  mail: {
    mailer: mailbox,
    mac,
    publicBaseUrl: 'https://bk.example',
    timeZone: 'UTC',
  },
  clock: new FixedClock(now),
});

describe('runReconcile', () => {
  it('reads only the due vendors of a large portfolio, and restarts only the dead ones', async () => {
    const profile = (id: string) => ({
      id,
      name: id,
      tier: 'low' as const,
      managerEmail: 'm@b.example',
      contactEmail: 'c@v.example',
    });
    const live = (i: number): VendorState =>
      scheduled(
        {
          ...emptyState(`live-${i}`),
          profile: profile(`live-${i}`),
          lifecycle: { execution: `live-${i}-g1` },
        },
        new Date(now.getTime() + (i + 1) * 3_600_000).toISOString(),
      );
    const states: VendorState[] = Array.from({ length: 2000 }, (_, i) => live(i));
    const due = (id: string, at: string | null, over: Partial<VendorState> = {}): VendorState =>
      scheduled({ ...emptyState(id), profile: profile(id), ...over }, at);
    states.push(
      due('new', ago(5 * 60_000)),
      due('failed', ago(86_400_000), {
        lifecycle: { execution: 'failed-g2', failed: { error: 'TypeError', cause: '', at: ago(86_400_000) } },
      }),
      due('crashed', ago(21 * 3_600_000), { lifecycle: { execution: 'crashed-g1' } }),
      due('slow', ago(3 * 3_600_000), { lifecycle: { execution: 'slow-g4' } }),
      due('waking', ago(60_000), { lifecycle: { execution: 'waking-g1' } }),
      due('stopped', null, { lifecycle: { execution: 'stopped-g1', stoppedAt: ago(1) } }),
    );
    const { vendors, calls } = await countingStore(states);
    const sfn = fakeControl({ 'failed-g2': 'FAILED', 'crashed-g1': 'ABORTED', 'slow-g4': 'RUNNING' });
    const result = await runReconcile(depsOf(vendors, sfn.control));

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
    const { vendors } = await countingStore([
      scheduled(
        vendor({ vendorId: 'late', lifecycle: { execution: 'late-g1' } }),
        ago(OVERDUE_MS - 3_600_000),
      ),
      scheduled(vendor({ vendorId: 'dead', lifecycle: { execution: 'dead-g1' } }), ago(OVERDUE_MS + 1)),
    ]);
    const sfn = fakeControl({ 'late-g1': denied, 'dead-g1': denied });
    const result = await runReconcile(depsOf(vendors, sfn.control));
    expect(sfn.started).toEqual(['dead-g2']);
    expect(result.errors).toEqual([]);
  });

  it('a generation whose name is taken by an ended execution is skipped (Step Functions keeps closed names for 90 days); a running one is left alone', async () => {
    const { vendors } = await countingStore([
      scheduled(vendor({ vendorId: 'a' }), ago(1)),
      scheduled(vendor({ vendorId: 'b' }), ago(1)),
      scheduled(vendor({ vendorId: 'c' }), ago(1)),
      scheduled(vendor({ vendorId: 'd' }), ago(1)),
    ]);
    // a-g1 failed before it recorded its start on the vendor; b-g1 is running; c is throttled.
    const sfn = fakeControl({ 'a-g1': 'FAILED', 'b-g1': 'RUNNING' }, ['a-g1', 'b-g1']);
    const start = sfn.control.start;
    sfn.control.start = async (vendorId, generation) => {
      if (vendorId === 'c') throw Object.assign(new Error('throttled'), { name: 'UnavailableError' });
      return start(vendorId, generation);
    };
    const result = await runReconcile(depsOf(vendors, sfn.control));
    expect(result.started.map((s) => s.execution)).toEqual(['a-g2', 'd-g1']);
    expect(result.refused).toEqual([{ vendorId: 'b', execution: 'b-g1', why: 'no lifecycle yet' }]);
    expect(result.errors).toEqual([{ vendorId: 'c', error: 'UnavailableError' }]);
  });

  it('sends an e-mail left unsent past its grace period, and records it sent', async () => {
    mailbox.sent.length = 0;
    const memory = new MemoryEventStore();
    const writer = new Vendors(memory, {
      clock: new FixedClock(new Date(now.getTime() - OUTBOX_GRACE_MS - 1)),
      mac,
    });
    const facts = {
      vendorName: 'V',
      vendorId: 'v',
      date: '2026-11-09',
      lapseDate: null,
      periodEnd: null,
      bridgedUntil: null,
    };
    const left = await writer.update(
      'v',
      () => [
        ...chainOf('v'),
        { type: 'lifecycle-started', data: { execution: 'v-g1', cycle: 1 } },
        { type: 'lifecycle-waiting', data: { wakeAt: '2026-12-01T09:00:00.000Z', waitingFor: 'x' } },
        ...intend(undefined, {
          key: 'v/x/escalation/2026-11-09',
          kind: 'escalation',
          to: 'lead@b.example',
          date: '2026-11-09',
          facts,
        }),
      ],
      { actor: { kind: 'workflow' } },
    );
    // Due because of the unsent e-mail, though its lifecycle sleeps until December.
    expect(left.state.scheduledAt).toBe('2026-12-01T09:00:00.000Z');
    expect(Date.parse(left.state.nextActionAt!)).toBeLessThanOrEqual(now.getTime());
    const vendors = new Vendors(memory, { clock: new FixedClock(now), mac });
    const result = await runReconcile(depsOf(vendors, fakeControl({ 'v-g1': 'RUNNING' }).control));
    expect(result.mailed).toEqual([{ vendorId: 'v', keys: ['v/x/escalation/2026-11-09'] }]);
    expect(result.started).toEqual([]);
    expect(mailbox.sent.map((m) => m.to)).toEqual(['lead@b.example']);
    const after = await vendors.load('v');
    expect(after!.emails['v/x/escalation/2026-11-09']!.sentAt).toBeDefined();
    expect(after!.nextActionAt).toBe('2026-12-01T09:00:00.000Z');
    // A second pass sends nothing.
    expect((await runReconcile(depsOf(vendors, fakeControl({}).control))).mailed).toEqual([]);
  });
});

/** A state with the lifecycle's schedule at `at` (and so due then). */
function scheduled(state: VendorState, at: string | null): VendorState {
  return { ...state, scheduledAt: at, nextActionAt: at };
}

function chainOf(id: string) {
  return [registered(id)];
}
