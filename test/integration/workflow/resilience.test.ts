// What keeps the lifecycle alive: the hand-over to a successor execution before the year runs out, retries
// that never send an e-mail twice, and the reconciler that restarts a lifecycle that died.
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../functions/core/errors.js';
import { importEvents } from '../../../functions/core/import-diff.js';
import { injectFaults } from '../../../functions/edge/runtime.js';
import type { Mailer } from '../../../functions/ports/mailer.js';
import type { Vendors } from '../../../functions/app/vendors.js';
import { startEmbeddedStack, type EmbeddedStack } from '../../../local/embedded.js';
import { VirtualClock } from '../../../local/runner/runner.js';
import { simulate } from '../../../cli/commands/simulate.js';
import { brief, portfolioOf, report, vendor, weekly } from './helpers.js';

let stack: EmbeddedStack | undefined;
afterEach(async () => {
  injectFaults({});
  await stack?.stop();
  stack = undefined;
});

async function stackWith(start: string, documents = [report('2025-12-31')]) {
  stack = await startEmbeddedStack({ clock: new VirtualClock(new Date(`${start}T00:00:00Z`)) });
  const p = portfolioOf(vendor(documents));
  await stack.store.append('acme-pay', importEvents(p.vendors[0]!, undefined, p, { manageDocuments: true }), {
    actor: { kind: 'import', by: 'test' },
    expectedSeq: 0,
  });
  return stack;
}

describe('lifecycle resilience', () => {
  it('continue-as-new: hands over to the next generation within a year, no event lost or doubled', async () => {
    let executions: { name: string; status: string }[] = [];
    const { lines } = await simulate({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-09-01',
      to: '2028-09-01',
      inspect: async (s) => {
        executions = s.runner.listExecutions();
      },
    });
    expect(executions.map((e) => `${e.name} ${e.status}`)).toEqual([
      'acme-pay-g1 SUCCEEDED',
      'acme-pay-g2 SUCCEEDED',
      'acme-pay-g3 RUNNING',
    ]);
    const followUps = brief(lines, ['vendor-follow-up']).map((l) => l.slice(0, 10));
    expect(followUps).toEqual(weekly('2026-12-08', '2028-09-01'));
    expect(brief(lines, ['manager-reminder', 'vendor-request', 'finding-opened', 'escalation'])).toEqual([
      '2026-11-01 manager-reminder',
      '2026-12-01 vendor-request',
      '2027-01-01 finding-opened:stale-report',
      '2027-01-01 escalation',
    ]);
  });

  it('a Plan that fails twice (once right after sending) is retried: the e-mail is delivered and recorded sent once', async () => {
    const s = await stackWith('2026-10-31');
    let sends = 0;
    let loadFaults = 0;
    injectFaults({
      mailer: <M>(real: M) =>
        ({
          async send(mail: Parameters<Mailer['send']>[0]) {
            const out = await (real as Mailer).send(mail);
            // Fault injected after the send: the message went out, the handler dies before recording it.
            if (++sends === 1) throw new UnavailableError('injected fault after the send');
            return out;
          },
        }) as M,
      vendors: <V>(real: V) =>
        Object.assign(Object.create(real as object) as Vendors, {
          loadMany: async (ids: string[]) => {
            // The retry then meets a transient storage failure, once.
            if (sends === 1 && loadFaults === 0) {
              loadFaults += 1;
              throw new UnavailableError('injected storage fault');
            }
            return (real as Vendors).loadMany(ids);
          },
        }) as V,
    });
    await s.startLifecycle('acme-pay');
    await s.runUntil(new Date('2026-11-02T00:00:00Z'));
    const state = await s.store.load('acme-pay');
    expect(state!.notifications.filter((n) => n.type === 'manager-reminder')).toHaveLength(1);
    const [email] = Object.values(state!.emails);
    expect(email!.sentAt).toBeDefined();
    // The one window SES leaves open (no idempotency key): a crash between the send and its record sends the
    // message again on the retry. Delivered, never lost; at most once more.
    const mails = (await s.mailbox.messages()).filter((m) => m.subject.includes('lapses'));
    expect(mails).toHaveLength(2);
    expect(loadFaults).toBe(1);
    expect(s.runner.listExecutions()).toEqual([
      expect.objectContaining({ name: 'acme-pay-g1', status: 'RUNNING' }),
    ]);
  });

  it('a Plan that keeps failing is recorded and alerted, ends in LifecycleFailed, and is restarted next day; the e-mail it could not send goes out then', async () => {
    const s = await stackWith('2026-10-31');
    let broken = true;
    injectFaults({
      mailer: <M>(real: M) =>
        ({
          async send(mail: Parameters<Mailer['send']>[0]) {
            if (broken && mail.subject.includes('lapses')) throw new TypeError('template bug');
            return (real as Mailer).send(mail);
          },
        }) as M,
    });
    await s.startLifecycle('acme-pay');
    await s.runUntil(new Date('2026-11-01T12:00:00Z'));
    expect(s.runner.describeExecution(s.runner.executionArn('acme-pay-g1'))).toMatchObject({
      status: 'FAILED',
      error: 'LifecycleFailed',
    });
    let state = await s.store.load('acme-pay');
    expect(state!.lifecycle.failed).toMatchObject({ error: 'TypeError' });
    const alerts = (await s.mailbox.messages()).filter((m) => m.subject.includes('stopped on an error'));
    expect(alerts.map((m) => m.destination.to[0])).toEqual(['tprm@bank.example']);
    expect(alerts[0]!.body.text).toContain('TypeError');
    expect(alerts[0]!.body.text).not.toContain('template bug');
    // Fixed; the daily reconciler sends what was left unsent and restarts the lifecycle.
    broken = false;
    await s.runUntil(new Date('2026-11-02T13:00:00Z'));
    const result = (await s.reconcile()) as { started: { execution: string; why: string }[] };
    expect(result.started).toEqual([
      { vendorId: 'acme-pay', execution: 'acme-pay-g2', why: 'failed: TypeError' },
    ]);
    await s.runner.idle();
    state = await s.store.load('acme-pay');
    expect(state!.lifecycle.failed).toBeUndefined();
    expect(state!.notifications.filter((n) => n.type === 'manager-reminder')).toHaveLength(1);
    const reminders = (await s.mailbox.messages()).filter((m) => m.subject.includes('lapses'));
    expect(reminders).toHaveLength(1);
    expect(Object.values(state!.emails).every((e) => e.sentAt !== undefined)).toBe(true);
  });

  it('a crashed lifecycle is restarted by the reconciler, and catches up on what fell due', async () => {
    const s = await stackWith('2026-10-01');
    await s.startLifecycle('acme-pay');
    await s.runUntil(new Date('2026-10-20T00:00:00Z'));
    // The execution dies without a trace (no Catch ran): nothing wakes the vendor on 2026-11-01.
    s.runner.stopExecution(s.runner.executionArn('acme-pay-g1'));
    await s.runUntil(new Date('2026-11-03T00:00:00Z'));
    let state = await s.store.load('acme-pay');
    expect(state!.notifications).toHaveLength(0);
    const result = (await s.reconcile()) as { started: { execution: string }[] };
    expect(result.started.map((x) => x.execution)).toEqual(['acme-pay-g2']);
    await s.runner.idle();
    state = await s.store.load('acme-pay');
    expect(state!.lifecycle.execution).toBe('acme-pay-g2');
    expect(state!.notifications.map((n) => `${n.date} ${n.type}`)).toEqual(['2026-11-03 manager-reminder']);
    // A second run of the reconciler finds it alive and starts nothing.
    expect(((await s.reconcile()) as { started: unknown[] }).started).toEqual([]);
  });
});

describe('embedded stack on kept data', () => {
  it('a restart continues every running lifecycle as its next generation', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dataDir = mkdtempSync(`${tmpdir()}/bk-restart-`);
    const clock = new VirtualClock(new Date('2026-10-01T00:00:00Z'));
    stack = await startEmbeddedStack({ clock, dataDir });
    const p = portfolioOf(vendor([report('2025-12-31')]));
    await stack.store.append(
      'acme-pay',
      importEvents(p.vendors[0]!, undefined, p, { manageDocuments: true }),
      {
        actor: { kind: 'import', by: 'test' },
        expectedSeq: 0,
      },
    );
    await stack.startLifecycle('acme-pay');
    await stack.stop();
    // Restarted a month later (the clock was kept): the reminder of 2026-11-01 goes out on the first day.
    stack = await startEmbeddedStack({ clock: new VirtualClock(new Date('2026-11-05T00:00:00Z')), dataDir });
    const state = await stack.store.load('acme-pay');
    expect(state!.lifecycle.execution).toBe('acme-pay-g2');
    expect(state!.notifications.map((n) => `${n.date} ${n.type}`)).toEqual(['2026-11-05 manager-reminder']);
  });
});
