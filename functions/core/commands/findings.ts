// The findings register's commands (spec section 8), pure like every decider: what the system does on a day
// (open what the assessment raises, close what it no longer raises, re-open what an expired risk acceptance
// covered) and what a person may do (acknowledge, assign an owner and a due date, accept the risk), each checked
// against the staff roles (core/roles.ts, spec section 7) before anything is decided.
import { assessVendor, type FindingCode, type Severity, type SubserviceIndex } from '../assess.js';
import { addDays, addMonths, isCalendarDate, type CalendarDate } from '../dates.js';
import { NotFoundError, ValidationError, type Problem } from '../errors.js';
import { event as ev, type NewEvent } from '../events.js';
import {
  acceptanceExpired,
  findingById,
  latestRiskExpiry,
  liveFinding,
  newFindingId,
  policyDueDate,
} from '../findings.js';
import type { PolicySettings } from '../policy.js';
import { isEmailAddress, type Vendor } from '../portfolio.js';
import { authorize, type StaffAction, type StaffMember } from '../roles.js';
import type { FindingRecord, VendorState } from '../vendor-state.js';

/** The findings the lifecycle opens and closes itself, with its escalation (core/plan.ts, spec section 5). */
const LIFECYCLE_CODES: ReadonlySet<string> = new Set(['stale-report', 'no-report']);

// ---- the system, each day ----

/** What the register needs done today, besides the lifecycle's own stale-report and no-report. */
export type RegisterAction =
  /** The assessment raises a code that has no finding not closed: a new finding opens. */
  | { type: 'raise-finding'; code: FindingCode; severity: Severity }
  /** The assessment no longer raises it: closed by the system. */
  | { type: 'clear-finding'; findingId: string; code: string }
  /** Its risk acceptance expired while it is still raised: open again, and its compliance lead is told. */
  | {
      type: 'reopen-finding';
      findingId: string;
      code: string;
      expiresOn: CalendarDate;
      to: string | undefined;
    };

export interface RegisterPlan {
  actions: RegisterAction[];
  /** The next dates after today on which a finding may open, close or open again (for the wake-up schedule). */
  wakeDates: CalendarDate[];
}

/**
 * The register's part of a day's plan: compares what the assessment raises today with the findings on record.
 * The lifecycle's two codes are left to the lifecycle (it opens them with an escalation and closes them on a
 * cure) except for the expiry of a risk acceptance, which is the register's for every code.
 */
export function planRegister(
  state: Pick<VendorState, 'findings'>,
  vendor: Vendor,
  today: CalendarDate,
  settings: PolicySettings,
  complianceLead: string | undefined,
  /** Section 9: the standings of the organisations the vendor's reports name (for `subservice-uncovered`). */
  subservices?: SubserviceIndex,
): RegisterPlan {
  const assessment = assessVendor(vendor, today, settings, subservices);
  const raised = new Map(assessment.findings.map((f) => [f.code as string, f]));
  const actions: RegisterAction[] = [];
  const wakeDates: CalendarDate[] = [];
  for (const record of Object.values(state.findings)) {
    if (record.status === 'closed') continue;
    if (!raised.has(record.code)) {
      if (!LIFECYCLE_CODES.has(record.code))
        actions.push({ type: 'clear-finding', findingId: record.findingId, code: record.code });
      continue;
    }
    if (acceptanceExpired(record, today))
      actions.push({
        type: 'reopen-finding',
        findingId: record.findingId,
        code: record.code,
        expiresOn: record.riskAcceptance!.expiresOn,
        to: complianceLead,
      });
    else if (record.status === 'risk-accepted' && record.riskAcceptance)
      wakeDates.push(addDays(record.riskAcceptance.expiresOn, 1));
  }
  for (const finding of assessment.findings) {
    if (LIFECYCLE_CODES.has(finding.code) || liveFinding(state.findings, finding.code)) continue;
    actions.push({ type: 'raise-finding', code: finding.code, severity: finding.severity });
  }
  // The days the assessment's answer can change without a new document: the status boundaries around the lapse
  // date and the bridge letter's end (bridge-gap, stale-report), and the contract renewal's window.
  const L = assessment.lapseDate;
  if (L !== null) wakeDates.push(addDays(L, -settings.expiringWindowDays), addDays(L, 1));
  if (assessment.bridgedUntil !== null) wakeDates.push(addDays(assessment.bridgedUntil, 1));
  if (vendor.contractRenewal !== undefined)
    wakeDates.push(
      addDays(vendor.contractRenewal, -settings.renewalWindowDays),
      addDays(vendor.contractRenewal, 1),
    );
  return { actions, wakeDates: wakeDates.filter((d) => d > today) };
}

/** The outbox key of the expiry notice: one per finding and expiry. */
export function riskExpiredKey(vendorId: string, findingId: string, expiresOn: CalendarDate): string {
  return `${vendorId}/risk-acceptance-expired/${findingId}/${expiresOn}`;
}

/** The `finding-opened` event of a new finding, with its open date and the policy's due date. */
export function openFinding(
  findings: Readonly<Record<string, FindingRecord>>,
  code: string,
  severity: string,
  today: CalendarDate,
  settings: PolicySettings,
): NewEvent {
  return ev('finding-opened', {
    findingId: newFindingId(findings, code, today),
    code,
    severity,
    date: today,
    dueDate: policyDueDate(today, severity, settings),
  });
}

// ---- people ----

/** The most a note or a risk acceptance's reason may hold. */
export const MAX_FINDING_NOTE = 2000;
/** A remediation due date further out than this is a typo, not a plan. */
export const MAX_REMEDIATION_MONTHS = 60;

/** What a person asks to do, as submitted (checked by `actOnFinding` after the role rules). */
export interface FindingCommand {
  action: FindingCommandName;
  findingId: string;
  /** Acknowledge and assign: the person's note. */
  note?: string;
  /** Assign: who remediates it (an e-mail) and by when. */
  owner?: string;
  dueDate?: string;
  /** Accept the risk: why, and the last day it holds. */
  reason?: string;
  expiresOn?: string;
}

export const FINDING_COMMANDS = ['acknowledge', 'assign', 'accept-risk'] as const;
export type FindingCommandName = (typeof FINDING_COMMANDS)[number];

/** The role rule each command is checked against (core/roles.ts). */
export const FINDING_COMMAND_ACTION: Readonly<Record<FindingCommandName, StaffAction>> = {
  acknowledge: 'acknowledge-finding',
  assign: 'assign-finding',
  'accept-risk': 'accept-risk',
};

function text(value: string | undefined, path: string, what: string, problems: Problem[]): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') problems.push({ path, message: `write ${what} for the audit trail` });
  else if (trimmed.length > MAX_FINDING_NOTE)
    problems.push({ path, message: `at most ${MAX_FINDING_NOTE} characters` });
  return trimmed;
}

function date(value: string | undefined, path: string, problems: Problem[]): CalendarDate {
  const trimmed = (value ?? '').trim();
  if (!isCalendarDate(trimmed))
    problems.push({ path, message: `${JSON.stringify(trimmed)} is not a date (YYYY-MM-DD)` });
  return trimmed;
}

/** A submitted form as a command (only the action is checked here: it decides which role rule applies). */
export function findingCommandOf(
  findingId: string,
  form: Readonly<Record<string, string | undefined>>,
): FindingCommand {
  const action = form.action;
  if (!(FINDING_COMMANDS as readonly (string | undefined)[]).includes(action))
    throw new ValidationError([{ path: 'action', message: 'choose Acknowledge, Assign or Accept the risk' }]);
  const { note, owner, dueDate, reason, expiresOn } = form;
  return {
    action: action as FindingCommandName,
    findingId,
    ...(note !== undefined ? { note } : {}),
    ...(owner !== undefined ? { owner } : {}),
    ...(dueDate !== undefined ? { dueDate } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(expiresOn !== undefined ? { expiresOn } : {}),
  };
}

export interface FindingContext {
  actor: StaffMember;
  today: CalendarDate;
  settings: PolicySettings;
}

function refuse(path: string, message: string): never {
  throw new ValidationError([{ path, message }]);
}

/**
 * A person acts on a finding: refused by the role rules first (RoleRefusedError, nothing decided), then by the
 * register's states. Acknowledge an open finding with a note; assign an owner and a due date (not in the past) to
 * one not closed or risk-accepted; accept its risk with a reason until at most `maxRiskAcceptanceMonths` ahead.
 */
export function actOnFinding(
  state: VendorState | undefined,
  command: FindingCommand,
  context: FindingContext,
): NewEvent[] {
  if (!state?.profile) throw new NotFoundError('There is no such vendor.');
  authorize(context.actor, FINDING_COMMAND_ACTION[command.action], state.profile);
  const record = findingById(state.findings, command.findingId);
  if (!record) throw new NotFoundError('There is no such finding on this vendor.');
  const { today, settings } = context;
  const problems: Problem[] = [];
  const done = () => {
    if (problems.length) throw new ValidationError(problems);
  };
  if (record.status === 'closed') refuse('finding', 'it is closed: the assessment no longer raises it');
  switch (command.action) {
    case 'acknowledge': {
      const note = text(command.note, 'note', 'a note', problems);
      done();
      if (record.status !== 'open') refuse('finding', `it is already ${record.status}`);
      return [ev('finding-acknowledged', { findingId: record.findingId, note })];
    }
    case 'assign': {
      const owner = (command.owner ?? '').trim().toLowerCase();
      if (!isEmailAddress(owner))
        problems.push({ path: 'owner', message: `${JSON.stringify(owner)} is not an e-mail address` });
      const dueDate = date(command.dueDate, 'dueDate', problems);
      const note = text(command.note, 'note', 'a note', problems);
      done();
      if (record.status === 'risk-accepted')
        refuse('finding', `its risk is accepted until ${record.riskAcceptance?.expiresOn ?? '?'}`);
      if (dueDate < today) refuse('dueDate', `${dueDate} is in the past`);
      const latest = addMonths(today, MAX_REMEDIATION_MONTHS);
      if (dueDate > latest) refuse('dueDate', `at most ${MAX_REMEDIATION_MONTHS} months ahead (${latest})`);
      return [ev('finding-assigned', { findingId: record.findingId, owner, dueDate, note })];
    }
    case 'accept-risk': {
      const reason = text(command.reason, 'reason', 'the reason the risk is accepted', problems);
      const expiresOn = date(command.expiresOn, 'expiresOn', problems);
      done();
      // The same acceptance sent again (a retry after a lost answer, a double submit): already recorded, nothing
      // to add; the caller still wakes the lifecycle, which a crash after the first commit may have missed.
      const accepted = record.riskAcceptance;
      if (
        record.status === 'risk-accepted' &&
        accepted?.reason === reason &&
        accepted.expiresOn === expiresOn &&
        accepted.by.kind === 'staff' &&
        accepted.by.id === context.actor.email
      )
        return [];
      if (record.status === 'risk-accepted')
        refuse('finding', `its risk is already accepted until ${record.riskAcceptance?.expiresOn ?? '?'}`);
      if (expiresOn <= today) refuse('expiresOn', 'the expiry must be after today');
      const latest = latestRiskExpiry(today, settings);
      if (expiresOn > latest)
        refuse('expiresOn', `at most ${settings.maxRiskAcceptanceMonths} months ahead (${latest})`);
      return [ev('finding-risk-accepted', { findingId: record.findingId, reason, expiresOn })];
    }
  }
}
