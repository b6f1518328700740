// The lifecycle's named scenarios (spec section 5), each over a virtual year or more, through the synthesized
// state machine, the embedded runner and the real handlers (dynalite, the SES mailbox, the SFN endpoint).
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../functions/core/upload-link.js';
import {
  brief,
  CONTACT,
  LEAD,
  MANAGER,
  portfolioOf,
  report,
  run,
  scripted,
  vendor,
  weekly,
} from './helpers.js';

describe('lifecycle scenarios', () => {
  it('quiet vendor: reminder L-60, request L-30, weekly follow-ups, finding and escalation the day after lapse', async () => {
    let mails: { to: string; subject: string; text: string }[] = [];
    let requestHashes: string[] = [];
    const lines = await (
      await import('../../../cli/commands/simulate.js')
    ).simulate({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-09-01',
      to: '2027-09-01',
      inspect: async (stack) => {
        mails = (await stack.mailbox.messages()).map((m) => ({
          to: m.destination.to[0]!,
          subject: m.subject,
          text: m.body.text ?? '',
        }));
        const state = await stack.store.load('acme-pay');
        requestHashes = Object.values(state!.requests).flatMap((r) => [
          r.tokenHash,
          ...(r.previousLink ? [r.previousLink.tokenHash] : []),
        ]);
      },
    });
    const got = brief(lines.lines);
    expect(got.slice(0, 6)).toEqual([
      '2026-11-01 manager-reminder',
      '2026-12-01 vendor-request',
      '2026-12-08 vendor-follow-up',
      '2026-12-15 vendor-follow-up',
      '2026-12-22 vendor-follow-up',
      '2026-12-29 vendor-follow-up',
    ]);
    expect(got).toContain('2027-01-01 finding-opened:stale-report');
    expect(got).toContain('2027-01-01 escalation');
    const followUps = brief(lines.lines, ['vendor-follow-up']).map((l) => l.slice(0, 10));
    expect(followUps).toEqual(weekly('2026-12-08', '2027-09-01'));
    // Recipients: manager, vendor contact, compliance lead; never a date twice for one event type.
    for (const l of lines.lines) {
      if (l.type === 'manager-reminder') expect(l.to).toBe(MANAGER);
      if (l.type.startsWith('vendor-')) expect(l.to).toBe(CONTACT);
      if (l.type === 'escalation' || l.type.startsWith('finding-')) expect(l.to).toBe(LEAD);
    }
    expect(new Set(got).size).toBe(got.length);
    // One e-mail per notification, to the right person; the vendor's link works and only its hash is stored.
    expect(mails).toHaveLength(lines.lines.filter((l) => l.type !== 'finding-opened').length);
    const request = mails.find((m) => m.to === CONTACT)!;
    expect(request.subject).toContain('Acme <Payments> & Co');
    // The request keeps one link, renewed before its 90 days end: the latest follow-up carries a live one.
    const latest = mails.filter((m) => m.to === CONTACT).at(-1)!;
    const token = /\/u\/([A-Za-z0-9_-]{43})/.exec(latest.text)![1]!;
    expect(requestHashes).toContain(hashToken(token));
    expect(request.text).not.toContain('stale-report');
  });

  it('vendor that renews early: no reminder for the old report, the next cycle runs from the new L', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-09-01',
      to: '2027-09-01',
      events: scripted([
        { date: '2026-10-15', vendorId: 'acme-pay', upload: report('2026-09-30'), review: 'accept' },
      ]),
    });
    expect(brief(lines)).toEqual([
      '2026-10-15 document-received',
      '2026-10-15 document-accepted',
      '2027-08-01 manager-reminder',
      '2027-08-31 vendor-request',
    ]);
  });

  it('bridge letter after lapse: finding closed, follow-ups paused until 30 days before it runs out, reopened after', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-09-01',
      to: '2027-06-01',
      events: scripted([
        {
          date: '2027-01-10',
          vendorId: 'acme-pay',
          upload: {
            kind: 'bridge-letter',
            coversFrom: '2026-01-01',
            coversTo: '2027-01-31',
            issued: '2027-01-08',
          },
          review: 'accept',
        },
      ]),
    });
    const got = brief(lines);
    // bridgedUntil = min(2027-01-31 + 3 months, P + 15 months) = 2027-03-31; pause while D < 2027-03-01.
    expect(got).toContain('2027-01-01 finding-opened:stale-report');
    expect(got).toContain('2027-01-10 finding-closed:stale-report');
    const followUps = brief(lines, ['vendor-follow-up']).map((l) => l.slice(0, 10));
    expect(followUps.filter((d) => d > '2027-01-10')).toEqual(weekly('2027-03-02', '2027-06-01'));
    expect(followUps.filter((d) => d <= '2027-01-10')).toEqual(weekly('2026-12-08', '2027-01-05'));
    expect(got).toContain('2027-04-01 finding-opened:stale-report');
    expect(got).toContain('2027-04-01 escalation');
  });

  it('rejected upload: the vendor is told, the request stays open and follow-ups go on', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-11-15',
      to: '2027-01-15',
      events: scripted([
        {
          date: '2026-12-10',
          vendorId: 'acme-pay',
          upload: report('2026-09-30'),
          review: 'reject',
          reason: 'unsigned',
        },
      ]),
    });
    expect(brief(lines)).toEqual([
      // The reminder's date (2026-11-01) passed before the lifecycle started: it goes out on the first day.
      '2026-11-15 manager-reminder',
      '2026-12-01 vendor-request',
      '2026-12-08 vendor-follow-up',
      '2026-12-10 document-received',
      '2026-12-10 document-rejected',
      '2026-12-15 vendor-follow-up',
      '2026-12-22 vendor-follow-up',
      '2026-12-29 vendor-follow-up',
      '2027-01-01 finding-opened:stale-report',
      '2027-01-01 escalation',
      '2027-01-05 vendor-follow-up',
      '2027-01-12 vendor-follow-up',
    ]);
  });

  it('the first-day rule: a basis accepted after its own reminder and request dates starts its cycle that day, and its request is followed up until answered', async () => {
    // Accepted on 2027-01-10: a report whose period ended 2026-01-31 (L = 2027-01-31), so its reminder
    // (2026-12-02) and request (2027-01-01) dates have passed. Spec section 5: they go out that day, and the
    // request stays open with its weekly follow-ups until it is answered.
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-12-20',
      to: '2027-02-10',
      events: scripted([
        { date: '2027-01-10', vendorId: 'acme-pay', upload: report('2026-01-31'), review: 'accept' },
      ]),
    });
    expect(brief(lines)).toEqual([
      // The lifecycle's own first day: the request of the first cycle was due 2026-12-01.
      '2026-12-20 manager-reminder',
      '2026-12-20 vendor-request',
      '2026-12-27 vendor-follow-up',
      '2027-01-01 finding-opened:stale-report',
      '2027-01-01 escalation',
      '2027-01-03 vendor-follow-up',
      // That morning's follow-up of the first request, before the upload at noon.
      '2027-01-10 vendor-follow-up',
      '2027-01-10 document-received',
      '2027-01-10 document-accepted',
      '2027-01-10 finding-closed:stale-report',
      // The new basis's first day.
      '2027-01-10 manager-reminder',
      '2027-01-10 vendor-request',
      '2027-01-17 vendor-follow-up',
      '2027-01-24 vendor-follow-up',
      '2027-01-31 vendor-follow-up',
      '2027-02-01 finding-opened:stale-report',
      '2027-02-01 escalation',
      '2027-02-07 vendor-follow-up',
    ]);
  });

  it('vendor that starts missing: request and no-report finding on the first day, no reminder', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([])),
      from: '2026-09-01',
      to: '2026-10-01',
      events: scripted([
        { date: '2026-09-20', vendorId: 'acme-pay', upload: report('2026-06-30'), review: 'accept' },
      ]),
    });
    expect(brief(lines)).toEqual([
      '2026-09-01 finding-opened:no-report',
      '2026-09-01 escalation',
      '2026-09-01 vendor-request',
      '2026-09-08 vendor-follow-up',
      '2026-09-15 vendor-follow-up',
      '2026-09-20 document-received',
      '2026-09-20 document-accepted',
      '2026-09-20 finding-closed:no-report',
    ]);
  });

  it('vendor already stale at start: finding, escalation, reminder and request on the first day', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-03-31')])),
      from: '2026-09-01',
      to: '2026-09-16',
    });
    expect(brief(lines)).toEqual([
      '2026-09-01 finding-opened:stale-report',
      '2026-09-01 escalation',
      '2026-09-01 manager-reminder',
      '2026-09-01 vendor-request',
      '2026-09-08 vendor-follow-up',
      '2026-09-15 vendor-follow-up',
    ]);
  });

  it('per-tier policy: a critical vendor is reminded expiringWindowDays (90) before L', async () => {
    const lines = await run({
      portfolio: portfolioOf(vendor([report('2025-12-31')])),
      from: '2026-09-01',
      to: '2026-12-02',
      policyJson: JSON.stringify({ defaults: {}, tiers: { critical: { expiringWindowDays: 90 } } }),
    });
    expect(brief(lines)).toEqual(['2026-10-02 manager-reminder', '2026-12-01 vendor-request']);
  });
});
