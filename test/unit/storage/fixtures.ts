// Shared builders for the storage tests.
import { sealEvent, GENESIS_HASH } from '../../../functions/core/audit-chain.js';
import type { Actor, NewEvent, StoredEvent } from '../../../functions/core/events.js';
import type { Vendor } from '../../../functions/core/portfolio.js';

export const importActor: Actor = { kind: 'import', by: 'test' };

export function vendor(id: string, overrides: Partial<Vendor> = {}): Vendor {
  return {
    id,
    name: `Vendor ${id}`,
    tier: 'high',
    managerEmail: 'manager@bank.example',
    contactEmail: `security@${id}.example`,
    complianceLeadEmail: 'lead@bank.example',
    documents: [],
    ...overrides,
  };
}

/** Seals a run of events into a chain, as the store would. */
export function chain(vendorId: string, events: NewEvent[], actor: Actor = importActor): StoredEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const sealed = sealEvent(
      { vendorId, seq: i + 1, at: `2026-11-26T09:00:0${i % 10}.000Z`, actor, ...e } as Omit<
        StoredEvent,
        'hash' | 'prevHash'
      >,
      prev,
    );
    prev = sealed.hash;
    return sealed;
  });
}

export function registered(id: string): NewEvent {
  const { documents: _documents, ...profile } = vendor(id);
  return { type: 'vendor-registered', data: { profile } };
}
