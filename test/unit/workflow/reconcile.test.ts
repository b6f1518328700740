// The reconciler's judgement: which vendors' lifecycles are dead and need their next generation.
import { describe, expect, it } from 'vitest';
import { OVERDUE_MS, whyRestart } from '../../../functions/handlers/reconcile.js';
import { emptyState, type VendorState } from '../../../functions/core/vendor-state.js';

const now = new Date('2026-11-10T06:00:00Z');
const vendor = (over: Partial<VendorState>): VendorState => ({
  ...emptyState('v'),
  profile: { id: 'v', name: 'V', tier: 'low', managerEmail: 'm@b.example', contactEmail: 'c@v.example' },
  ...over,
});

describe('whyRestart', () => {
  it('restarts a vendor that never had a lifecycle, one that failed, and one more than a day overdue', () => {
    expect(whyRestart(vendor({}), now)).toBe('no lifecycle yet');
    expect(
      whyRestart(
        vendor({ lifecycle: { execution: 'v-g1', failed: { error: 'TypeError', cause: '', at: 'x' } } }),
        now,
      ),
    ).toBe('failed: TypeError');
    const overdue = new Date(now.getTime() - OVERDUE_MS - 1000).toISOString();
    expect(whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: overdue }), now)).toBe(
      `overdue since ${overdue}`,
    );
  });
  it('leaves alone a live lifecycle, one due within the day, a stopped one and an unregistered vendor', () => {
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: '2026-12-01T09:00:00.000Z' }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1' }, nextActionAt: '2026-11-09T09:00:00.000Z' }), now),
    ).toBeNull();
    expect(
      whyRestart(vendor({ lifecycle: { execution: 'v-g1', stoppedAt: 'x' }, nextActionAt: null }), now),
    ).toBeNull();
    expect(whyRestart(emptyState('v'), now)).toBeNull();
  });
});
