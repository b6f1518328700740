// The wait handler: records the sleep's token, or, when the vendor changed since its plan, ends the sleep itself
// (no error: the function's Errors alarm is for errors) after recording the plan's e-mails as sent.
import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { intend } from '../../../functions/core/commands/outbox.js';
import { runWait } from '../../../functions/handlers/wait.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { testMac } from '../../support/mac.js';

async function vendorWithIntent() {
  const vendors = new Vendors(new MemoryEventStore(), {
    clock: new FixedClock(new Date('2026-11-01T09:00:00Z')),
    mac: testMac(),
  });
  const profile = {
    id: 'acme',
    name: 'Acme',
    tier: 'low' as const,
    managerEmail: 'm@b.example',
    contactEmail: 'c@d.example',
  };
  await vendors.update('acme', () => [{ type: 'vendor-registered', data: { profile } }], {
    actor: { kind: 'import', by: 'test' },
  });
  const { state } = await vendors.update(
    'acme',
    (s) =>
      intend(s!, {
        key: 'k1',
        kind: 'manager-reminder',
        to: 'm@b.example',
        date: '2026-11-01',
        facts: {
          vendorName: 'Acme',
          vendorId: 'acme',
          date: '2026-11-01',
          lapseDate: null,
          periodEnd: null,
          bridgedUntil: null,
        },
      }),
    { actor: { kind: 'workflow', execution: 'acme-g1' } },
  );
  return { vendors, seq: state.seq };
}

function control() {
  const resumed: { token: string; reason: string }[] = [];
  return {
    resumed,
    control: {
      async resume(token: string, reason: string) {
        resumed.push({ token, reason });
        return true;
      },
    },
  };
}

const input = (seenSeq: number) => ({
  vendorId: 'acme',
  generation: 1,
  execution: 'acme-g1',
  taskToken: 'token-1',
  wakeAt: '2026-11-08T09:00:00.000Z',
  seenSeq,
  sent: [{ key: 'k1', messageId: 'm-1' }],
});

describe('the wait handler', () => {
  it('records the token and sleeps when nothing changed since the plan', async () => {
    const { vendors, seq } = await vendorWithIntent();
    const c = control();
    expect(await runWait(input(seq), { vendors, control: c.control })).toEqual({ waiting: true });
    const state = await vendors.load('acme');
    expect(state!.lifecycle.taskToken).toBe('token-1');
    expect(state!.emails.k1!.sentAt).toBeDefined();
    expect(c.resumed).toEqual([]);
  });

  it('ends its own sleep when the vendor changed since the plan, the plan’s e-mails recorded sent', async () => {
    const { vendors, seq } = await vendorWithIntent();
    const c = control();
    expect(await runWait(input(seq - 1), { vendors, control: c.control })).toEqual({ waiting: false });
    expect(c.resumed).toEqual([{ token: 'token-1', reason: 'vendor-changed' }]);
    const state = await vendors.load('acme');
    expect(state!.emails.k1!.sentAt).toBeDefined();
    expect(state!.lifecycle.taskToken).not.toBe('token-1');
  });
});
