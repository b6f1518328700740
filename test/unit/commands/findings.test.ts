// The findings register's commands (functions/core/commands/findings.ts, spec sections 7 and 8): given events,
// when the system plans a day or a person acts, then events. Every role's refusals are here.
import { describe, expect, it } from 'vitest';
import { actOnFinding, type FindingCommand } from '../../../functions/core/commands/findings.js';
import {
  decidePlan,
  planEvents,
  type NewLink,
  type PlanContext,
} from '../../../functions/core/commands/lifecycle.js';
import { NotFoundError, ValidationError } from '../../../functions/core/errors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { registerRows } from '../../../functions/core/findings.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { RoleRefusedError, type StaffMember } from '../../../functions/core/roles.js';
import { given, report, types } from './support.js';

const context = (today: string): PlanContext => ({
  today,
  now: new Date(`${today}T09:00:00Z`),
  timeZone: 'UTC',
  settings: DEFAULT_SETTINGS,
  publicBaseUrl: 'https://bk.example',
});
/** A day's plan as events (a link for the day a request is made). */
const plan = (log: NewEvent[], today: string, link?: NewLink) => {
  const state = given(...log);
  return planEvents(state, decidePlan(state, context(today)), context(today), link);
};
const started: NewEvent = { type: 'lifecycle-started', data: { execution: 'acme-g1', cycle: 1 } };
const dataInEu: NewEvent = { type: 'vendor-updated', data: { changes: { dataRegions: ['eu'] } } };
/** A current report (L = 2027-06-30) that covers the US only: scope-gap for a vendor with data in the EU. */
const usOnly: NewEvent = {
  type: 'document-added',
  data: {
    documentId: 'd1',
    document: report('2026-06-30', { regions: ['us'] }),
    source: 'import',
    status: 'accepted',
  },
};
const usAndEu: NewEvent = {
  type: 'document-added',
  data: {
    documentId: 'd2',
    document: report('2026-09-30', { regions: ['us', 'eu'] }),
    source: 'import',
    status: 'accepted',
  },
};
const scopeGap = (date = '2026-11-26', findingId = `scope-gap-${date}`): NewEvent => ({
  type: 'finding-opened',
  data: { findingId, code: 'scope-gap', severity: 'high', date, dueDate: '2027-01-25' },
});
const withdrawn = (documentId: string): NewEvent => ({
  type: 'document-withdrawn',
  data: { documentId, reason: 'row removed' },
});

const member = (email: string, ...roles: StaffMember['roles'][number][]): StaffMember => ({
  email,
  name: email,
  roles,
});
const lead = member('tara@bank.example', 'compliance-lead');
/** The fixture vendor's own manager (core roles: may acknowledge its findings, nothing more). */
const manager = member('manager@bank.example', 'vendor-manager');
const otherManager = member('omar@bank.example', 'vendor-manager');
const auditor = member('audit@bank.example', 'auditor');
const nobody = member('someone@bank.example');
/** A compliance lead who also manages the vendor: may not accept its risks (segregation of duties). */
const leadWhoManages = member('manager@bank.example', 'compliance-lead', 'vendor-manager');

const act = (
  log: NewEvent[],
  command: Partial<FindingCommand> & Pick<FindingCommand, 'action'>,
  actor: StaffMember,
  today = '2026-12-01',
) =>
  actOnFinding(
    given(...log),
    { findingId: 'scope-gap-2026-11-26', ...command },
    { actor, today, settings: DEFAULT_SETTINGS },
  );
const acknowledge = { action: 'acknowledge' as const, note: 'Asked the vendor for its EU scope.' };
const assign = {
  action: 'assign' as const,
  owner: 'Priya.Raman@bank.example',
  dueDate: '2027-01-15',
  note: 'Priya follows it up with the vendor.',
};
const acceptRisk = (expiresOn = '2027-01-31') => ({
  action: 'accept-risk' as const,
  reason: 'EU data is encrypted client-side; accepted for the contract year.',
  expiresOn,
});

describe('the system opens and closes the assessment’s findings', () => {
  it('opens a finding the first day the assessment raises it, due by its severity (high: 60 days)', () => {
    const events = plan([started, dataInEu, usOnly], '2026-11-26');
    expect(events).toEqual([
      {
        type: 'finding-opened',
        data: {
          findingId: 'scope-gap-2026-11-26',
          code: 'scope-gap',
          severity: 'high',
          date: '2026-11-26',
          dueDate: '2027-01-25',
        },
      },
    ]);
    // ... and only once: the next day it is on record.
    expect(plan([started, dataInEu, usOnly, ...events], '2026-11-27')).toEqual([]);
  });

  it('closes it the first day the assessment no longer raises it', () => {
    const log = [started, dataInEu, usOnly, scopeGap(), usAndEu];
    expect(plan(log, '2026-12-01')).toEqual([
      {
        type: 'finding-closed',
        data: { findingId: 'scope-gap-2026-11-26', reason: 'the assessment no longer raises it' },
      },
    ]);
  });

  it('raised again after it closed: a new finding with a new open date; the closed one stays closed', () => {
    const closed: NewEvent = {
      type: 'finding-closed',
      data: { findingId: 'scope-gap-2026-11-26', reason: 'the assessment no longer raises it' },
    };
    const log = [started, dataInEu, usOnly, scopeGap(), usAndEu, closed, withdrawn('d2')];
    const events = plan(log, '2027-02-01');
    expect(events).toEqual([
      {
        type: 'finding-opened',
        data: {
          findingId: 'scope-gap-2027-02-01',
          code: 'scope-gap',
          severity: 'high',
          date: '2027-02-01',
          dueDate: '2027-04-02',
        },
      },
    ]);
    const rows = registerRows([given(...log, ...events)], '2027-02-01', DEFAULT_SETTINGS);
    expect(rows.map((r) => [r.findingId, r.status])).toEqual([
      ['scope-gap-2027-02-01', 'open'],
      ['scope-gap-2026-11-26', 'closed'],
    ]);
  });

  it('closed and raised again on the same day: the new finding gets its own id', () => {
    const closed: NewEvent = {
      type: 'finding-closed',
      data: { findingId: 'scope-gap-2026-11-26', reason: 'the assessment no longer raises it' },
    };
    const events = plan(
      [started, dataInEu, usOnly, scopeGap(), usAndEu, closed, withdrawn('d2')],
      '2026-11-26',
    );
    expect(events).toMatchObject([{ type: 'finding-opened', data: { findingId: 'scope-gap-2026-11-26-2' } }]);
  });

  it('raised and closed a dozen times in one day: every finding keeps its own id (none is reused)', () => {
    // The record keeps 10 closed findings; an id chosen from the record alone must not be one it dropped today,
    // or the new finding would take the closed one's place in the register.
    const log: NewEvent[] = [started, dataInEu, usOnly];
    const ids: string[] = [];
    for (let n = 0; n < 13; n++) {
      const opened = plan(log, '2026-11-26').find((e) => e.type === 'finding-opened')!;
      const { findingId } = opened.data as { findingId: string };
      ids.push(findingId);
      log.push(opened, { type: 'finding-closed', data: { findingId, reason: 'cleared' } } as NewEvent);
    }
    expect(new Set(ids).size).toBe(13);
    expect(ids.at(-1)).toBe('scope-gap-2026-11-26-13');
    // The next day the earlier day's closed ones beyond the record's ten are dropped (today's stays besides them).
    const opened = plan(log, '2026-11-27').find((e) => e.type === 'finding-opened')!;
    const next = given(...log, opened, {
      type: 'finding-closed',
      data: { findingId: 'scope-gap-2026-11-27', reason: 'cleared' },
    } as NewEvent);
    expect(Object.keys(next.findings)).toHaveLength(11);
    expect(next.findings['scope-gap-2026-11-27']).toBeDefined();
  });

  it('leaves stale-report and no-report to the lifecycle, which opens them with its escalation', () => {
    const link = {
      requestId: 'acme-r1',
      nonce: 'c'.repeat(32),
      tokenHash: 'd'.repeat(64),
      expiresAt: '2027-02-24T09:00:00.000Z',
    };
    const events = plan([started], '2026-11-26', link).filter((e) => e.type === 'finding-opened');
    // A vendor without a report: no-report (the lifecycle's) once, not twice.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      data: { code: 'no-report', date: '2026-11-26', dueDate: '2027-01-25' },
    });
  });

  it('refuses a second finding of a code while one is not closed (one register, no duplicates)', () => {
    expect(() => given(started, scopeGap(), scopeGap('2026-11-27'))).toThrow(ValidationError);
  });
});

describe('a risk acceptance expires and the finding opens again', () => {
  const accepted: NewEvent = {
    type: 'finding-risk-accepted',
    data: { findingId: 'scope-gap-2026-11-26', reason: 'accepted', expiresOn: '2027-01-31' },
  };
  const log = [started, dataInEu, usOnly, scopeGap(), accepted];

  it('holds through its expiry, and the lifecycle wakes the day after', () => {
    expect(plan(log, '2027-01-31')).toEqual([]);
    expect(decidePlan(given(...log), context('2026-12-01')).wakeOn).toBe('2027-02-01');
  });

  it('on the day after its expiry: open again, and the compliance lead is told', () => {
    const events = plan(log, '2027-02-01');
    expect(types(events)).toEqual(['finding-reopened', 'risk-acceptance-expired', 'email-intended']);
    expect(events[0]).toEqual({
      type: 'finding-reopened',
      data: { findingId: 'scope-gap-2026-11-26', reason: 'the risk acceptance expired on 2027-01-31' },
    });
    expect(events[2]).toMatchObject({
      data: {
        key: 'acme/risk-acceptance-expired/scope-gap-2026-11-26/2027-01-31',
        kind: 'risk-acceptance-expired',
        to: 'lead@bank.example',
        subject: 'Risk acceptance expired: Vendor acme (scope-gap)',
        facts: { findingCode: 'scope-gap', expiresOn: '2027-01-31' },
      },
    });
    const row = registerRows([given(...log, ...events)], '2027-02-01', DEFAULT_SETTINGS)[0]!;
    // The same finding (not a new one), open again and past its due date.
    expect(row).toMatchObject({
      findingId: 'scope-gap-2026-11-26',
      status: 'open',
      reopened: true,
      overdue: true,
    });
    expect(plan([...log, ...events], '2027-02-02')).toEqual([]);
  });

  it('a finding no longer raised closes, accepted or not', () => {
    expect(plan([...log, usAndEu], '2026-12-15')).toMatchObject([
      { type: 'finding-closed', data: { findingId: 'scope-gap-2026-11-26' } },
    ]);
  });
});

describe('people act on a finding (spec section 7: who may do what)', () => {
  const log = [started, dataInEu, usOnly, scopeGap()];
  const needs = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(RoleRefusedError);
      return (error as RoleRefusedError).needs;
    }
    throw new Error('not refused');
  };

  it('acknowledge: the vendor’s own manager or a compliance lead, with a note', () => {
    const expected = [
      {
        type: 'finding-acknowledged',
        data: { findingId: 'scope-gap-2026-11-26', note: 'Asked the vendor for its EU scope.' },
      },
    ];
    expect(act(log, acknowledge, manager)).toEqual(expected);
    expect(act(log, acknowledge, lead)).toEqual(expected);
    expect(needs(() => act(log, acknowledge, otherManager))).toBe(
      'compliance-lead, or vendor-manager of this vendor',
    );
    expect(needs(() => act(log, acknowledge, auditor))).toBe(
      'compliance-lead, or vendor-manager of this vendor',
    );
    expect(needs(() => act(log, acknowledge, nobody))).toBe('vendor-manager, compliance-lead or auditor');
  });

  it('assign (remediating): a compliance lead sets an owner and a due date', () => {
    expect(act(log, assign, lead)).toEqual([
      {
        type: 'finding-assigned',
        data: {
          findingId: 'scope-gap-2026-11-26',
          owner: 'priya.raman@bank.example',
          dueDate: '2027-01-15',
          note: 'Priya follows it up with the vendor.',
        },
      },
    ]);
    expect(needs(() => act(log, assign, manager))).toBe('compliance-lead');
    expect(needs(() => act(log, assign, auditor))).toBe('compliance-lead');
    const remediating = given(...log, ...act(log, assign, lead)).findings['scope-gap-2026-11-26']!;
    expect(remediating).toMatchObject({
      status: 'remediating',
      owner: 'priya.raman@bank.example',
      dueDate: '2027-01-15',
    });
  });

  it('accept the risk: a compliance lead who does not manage the vendor, until at most 12 months ahead', () => {
    expect(act(log, acceptRisk(), lead)).toEqual([
      {
        type: 'finding-risk-accepted',
        data: {
          findingId: 'scope-gap-2026-11-26',
          reason: 'EU data is encrypted client-side; accepted for the contract year.',
          expiresOn: '2027-01-31',
        },
      },
    ]);
    expect(act(log, acceptRisk('2027-12-01'), lead)).toHaveLength(1);
    expect(() => act(log, acceptRisk('2027-12-02'), lead)).toThrow('at most 12 months ahead (2027-12-01)');
    expect(() => act(log, acceptRisk('2026-12-01'), lead)).toThrow('the expiry must be after today');
    expect(needs(() => act(log, acceptRisk(), leadWhoManages))).toBe(
      'compliance-lead who does not manage this vendor',
    );
    expect(needs(() => act(log, acceptRisk(), manager))).toBe('compliance-lead');
    expect(needs(() => act(log, acceptRisk(), auditor))).toBe('compliance-lead');
  });

  it('refuses by role before it looks at what was submitted', () => {
    expect(needs(() => act(log, { action: 'accept-risk', reason: '', expiresOn: 'soon' }, manager))).toBe(
      'compliance-lead',
    );
  });

  it('names every problem with what was submitted', () => {
    const problems = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).problems.map((p) => p.path);
      }
      throw new Error('accepted');
    };
    expect(problems(() => act(log, { action: 'acknowledge', note: '  ' }, lead))).toEqual(['note']);
    expect(
      problems(() => act(log, { action: 'assign', owner: 'priya', dueDate: '2027-02-30', note: '' }, lead)),
    ).toEqual(['owner', 'dueDate', 'note']);
    expect(
      problems(() => act(log, { action: 'accept-risk', reason: 'x'.repeat(2001), expiresOn: '' }, lead)),
    ).toEqual(['reason', 'expiresOn']);
    expect(problems(() => act(log, { ...assign, dueDate: '2026-11-30' }, lead))).toEqual(['dueDate']);
  });

  it('follows the register’s states: no second acknowledgement, nothing on a closed or accepted finding', () => {
    const acknowledged = [...log, ...act(log, acknowledge, lead)];
    expect(() => act(acknowledged, acknowledge, lead)).toThrow('it is already acknowledged');
    // An acknowledged finding can still be assigned or its risk accepted.
    expect(types(act(acknowledged, assign, lead))).toEqual(['finding-assigned']);
    const accepted = [...log, ...act(log, acceptRisk(), lead)];
    expect(() => act(accepted, assign, lead)).toThrow('its risk is accepted until 2027-01-31');
    expect(() => act(accepted, acceptRisk('2027-03-01'), lead)).toThrow('already accepted until 2027-01-31');
    // The same acceptance sent again by the same lead (a retry): nothing to add. Another lead's is refused.
    const byLead = act(log, acceptRisk(), lead).map((e) => ({
      ...e,
      actor: { kind: 'staff', id: lead.email },
    }));
    const acceptedByLead = [...log, ...(byLead as NewEvent[])];
    expect(act(acceptedByLead, acceptRisk(), lead)).toEqual([]);
    for (const retry of [
      () => act(acceptedByLead, acceptRisk(), member('other.lead@bank.example', 'compliance-lead')),
      () => act(acceptedByLead, acceptRisk('2027-03-01'), lead),
      () => act(acceptedByLead, { ...acceptRisk(), reason: 'another reason' }, lead),
    ])
      expect(retry).toThrow('already accepted until 2027-01-31');
    const closed = [
      ...log,
      { type: 'finding-closed', data: { findingId: 'scope-gap-2026-11-26', reason: 'x' } } as NewEvent,
    ];
    expect(() => act(closed, acknowledge, lead)).toThrow('it is closed');
    expect(() => act(log, { ...acknowledge, findingId: 'nope' }, lead)).toThrow(NotFoundError);
    // An id from the URL that is a member of every object names no finding either.
    for (const findingId of ['constructor', '__proto__', 'toString'])
      for (const command of [acknowledge, assign, acceptRisk()])
        expect(() => act(log, { ...command, findingId }, lead), findingId).toThrow(NotFoundError);
    expect(() =>
      actOnFinding(
        undefined,
        { findingId: 'x', ...acknowledge },
        { actor: lead, today: '2026-12-01', settings: DEFAULT_SETTINGS },
      ),
    ).toThrow(NotFoundError);
  });
});
