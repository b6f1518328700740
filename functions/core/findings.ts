// The findings register (spec section 8) as rules and one row per finding: when a finding is due and overdue,
// how far a risk acceptance may reach, and the view every page and export shows. Pure. The commands that change
// findings are core/commands/findings.ts; the register itself is the vendors' finding records (each vendor's
// state, and one stored item per finding that outlives the state's bounded history).
import type { FindingCode } from './assess.js';
import { addDays, addMonths, daysBetween, type CalendarDate } from './dates.js';
import { ValidationError, type Problem } from './errors.js';
import type { StoredEvent } from './events.js';
import { SEVERITIES, type FindingSeverity, type PolicySettings } from './policy.js';
import { isEmailAddress } from './portfolio.js';
import type { Tier } from './portfolio.js';
import { allOf, pageSizeOf, type Where } from './query.js';
import {
  FINDING_STATUSES,
  type FindingRecord,
  type FindingStatus,
  type VendorState,
} from './vendor-state.js';
import { actorName, FINDING_STATUS_WORDS, FINDING_WORDS } from './words.js';

/** The due date the policy gives a finding that opened on `openedOn`: plus `findingDueDays` for its severity. */
export function policyDueDate(
  openedOn: CalendarDate,
  severity: string,
  settings: PolicySettings,
): CalendarDate {
  const days =
    settings.findingDueDays[severity as FindingSeverity] ??
    Math.max(...Object.values(settings.findingDueDays));
  return addDays(openedOn, days);
}

/** The calendar day a finding opened (recorded since due dates exist; before, the UTC day of its instant). */
export function openedOnOf(record: Pick<FindingRecord, 'openedOn' | 'openedAt'>): CalendarDate {
  return record.openedOn ?? record.openedAt.slice(0, 10);
}

/** When the finding is due: the date a compliance lead set, else the policy's from the day it opened. */
export function dueDateOf(record: FindingRecord, settings: PolicySettings): CalendarDate {
  return record.dueDate ?? policyDueDate(openedOnOf(record), record.severity, settings);
}

/** Not closed, not risk-accepted, and past its due date (spec section 8). */
export function isOverdue(record: FindingRecord, today: CalendarDate, settings: PolicySettings): boolean {
  if (record.status === 'closed' || record.status === 'risk-accepted') return false;
  return today > dueDateOf(record, settings);
}

/** The latest expiry a risk acceptance given today may have. */
export function latestRiskExpiry(today: CalendarDate, settings: PolicySettings): CalendarDate {
  return addMonths(today, settings.maxRiskAcceptanceMonths);
}

/** A risk acceptance whose last day has passed: the finding is open again from the day after its expiry. */
export function acceptanceExpired(record: FindingRecord, today: CalendarDate): boolean {
  return (
    record.status === 'risk-accepted' &&
    record.riskAcceptance !== undefined &&
    today > record.riskAcceptance.expiresOn
  );
}

/**
 * The finding recorded under this id, if any. Only the record's own keys: an id from a URL such as `constructor` or
 * `__proto__` names no finding (a plain lookup would find the object's prototype members).
 */
export function findingById(
  findings: Readonly<Record<string, FindingRecord>>,
  findingId: string,
): FindingRecord | undefined {
  return Object.hasOwn(findings, findingId) ? findings[findingId] : undefined;
}

/** The finding not closed with this code, if any (at most one: the reducer refuses a second). */
export function liveFinding(
  findings: Readonly<Record<string, FindingRecord>>,
  code: string,
): FindingRecord | undefined {
  return Object.values(findings).find((f) => f.code === code && f.status !== 'closed');
}

/**
 * The id of a finding raised on `date`: `<code>-<date>`, with `-2`, `-3`... when one of that code was already
 * raised that day (closed and raised again the same day is a new finding).
 */
export function newFindingId(
  findings: Readonly<Record<string, FindingRecord>>,
  code: string,
  date: CalendarDate,
): string {
  const base = `${code}-${date}`;
  if (!findings[base]) return base;
  for (let n = 2; ; n++) if (!findings[`${base}-${n}`]) return `${base}-${n}`;
}

/** The vendor a finding belongs to, as the register shows it. */
export interface FindingVendor {
  vendorId: string;
  vendorName: string;
  tier?: Tier;
  managerEmail?: string;
}

/** One row of the register: a finding with its due date, whether it is overdue, and what it all means. */
export interface FindingView extends FindingVendor {
  findingId: string;
  code: string;
  /** The code in one line (core/words.ts). */
  explanation: string;
  severity: string;
  status: FindingStatus;
  statusWords: string;
  openedOn: CalendarDate;
  dueDate: CalendarDate;
  overdue: boolean;
  /** Days past the due date (0 when not overdue). */
  daysOverdue: number;
  owner?: string;
  note?: string;
  riskAcceptance?: { reason: string; expiresOn: CalendarDate; by: string; on: string };
  /** It was risk-accepted and opened again when the acceptance expired. */
  reopened: boolean;
  closedOn?: string;
  closedReason?: string;
  /** ISO instant of its last change. */
  changedAt: string;
}

export function findingView(
  vendor: FindingVendor,
  record: FindingRecord,
  today: CalendarDate,
  settings: PolicySettings,
): FindingView {
  const dueDate = dueDateOf(record, settings);
  const overdue = isOverdue(record, today, settings);
  const acceptance = record.riskAcceptance;
  return {
    ...vendor,
    findingId: record.findingId,
    code: record.code,
    explanation: FINDING_WORDS[record.code as FindingCode] ?? record.code,
    severity: record.severity,
    status: record.status,
    statusWords:
      record.status === 'open' && record.reopenedAt !== undefined
        ? 'Open again: its risk acceptance expired while the assessment still raises it.'
        : (FINDING_STATUS_WORDS[record.status] ?? record.status),
    openedOn: openedOnOf(record),
    dueDate,
    overdue,
    daysOverdue: overdue ? daysBetween(dueDate, today) : 0,
    ...(record.owner ? { owner: record.owner } : {}),
    ...(record.note ? { note: record.note } : {}),
    ...(acceptance
      ? {
          riskAcceptance: {
            reason: acceptance.reason,
            expiresOn: acceptance.expiresOn,
            by: actorName(acceptance.by),
            on: acceptance.at.slice(0, 10),
          },
        }
      : {}),
    reopened: record.reopenedAt !== undefined,
    ...(record.closedAt ? { closedOn: record.closedAt.slice(0, 10) } : {}),
    ...(record.status === 'closed' && record.reason ? { closedReason: record.reason } : {}),
    changedAt: record.changedAt ?? record.closedAt ?? record.openedAt,
  };
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * The register's order: findings that need someone first (not closed), the most overdue first, then by due date;
 * within a day the higher severity, then vendor and code; closed findings last, the latest closed first.
 */
export function compareRegisterRows(a: FindingView, b: FindingView): number {
  const closed = (r: FindingView) => (r.status === 'closed' ? 1 : 0);
  if (closed(a) !== closed(b)) return closed(a) - closed(b);
  if (closed(a) === 1) return (b.changedAt ?? '').localeCompare(a.changedAt ?? '');
  return (
    a.dueDate.localeCompare(b.dueDate) ||
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    a.vendorId.localeCompare(b.vendorId) ||
    a.code.localeCompare(b.code) ||
    a.findingId.localeCompare(b.findingId)
  );
}

/** What the register can be narrowed to (every field optional: none means every finding). */
export interface RegisterFilter {
  /** One state, or `active` for every state but closed. */
  state?: FindingStatus | 'active';
  severity?: string;
  vendorId?: string;
  /** The owner's e-mail (case-insensitive). */
  owner?: string;
  overdue?: boolean;
}

export function matchesRegisterFilter(row: FindingView, filter: RegisterFilter): boolean {
  if (filter.state === 'active' ? row.status === 'closed' : filter.state && row.status !== filter.state)
    return false;
  if (filter.severity && row.severity !== filter.severity) return false;
  if (filter.vendorId && row.vendorId !== filter.vendorId) return false;
  if (filter.owner && (row.owner ?? '').toLowerCase() !== filter.owner.toLowerCase()) return false;
  if (filter.overdue && !row.overdue) return false;
  return true;
}

/**
 * The register over vendors' states (the outputs and the CLI read it this way): one row per finding on record,
 * in the register's order. `settings` is one set for every vendor, or the settings of a vendor's tier. The
 * states keep every finding not closed and the latest closed ones (core/vendor-state.ts RECORD_LIMITS); the
 * stored register keeps every closed one too.
 */
export function registerRows(
  states: Iterable<VendorState>,
  today: CalendarDate,
  settings: PolicySettings | ((tier: Tier) => PolicySettings),
  filter: RegisterFilter = {},
): FindingView[] {
  const rows: FindingView[] = [];
  for (const state of states) {
    const profile = state.profile;
    if (!profile) continue;
    const s = typeof settings === 'function' ? settings(profile.tier) : settings;
    const vendor: FindingVendor = {
      vendorId: state.vendorId,
      vendorName: profile.name,
      tier: profile.tier,
      managerEmail: profile.managerEmail,
    };
    for (const record of Object.values(state.findings)) {
      const row = findingView(vendor, record, today, s);
      if (matchesRegisterFilter(row, filter)) rows.push(row);
    }
  }
  return rows.sort(compareRegisterRows);
}

// ---- the stored register's queries ----

/** The flat fields a store keeps beside each finding so that a condition can be checked without the record. */
export type RegisterField = 'status' | 'severity' | 'owner' | 'dueDate';

export function registerFields(
  record: FindingRecord,
  settings: PolicySettings,
): Record<RegisterField, string | null> {
  return {
    status: record.status,
    severity: record.severity,
    owner: record.owner?.toLowerCase() ?? null,
    dueDate: dueDateOf(record, settings),
  };
}

/** What the register page asks for. */
export interface RegisterQuery extends RegisterFilter {
  today: CalendarDate;
  pageSize: number;
  /** Where the previous page stopped (opaque, from the store). */
  cursor?: string;
}

/**
 * How a store answers a register query: one vendor's findings; the findings of one state (oldest first); or the
 * findings not closed, by due date (then "overdue" is the range before today).
 */
export interface RegisterQueryPlan {
  view: 'vendor' | 'state' | 'active';
  /** The vendor id or the state. */
  partition?: string;
  /** Inclusive upper bound on the active view's sort key (`<dueDate>#<vendorId>#<findingId>`). */
  to?: string;
  where: Where<RegisterField> | undefined;
  /** Nothing can match (overdue findings that are closed or risk-accepted). */
  empty?: true;
}

export function planRegisterQuery(q: RegisterQuery): RegisterQueryPlan {
  const checks: Where<RegisterField>[] = [];
  const state = q.state ?? 'active';
  if (q.overdue && (state === 'closed' || state === 'risk-accepted'))
    return { view: 'state', where: undefined, empty: true };
  if (q.severity) checks.push({ field: 'severity', op: '=', value: q.severity });
  if (q.owner) checks.push({ field: 'owner', op: '=', value: q.owner.toLowerCase() });
  const overdueChecks: Where<RegisterField>[] = q.overdue
    ? [
        { field: 'dueDate', op: '<', value: q.today },
        { field: 'status', op: '<>', value: 'risk-accepted' },
      ]
    : [];
  if (q.vendorId) {
    checks.push(
      state === 'active'
        ? { field: 'status', op: '<>', value: 'closed' }
        : { field: 'status', op: '=', value: state },
      ...overdueChecks,
    );
    return { view: 'vendor', partition: q.vendorId, where: allOf(checks) };
  }
  if (state !== 'active') {
    checks.push(...overdueChecks);
    return { view: 'state', partition: state, where: allOf(checks) };
  }
  if (q.overdue) {
    checks.push({ field: 'status', op: '<>', value: 'risk-accepted' });
    return { view: 'active', to: `${addDays(q.today, -1)}#\uffff`, where: allOf(checks) };
  }
  return { view: 'active', where: allOf(checks) };
}

/** The active view's sort key: by due date, then vendor and finding. */
export function registerKey(vendorId: string, findingId: string, dueDate: CalendarDate): string {
  return `${dueDate}#${vendorId}#${findingId}`;
}

/** One change in a finding's history, in words, from its audit events. */
export interface FindingChange {
  seq: number;
  at: string;
  by: string;
  what: string;
  /** The person's note, reason or the system's reason. */
  note?: string;
}

/** The finding's history from the vendor's events (every change is an event with its actor, spec section 8). */
export function findingHistory(events: readonly StoredEvent[], findingId: string): FindingChange[] {
  const out: FindingChange[] = [];
  for (const e of events) {
    if (!('findingId' in e.data) || e.data.findingId !== findingId) continue;
    const base = { seq: e.seq, at: e.at, by: actorName(e.actor) };
    switch (e.type) {
      case 'finding-opened':
        out.push({
          ...base,
          what: `opened (${e.data.severity})${e.data.dueDate ? `, due ${e.data.dueDate}` : ''}`,
        });
        break;
      case 'finding-acknowledged':
        out.push({ ...base, what: 'acknowledged', note: e.data.note });
        break;
      case 'finding-assigned':
        out.push({ ...base, what: `remediating: ${e.data.owner}, due ${e.data.dueDate}`, note: e.data.note });
        break;
      case 'finding-risk-accepted':
        out.push({ ...base, what: `risk accepted until ${e.data.expiresOn}`, note: e.data.reason });
        break;
      case 'finding-reopened':
        out.push({ ...base, what: 'open again', note: e.data.reason });
        break;
      case 'finding-closed':
        out.push({ ...base, what: 'closed', note: e.data.reason });
        break;
    }
  }
  return out;
}

/** The register page's query parameters (every problem named). */
export function registerParams(
  params: Readonly<Record<string, string | undefined>>,
): Omit<RegisterQuery, 'today'> {
  const problems: Problem[] = [];
  const value = (name: string) => {
    const v = params[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const state = value('state');
  if (state !== undefined && !(FINDING_STATUSES as readonly string[]).includes(state))
    problems.push({ path: 'state', message: `${state} is not a state (${FINDING_STATUSES.join(', ')})` });
  const severity = value('severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
    problems.push({ path: 'severity', message: `${severity} is not a severity (${SEVERITIES.join(', ')})` });
  const vendorId = value('vendor');
  if (vendorId !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(vendorId))
    problems.push({ path: 'vendor', message: `${vendorId} is not a vendor id` });
  const owner = value('owner')?.toLowerCase();
  if (owner !== undefined && !isEmailAddress(owner))
    problems.push({ path: 'owner', message: `${owner} is not an e-mail address` });
  const pageSize = pageSizeOf(value('size'), problems);
  if (problems.length) throw new ValidationError(problems);
  const cursor = value('after');
  return {
    state: (state as FindingStatus | undefined) ?? 'active',
    ...(severity ? { severity } : {}),
    ...(vendorId ? { vendorId } : {}),
    ...(owner ? { owner } : {}),
    ...(value('overdue') ? { overdue: true } : {}),
    pageSize,
    ...(cursor ? { cursor } : {}),
  };
}
