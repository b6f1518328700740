// The lifecycle's commands: what the state machine's tasks decide, as pure functions of the vendor's state. The
// handlers (functions/handlers/plan.ts, wait.ts, record-failure.ts) only parse, load, call these, commit and send.
import { calendarDateOf, type CalendarDate } from '../dates.js';
import { ValidationError } from '../errors.js';
import { event as ev, type LinkData, type NewEvent } from '../events.js';
import type { MailFacts, LifecycleMailKind } from '../mail/templates.js';
import { planDay, type PlanDecision } from '../plan.js';
import type { PolicySettings } from '../policy.js';
import type { NamedStanding } from '../subservices.js';
import { linkNeedsRenewal } from '../upload-link.js';
import { portfolioVendor, type VendorState } from '../vendor-state.js';
import { openFinding, planRegister, riskExpiredKey, type RegisterAction } from './findings.js';
import { emailKey, intend, markSent, type SentEmail } from './outbox.js';

/** Execution names end in the generation: `<vendorId>-g<generation>` (adapters/sfn builds them). */
function generationOfName(execution: string | undefined): number {
  const match = execution ? /-g(\d+)$/.exec(execution) : null;
  return match ? Number(match[1]) : 0;
}

export type StartOutcome = 'started' | 'owner' | 'superseded' | 'unknown-vendor';

/**
 * An execution takes the vendor's lifecycle over unless a newer generation owns it (one execution per vendor:
 * an older one bows out).
 */
export function startLifecycle(
  state: VendorState | undefined,
  command: { execution: string; generation: number },
): { events: NewEvent[]; outcome: StartOutcome } {
  if (!state?.profile) return { events: [], outcome: 'unknown-vendor' };
  const owner = state.lifecycle.execution;
  if (owner === command.execution) return { events: [], outcome: 'owner' };
  if (owner !== undefined && generationOfName(owner) >= command.generation)
    return { events: [], outcome: 'superseded' };
  return {
    events: [ev('lifecycle-started', { execution: command.execution, cycle: command.generation })],
    outcome: 'started',
  };
}

export interface PlanContext {
  today: CalendarDate;
  now: Date;
  timeZone: string;
  settings: PolicySettings;
  /** Where staff pages live, for the console link in internal mail ('' when unknown). */
  publicBaseUrl: string;
  /** Section 9: the basis's carved-out subservice organisations and where they stand today. */
  subservices?: readonly NamedStanding[];
}

/** A new link the plan may hand a request (minted by the handler: its token is a MAC, see core/upload-link.ts). */
export interface NewLink extends LinkData {
  requestId: string;
}

/** The id the vendor's next request gets. */
export function nextRequestId(state: VendorState): string {
  return `${state.vendorId}-r${Object.keys(state.requests).length + 1}`;
}

/** The day's plan: the lifecycle's (spec section 5) and the findings register's (spec section 8). */
export interface LifecycleDecision extends PlanDecision {
  register: RegisterAction[];
}

/**
 * What the pure plan concludes today for the vendor: the lifecycle's actions, then the register's; it wakes on
 * the earlier of the lifecycle's next date and the next date a finding may open, close or open again.
 */
export function decidePlan(
  state: VendorState,
  context: Pick<PlanContext, 'today' | 'settings' | 'subservices'>,
): LifecycleDecision {
  const vendor = portfolioVendor(state)!;
  const complianceLead = state.profile!.complianceLeadEmail;
  const subservices = context.subservices ? { subservices: context.subservices } : {};
  const plan = planDay({
    vendor,
    state,
    today: context.today,
    settings: context.settings,
    complianceLead,
    ...subservices,
  });
  // The register asks the assessment with the same standings (the carved-out organisations, by id).
  const index = context.subservices && new Map(context.subservices.map((o) => [o.id, o] as const));
  const register = planRegister(state, vendor, context.today, context.settings, complianceLead, index);
  const wakeOn = [
    ...(plan.wakeOn === null ? [] : [plan.wakeOn]),
    ...register.wakeDates,
  ].reduce<CalendarDate | null>((a, b) => (a === null || b < a ? b : a), null);
  return { ...plan, wakeOn, register: register.actions };
}

/** The request that needs a new link to carry out the plan (a new request, or a follow-up's renewal), if any. */
export function linkWanted(state: VendorState, decision: PlanDecision, now: Date): string | null {
  for (const action of decision.actions) {
    if (action.type === 'vendor-request' || action.type === 'subservice-request') return nextRequestId(state);
    if (action.type === 'vendor-follow-up' || action.type === 'subservice-follow-up') {
      const request = state.requests[action.requestId];
      if (request && linkNeedsRenewal(request, now)) return request.requestId;
    }
  }
  return null;
}

/** Turns the plan's actions into events, with the outbox intents of the e-mails that go with them. */
export function planEvents(
  state: VendorState,
  decision: PlanDecision & { register?: RegisterAction[] },
  context: PlanContext,
  link: NewLink | undefined,
): NewEvent[] {
  const { today, cycle, coverage } = decision;
  // The findings as they stand after each event so far (a finding closed and raised again today gets a new id).
  const findings: VendorState['findings'] = { ...state.findings };
  const opened = (event: NewEvent) => {
    if (event.type === 'finding-opened')
      findings[event.data.findingId] = {
        findingId: event.data.findingId,
        code: event.data.code,
        severity: event.data.severity,
        status: 'open',
        openedAt: today,
      };
    return event;
  };
  const profile = state.profile!;
  const events: NewEvent[] = [];
  const emails: Pick<VendorState, 'emails'> = { emails: { ...state.emails } };
  const facts: MailFacts = {
    vendorName: profile.name,
    vendorId: state.vendorId,
    date: today,
    lapseDate: coverage.lapseDate,
    periodEnd: coverage.periodEnd,
    bridgedUntil: coverage.bridgedUntil,
    ...(context.publicBaseUrl
      ? { consoleUrl: `${context.publicBaseUrl}/vendors/${encodeURIComponent(state.vendorId)}` }
      : {}),
  };
  const mail = (kind: LifecycleMailKind, to: string, extra: Partial<MailFacts> = {}) => {
    const intent = intend(emails, {
      key: emailKey(state.vendorId, cycle, kind, today),
      kind,
      to,
      date: today,
      facts: { ...facts, ...extra },
    });
    events.push(...intent);
  };
  // What the vendor's own mail says: never the bank's console.
  const { consoleUrl: _internal, ...vendorBase } = facts;
  const vendorMail = (kind: LifecycleMailKind, to: string, extra: Partial<MailFacts>) =>
    events.push(
      ...intend(emails, {
        key: emailKey(state.vendorId, cycle, kind, today),
        kind,
        to,
        date: today,
        facts: { ...vendorBase, ...extra },
      }),
    );
  // The organisations the vendor is asked for, by name, in the vendor's request and follow-ups (spec section 9).
  const wanted = decision.wantedOrganizations.map((o) => o.name);
  const naming = (ids: readonly string[]) =>
    decision.wantedOrganizations.filter((o) => ids.includes(o.id)).map((o) => o.name);
  const needLink = (requestId: string): NewLink => {
    if (!link || link.requestId !== requestId)
      throw new ValidationError([{ path: 'link', message: `the plan needs a new link for ${requestId}` }]);
    return link;
  };
  /** Opens the next request with its new link: the vendor's own, or one for carved-out organisations alone. */
  const openRequest = (dueDate: CalendarDate, organizations?: string[]): string => {
    const { requestId, nonce, tokenHash, expiresAt } = needLink(nextRequestId(state));
    events.push(
      ev('request-opened', {
        requestId,
        cycle,
        date: today,
        lapseDate: coverage.lapseDate,
        dueDate,
        nonce,
        tokenHash,
        expiresAt,
        ...(organizations ? { organizations } : {}),
      }),
    );
    return requestId;
  };
  /** A follow-up first renews its request's link when it nears its end (the previous one works until its own). */
  const renewLinkIfDue = (requestId: string) => {
    const request = state.requests[requestId];
    if (!request || !linkNeedsRenewal(request, context.now)) return;
    const { nonce, tokenHash, expiresAt } = needLink(request.requestId);
    events.push(ev('request-link-renewed', { requestId: request.requestId, nonce, tokenHash, expiresAt }));
  };
  for (const action of decision.actions) {
    switch (action.type) {
      case 'manager-reminder':
        events.push(
          ev('manager-reminder', {
            date: today,
            to: action.to,
            cycle,
            ...(action.repeat ? { repeat: true as const } : {}),
          }),
        );
        mail('manager-reminder', action.to);
        break;
      case 'vendor-request': {
        const requestId = openRequest(action.dueDate);
        events.push(
          ev('vendor-request', {
            date: today,
            to: action.to,
            cycle,
            requestId,
            ...(action.repeat ? { repeat: true as const } : {}),
          }),
        );
        vendorMail('vendor-request', action.to, {
          dueDate: action.dueDate,
          requestId,
          ...(wanted.length ? { organizationNames: wanted } : {}),
        });
        break;
      }
      case 'subservice-request': {
        const organizations = [...action.organizations];
        const requestId = openRequest(action.dueDate, organizations);
        events.push(
          ev('subservice-request', { date: today, to: action.to, cycle, requestId, organizations }),
        );
        vendorMail('subservice-request', action.to, {
          dueDate: action.dueDate,
          requestId,
          organizationNames: naming(organizations),
        });
        break;
      }
      case 'subservice-follow-up': {
        renewLinkIfDue(action.requestId);
        const organizations = [...action.organizations];
        events.push(
          ev('subservice-follow-up', {
            date: today,
            to: action.to,
            cycle,
            requestId: action.requestId,
            organizations,
          }),
        );
        vendorMail('subservice-follow-up', action.to, {
          dueDate: action.dueDate,
          requestId: action.requestId,
          organizationNames: naming(organizations),
        });
        break;
      }
      case 'vendor-follow-up': {
        renewLinkIfDue(action.requestId);
        events.push(
          ev('vendor-follow-up', { date: today, to: action.to, cycle, requestId: action.requestId }),
        );
        vendorMail('vendor-follow-up', action.to, {
          dueDate: action.dueDate,
          requestId: action.requestId,
          ...(wanted.length ? { organizationNames: wanted } : {}),
        });
        break;
      }
      case 'close-request':
        events.push(ev('request-closed', { requestId: action.requestId, reason: action.reason }));
        break;
      case 'open-finding':
        events.push(opened(openFinding(findings, action.code, action.severity, today, context.settings)));
        break;
      case 'escalation':
        events.push(ev('escalation', { date: today, to: action.to, cycle, code: action.code }));
        mail('escalation', action.to, { findingCode: action.code });
        break;
      case 'close-finding':
        events.push(ev('finding-closed', { findingId: action.findingId, reason: action.reason }));
        break;
      case 'finding-closed-notice':
        events.push(ev('finding-closed-notice', { date: today, to: action.to, cycle, code: action.code }));
        mail('finding-closed-notice', action.to, { findingCode: action.code });
        break;
    }
  }
  for (const action of decision.register ?? []) {
    switch (action.type) {
      case 'raise-finding':
        events.push(opened(openFinding(findings, action.code, action.severity, today, context.settings)));
        break;
      case 'clear-finding':
        events.push(
          ev('finding-closed', { findingId: action.findingId, reason: 'the assessment no longer raises it' }),
        );
        break;
      case 'reopen-finding':
        events.push(
          ev('finding-reopened', {
            findingId: action.findingId,
            reason: `the risk acceptance expired on ${action.expiresOn}`,
          }),
        );
        if (action.to) {
          events.push(
            ev('risk-acceptance-expired', { date: today, to: action.to, cycle, code: action.code }),
          );
          events.push(
            ...intend(emails, {
              key: riskExpiredKey(state.vendorId, action.findingId, action.expiresOn),
              kind: 'risk-acceptance-expired',
              to: action.to,
              date: today,
              facts: { ...facts, findingCode: action.code, expiresOn: action.expiresOn },
            }),
          );
        }
        break;
    }
  }
  return events;
}

/** The wait found the vendor changed since the plan: plan again at once (workflows/lifecycle.ts VENDOR_CHANGED). */
export class VendorChanged extends Error {
  override readonly name = 'VendorChanged';
}

/**
 * The body of every sleep: the task token goes on record (so a change wakes the lifecycle at once) with the plan's
 * sent e-mails. Anything recorded since the plan means the plan is stale: VendorChanged, re-plan now.
 */
export function recordWait(
  state: VendorState | undefined,
  command: { taskToken: string; wakeAt: string | null; seenSeq: number; sent: readonly SentEmail[] },
): NewEvent[] {
  if ((state?.seq ?? 0) !== command.seenSeq)
    throw new VendorChanged(`vendor ${state?.vendorId ?? '?'} changed since seq ${command.seenSeq}`);
  return [
    ...markSent(state, command.sent),
    ev('lifecycle-waiting', {
      taskToken: command.taskToken,
      wakeAt: command.wakeAt,
      waitingFor: 'due-date-or-change',
    }),
  ];
}

/** The failure alert's outbox key: one alert per failed execution. */
export function failureEmailKey(vendorId: string, execution: string): string {
  return `${vendorId}/failure/${execution}`;
}

/** How much of an error's cause the audit trail keeps (never its data: a cause is the error message only). */
export const MAX_FAILURE_CAUSE = 1000;

/**
 * A lifecycle task failed after its retries: recorded in the audit trail, the vendor made due at once for the
 * daily reconciler (which restarts the lifecycle), and the compliance lead alerted, once per execution.
 */
export function recordFailure(
  state: VendorState | undefined,
  command: { execution: string; error: string; cause: string; now: Date; timeZone: string },
): NewEvent[] {
  if (!state?.profile) return [];
  // A superseded execution's failure is not the vendor's: its successor owns the lifecycle.
  if (state.lifecycle.execution !== undefined && state.lifecycle.execution !== command.execution) return [];
  const key = failureEmailKey(state.vendorId, command.execution);
  if (state.lifecycle.failed && state.emails[key]) return [];
  const today = calendarDateOf(command.now, command.timeZone);
  const events: NewEvent[] = [
    ev('lifecycle-failed', { error: command.error, cause: command.cause.slice(0, MAX_FAILURE_CAUSE) }),
    ev('next-action-scheduled', { nextActionAt: command.now.toISOString() }),
  ];
  const to = state.profile.complianceLeadEmail;
  if (to)
    events.push(
      ...intend(state, {
        key,
        kind: 'lifecycle-failed',
        to,
        date: today,
        facts: {
          vendorName: state.profile.name,
          vendorId: state.vendorId,
          date: today,
          lapseDate: null,
          periodEnd: null,
          bridgedUntil: null,
          errorName: command.error,
        },
      }),
    );
  return events;
}
