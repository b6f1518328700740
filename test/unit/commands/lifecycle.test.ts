// The lifecycle's commands (functions/core/commands/lifecycle.ts): given events, when the command, then events.
import { describe, expect, it } from 'vitest';
import {
  VendorChanged,
  decidePlan,
  linkWanted,
  nextRequestId,
  planEvents,
  recordFailure,
  recordWait,
  startLifecycle,
  type NewLink,
  type PlanContext,
} from '../../../functions/core/commands/lifecycle.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { ValidationError } from '../../../functions/core/errors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { given, report, request, types } from './support.js';

const withReport = (periodEnd = '2025-12-31'): NewEvent => ({
  type: 'document-added',
  data: { documentId: 'd1', document: report(periodEnd), source: 'import', status: 'accepted' },
});
const started = (execution = 'acme-g1'): NewEvent => ({
  type: 'lifecycle-started',
  data: { execution, cycle: 1 },
});
const context = (today: string, now = `${today}T09:00:00Z`): PlanContext => ({
  today,
  now: new Date(now),
  timeZone: 'UTC',
  settings: DEFAULT_SETTINGS,
  publicBaseUrl: 'https://bk.example',
});
const link = (requestId: string): NewLink => ({
  requestId,
  nonce: 'c'.repeat(32),
  tokenHash: 'd'.repeat(64),
  expiresAt: '2027-03-01T09:00:00.000Z',
});
const plan = (state: ReturnType<typeof given>, today: string, newLink?: NewLink) =>
  planEvents(state, decidePlan(state, context(today)), context(today), newLink);

describe('startLifecycle', () => {
  it('takes over a vendor no execution owns, or one an older generation owns', () => {
    expect(startLifecycle(given(), { execution: 'acme-g1', generation: 1 })).toEqual({
      outcome: 'started',
      events: [{ type: 'lifecycle-started', data: { execution: 'acme-g1', cycle: 1 } }],
    });
    expect(startLifecycle(given(started('acme-g1')), { execution: 'acme-g2', generation: 2 }).outcome).toBe(
      'started',
    );
  });
  it('changes nothing for its own vendor, bows out to a newer generation, and ends on an unknown vendor', () => {
    expect(startLifecycle(given(started('acme-g1')), { execution: 'acme-g1', generation: 1 })).toEqual({
      outcome: 'owner',
      events: [],
    });
    expect(startLifecycle(given(started('acme-g3')), { execution: 'acme-g2', generation: 2 })).toEqual({
      outcome: 'superseded',
      events: [],
    });
    expect(startLifecycle(undefined, { execution: 'acme-g1', generation: 1 }).outcome).toBe('unknown-vendor');
  });
});

describe('planEvents', () => {
  it('L-60: a reminder to the manager, with its outbox intent and nothing else', () => {
    const events = plan(given(withReport(), started()), '2026-11-01');
    expect(types(events)).toEqual(['manager-reminder', 'email-intended']);
    expect(events[1]).toMatchObject({
      data: {
        key: 'acme/20261231/manager-reminder/2026-11-01',
        kind: 'manager-reminder',
        to: 'manager@bank.example',
        facts: { consoleUrl: 'https://bk.example/vendors/acme', lapseDate: '2026-12-31' },
      },
    });
  });

  it('L-30: a request needs a new link; with it, the request opens and the vendor is asked', () => {
    const state = given(withReport(), started());
    const decision = decidePlan(state, context('2026-12-01'));
    expect(linkWanted(state, decision, new Date('2026-12-01T09:00:00Z'))).toBe(nextRequestId(state));
    expect(() => planEvents(state, decision, context('2026-12-01'), undefined)).toThrow(ValidationError);
    const events = planEvents(state, decision, context('2026-12-01'), link('acme-r1'));
    expect(types(events)).toEqual([
      'manager-reminder',
      'email-intended',
      'request-opened',
      'vendor-request',
      'email-intended',
    ]);
    expect(events[2]).toEqual({
      type: 'request-opened',
      data: {
        requestId: 'acme-r1',
        cycle: 20261231,
        date: '2026-12-01',
        lapseDate: '2026-12-31',
        dueDate: '2026-12-31',
        nonce: 'c'.repeat(32),
        tokenHash: 'd'.repeat(64),
        expiresAt: '2027-03-01T09:00:00.000Z',
      },
    });
    // The vendor's mail names its request (its link is minted when it is sent) and never the console.
    expect(events[4]).toMatchObject({ data: { kind: 'vendor-request', facts: { requestId: 'acme-r1' } } });
    expect((events[4] as { data: { facts: object } }).data.facts).not.toHaveProperty('consoleUrl');
  });

  it('a weekly follow-up keeps the request and its link; near the link’s end it renews it first', () => {
    const remind = {
      type: 'manager-reminder' as const,
      data: { date: '2026-11-01', to: 'm', cycle: 20261231 },
    };
    const asked = {
      type: 'vendor-request' as const,
      data: { date: '2026-12-01', to: 'c', cycle: 20261231, requestId: 'acme-r1' },
    };
    const state = given(withReport(), started(), remind, request(), asked);
    const followUp = plan(state, '2026-12-08');
    expect(types(followUp)).toEqual(['vendor-follow-up', 'email-intended']);
    expect(followUp[0]).toMatchObject({ data: { requestId: 'acme-r1' } });
    // 14 days before its link ends, the follow-up carries a renewed one.
    const late = given(
      withReport(),
      started(),
      remind,
      request('acme-r1', { expiresAt: '2027-02-20T09:00:00.000Z' }),
      asked,
    );
    const decision = decidePlan(late, context('2027-02-09'));
    expect(linkWanted(late, decision, new Date('2027-02-09T09:00:00Z'))).toBe('acme-r1');
    const renewed = types(planEvents(late, decision, context('2027-02-09'), link('acme-r1')));
    expect(renewed.slice(renewed.indexOf('request-link-renewed'))).toEqual([
      'request-link-renewed',
      'vendor-follow-up',
      'email-intended',
    ]);
  });

  it('the day after L: the stale-report finding and its escalation to the compliance lead', () => {
    const events = plan(given(withReport(), started()), '2027-01-01', link('acme-r1'));
    expect(types(events)).toContain('finding-opened');
    expect(events.find((e) => e.type === 'finding-opened')).toEqual({
      type: 'finding-opened',
      data: {
        findingId: 'stale-report-2027-01-01',
        date: '2027-01-01',
        dueDate: '2027-03-02',
        code: 'stale-report',
        severity: 'high',
      },
    });
    expect(events.find((e) => e.type === 'escalation')).toMatchObject({ data: { to: 'lead@bank.example' } });
  });

  it('a repeat of the day’s event type is on record with `repeat` (one line per date in the timeline)', () => {
    const state = given(
      started(),
      { type: 'vendor-request', data: { date: '2026-12-05', to: 'c', cycle: 0, requestId: 'acme-r1' } },
      request('acme-r1', { cycle: 0, lapseDate: null, date: '2026-12-05' }),
      withReport(),
    );
    const events = plan(state, '2026-12-05', link('acme-r2'));
    expect(events.find((e) => e.type === 'vendor-request')).toMatchObject({
      data: { repeat: true, requestId: 'acme-r2' },
    });
    expect(events.find((e) => e.type === 'request-closed')).toEqual({
      type: 'request-closed',
      data: { requestId: 'acme-r1', reason: 'new-basis' },
    });
  });
});

describe('recordWait', () => {
  it('records the sent mail and the token when the vendor is as the plan saw it', () => {
    const state = given(started());
    expect(recordWait(state, { taskToken: 't', wakeAt: null, seenSeq: state.seq, sent: [] })).toEqual([
      { type: 'lifecycle-waiting', data: { taskToken: 't', wakeAt: null, waitingFor: 'due-date-or-change' } },
    ]);
  });
  it('refuses to sleep through a change made since the plan', () => {
    const state = given(started());
    expect(() =>
      recordWait(state, { taskToken: 't', wakeAt: null, seenSeq: state.seq - 1, sent: [] }),
    ).toThrow(VendorChanged);
  });
});

describe('recordFailure', () => {
  const now = new Date('2026-11-02T10:00:00Z');
  const failure = { execution: 'acme-g1', error: 'TypeError', cause: 'x'.repeat(5000), now, timeZone: 'UTC' };
  it('records the failure, makes the vendor due now, and alerts the compliance lead once', () => {
    const events = recordFailure(given(started()), failure);
    expect(types(events)).toEqual(['lifecycle-failed', 'next-action-scheduled', 'email-intended']);
    expect((events[0] as { data: { cause: string } }).data.cause).toHaveLength(1000);
    expect(events[1]).toEqual({ type: 'next-action-scheduled', data: { nextActionAt: now.toISOString() } });
    expect(recordFailure(given(started(), ...events), failure)).toEqual([]);
  });
  it('ignores the failure of an execution that no longer owns the vendor', () => {
    expect(recordFailure(given(started('acme-g2')), failure)).toEqual([]);
    expect(recordFailure(undefined, failure)).toEqual([]);
  });
});
