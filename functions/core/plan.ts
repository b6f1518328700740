// The Plan: given a vendor's state and today, what does the lifecycle do now, and when must it look again?
// Spec section 5 lives here and only here (the state machine just loops: Plan, sleep until `wakeOn`, Plan).
// Pure and idempotent: it reads what was already done from the vendor's state, so running it twice on one day
// (a retry, an early wake-up, a successor execution) never repeats an event.
import { coverageOf, SEVERITY_BY_TIER, type Coverage, type Severity } from './assess.js';
import { addDays, daysBetween, maxDate, type CalendarDate } from './dates.js';
import type { NotificationType } from './events.js';
import type { PolicySettings } from './policy.js';
import type { Vendor } from './portfolio.js';
import { organizationWanted, type NamedStanding } from './subservices.js';
import type { FindingRecord, NotificationRecord, RequestRecord, VendorState } from './vendor-state.js';

/** Days before L the vendor is asked (spec 5: `addDays(L, -30)`). The reminder uses `expiringWindowDays`. */
export const REQUEST_DAYS_BEFORE_LAPSE = 30;
/** Follow-ups: every this many days after the request while it is open. */
export const FOLLOW_UP_EVERY_DAYS = 7;
/** Follow-ups pause while a valid bridge letter covers the vendor until more than this many days ahead. */
export const BRIDGE_PAUSE_DAYS = 30;
/** A request to a vendor without a report (or already lapsed) asks for it within this many days. */
export const DEFAULT_DUE_DAYS = 30;

/** The findings the lifecycle itself opens and closes (the others are the assessment's, shown by the console). */
export const LIFECYCLE_FINDINGS = ['stale-report', 'no-report'] as const;
export type LifecycleFinding = (typeof LIFECYCLE_FINDINGS)[number];

export type PlanAction =
  /** `repeat`: the date already carries this event type (the previous cycle's), see NotificationData.repeat. */
  | { type: 'manager-reminder'; to: string; repeat: boolean }
  | { type: 'vendor-request'; to: string; dueDate: CalendarDate; repeat: boolean }
  | { type: 'vendor-follow-up'; to: string; dueDate: CalendarDate; requestId: string }
  | { type: 'close-request'; requestId: string; reason: 'new-basis' | 'subservices-covered' | 'superseded' }
  /** Section 9: carved-out organisations' reports asked for through the vendor, its own report not being due. */
  | { type: 'subservice-request'; to: string; dueDate: CalendarDate; organizations: string[] }
  | {
      type: 'subservice-follow-up';
      to: string;
      dueDate: CalendarDate;
      requestId: string;
      organizations: string[];
    }
  | { type: 'open-finding'; code: LifecycleFinding; severity: Severity }
  | { type: 'escalation'; to: string; code: LifecycleFinding }
  | { type: 'close-finding'; findingId: string; code: string; reason: string }
  | { type: 'finding-closed-notice'; to: string; code: string };

export interface PlanInput {
  /** The vendor as the policy sees it: profile plus accepted documents (vendor-state.ts `portfolioVendor`). */
  vendor: Vendor;
  state: Pick<VendorState, 'notifications' | 'requests' | 'openRequestId' | 'findings'> &
    Partial<Pick<VendorState, 'openSubserviceRequestId'>>;
  today: CalendarDate;
  settings: PolicySettings;
  /** The vendor's compliance lead (its own, else the portfolio's); escalations need one. */
  complianceLead: string | undefined;
  /**
   * Section 9: where the basis's carved-out subservice organisations stand today, in the basis's order (absent
   * or empty: none, and the plan is exactly section 5's).
   */
  subservices?: readonly NamedStanding[];
}

export interface PlanDecision {
  today: CalendarDate;
  /** The cycle this plan acted in (see `cycleOf`). */
  cycle: number;
  coverage: Coverage;
  /** In the order they are to be recorded. */
  actions: PlanAction[];
  /** The next date something may be due (the lifecycle sleeps until then, or until a change wakes it). */
  wakeOn: CalendarDate | null;
  /** The carved-out organisations whose reports the vendor is asked for today (its e-mails name them). */
  wantedOrganizations: NamedStanding[];
}

/**
 * A cycle is identified by its lapse date L, as the number YYYYMMDD (readable in the audit trail); 0 for a
 * vendor without a report. A newly accepted basis report moves L and so starts the next cycle.
 */
export function cycleOf(lapseDate: CalendarDate | null): number {
  return lapseDate === null ? 0 : Number(lapseDate.replaceAll('-', ''));
}

/** The finding the coverage calls for, if any. */
export function wantedFinding(coverage: Coverage): LifecycleFinding | null {
  if (coverage.status === 'stale') return 'stale-report';
  if (coverage.status === 'missing') return 'no-report';
  return null;
}

function inCycle(notes: NotificationRecord[], type: NotificationType, cycle: number): NotificationRecord[] {
  return notes.filter((n) => n.type === type && n.cycle === cycle);
}

function openLifecycleFinding(findings: Record<string, FindingRecord>): FindingRecord | undefined {
  return Object.values(findings).find(
    (f) => f.status !== 'closed' && (LIFECYCLE_FINDINGS as readonly string[]).includes(f.code),
  );
}

/** Follow-ups pause while a bridge letter still covers the vendor beyond the next 30 days. */
export function followUpsPaused(date: CalendarDate, bridgedUntil: CalendarDate | null): boolean {
  return bridgedUntil !== null && date < addDays(bridgedUntil, -BRIDGE_PAUSE_DAYS);
}

/** The first follow-up date after `after` on the weekly grid from `requestDate`, skipping paused dates. */
export function nextFollowUp(
  requestDate: CalendarDate,
  after: CalendarDate,
  bridgedUntil: CalendarDate | null,
): CalendarDate {
  const weeks = Math.floor(daysBetween(requestDate, after) / FOLLOW_UP_EVERY_DAYS) + 1;
  let next = addDays(requestDate, Math.max(1, weeks) * FOLLOW_UP_EVERY_DAYS);
  if (followUpsPaused(next, bridgedUntil)) {
    const resume = addDays(bridgedUntil!, -BRIDGE_PAUSE_DAYS);
    const skip = Math.ceil(daysBetween(next, resume) / FOLLOW_UP_EVERY_DAYS);
    next = addDays(next, skip * FOLLOW_UP_EVERY_DAYS);
  }
  return next;
}

export function planDay(input: PlanInput): PlanDecision {
  const { vendor, state, today, settings, complianceLead } = input;
  const coverage = coverageOf(vendor, today, settings);
  const L = coverage.lapseDate;
  const B = coverage.bridgedUntil;
  const cycle = cycleOf(L);
  const notes = state.notifications;
  const already = (type: NotificationType) => notes.some((n) => n.type === type && n.date === today);
  const actions: PlanAction[] = [];

  // 1. A new basis report (L moved) closes the request of the previous cycle.
  let request: RequestRecord | undefined = state.openRequestId
    ? state.requests[state.openRequestId]
    : undefined;
  if (request && coverage.status !== 'missing' && request.lapseDate !== L) {
    actions.push({ type: 'close-request', requestId: request.requestId, reason: 'new-basis' });
    request = undefined;
  }

  // 2. The coverage finding: opened (with an escalation) the first day stale or missing, closed once cured.
  const open = openLifecycleFinding(state.findings);
  const wanted = wantedFinding(coverage);
  if (open && open.code !== wanted) {
    actions.push({
      type: 'close-finding',
      findingId: open.findingId,
      code: open.code,
      reason: wanted ? `superseded by ${wanted}` : `coverage restored (${coverage.status})`,
    });
    if (complianceLead) actions.push({ type: 'finding-closed-notice', to: complianceLead, code: open.code });
  }
  if (wanted && open?.code !== wanted) {
    actions.push({ type: 'open-finding', code: wanted, severity: SEVERITY_BY_TIER[vendor.tier] });
    if (complianceLead && !already('escalation'))
      actions.push({ type: 'escalation', to: complianceLead, code: wanted });
  }

  // 3. The manager's reminder at L - 60 (or on the cycle's first day if that date has passed). The day a new
  // basis takes effect starts its cycle like a first day: its reminder goes out even if the previous cycle's
  // went out that morning (then it is on record as a repeat, and the date still shows one reminder).
  let reminderSent = inCycle(notes, 'manager-reminder', cycle).length > 0;
  const reminderOn = L === null ? null : addDays(L, -settings.expiringWindowDays);
  if (reminderOn !== null && today >= reminderOn && !reminderSent) {
    actions.push({ type: 'manager-reminder', to: vendor.managerEmail, repeat: already('manager-reminder') });
    reminderSent = true;
  }

  // 4. The vendor's request at L - 30 (at once for a vendor without a report, or one whose date has passed). The
  // cycle's request counts as made the day it is opened, also when that date already showed the previous
  // cycle's request: it stays open, with its weekly follow-ups, until it is answered.
  const cycleRequests = Object.values(state.requests)
    // A request for subservice organisations alone (section 9) is not the cycle's own.
    .filter((r) => r.cycle === cycle && r.organizations === undefined)
    .sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1));
  let requestDate: CalendarDate | null =
    cycleRequests[0]?.date ?? inCycle(notes, 'vendor-request', cycle)[0]?.date ?? null;
  const requestOn = L === null ? today : addDays(L, -REQUEST_DAYS_BEFORE_LAPSE);
  if (!request && requestDate === null && today >= requestOn) {
    const dueDate = L !== null && L > today ? L : addDays(today, DEFAULT_DUE_DAYS);
    actions.push({
      type: 'vendor-request',
      to: vendor.contactEmail,
      dueDate,
      repeat: already('vendor-request'),
    });
    requestDate = today;
  }
  const requestOpen = request !== undefined || requestDate === today;

  // 5. Weekly follow-ups while the request is open, paused while a bridge letter covers more than 30 days ahead.
  if (request && requestDate !== null && requestDate < today) {
    const from = request.date ?? requestDate;
    const weeks = Math.floor(daysBetween(from, today) / FOLLOW_UP_EVERY_DAYS);
    const gridDate = addDays(from, weeks * FOLLOW_UP_EVERY_DAYS);
    const sentSince = inCycle(notes, 'vendor-follow-up', cycle).some((n) => n.date >= gridDate);
    // On the grid date itself, or catching up later in the same week when that wake-up was missed.
    if (weeks >= 1 && !followUpsPaused(gridDate, B) && !followUpsPaused(today, B) && !sentSince)
      actions.push({
        type: 'vendor-follow-up',
        to: vendor.contactEmail,
        dueDate: request.dueDate,
        requestId: request.requestId,
      });
  }

  // 5b. Section 9: a carved-out subservice organisation without a current report is asked for through the
  // vendor. While the vendor's own request is open, that request (and its follow-ups) names the organisations;
  // otherwise a request of their own runs, with weekly follow-ups, until each has a report that covers it.
  const wantedOrganizations = (input.subservices ?? []).filter((o) => organizationWanted(o, today));
  const candidates: CalendarDate[] = [];
  let organizationRequest: RequestRecord | undefined = state.openSubserviceRequestId
    ? state.requests[state.openSubserviceRequestId]
    : undefined;
  if (organizationRequest && (wantedOrganizations.length === 0 || requestOpen)) {
    actions.push({
      type: 'close-request',
      requestId: organizationRequest.requestId,
      reason: wantedOrganizations.length === 0 ? 'subservices-covered' : 'superseded',
    });
    organizationRequest = undefined;
  }
  const organizations = wantedOrganizations.map((o) => o.id);
  if (!organizationRequest && organizations.length > 0 && !requestOpen && !already('subservice-request')) {
    actions.push({
      type: 'subservice-request',
      to: vendor.contactEmail,
      dueDate: addDays(today, DEFAULT_DUE_DAYS),
      organizations,
    });
    candidates.push(nextFollowUp(today, today, null));
  }
  if (organizationRequest) {
    const from = organizationRequest.date;
    const weeks = Math.floor(daysBetween(from, today) / FOLLOW_UP_EVERY_DAYS);
    const gridDate = addDays(from, weeks * FOLLOW_UP_EVERY_DAYS);
    const sentSince = notes.some(
      (n) =>
        n.type === 'subservice-follow-up' &&
        n.requestId === organizationRequest!.requestId &&
        n.date >= gridDate,
    );
    if (weeks >= 1 && !sentSince && !already('subservice-follow-up'))
      actions.push({
        type: 'subservice-follow-up',
        to: vendor.contactEmail,
        dueDate: organizationRequest.dueDate,
        requestId: organizationRequest.requestId,
        organizations,
      });
    candidates.push(nextFollowUp(from, today, null));
  }
  // The days a carved-out organisation may start to be wanted (30 days before its lapse or bridge's end) or
  // becomes uncovered.
  for (const o of input.subservices ?? [])
    for (const edge of [o.lapseDate, o.bridgedUntil])
      if (edge !== null)
        for (const day of [addDays(edge, -REQUEST_DAYS_BEFORE_LAPSE), addDays(edge, 1)])
          if (day > today) candidates.push(day);

  // 6. When to look again: the earliest date after today on which something may fall due.
  if (reminderOn !== null && !reminderSent && reminderOn > today) candidates.push(reminderOn);
  if (requestDate === null && requestOn > today) candidates.push(requestOn);
  if (requestOpen && requestDate !== null) candidates.push(nextFollowUp(requestDate, today, B));
  if (
    L !== null &&
    (coverage.status === 'current' || coverage.status === 'expiring' || coverage.status === 'bridged')
  )
    candidates.push(addDays(B !== null ? maxDate(L, B) : L, 1));
  // A document issued in the future becomes known on its issue date (spec 3.0).
  for (const d of vendor.documents) if (d.issued !== undefined && d.issued > today) candidates.push(d.issued);
  const wakeOn = candidates.length === 0 ? null : candidates.reduce((a, b) => (b < a ? b : a));

  return { today, cycle, coverage, actions, wakeOn, wantedOrganizations };
}
