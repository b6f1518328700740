// The Plan's section 9 track: a carved-out subservice organisation without a current report is asked for
// through the vendor (functions/core/plan.ts step 5b, core/subservices.ts `organizationWanted`), and nothing of
// section 5 changes for a vendor whose basis carves nothing out.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { planDay, type PlanInput } from '../../../functions/core/plan.js';
import type { Vendor } from '../../../functions/core/portfolio.js';
import { organizationWanted, type NamedStanding } from '../../../functions/core/subservices.js';
import type { NotificationRecord, RequestRecord } from '../../../functions/core/vendor-state.js';
import {
  decidePlan,
  linkWanted,
  planEvents,
  type PlanContext,
} from '../../../functions/core/commands/lifecycle.js';
import { renderMail } from '../../../functions/core/mail/render.js';
import { given, report, request, types } from '../commands/support.js';

const vendor: Vendor = {
  id: 'v',
  name: 'V',
  tier: 'high',
  managerEmail: 'm@bank.example',
  contactEmail: 'c@v.example',
  documents: [report('2026-06-30', { subservices: [{ id: 'nimbus', method: 'carve-out' }] })],
};
const standing = (over: Partial<NamedStanding> = {}): NamedStanding => ({
  id: 'nimbus',
  name: 'Nimbus Cloud',
  status: 'missing',
  lapseDate: null,
  bridgedUntil: null,
  ...over,
});
const orgRequest = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  requestId: 'v-r1',
  cycle: 20270630,
  date: '2026-09-01',
  lapseDate: '2027-06-30',
  dueDate: '2026-10-01',
  nonce: 'a'.repeat(32),
  tokenHash: 'h',
  expiresAt: '2026-11-30T09:00:00.000Z',
  linkIssuedAt: '2026-09-01T09:00:00.000Z',
  openedAt: '2026-09-01T09:00:00.000Z',
  open: true,
  organizations: ['nimbus'],
  ...over,
});

function plan(today: string, over: Partial<PlanInput> = {}) {
  return planDay({
    vendor,
    state: { notifications: [], requests: {}, openRequestId: null, findings: {}, ...over.state },
    today,
    settings: DEFAULT_SETTINGS,
    complianceLead: 'lead@bank.example',
    ...(over.subservices ? { subservices: over.subservices } : {}),
  });
}
const kinds = (d: ReturnType<typeof plan>) => d.actions.map((a) => a.type);

describe('organizationWanted: from 30 days before its lapse, or at once when uncovered', () => {
  it('given a missing or stale organisation, then it is wanted', () => {
    expect(organizationWanted(standing(), '2026-09-01')).toBe(true);
    expect(organizationWanted(standing({ status: 'stale', lapseDate: '2026-06-30' }), '2026-09-01')).toBe(
      true,
    );
  });
  it('given a current one, then not before L - 30, and from L - 30 on (expiring)', () => {
    const s = standing({ status: 'expiring', lapseDate: '2026-09-30' });
    expect(organizationWanted({ ...s, status: 'current' }, '2026-08-30')).toBe(false);
    expect(organizationWanted(s, '2026-08-31')).toBe(true);
  });
  it('given a bridge letter that covers it more than 30 days ahead, then not; within 30 days, then again', () => {
    const s = standing({ status: 'bridged', lapseDate: '2026-06-30', bridgedUntil: '2026-12-31' });
    expect(organizationWanted(s, '2026-11-30')).toBe(false);
    expect(organizationWanted(s, '2026-12-01')).toBe(true);
  });
});

describe('planDay with carved-out organisations', () => {
  it('given none (or an index without the field), then the plan is exactly section 5’s', () => {
    const plain = plan('2026-09-01');
    expect(plan('2026-09-01', { subservices: [] })).toEqual(plain);
    expect(plain.wantedOrganizations).toEqual([]);
    expect(plain.actions).toEqual([]);
  });

  it('given a missing organisation and no open request, then a request of its own, due in 30 days', () => {
    const d = plan('2026-09-01', { subservices: [standing()] });
    expect(d.actions).toEqual([
      { type: 'subservice-request', to: 'c@v.example', dueDate: '2026-10-01', organizations: ['nimbus'] },
    ]);
    expect(d.wakeOn).toBe('2026-09-08');
    expect(d.wantedOrganizations.map((o) => o.name)).toEqual(['Nimbus Cloud']);
  });

  it('given the vendor’s own request is due the same day, then no second request: the vendor’s names it', () => {
    const d = plan('2027-05-31', { subservices: [standing()] });
    expect(kinds(d)).toEqual(['manager-reminder', 'vendor-request']);
    expect(d.wantedOrganizations.map((o) => o.id)).toEqual(['nimbus']);
  });

  it('given its request is open, then weekly follow-ups on the grid, never twice in a week', () => {
    const state = { requests: { 'v-r1': orgRequest() }, openSubserviceRequestId: 'v-r1' };
    expect(kinds(plan('2026-09-07', { subservices: [standing()], state } as never))).toEqual([]);
    const week = plan('2026-09-08', { subservices: [standing()], state } as never);
    expect(week.actions).toEqual([
      {
        type: 'subservice-follow-up',
        to: 'c@v.example',
        dueDate: '2026-10-01',
        requestId: 'v-r1',
        organizations: ['nimbus'],
      },
    ]);
    expect(week.wakeOn).toBe('2026-09-15');
    const sent: NotificationRecord = {
      type: 'subservice-follow-up',
      date: '2026-09-08',
      to: 'c@v.example',
      seq: 9,
      requestId: 'v-r1',
    };
    expect(
      kinds(
        plan('2026-09-10', {
          subservices: [standing()],
          state: { ...state, notifications: [sent] },
        } as never),
      ),
    ).toEqual([]);
  });

  it('given the organisation has a current report again, then its request closes and nothing follows', () => {
    const state = { requests: { 'v-r1': orgRequest() }, openSubserviceRequestId: 'v-r1' };
    const d = plan('2026-09-08', {
      subservices: [standing({ status: 'current', lapseDate: '2026-12-31' })],
      state,
    } as never);
    expect(d.actions).toEqual([{ type: 'close-request', requestId: 'v-r1', reason: 'subservices-covered' }]);
    // It wakes when the organisation's next report falls due (its L - 30) instead.
    expect(d.wakeOn).toBe('2026-12-01');
  });

  it('given the vendor’s own request opens, then the organisations’ own request is closed as superseded', () => {
    const state = { requests: { 'v-r1': orgRequest() }, openSubserviceRequestId: 'v-r1' };
    const d = plan('2027-05-31', { subservices: [standing()], state } as never);
    expect(d.actions).toContainEqual({ type: 'close-request', requestId: 'v-r1', reason: 'superseded' });
    expect(kinds(d)).toContain('vendor-request');
    expect(kinds(d)).not.toContain('subservice-request');
  });

  it('wakes the day an organisation comes within 30 days of its lapse, and the day after it lapses', () => {
    const current = standing({ status: 'current', lapseDate: '2026-12-31' });
    expect(plan('2026-09-01', { subservices: [current] }).wakeOn).toBe('2026-12-01');
    expect(plan('2026-12-05', { subservices: [{ ...current, status: 'expiring' }] }).actions[0]?.type).toBe(
      'subservice-request',
    );
  });
});

describe('the plan’s events and e-mails for organisations (core/commands/lifecycle.ts)', () => {
  const context = (today: string): PlanContext => ({
    today,
    now: new Date(`${today}T09:00:00Z`),
    timeZone: 'UTC',
    settings: DEFAULT_SETTINGS,
    publicBaseUrl: 'https://bk.example',
    subservices: [standing()],
  });
  const state = given({
    type: 'document-added',
    data: {
      documentId: 'd1',
      document: report('2026-06-30', { subservices: [{ id: 'nimbus', method: 'carve-out' }] }),
      source: 'import',
      status: 'accepted',
    },
  });
  const link = {
    requestId: 'acme-r1',
    nonce: 'c'.repeat(32),
    tokenHash: 'd'.repeat(64),
    expiresAt: '2026-11-30T09:00:00.000Z',
  };

  it('opens a request for the organisations, records the notice and the e-mail naming them', () => {
    const decision = decidePlan(state, context('2026-09-01'));
    expect(linkWanted(state, decision, new Date('2026-09-01T09:00:00Z'))).toBe('acme-r1');
    const events = planEvents(state, decision, context('2026-09-01'), link);
    // The findings register records the uncovered carve-out the same day (spec sections 8 and 9).
    expect(types(events)).toEqual([
      'request-opened',
      'subservice-request',
      'email-intended',
      'finding-opened',
    ]);
    expect(events[0]).toMatchObject({ data: { requestId: 'acme-r1', organizations: ['nimbus'] } });
    expect(events[3]).toMatchObject({ data: { code: 'subservice-uncovered', dueDate: expect.any(String) } });
    const mail = events[2] as Extract<(typeof events)[number], { type: 'email-intended' }>;
    expect(mail.data).toMatchObject({ kind: 'subservice-request', to: 'security@acme.example' });
    expect(mail.data.facts.organizationNames).toEqual(['Nimbus Cloud']);
    const rendered = renderMail('subservice-request', {
      ...mail.data.facts,
      uploadUrl: 'https://bk.example/u/x',
    });
    expect(rendered.text).toContain(
      'carves out a subservice organisation whose controls it does not cover: Nimbus Cloud',
    );
    expect(rendered.text).toContain('Upload them here: https://bk.example/u/x');
  });

  it('puts the request on its own track: the vendor’s own request can still open beside it', () => {
    const events = planEvents(state, decidePlan(state, context('2026-09-01')), context('2026-09-01'), link);
    const after = given(
      {
        type: 'document-added',
        data: {
          documentId: 'd1',
          document: report('2026-06-30', { subservices: [{ id: 'nimbus', method: 'carve-out' }] }),
          source: 'import',
          status: 'accepted',
        },
      },
      ...events,
      request('acme-r2'),
    );
    expect(after.openSubserviceRequestId).toBe('acme-r1');
    expect(after.openRequestId).toBe('acme-r2');
  });

  it('names the wanted organisations in the vendor’s own request e-mail', () => {
    const decision = decidePlan(state, context('2027-05-31'));
    const events = planEvents(state, decision, context('2027-05-31'), { ...link, requestId: 'acme-r1' });
    const mail = events.find(
      (e) => e.type === 'email-intended' && e.data.kind === 'vendor-request',
    ) as Extract<(typeof events)[number], { type: 'email-intended' }>;
    expect(mail.data.facts.organizationNames).toEqual(['Nimbus Cloud']);
    expect(renderMail('vendor-request', mail.data.facts).text).toContain(
      'whose own report we do not hold as current: Nimbus Cloud',
    );
  });
});
