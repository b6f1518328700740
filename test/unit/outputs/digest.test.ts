// The weekly digest: one e-mail per vendor manager and compliance lead per ISO week, through the outbox on their
// staff record, whatever happens around it: a run before the hour, re-runs, a retry right after a failed send, a
// crash between recording and sending, two runs at once, the daily runs of the rest of the week.
import { describe, expect, it } from 'vitest';
import { runDigests, type DigestDeps } from '../../../functions/app/digest.js';
import { StaffRecords } from '../../../functions/app/staff.js';
import { MemoryMailbox } from '../../../functions/adapters/memory/mailbox.js';
import { MemoryStaffStore } from '../../../functions/adapters/memory/staff-store.js';
import { OUTBOX_GRACE_MS } from '../../../functions/core/commands/outbox.js';
import { digestKey, isoWeekOf } from '../../../functions/core/digest.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import type { Mailer } from '../../../functions/ports/mailer.js';
import { type2, vendorWith } from '../core/assess-helpers.js';
import { consoleOver } from './console-support.js';

// Monday 2026-11-30, 09:00 UTC is the digest's hour (weekday 1, mail hour 9).
const MONDAY_9 = new Date('2026-11-30T09:00:00Z');
const portfolio = {
  vendors: [
    vendorWith([type2('2025-12-20', { issued: '2026-01-20' })], {
      id: 'acme-pay',
      name: 'Acme <Payments> & Co',
      managerEmail: 'jane.doe@bank.example',
      complianceLeadEmail: 'lead@bank.example',
    }),
    vendorWith([], {
      id: 'beta',
      name: 'Beta',
      tier: 'high',
      managerEmail: 'marcus.lee@bank.example',
      complianceLeadEmail: 'lead@bank.example',
    }),
  ],
};

async function setup(options: { mailer?: Mailer } = {}) {
  const c = await consoleOver(portfolio, new Date('2026-10-01T10:00:00Z'));
  // Beta has no report: its no-report finding opened on 2026-10-01 (high: due in 60 days, 2026-11-30).
  await c.vendors.update(
    'beta',
    () => [{ type: 'finding-opened', data: { findingId: 'f-1', code: 'no-report', severity: 'high' } }],
    { actor: { kind: 'workflow' } },
  );
  c.clock.set(new Date('2026-11-27T12:00:00Z'));
  await c.vendors.update(
    'beta',
    () => [{ type: 'finding-acknowledged', data: { findingId: 'f-1', note: 'Vendor chased by phone.' } }],
    { actor: { kind: 'staff', id: 'lead@bank.example' } },
  );
  const mailbox = new MemoryMailbox();
  const store = new MemoryStaffStore();
  const deps: DigestDeps = {
    vendors: c.vendors,
    staff: new StaffRecords(store, c.clock),
    mail: {
      mailer: options.mailer ?? mailbox,
      publicBaseUrl: 'https://bk.bank.example',
      timeZone: 'UTC',
    },
    clock: c.clock,
    policy: DEFAULT_POLICY,
    mailHour: 9,
    weekday: 1,
  };
  return { c, deps, mailbox, store };
}

const to = (box: MemoryMailbox) => box.sent.map((m) => m.to).sort();

describe('the ISO week', () => {
  it('starts on Monday and numbers weeks from the year’s first Thursday', () => {
    expect(isoWeekOf('2026-11-30')).toEqual({ label: '2026-W49', monday: '2026-11-30' });
    expect(isoWeekOf('2026-12-06')).toEqual({ label: '2026-W49', monday: '2026-11-30' });
    expect(isoWeekOf('2027-01-01').label).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30').label).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03').label).toBe('2020-W53');
  });
});

describe('the weekly digest', () => {
  it('says what changed, what lapses within 30 days and what is overdue, in plain words', async () => {
    const { c, deps, mailbox } = await setup();
    c.clock.set(MONDAY_9);
    const run = await runDigests(deps);
    expect(run).toMatchObject({ week: '2026-W49', due: true, recipients: 3, errors: [] });
    expect(to(mailbox)).toEqual(['jane.doe@bank.example', 'lead@bank.example', 'marcus.lee@bank.example']);
    const lead = mailbox.sent.find((m) => m.to === 'lead@bank.example')!;
    expect(lead.subject).toBe(
      'Bridgekeeper weekly digest 2026-W49: 1 vendor losing coverage within 30 days, 0 findings overdue',
    );
    expect(lead.text).toContain('as compliance lead of 2 vendors');
    expect(lead.text).toContain('Beta: The no-report finding was acknowledged.');
    expect(lead.text).toMatch(
      /Acme <Payments> & Co \(critical\): the report lapses after 2026-12-20; not covered/,
    );
    expect(lead.html).toContain('Acme &lt;Payments&gt; &amp; Co');
    expect(lead.html).not.toContain('<Payments>');
    expect(lead.html).toContain('href="https://bk.bank.example/vendors/acme-pay"');
    // A day later the high finding (due 2026-11-30) is overdue.
    c.clock.set(new Date('2026-12-07T09:00:00Z'));
    await runDigests(deps);
    const next = mailbox.sent.filter((m) => m.to === 'marcus.lee@bank.example').at(-1)!;
    expect(next.text).toContain(
      'Beta: high finding no-report, due 2026-11-30, 7 days overdue. There is no usable SOC 2 report on file for this vendor.',
    );
  });

  it('goes out once a week: not before the hour, once at it, never again that week, again the next week', async () => {
    const { c, deps, mailbox } = await setup();
    c.clock.set(new Date('2026-11-30T08:59:00Z'));
    expect((await runDigests(deps)).due).toBe(false);
    expect(mailbox.sent).toHaveLength(0);
    c.clock.set(MONDAY_9);
    await runDigests(deps);
    await runDigests(deps);
    // The daily runs of the rest of the week.
    for (let day = 1; day <= 6; day++) {
      c.clock.set(new Date(MONDAY_9.getTime() + day * 86_400_000 - 3 * 3_600_000));
      expect((await runDigests(deps)).sent).toEqual([]);
    }
    expect(to(mailbox)).toEqual(['jane.doe@bank.example', 'lead@bank.example', 'marcus.lee@bank.example']);
    c.clock.set(new Date('2026-12-07T09:00:00Z'));
    await runDigests(deps);
    expect(mailbox.sent).toHaveLength(6);
  });

  it('two runs at once send one digest per person', async () => {
    const { c, deps, mailbox } = await setup();
    c.clock.set(MONDAY_9);
    await Promise.all([runDigests(deps), runDigests(deps), runDigests(deps)]);
    expect(to(mailbox)).toEqual(['jane.doe@bank.example', 'lead@bank.example', 'marcus.lee@bank.example']);
  });

  it('after a crash between recording and sending, the next run past the grace period sends it, once', async () => {
    const mailbox = new MemoryMailbox();
    let down = true;
    const flaky: Mailer = {
      send: async (email) => {
        if (down) throw Object.assign(new Error('the process died here'), { name: 'Crash' });
        return mailbox.send(email);
      },
    };
    const { c, deps, store } = await setup({ mailer: flaky });
    c.clock.set(MONDAY_9);
    const crashed = await runDigests(deps);
    expect(crashed.errors.map((e) => e.error)).toEqual(['Crash', 'Crash', 'Crash']);
    expect(crashed.intended).toHaveLength(3);
    const lead = await deps.staff.load('lead@bank.example');
    expect(lead.emails[digestKey('lead@bank.example', '2026-W49')]).toMatchObject({ kind: 'weekly-digest' });
    expect(lead.emails[digestKey('lead@bank.example', '2026-W49')]?.sentAt).toBeUndefined();

    // A retry a minute later: the intents may still be on their way with the run that recorded them.
    down = false;
    c.clock.set(new Date(MONDAY_9.getTime() + 60_000));
    expect((await runDigests(deps)).sent).toEqual([]);
    expect(mailbox.sent).toHaveLength(0);

    // Past the grace period, whoever runs next sends each one, once.
    c.clock.set(new Date(MONDAY_9.getTime() + OUTBOX_GRACE_MS + 60_000));
    const recovered = await runDigests(deps);
    expect(recovered.intended).toEqual([]);
    expect(recovered.sent).toHaveLength(3);
    c.clock.set(new Date(MONDAY_9.getTime() + 86_400_000));
    await runDigests(deps);
    expect(to(mailbox)).toEqual(['jane.doe@bank.example', 'lead@bank.example', 'marcus.lee@bank.example']);
    const record = await store.readStaff((await deps.staff.load('lead@bank.example')).staffKey);
    expect(record?.emails[digestKey('lead@bank.example', '2026-W49')]?.messageId).toBe(
      mailbox.sent.find((m) => m.to === 'lead@bank.example')!.messageId,
    );
  });
});
