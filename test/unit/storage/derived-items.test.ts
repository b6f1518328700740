// What a commit writes of the portfolio's derived items (functions/app/vendors.ts): the state item's
// `derivedDigest` says what was last written, so a commit that changes no summary writes no summary items and no
// roll-call entry. Tables written before the lead's item was dropped hold digests of the form
// `<hash>~<lead>~<entry>`: they must read the same, or every vendor's next commit would rewrite its items.
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { Vendors } from '../../../functions/app/vendors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import type { Projection, StoredState } from '../../../functions/ports/event-store.js';
import { testMac } from '../../support/mac.js';
import { registered } from './fixtures.js';

const workflow = { kind: 'workflow' as const, execution: 'exec-1' };
const clock = new FixedClock(new Date('2026-06-01T09:00:00Z'));
const mac = testMac();
const scheduled: NewEvent = {
  type: 'next-action-scheduled',
  data: { nextActionAt: '2026-07-01T09:00:00.000Z' },
};

/** A memory store that records the projections it is given, and may hand back digests in the older form. */
class RecordingStore extends MemoryEventStore {
  projections: Projection[] = [];
  /** Read digests as a table written before the lead's item was dropped holds them. */
  olderDigests = false;

  override async writeProjection(projection: Projection): Promise<void> {
    this.projections.push(projection);
    return super.writeProjection(projection);
  }

  override async readState(vendorId: string): Promise<StoredState | undefined> {
    return this.older(await super.readState(vendorId));
  }

  override async readStates(vendorIds: readonly string[]): Promise<Map<string, StoredState>> {
    const states = await super.readStates(vendorIds);
    return new Map([...states].map(([id, s]) => [id, this.older(s)!]));
  }

  private older(stored: StoredState | undefined): StoredState | undefined {
    if (!this.olderDigests || stored?.derivedDigest === undefined) return stored;
    const [hash, entry] = stored.derivedDigest.split('~');
    // An e-mail may hold a tilde: the lead sat in the middle, so only the first part and the last are read.
    return { ...stored, derivedDigest: `${hash}~lead~of@bank.example~${entry}` };
  }
}

/** The last projection after a commit of `events` by a writer that starts with nothing cached. */
async function commit(store: RecordingStore, events: NewEvent[]): Promise<Projection> {
  await new Vendors(store, { clock, mac }).update('acme', () => events, { actor: workflow });
  return store.projections.at(-1)!;
}

describe('a commit rewrites only the derived items that changed', () => {
  it('writes the summary and roll-call entry with the registration, and neither when nothing in them changes', async () => {
    const store = new RecordingStore();
    const first = await commit(store, [registered('acme')]);
    expect(first.summary?.changed).toBe(true);
    expect(first.rollCall).toBeDefined();
    const next = await commit(store, [scheduled]);
    expect(next.summary?.changed).toBe(false);
    expect(next.rollCall).toBeUndefined();
  });

  it('rewrites the summary items when the summary changes, and not the unchanged roll-call entry', async () => {
    const store = new RecordingStore();
    await commit(store, [registered('acme')]);
    const renamed = await commit(store, [
      { type: 'vendor-updated', data: { changes: { name: 'Acme Renamed' } } },
    ]);
    expect(renamed.summary?.changed).toBe(true);
    expect(renamed.rollCall).toBeUndefined();
  });

  it('reads a digest stored with the lead in it (a table written before) as the same digest', async () => {
    const store = new RecordingStore();
    await commit(store, [registered('acme')]);
    store.olderDigests = true;
    const next = await commit(store, [scheduled]);
    expect(next.summary?.changed).toBe(false);
    expect(next.rollCall).toBeUndefined();
  });
});
