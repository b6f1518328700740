// The outbox commands: an intent once per key, `email-sent` once per intent, and who sends what when.
import { describe, expect, it } from 'vitest';
import { intend, markSent, OUTBOX_GRACE_MS, toSend } from '../../../functions/core/commands/outbox.js';
import type { MailFacts } from '../../../functions/core/mail/templates.js';
import { given } from './support.js';

const facts: MailFacts = {
  vendorName: 'Vendor acme',
  vendorId: 'acme',
  date: '2026-11-26',
  lapseDate: '2026-12-31',
  periodEnd: '2025-12-31',
  bridgedUntil: null,
};
const mail = (key: string, kind: 'manager-reminder' | 'review-request' = 'manager-reminder') => ({
  key,
  kind,
  to: 'm@bank.example',
  date: '2026-11-26',
  facts,
});

describe('intend', () => {
  it('records an intent with its rendered subject and the facts to render it again', () => {
    const events = intend(given(), mail('k1'));
    expect(events).toEqual([
      {
        type: 'email-intended',
        data: {
          key: 'k1',
          kind: 'manager-reminder',
          to: 'm@bank.example',
          subject: 'SOC 2 coverage for Vendor acme lapses 2026-12-31',
          date: '2026-11-26',
          facts,
        },
      },
    ]);
  });
  it('records nothing for a key intended before', () => {
    const state = given(...intend(undefined, mail('k1')));
    expect(intend(state, mail('k1'))).toEqual([]);
  });
});

describe('markSent', () => {
  it('records each intended, unsent message once, and nothing for unknown or already sent keys', () => {
    const state = given(...intend(undefined, mail('k1')), ...intend(undefined, mail('k2')));
    const once = markSent(state, [
      { key: 'k1', messageId: 'm1' },
      { key: 'k1', messageId: 'm1-again' },
      { key: 'nope', messageId: 'm3' },
    ]);
    expect(once).toEqual([{ type: 'email-sent', data: { key: 'k1', messageId: 'm1' } }]);
    expect(
      markSent(given(...intend(undefined, mail('k1')), ...once), [{ key: 'k1', messageId: 'x' }]),
    ).toEqual([]);
  });
});

describe('toSend', () => {
  const state = given(
    ...intend(undefined, mail('mine')),
    ...intend(undefined, mail('theirs', 'review-request')),
  );
  // The fixtures' events are recorded at 2026-11-26T09:00:0x.
  const justNow = new Date('2026-11-26T09:00:10.000Z');
  const later = new Date(Date.parse('2026-11-26T09:00:09.000Z') + OUTBOX_GRACE_MS + 1);

  it('a writer sends what it just recorded; someone else’s waits for its grace period', () => {
    expect(toSend(state, justNow, { keys: new Set(['mine']) }).map((e) => e.key)).toEqual(['mine']);
    expect(toSend(state, justNow)).toEqual([]);
  });
  it('the lifecycle sends its own kinds whatever their age', () => {
    expect(toSend(state, justNow, { kinds: new Set(['manager-reminder']) }).map((e) => e.key)).toEqual([
      'mine',
    ]);
  });
  it('anyone sends what is still unsent after the grace period, oldest first', () => {
    expect(toSend(state, later).map((e) => e.key)).toEqual(['mine', 'theirs']);
    const sent = given(
      ...intend(undefined, mail('mine')),
      ...markSent(given(...intend(undefined, mail('mine'))), [{ key: 'mine', messageId: 'x' }]),
    );
    expect(toSend(sent, later)).toEqual([]);
  });
  it('an unsent intent makes the vendor due when its grace period ends; once sent, its schedule is back', () => {
    const scheduled = {
      type: 'next-action-scheduled' as const,
      data: { nextActionAt: '2027-01-01T09:00:00.000Z' },
    };
    const pending = given(scheduled, ...intend(undefined, mail('k1')));
    // Events are recorded a second apart in the fixtures: the intent is the third (09:00:02).
    expect(pending.nextActionAt).toBe(
      new Date(Date.parse('2026-11-26T09:00:02.000Z') + OUTBOX_GRACE_MS).toISOString(),
    );
    const sent = given(scheduled, ...intend(undefined, mail('k1')), {
      type: 'email-sent',
      data: { key: 'k1', messageId: 'm' },
    });
    expect(sent.nextActionAt).toBe('2027-01-01T09:00:00.000Z');
  });
});
