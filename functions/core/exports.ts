// The console's exports, as tables (core/csv.ts writes them as CSV, or as JSON records): the portfolio, the
// findings register and one vendor's audit trail. Pure: the rows come from what the handlers and the CLI read.
import type { VendorAssessment } from './assess.js';
import { calendarDateOf, type CalendarDate } from './dates.js';
import type { ExportTable } from './csv.js';
import type { StoredEvent, VendorProfile } from './events.js';
import { explainEvent, explainFinding, explainStatus, type EventContext } from './explain.js';
import { actorName } from './words.js';
import { dueDateOf, isOverdue, openedOnOf } from './findings.js';
import { settingsFor, type Policy } from './policy.js';
import type { CoverageForecast } from './forecast.js';
import { coveredOf, totalOf } from './forecast.js';
import { STATUSES } from './assess.js';
import { TIERS, type Tier } from './portfolio.js';
import type { FindingRecord } from './vendor-state.js';

// ---- the portfolio ----

export interface PortfolioExportRow {
  profile: Pick<VendorProfile, 'id' | 'name' | 'tier' | 'managerEmail' | 'complianceLeadEmail'>;
  assessment: VendorAssessment;
  /** The open request's due date, if the vendor has been asked. */
  requestDue: CalendarDate | null;
  pendingReviews: number;
}

export function portfolioTable(rows: readonly PortfolioExportRow[], asOf: CalendarDate): ExportTable {
  return {
    columns: [
      'vendorId',
      'name',
      'tier',
      'status',
      'meaning',
      'managerEmail',
      'complianceLeadEmail',
      'lapseDate',
      'bridgedUntil',
      'daysToLapse',
      'findings',
      'requestDue',
      'pendingReviews',
      'asOf',
    ],
    rows: rows.map((r) => [
      r.profile.id,
      r.profile.name,
      r.profile.tier,
      r.assessment.status,
      explainStatus(r.assessment.status),
      r.profile.managerEmail,
      r.profile.complianceLeadEmail ?? null,
      r.assessment.lapseDate,
      r.assessment.bridgedUntil,
      r.assessment.daysToLapse,
      r.assessment.findings.map((f) => f.code).join('; '),
      r.requestDue,
      r.pendingReviews,
      asOf,
    ]),
  };
}

// ---- the findings register ----

/** One line of the findings register, whatever records it is built from. */
export interface RegisterEntry {
  vendorId: string;
  vendorName: string;
  tier: string;
  managerEmail: string;
  findingId: string;
  code: string;
  severity: string;
  state: string;
  openedOn: CalendarDate;
  dueDate: CalendarDate;
  overdue: boolean;
  owner: string | null;
  note: string | null;
  closedOn: CalendarDate | null;
  reason: string | null;
}

/** The register line of a finding as the vendor's record keeps it (core/findings.ts: states, owner, due date). */
export function registerEntryOf(
  finding: FindingRecord & { vendorId: string },
  vendor: Pick<VendorProfile, 'name' | 'tier' | 'managerEmail'> | undefined,
  today: CalendarDate,
  timeZone: string,
  policy: Policy,
): RegisterEntry {
  // The register's own dates (core/findings.ts): the day it opened, and the due date by severity or as assigned.
  const settings = settingsFor(policy, (vendor?.tier ?? 'critical') as Tier);
  const openedOn = openedOnOf(finding);
  const dueDate = dueDateOf(finding, settings);
  return {
    vendorId: finding.vendorId,
    vendorName: vendor?.name ?? finding.vendorId,
    tier: vendor?.tier ?? '',
    managerEmail: vendor?.managerEmail ?? '',
    findingId: finding.findingId,
    code: finding.code,
    severity: finding.severity,
    state: finding.status,
    openedOn,
    dueDate,
    overdue: isOverdue(finding, today, settings),
    owner: finding.owner ?? null,
    note: finding.note ?? null,
    closedOn: finding.closedAt ? calendarDateOf(new Date(finding.closedAt), timeZone) : null,
    reason: finding.reason ?? null,
  };
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Overdue first, then by due date, the higher severity, the vendor. */
export function byRegisterOrder(a: RegisterEntry, b: RegisterEntry): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) ||
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    (a.vendorId < b.vendorId ? -1 : a.vendorId > b.vendorId ? 1 : 0) ||
    (a.findingId < b.findingId ? -1 : 1)
  );
}

export function registerTable(entries: readonly RegisterEntry[]): ExportTable {
  return {
    columns: [
      'vendorId',
      'vendorName',
      'tier',
      'managerEmail',
      'findingId',
      'code',
      'meaning',
      'severity',
      'state',
      'openedOn',
      'dueDate',
      'overdue',
      'owner',
      'note',
      'closedOn',
      'reason',
    ],
    rows: entries.map((e) => [
      e.vendorId,
      e.vendorName,
      e.tier,
      e.managerEmail,
      e.findingId,
      e.code,
      explainFinding(e.code),
      e.severity,
      e.state,
      e.openedOn,
      e.dueDate,
      e.overdue,
      e.owner,
      e.note,
      e.closedOn,
      e.reason,
    ]),
  };
}

// ---- one vendor's audit trail ----

/** What may never leave in an export or a page: the link token's hash, the workflow's task token, link nonces. */
const REDACTED: ReadonlySet<string> = new Set(['tokenHash', 'taskToken', 'nonce']);

/** An event's data as JSON with the secrets' stand-ins redacted. */
export function redactedData(data: unknown, indent?: number): string {
  return JSON.stringify(data, (k, v) => (REDACTED.has(k) ? '(redacted)' : v), indent);
}

export function auditTable(events: readonly StoredEvent[], context: EventContext = {}): ExportTable {
  return {
    columns: ['vendorId', 'seq', 'at', 'actorKind', 'actor', 'type', 'meaning', 'data', 'prevHash', 'hash'],
    rows: events.map((e) => [
      e.vendorId,
      e.seq,
      e.at,
      e.actor.kind,
      actorName(e.actor),
      e.type,
      explainEvent(e, context),
      redactedData(e.data),
      e.prevHash,
      e.hash,
    ]),
  };
}

/** The same trail as JSON records: the data as objects (redacted), with the meaning beside each event. */
export function auditRecords(events: readonly StoredEvent[], context: EventContext = {}): unknown[] {
  return events.map((e) => ({
    vendorId: e.vendorId,
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    type: e.type,
    meaning: explainEvent(e, context),
    data: JSON.parse(redactedData(e.data)) as unknown,
    prevHash: e.prevHash,
    hash: e.hash,
  }));
}

// ---- the coverage forecast ----

/** Who loses coverage within 90 days (core/forecast.ts `changes`). */
export function forecastChangesTable(forecast: CoverageForecast): ExportTable {
  return {
    columns: [
      'vendorId',
      'name',
      'tier',
      'managerEmail',
      'change',
      'lastCoveredDay',
      'date',
      'becomes',
      'inDays',
      'withinDays',
    ],
    rows: forecast.changes.map((c) => [
      c.vendorId,
      c.name,
      c.tier,
      c.managerEmail,
      c.kind,
      c.lastCoveredDay,
      c.date,
      c.becomes,
      c.inDays,
      c.window,
    ]),
  };
}

/** The chart's data: one row per month and tier (and `all`), vendors per status and how many are covered. */
export function forecastMonthsTable(forecast: CoverageForecast): ExportTable {
  const rows: (string | number)[][] = [];
  for (const point of forecast.months)
    for (const [tier, counts] of [
      ...TIERS.map((t) => [t, point.byTier[t]] as const),
      ['all', point.total] as const,
    ])
      rows.push([point.date, tier, ...STATUSES.map((s) => counts[s]), coveredOf(counts), totalOf(counts)]);
  return { columns: ['date', 'tier', ...STATUSES, 'covered', 'vendors'], rows };
}
