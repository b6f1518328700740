// The pure Plan (functions/core/plan.ts): every branch of spec section 5's decision for one day.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { cycleOf, nextFollowUp, planDay, type PlanInput } from '../../../functions/core/plan.js';
import type { Vendor, VendorDocument } from '../../../functions/core/portfolio.js';
import type { NotificationRecord, RequestRecord } from '../../../functions/core/vendor-state.js';

const report = (periodEnd: string): VendorDocument =>
  ({
    kind: 'soc2-type2',
    periodStart: '2025-01-01',
    periodEnd,
    opinion: 'unqualified',
    auditor: 'A',
  }) as VendorDocument;
const vendor = (documents: VendorDocument[]): Vendor => ({
  id: 'v',
  name: 'V',
  tier: 'high',
  managerEmail: 'm@bank.example',
  contactEmail: 'c@v.example',
  documents,
});
const L = '2026-12-31';
const C = cycleOf(L);
const note = (type: NotificationRecord['type'], date: string, cycle = C): NotificationRecord => ({
  type,
  date,
  to: 'x',
  seq: 1,
  cycle,
});
const request = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  requestId: 'v-r1',
  cycle: C,
  date: '2026-12-01',
  lapseDate: L,
  dueDate: L,
  nonce: 'a'.repeat(32),
  tokenHash: 'h',
  expiresAt: '2027-03-01T00:00:00.000Z',
  linkIssuedAt: '2026-12-01T09:00:00.000Z',
  openedAt: '2026-12-01T09:00:00.000Z',
  open: true,
  ...over,
});

function plan(today: string, over: Partial<PlanInput> & { docs?: VendorDocument[] } = {}) {
  return planDay({
    vendor: vendor(over.docs ?? [report('2025-12-31')]),
    state: { notifications: [], requests: {}, openRequestId: null, findings: {}, ...over.state },
    today,
    settings: DEFAULT_SETTINGS,
    complianceLead: 'lead@bank.example',
  });
}
const types = (d: ReturnType<typeof plan>) => d.actions.map((a) => a.type);

describe('planDay', () => {
  it('a current vendor: nothing today, wake on L-60', () => {
    const d = plan('2026-09-01');
    expect(d.actions).toEqual([]);
    expect(d.wakeOn).toBe('2026-11-01');
    expect(d.cycle).toBe(20261231);
  });
  it('L-60: the manager reminder, then wake on L-30', () => {
    const d = plan('2026-11-01');
    expect(d.actions).toEqual([{ type: 'manager-reminder', to: 'm@bank.example', repeat: false }]);
    expect(d.wakeOn).toBe('2026-12-01');
  });
  it('never the same reminder twice in a cycle', () => {
    const d = plan('2026-11-05', {
      state: { notifications: [note('manager-reminder', '2026-11-01')] } as never,
    });
    expect(d.actions).toEqual([]);
    expect(d.wakeOn).toBe('2026-12-01');
  });
  it('L-30: the vendor request, due on L; follow-ups from the request date', () => {
    const d = plan('2026-12-01', {
      state: { notifications: [note('manager-reminder', '2026-11-01')] } as never,
    });
    expect(d.actions).toEqual([{ type: 'vendor-request', to: 'c@v.example', dueDate: L, repeat: false }]);
    expect(d.wakeOn).toBe('2026-12-08');
  });
  it('weekly follow-up on the grid; none between grid dates', () => {
    const state = {
      notifications: [note('manager-reminder', '2026-11-01'), note('vendor-request', '2026-12-01')],
      requests: { 'v-r1': request() },
      openRequestId: 'v-r1',
    };
    expect(types(plan('2026-12-08', { state } as never))).toEqual(['vendor-follow-up']);
    const between = plan('2026-12-10', {
      state: { ...state, notifications: [...state.notifications, note('vendor-follow-up', '2026-12-08')] },
    } as never);
    expect(between.actions).toEqual([]);
    expect(between.wakeOn).toBe('2026-12-15');
  });
  it('a missed follow-up wake-up is caught up later the same week, once', () => {
    const state = {
      notifications: [note('manager-reminder', '2026-11-01'), note('vendor-request', '2026-12-01')],
      requests: { 'v-r1': request() },
      openRequestId: 'v-r1',
    };
    expect(types(plan('2026-12-10', { state } as never))).toEqual(['vendor-follow-up']);
  });
  it('the first day past L: stale-report finding and escalation', () => {
    const state = {
      notifications: [note('manager-reminder', '2026-11-01'), note('vendor-request', '2026-12-01')],
      requests: { 'v-r1': request() },
      openRequestId: 'v-r1',
    };
    const d = plan('2027-01-01', { state } as never);
    expect(d.actions.slice(0, 2)).toEqual([
      { type: 'open-finding', code: 'stale-report', severity: 'high' },
      { type: 'escalation', to: 'lead@bank.example', code: 'stale-report' },
    ]);
  });
  it('an open finding is not opened again', () => {
    const d = plan('2027-01-02', {
      state: {
        notifications: [
          note('manager-reminder', '2026-11-01'),
          note('vendor-request', '2026-12-01'),
          note('vendor-follow-up', '2026-12-29'),
        ],
        requests: { 'v-r1': request() },
        openRequestId: 'v-r1',
        findings: {
          f: { findingId: 'f', code: 'stale-report', severity: 'high', status: 'open', openedAt: 'x' },
        },
      },
    } as never);
    expect(types(d)).toEqual([]);
  });
  it('a new basis closes the old request and the finding, and starts the next cycle', () => {
    const d = plan('2027-01-20', {
      docs: [report('2025-12-31'), report('2026-12-31')],
      state: {
        notifications: [note('manager-reminder', '2026-11-01'), note('vendor-request', '2026-12-01')],
        requests: { 'v-r1': request() },
        openRequestId: 'v-r1',
        findings: {
          f: { findingId: 'f', code: 'stale-report', severity: 'high', status: 'open', openedAt: 'x' },
        },
      },
    } as never);
    expect(types(d)).toEqual(['close-request', 'close-finding', 'finding-closed-notice']);
    expect(d.cycle).toBe(20271231);
    expect(d.wakeOn).toBe('2027-11-01');
  });
  it('a vendor without a report: no-report finding, escalation and request on the first day, no reminder', () => {
    const d = plan('2026-09-01', { docs: [] });
    expect(types(d)).toEqual(['open-finding', 'escalation', 'vendor-request']);
    expect(d.actions[2]).toMatchObject({ dueDate: '2026-10-01' });
    expect(d.wakeOn).toBe('2026-09-08');
  });
  it('follow-ups pause while a bridge letter covers more than 30 days ahead', () => {
    expect(nextFollowUp('2026-12-01', '2027-01-10', '2027-03-31')).toBe('2027-03-02');
    expect(nextFollowUp('2026-12-01', '2027-01-10', null)).toBe('2027-01-12');
  });
  it('a bridged vendor: the finding closes, the next wake is the resumed follow-up', () => {
    const letter = {
      kind: 'bridge-letter',
      coversFrom: '2026-01-01',
      coversTo: '2027-01-31',
    } as VendorDocument;
    const d = plan('2027-01-10', {
      docs: [report('2025-12-31'), letter],
      state: {
        notifications: [note('manager-reminder', '2026-11-01'), note('vendor-request', '2026-12-01')],
        requests: { 'v-r1': request() },
        openRequestId: 'v-r1',
        findings: {
          f: { findingId: 'f', code: 'stale-report', severity: 'high', status: 'open', openedAt: 'x' },
        },
      },
    } as never);
    expect(types(d)).toEqual(['close-finding', 'finding-closed-notice']);
    expect(d.wakeOn).toBe('2027-03-02');
  });
  it('a document issued in the future wakes the lifecycle on its issue date', () => {
    const d = plan('2026-09-01', {
      docs: [report('2025-12-31'), { ...report('2026-06-30'), issued: '2026-10-01' }],
    });
    expect(d.wakeOn).toBe('2026-10-01');
  });
  it('without a compliance lead the finding still opens, but no one can be escalated to', () => {
    const d = planDay({
      vendor: vendor([]),
      state: { notifications: [], requests: {}, openRequestId: null, findings: {} },
      today: '2026-09-01',
      settings: DEFAULT_SETTINGS,
      complianceLead: undefined,
    });
    expect(types(d)).toEqual(['open-finding', 'vendor-request']);
  });
  it('a finding reopened on a day that already had an escalation does not escalate twice', () => {
    const d = plan('2027-01-01', {
      state: {
        notifications: [
          note('manager-reminder', '2026-11-01'),
          note('vendor-request', '2026-12-01'),
          note('vendor-follow-up', '2026-12-29'),
          note('escalation', '2027-01-01'),
        ],
        requests: { 'v-r1': request() },
        openRequestId: 'v-r1',
      },
    } as never);
    expect(types(d)).toEqual(['open-finding']);
  });
  it('a missing vendor keeps its request open when nothing arrives (no close without a basis)', () => {
    const d = plan('2026-09-08', {
      docs: [],
      state: {
        notifications: [note('vendor-request', '2026-09-01', 0)],
        requests: {
          'v-r1': request({ cycle: 0, date: '2026-09-01', lapseDate: null, dueDate: '2026-10-01' }),
        },
        openRequestId: 'v-r1',
        findings: {
          f: { findingId: 'f', code: 'no-report', severity: 'high', status: 'acknowledged', openedAt: 'x' },
        },
      },
    } as never);
    expect(d.actions).toEqual([
      { type: 'vendor-follow-up', to: 'c@v.example', dueDate: '2026-10-01', requestId: 'v-r1' },
    ]);
    expect(d.wakeOn).toBe('2026-09-15');
  });
  it('a report that arrives already stale: the no-report finding gives way to stale-report', () => {
    const d = plan('2027-02-01', {
      docs: [report('2025-12-31')],
      state: {
        notifications: [note('vendor-request', '2026-09-01', 0)],
        requests: { 'v-r1': request({ cycle: 0, lapseDate: null }) },
        openRequestId: 'v-r1',
        findings: {
          f: { findingId: 'f', code: 'no-report', severity: 'high', status: 'open', openedAt: 'x' },
        },
      },
    } as never);
    expect(types(d)).toEqual([
      'close-request',
      'close-finding',
      'finding-closed-notice',
      'open-finding',
      'escalation',
      'manager-reminder',
      'vendor-request',
    ]);
    expect(d.actions[1]).toMatchObject({ reason: 'superseded by stale-report' });
  });

  it('the day a new basis takes effect starts its cycle like a first day: its reminder and request go out, the request counted as made that day though the day already had one', () => {
    // A missing vendor was asked this morning (cycle 0); at noon a report is accepted whose L-60 and L-30 have
    // both passed. The new cycle's reminder goes out, and its request too: on record as a repeat for the date.
    const accepted = report('2025-12-31');
    const d = plan('2026-12-05', {
      docs: [accepted],
      state: {
        notifications: [note('vendor-request', '2026-12-05', 0)],
        requests: {
          'v-r1': request({ cycle: 0, date: '2026-12-05', lapseDate: null, dueDate: '2027-01-04' }),
        },
        openRequestId: 'v-r1',
        findings: {},
      },
    } as never);
    expect(d.actions).toEqual([
      { type: 'close-request', requestId: 'v-r1', reason: 'new-basis' },
      { type: 'manager-reminder', to: 'm@bank.example', repeat: false },
      { type: 'vendor-request', to: 'c@v.example', dueDate: L, repeat: true },
    ]);
    // ... and it is followed up weekly from that day.
    expect(d.wakeOn).toBe('2026-12-12');
  });
  it('a new cycle whose request was made that day is followed up a week later, not asked again', () => {
    const d = plan('2026-12-12', {
      state: {
        notifications: [note('vendor-request', '2026-12-05', 0), note('vendor-request', '2026-12-05')],
        requests: {
          'v-r1': request({ cycle: 0, date: '2026-12-05', lapseDate: null, open: false }),
          'v-r2': request({ requestId: 'v-r2', date: '2026-12-05' }),
        },
        openRequestId: 'v-r2',
        findings: {},
      },
    } as never);
    expect(types(d)).toEqual(['manager-reminder', 'vendor-follow-up']);
  });
});
