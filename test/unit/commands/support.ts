// Given events, when a command, then events: the decider tests' vocabulary.
import type { NewEvent } from '../../../functions/core/events.js';
import { reduceEvents, type VendorState } from '../../../functions/core/vendor-state.js';
import { chain, registered } from '../storage/fixtures.js';

/** The vendor's state after these events (registered first unless the list starts with a registration). */
export function given(...events: NewEvent[]): VendorState {
  const all = events[0]?.type === 'vendor-registered' ? events : [registered('acme'), ...events];
  return reduceEvents('acme', chain('acme', all));
}

/** Types only, to read a decision at a glance. */
export const types = (events: NewEvent[]) => events.map((e) => e.type);

export const report = (periodEnd: string, extra: Record<string, unknown> = {}) => ({
  kind: 'soc2-type2' as const,
  periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
  periodEnd,
  opinion: 'unqualified' as const,
  auditor: 'Example CPA LLP',
  ...extra,
});

export const request = (requestId = 'acme-r1', extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'request-opened',
  data: {
    requestId,
    cycle: 20261231,
    date: '2026-12-01',
    lapseDate: '2026-12-31',
    dueDate: '2026-12-31',
    nonce: 'a'.repeat(32),
    tokenHash: 'b'.repeat(64),
    expiresAt: '2027-03-01T09:00:00.000Z',
    ...extra,
  } as never,
});
