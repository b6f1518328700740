// No lost e-mail: for every kind of message, a crash between recording it and sending it, and between sending it
// and recording it sent, injected once into the real handlers of a simulated quarter. Recovery is what runs on
// AWS: Step Functions' Retry and Catch, the daily reconciler (the outbox's last resort), S3's retried ingest.
// Every intent ends up sent and recorded; a crash before the send delivers the message once, a crash after it
// at most twice (SES takes no idempotency key: that window is the one left, docs/people.md). Every upload link
// any e-mail of the still-open request carried works at the end.
import { afterEach, describe, expect, it } from 'vitest';
import { simulate } from '../../../cli/commands/simulate.js';
import { UnavailableError } from '../../../functions/core/errors.js';
import { injectFaults } from '../../../functions/edge/runtime.js';
import type { Mailer, OutgoingEmail } from '../../../functions/ports/mailer.js';
import type { EmbeddedStack } from '../../../local/embedded.js';
import { portfolioOf, report, scripted, vendor } from './helpers.js';

afterEach(() => injectFaults({}));

/** Each kind, by the subject its message carries. */
const KINDS = {
  'manager-reminder': /lapses/,
  'vendor-request': /^SOC 2 report needed/,
  'vendor-follow-up': /^(Reminder|Overdue by)/,
  escalation: /^Finding opened/,
  'review-request': /^Review needed/,
  'document-rejected': /could not be accepted$/,
  'document-accepted': /was accepted$/,
  'finding-closed-notice': /^Finding closed/,
} as const;
type Kind = keyof typeof KINDS;
type CrashPoint = 'before-send' | 'after-send';

/** A quarter of one vendor's life: reminder, request, follow-ups, escalation, a rejected and an accepted upload. */
const EVENTS = scripted([
  {
    date: '2027-01-05',
    vendorId: 'acme-pay',
    upload: report('2026-09-30'),
    review: 'reject',
    reason: 'Wrong vendor',
  },
  { date: '2027-01-12', vendorId: 'acme-pay', upload: report('2026-09-30') },
  { date: '2027-01-13', vendorId: 'acme-pay', review: 'accept' },
]);

interface Outcome {
  delivered: OutgoingEmail[];
  unsent: string[];
  crashed: boolean;
  deadLinks: string[];
}

async function quarter(
  fault: (mail: OutgoingEmail) => 'crash-before' | 'crash-after' | undefined,
  error: () => Error,
  options: { to?: string; events?: typeof EVENTS } = {},
): Promise<Outcome> {
  const delivered: OutgoingEmail[] = [];
  let crashed = false;
  injectFaults({
    mailer: <M>(real: M) =>
      ({
        async send(mail: OutgoingEmail) {
          const verdict = crashed ? undefined : fault(mail);
          if (verdict === 'crash-before') {
            crashed = true;
            throw error();
          }
          const out = await (real as Mailer).send(mail);
          delivered.push(mail);
          if (verdict === 'crash-after') {
            crashed = true;
            throw error();
          }
          return out;
        },
      }) as M,
  });
  const unsent: string[] = [];
  const deadLinks: string[] = [];
  await simulate({
    portfolio: portfolioOf(vendor([report('2025-12-31')])),
    from: '2026-10-31',
    to: options.to ?? '2027-01-20',
    events: options.events ?? EVENTS,
    reconcileDailyAtHour: 6,
    // The reconciler runs on the one global clock.
    independentLanes: false,
    inspect: async (stack) => {
      const events = await stack.store.events('acme-pay');
      const sent = new Set(events.flatMap((e) => (e.type === 'email-sent' ? [e.data.key] : [])));
      for (const e of events)
        if (e.type === 'email-intended' && !sent.has(e.data.key)) unsent.push(e.data.key);
      const state = await stack.store.load('acme-pay');
      if (state?.openRequestId) deadLinks.push(...(await deadLinksOf(stack, delivered)));
    },
  });
  return { delivered, unsent, crashed, deadLinks };
}

/** The upload links in the vendor's e-mails that no longer open the upload page. */
async function deadLinksOf(stack: EmbeddedStack, mails: OutgoingEmail[]): Promise<string[]> {
  const g = await import('../../../local/http/gateway.js');
  const routes = new g.RouteTable();
  const handlers = new g.HandlerModules();
  const dead: string[] = [];
  const links = new Set(
    mails.flatMap((m) => [...m.text.matchAll(/https?:\/\/\S+?\/u\/([A-Za-z0-9_-]+)/g)].map((x) => x[1]!)),
  );
  expect(links.size).toBeGreaterThan(0);
  for (const token of links) {
    const url = new URL(`/u/${token}`, 'http://127.0.0.1');
    const matched = routes.match('GET', url.pathname)!;
    const handler = await handlers.get(matched.route.entry);
    const event = g.eventOf({
      method: 'GET',
      url,
      headers: { host: '127.0.0.1' },
      body: Buffer.alloc(0),
      matched,
      now: stack.clock.now(),
    });
    const result = (await handler(event, g.lambdaContext(matched.route.entry))) as { statusCode: number };
    if (result.statusCode !== 200) dead.push(token);
  }
  return dead;
}

const of = (kind: Kind, mails: OutgoingEmail[]) => mails.filter((m) => KINDS[kind].test(m.subject));

describe('every e-mail survives a crash around its send', () => {
  it('without faults, each kind goes out exactly once per occasion (the baseline the crashes are held to)', async () => {
    const { delivered, unsent } = await quarter(
      () => undefined,
      () => new Error('unused'),
    );
    expect(unsent).toEqual([]);
    for (const kind of Object.keys(KINDS) as Kind[])
      expect(of(kind, delivered).length, kind).toBeGreaterThan(0);
    expect(of('manager-reminder', delivered)).toHaveLength(1);
    expect(of('document-accepted', delivered)).toHaveLength(1);
  });

  for (const kind of Object.keys(KINDS) as Kind[])
    for (const point of ['before-send', 'after-send'] as CrashPoint[])
      it(`${kind}: a crash ${point === 'before-send' ? 'between record and send' : 'between send and mark'}`, async () => {
        const baseline = of(
          kind,
          (
            await quarter(
              () => undefined,
              () => new Error('unused'),
            )
          ).delivered,
        ).length;
        // A crash: an error no Retry matches (the process died), so what AWS does after a dead invocation runs.
        const crash = () => Object.assign(new Error('injected crash'), { name: 'Sandbox.Timedout' });
        const outcome = await quarter(
          (mail) =>
            KINDS[kind].test(mail.subject)
              ? point === 'before-send'
                ? 'crash-before'
                : 'crash-after'
              : undefined,
          crash,
        );
        expect(outcome.crashed).toBe(true);
        expect(outcome.unsent).toEqual([]);
        const count = of(kind, outcome.delivered).length;
        if (point === 'before-send') expect(count).toBe(baseline);
        else expect([baseline, baseline + 1]).toContain(count);
      });

  for (const kind of ['review-request', 'document-rejected'] as const)
    it(`${kind}: a transient SES failure is delivered later, once`, async () => {
      const baseline = of(
        kind,
        (
          await quarter(
            () => undefined,
            () => new Error('unused'),
          )
        ).delivered,
      ).length;
      const outcome = await quarter(
        (mail) => (KINDS[kind].test(mail.subject) ? 'crash-before' : undefined),
        () => new UnavailableError('SES: ThrottlingException'),
      );
      expect(outcome.crashed).toBe(true);
      expect(outcome.unsent).toEqual([]);
      expect(of(kind, outcome.delivered)).toHaveLength(baseline);
    });

  it('every link the e-mails of a still-open request carried works, after a crash around a follow-up', async () => {
    let followUps = 0;
    const outcome = await quarter(
      (mail) =>
        KINDS['vendor-follow-up'].test(mail.subject) && ++followUps === 2 ? 'crash-before' : undefined,
      () => Object.assign(new Error('injected crash'), { name: 'Sandbox.Timedout' }),
      { to: '2027-01-31', events: [] },
    );
    expect(outcome.unsent).toEqual([]);
    expect(of('vendor-follow-up', outcome.delivered).length).toBeGreaterThanOrEqual(7);
    expect(outcome.deadLinks).toEqual([]);
  });
});
