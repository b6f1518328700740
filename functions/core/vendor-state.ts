// The vendor's current state, derived from its event log by one pure reducer. The store persists this as the
// vendor's projection (with the seq it reflects); the policy engine assesses `portfolioVendor(state)`.
import type { MailFacts, MailKind } from './mail/templates.js';
import type { CuecStatus, SubserviceOrganization, Vendor, VendorDocument } from './portfolio.js';
import type { StoredExtraction } from './intake/stored.js';
import {
  NOTIFICATION_TYPES,
  type Actor,
  type DocumentSource,
  type NotificationType,
  type StoredEvent,
  type StoredFile,
  type VendorProfile,
} from './events.js';
import { OUTBOX_GRACE_MS } from './commands/outbox.js';
import { ValidationError } from './errors.js';

export type DocumentStatus = 'accepted' | 'pending-review' | 'rejected' | 'withdrawn';

export interface DocumentRecord {
  documentId: string;
  document: VendorDocument;
  source: DocumentSource;
  status: DocumentStatus;
  file?: StoredFile;
  addedAt: string;
  addedBy: Actor;
  decidedAt?: string;
  decidedBy?: Actor;
  /** Why it was rejected or withdrawn, or the reviewer's note on acceptance. */
  reason?: string;
  /**
   * Only its kind, dates and opinion are kept on the record (an older document no rule or page needs whole):
   * the full document is in its `document-added` event, in the log.
   */
  compacted?: true;
  /** A subservice organisation's document sent through this vendor (see `document-added`). */
  organizationId?: string;
  /** On a subservice organisation's record: the vendor upload it was accepted from. */
  via?: { vendorId: string; documentId: string };
  /** What intake assist read from the file; kept while the document waits for review (the log keeps it all). */
  extraction?: StoredExtraction;
}

/** A CUEC owner asked to confirm a CUEC's status, and the answer (spec section 9). */
export interface CuecConfirmation {
  confirmationId: string;
  documentId: string;
  cuecId: string;
  owner: string;
  nonce: string;
  tokenHash: string;
  expiresAt: string;
  requestedAt: string;
  requestedBy: Actor;
  answeredAt?: string;
  status?: CuecStatus;
  note?: string;
}

export interface RequestRecord {
  requestId: string;
  cycle: number;
  /** A request for these subservice organisations' reports alone (see `request-opened`). */
  organizations?: string[];
  /** The calendar date the request counts as made. */
  date: string;
  lapseDate: string | null;
  dueDate: string;
  /** The nonce the current link's token is a MAC of (with the request id). */
  nonce: string;
  /** Hex SHA-256 of the current link's token (the token itself is never stored). */
  tokenHash: string;
  /** ISO instant: the current link is dead from then on (checked by the code, never left to a TTL). */
  expiresAt: string;
  /** ISO instant the current link was issued (bounds its 90 days). */
  linkIssuedAt: string;
  /** The link before a renewal: still works until its own end, so no e-mail's link dies early. */
  previousLink?: { tokenHash: string; expiresAt: string; issuedAt: string };
  openedAt: string;
  open: boolean;
  closedAt?: string;
  closeReason?: string;
  linkUsedAt?: string;
}

/** The states of spec section 8, in the order a finding usually moves through them. */
export const FINDING_STATUSES = ['open', 'acknowledged', 'remediating', 'risk-accepted', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface RiskAcceptance {
  reason: string;
  /** The last calendar day the acceptance holds; the day after, the finding is open again. */
  expiresOn: string;
  at: string;
  by: Actor;
}

export interface FindingRecord {
  findingId: string;
  code: string;
  severity: string;
  status: FindingStatus;
  /** ISO instant it opened. */
  openedAt: string;
  /** The institution's calendar date it opened (absent on findings recorded before due dates). */
  openedOn?: string;
  /** When it is due: the policy's date from the day it opened, or the one a compliance lead set. */
  dueDate?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: Actor;
  /** The latest person's note (acknowledgement or assignment). */
  note?: string;
  /** Who remediates it (an e-mail), set with the due date by a compliance lead. */
  owner?: string;
  assignedAt?: string;
  assignedBy?: Actor;
  /** The current or, once re-opened, the last risk acceptance. */
  riskAcceptance?: RiskAcceptance;
  reopenedAt?: string;
  closedAt?: string;
  reason?: string;
  /** ISO instant of its last change (the register's "last change" column). */
  changedAt?: string;
}

export interface EmailRecord {
  key: string;
  kind: MailKind;
  to: string;
  subject: string;
  date: string;
  facts: MailFacts;
  intendedAt: string;
  sentAt?: string;
  messageId?: string;
}

export interface LifecycleState {
  execution?: string;
  cycle?: number;
  startedAt?: string;
  /** The Step Functions task token the workflow waits on (a callback resumes it). */
  taskToken?: string;
  wakeAt?: string | null;
  waitingFor?: string;
  failed?: { error: string; cause: string; at: string };
  stoppedAt?: string;
}

export interface NotificationRecord {
  type: NotificationType;
  date: string;
  to: string;
  seq: number;
  /** Recorded for its cycle, but the date already showed this type (see NotificationData.repeat). */
  repeat?: true;
  /** The lifecycle cycle the notification belongs to (see NotificationData.cycle). */
  cycle?: number;
  /** Subservice requests: the organisations asked for. */
  organizations?: string[];
  code?: string;
  requestId?: string;
  documentId?: string;
}

export interface VendorState {
  vendorId: string;
  /** The seq of the last event applied (0: no events). */
  seq: number;
  /** The hash of that event (the head of the audit chain). */
  headHash: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Undefined until `vendor-registered`. */
  profile?: VendorProfile;
  /** Set instead of `profile` on a subservice organisation's record (`organization-registered`). */
  organization?: { name: string };
  /** CUEC confirmations by id (created with the first one: older records have none). */
  cuecConfirmations?: Record<string, CuecConfirmation>;
  /** The open request for subservice organisations' reports alone, beside `openRequestId` (spec section 9). */
  openSubserviceRequestId?: string | null;
  /** In the order they were added. */
  documents: DocumentRecord[];
  requests: Record<string, RequestRecord>;
  openRequestId: string | null;
  findings: Record<string, FindingRecord>;
  emails: Record<string, EmailRecord>;
  lifecycle: LifecycleState;
  /** ISO instant the lifecycle asked to act next (registration, a wait's wake-up, a failure), or null. */
  scheduledAt: string | null;
  /**
   * ISO instant of the vendor's next action: the scheduled one, or sooner when an e-mail intent is still unsent
   * (then due when its grace period ends, so the reconciler sends it). Drives the sparse due-vendors index.
   */
  nextActionAt: string | null;
  notifications: NotificationRecord[];
}

export function emptyState(vendorId: string): VendorState {
  return {
    vendorId,
    seq: 0,
    headHash: null,
    createdAt: null,
    updatedAt: null,
    documents: [],
    requests: {},
    openRequestId: null,
    findings: {},
    emails: {},
    lifecycle: {},
    scheduledAt: null,
    nextActionAt: null,
    notifications: [],
  };
}

/** Applies events in order to a copy of `state`. Throws ValidationError on an impossible transition. */
/**
 * The state after the events. `keepHistory`: without the record's bounds (RECORD_LIMITS), for a projection that
 * must see a finding closed and dropped in the same commit.
 */
export function applyEvents(
  state: VendorState,
  events: readonly StoredEvent[],
  options: { keepHistory?: boolean } = {},
): VendorState {
  const next = structuredClone(state);
  for (const event of events) applyInPlace(next, event, options.keepHistory !== true);
  return next;
}

export function reduceEvents(vendorId: string, events: readonly StoredEvent[]): VendorState {
  return applyEvents(emptyState(vendorId), events);
}

function refuse(event: StoredEvent, message: string): never {
  throw new ValidationError([{ path: `${event.vendorId} seq ${event.seq} (${event.type})`, message }]);
}

function documentOf(state: VendorState, event: StoredEvent, documentId: string): DocumentRecord {
  const doc = state.documents.find((d) => d.documentId === documentId);
  if (!doc) refuse(event, `no document ${documentId}`);
  return doc;
}

function findingOf(state: VendorState, event: StoredEvent, findingId: string): FindingRecord {
  const finding = state.findings[findingId];
  if (!finding) refuse(event, `no finding ${findingId}`);
  return finding;
}

/** What a subservice organisation's record may hold: a name and documents, nothing of a vendor's lifecycle. */
const ORGANIZATION_EVENTS: ReadonlySet<string> = new Set([
  'organization-renamed',
  'document-added',
  'document-withdrawn',
]);

function applyInPlace(state: VendorState, event: StoredEvent, bounded: boolean): void {
  if (event.vendorId !== state.vendorId) refuse(event, `event belongs to vendor ${event.vendorId}`);
  if (event.seq !== state.seq + 1) refuse(event, `expected seq ${state.seq + 1}`);
  const registration = event.type === 'vendor-registered' || event.type === 'organization-registered';
  if (!registration && !state.profile && !state.organization) refuse(event, 'the vendor is not registered');
  if (state.organization && !ORGANIZATION_EVENTS.has(event.type))
    refuse(event, `${state.vendorId} is a subservice organisation, not a vendor`);
  const at = event.at;
  switch (event.type) {
    case 'organization-registered':
      if (state.profile) refuse(event, `${state.vendorId} is a vendor`);
      if (state.organization) refuse(event, 'the subservice organisation is already registered');
      state.organization = { name: event.data.name };
      state.createdAt = at;
      break;
    case 'organization-renamed':
      state.organization = { name: event.data.name };
      break;
    case 'vendor-registered':
      if (state.profile) refuse(event, 'the vendor is already registered');
      state.profile = structuredClone(event.data.profile);
      state.createdAt = at;
      // Due from the moment it exists: the reconciler finds it in the due index until a lifecycle takes it over.
      state.scheduledAt ??= at;
      break;
    case 'vendor-updated': {
      const profile = { ...state.profile } as Record<string, unknown>;
      for (const [field, value] of Object.entries(event.data.changes)) {
        if (field === 'id') refuse(event, 'a vendor id never changes');
        if (value === null || value === undefined) delete profile[field];
        else profile[field] = structuredClone(value);
      }
      state.profile = profile as unknown as VendorProfile;
      break;
    }
    case 'document-added': {
      const { documentId } = event.data;
      if (state.documents.some((d) => d.documentId === documentId && d.status !== 'withdrawn'))
        refuse(event, `document ${documentId} is already on file`);
      state.documents = state.documents.filter((d) => d.documentId !== documentId);
      state.documents.push({
        documentId,
        document: structuredClone(event.data.document),
        source: event.data.source,
        status: event.data.status,
        ...(event.data.file ? { file: { ...event.data.file } } : {}),
        ...(event.data.organizationId ? { organizationId: event.data.organizationId } : {}),
        ...(event.data.via ? { via: { ...event.data.via } } : {}),
        addedAt: at,
        addedBy: event.actor,
        ...(event.data.status === 'accepted' ? { decidedAt: at, decidedBy: event.actor } : {}),
      });
      break;
    }
    case 'document-accepted':
    case 'document-rejected': {
      const doc = documentOf(state, event, event.data.documentId);
      if (doc.status !== 'pending-review') refuse(event, `document ${doc.documentId} is ${doc.status}`);
      doc.status = event.type === 'document-accepted' ? 'accepted' : 'rejected';
      doc.decidedAt = at;
      doc.decidedBy = event.actor;
      const reason = event.type === 'document-accepted' ? event.data.note : event.data.reason;
      if (reason !== undefined) doc.reason = reason;
      if (event.type === 'document-accepted' && event.data.document) {
        if (event.data.document.kind !== doc.document.kind)
          refuse(
            event,
            `the accepted document is a ${event.data.document.kind}, the upload a ${doc.document.kind}`,
          );
        doc.document = structuredClone(event.data.document);
      }
      // Shown beside a pending document only: once decided, the document itself says what was accepted.
      delete doc.extraction;
      break;
    }
    case 'document-extracted': {
      const doc = documentOf(state, event, event.data.documentId);
      if (doc.status === 'pending-review') doc.extraction = structuredClone(event.data.extraction);
      break;
    }
    case 'cuec-confirmation-requested': {
      const { confirmationId, documentId, cuecId, owner, nonce, tokenHash, expiresAt } = event.data;
      const doc = documentOf(state, event, documentId);
      if (doc.status !== 'accepted') refuse(event, `document ${documentId} is ${doc.status}`);
      const confirmations = (state.cuecConfirmations ??= {});
      if (confirmations[confirmationId]) refuse(event, `confirmation ${confirmationId} already exists`);
      confirmations[confirmationId] = {
        confirmationId,
        documentId,
        cuecId,
        owner,
        nonce,
        tokenHash,
        expiresAt,
        requestedAt: at,
        requestedBy: event.actor,
      };
      break;
    }
    case 'cuec-status-confirmed': {
      const confirmation = state.cuecConfirmations?.[event.data.confirmationId];
      if (!confirmation) refuse(event, `no confirmation ${event.data.confirmationId}`);
      if (confirmation.answeredAt) refuse(event, `confirmation ${confirmation.confirmationId} was answered`);
      confirmation.answeredAt = at;
      confirmation.status = event.data.status;
      if (event.data.note !== undefined) confirmation.note = event.data.note;
      const doc = documentOf(state, event, event.data.documentId);
      const cuec =
        doc.document.kind !== 'bridge-letter'
          ? doc.document.cuecs?.find((c) => c.id === event.data.cuecId)
          : undefined;
      if (!cuec) refuse(event, `document ${doc.documentId} has no CUEC ${event.data.cuecId}`);
      cuec.status = event.data.status;
      break;
    }
    case 'document-withdrawn': {
      const doc = documentOf(state, event, event.data.documentId);
      if (doc.status === 'withdrawn') refuse(event, `document ${doc.documentId} is already withdrawn`);
      doc.status = 'withdrawn';
      delete doc.extraction;
      doc.decidedAt = at;
      doc.decidedBy = event.actor;
      doc.reason = event.data.reason;
      break;
    }
    case 'request-opened': {
      const { requestId } = event.data;
      if (state.requests[requestId]) refuse(event, `request ${requestId} already exists`);
      // One open request per track: the vendor's own (section 5), and one for subservice organisations alone.
      const forOrganizations = event.data.organizations !== undefined;
      const open = forOrganizations ? state.openSubserviceRequestId : state.openRequestId;
      if (open) refuse(event, `request ${open} is still open`);
      state.requests[requestId] = { ...event.data, openedAt: at, linkIssuedAt: at, open: true };
      if (forOrganizations) state.openSubserviceRequestId = requestId;
      else state.openRequestId = requestId;
      break;
    }
    case 'request-link-renewed': {
      const request = state.requests[event.data.requestId];
      if (!request) refuse(event, `no request ${event.data.requestId}`);
      if (!request.open) refuse(event, `request ${request.requestId} is closed`);
      request.previousLink = {
        tokenHash: request.tokenHash,
        expiresAt: request.expiresAt,
        issuedAt: request.linkIssuedAt,
      };
      request.nonce = event.data.nonce;
      request.tokenHash = event.data.tokenHash;
      request.expiresAt = event.data.expiresAt;
      request.linkIssuedAt = at;
      break;
    }
    case 'request-closed': {
      const request = state.requests[event.data.requestId];
      if (!request) refuse(event, `no request ${event.data.requestId}`);
      if (!request.open) refuse(event, `request ${request.requestId} is already closed`);
      request.open = false;
      request.closedAt = at;
      request.closeReason = event.data.reason;
      if (state.openRequestId === request.requestId) state.openRequestId = null;
      if (state.openSubserviceRequestId === request.requestId) state.openSubserviceRequestId = null;
      break;
    }
    case 'upload-link-used': {
      const request = state.requests[event.data.requestId];
      if (!request) refuse(event, `no request ${event.data.requestId}`);
      request.linkUsedAt ??= at;
      break;
    }
    case 'finding-opened': {
      const { findingId, code, severity, date, dueDate } = event.data;
      if (state.findings[findingId]) refuse(event, `finding ${findingId} already exists`);
      // Spec section 8: at most one finding with the same vendor and code is not closed at a time.
      const live = Object.values(state.findings).find((f) => f.code === code && f.status !== 'closed');
      if (live) refuse(event, `finding ${live.findingId} (${code}) is still ${live.status}`);
      state.findings[findingId] = {
        findingId,
        code,
        severity,
        status: 'open',
        openedAt: at,
        ...(date !== undefined ? { openedOn: date } : {}),
        ...(dueDate !== undefined ? { dueDate } : {}),
        changedAt: at,
      };
      break;
    }
    case 'finding-acknowledged': {
      const finding = findingOf(state, event, event.data.findingId);
      if (finding.status !== 'open') refuse(event, `finding ${finding.findingId} is ${finding.status}`);
      finding.status = 'acknowledged';
      finding.acknowledgedAt = at;
      finding.acknowledgedBy = event.actor;
      finding.note = event.data.note;
      finding.changedAt = at;
      break;
    }
    case 'finding-assigned': {
      const finding = findingOf(state, event, event.data.findingId);
      if (finding.status === 'closed' || finding.status === 'risk-accepted')
        refuse(event, `finding ${finding.findingId} is ${finding.status}`);
      finding.status = 'remediating';
      finding.owner = event.data.owner;
      finding.dueDate = event.data.dueDate;
      finding.note = event.data.note;
      finding.assignedAt = at;
      finding.assignedBy = event.actor;
      finding.changedAt = at;
      break;
    }
    case 'finding-risk-accepted': {
      const finding = findingOf(state, event, event.data.findingId);
      if (finding.status === 'closed' || finding.status === 'risk-accepted')
        refuse(event, `finding ${finding.findingId} is ${finding.status}`);
      finding.status = 'risk-accepted';
      finding.riskAcceptance = {
        reason: event.data.reason,
        expiresOn: event.data.expiresOn,
        at,
        by: event.actor,
      };
      finding.changedAt = at;
      break;
    }
    case 'finding-reopened': {
      const finding = findingOf(state, event, event.data.findingId);
      if (finding.status !== 'risk-accepted')
        refuse(event, `finding ${finding.findingId} is ${finding.status}`);
      finding.status = 'open';
      finding.reopenedAt = at;
      finding.changedAt = at;
      break;
    }
    case 'finding-closed': {
      const finding = findingOf(state, event, event.data.findingId);
      if (finding.status === 'closed') refuse(event, `finding ${finding.findingId} is already closed`);
      finding.status = 'closed';
      finding.closedAt = at;
      finding.reason = event.data.reason;
      finding.changedAt = at;
      break;
    }
    case 'email-intended': {
      const { key } = event.data;
      if (state.emails[key]) refuse(event, `e-mail ${key} was already intended`);
      state.emails[key] = { ...event.data, intendedAt: at };
      break;
    }
    case 'email-sent': {
      const email = state.emails[event.data.key];
      if (!email) refuse(event, `no intended e-mail ${event.data.key}`);
      if (email.sentAt) refuse(event, `e-mail ${email.key} was already sent`);
      email.sentAt = at;
      email.messageId = event.data.messageId;
      break;
    }
    case 'lifecycle-started':
      state.lifecycle = { execution: event.data.execution, cycle: event.data.cycle, startedAt: at };
      break;
    case 'lifecycle-waiting': {
      const { taskToken, wakeAt, waitingFor } = event.data;
      state.lifecycle = { ...state.lifecycle, wakeAt, waitingFor };
      if (taskToken !== undefined) state.lifecycle.taskToken = taskToken;
      else delete state.lifecycle.taskToken;
      state.scheduledAt = wakeAt;
      break;
    }
    case 'lifecycle-resumed':
      delete state.lifecycle.taskToken;
      delete state.lifecycle.waitingFor;
      break;
    case 'lifecycle-failed':
      state.lifecycle = { ...state.lifecycle, failed: { ...event.data, at } };
      delete state.lifecycle.taskToken;
      break;
    case 'lifecycle-stopped':
      state.lifecycle = { ...state.lifecycle, stoppedAt: at };
      delete state.lifecycle.taskToken;
      state.scheduledAt = null;
      break;
    case 'next-action-scheduled':
      state.scheduledAt = event.data.nextActionAt;
      break;
    case 'manager-reminder':
    case 'vendor-request':
    case 'vendor-follow-up':
    case 'document-received':
    case 'review-request':
    case 'document-rejected-notice':
    case 'escalation':
    case 'finding-closed-notice':
    case 'risk-acceptance-expired':
    case 'subservice-request':
    case 'subservice-follow-up': {
      const { date, to, cycle, code, requestId, documentId, repeat } = event.data;
      state.notifications.push({
        type: event.type,
        date,
        to,
        seq: event.seq,
        ...(repeat ? { repeat } : {}),
        ...(cycle !== undefined ? { cycle } : {}),
        ...(code !== undefined ? { code } : {}),
        ...(requestId !== undefined ? { requestId } : {}),
        ...(documentId !== undefined ? { documentId } : {}),
        ...(event.data.organizations ? { organizations: [...event.data.organizations] } : {}),
      });
      break;
    }
    default: {
      const unknown: never = event;
      refuse(unknown as StoredEvent, `unknown event type ${(unknown as { type: string }).type}`);
    }
  }
  state.seq = event.seq;
  state.headHash = event.hash;
  state.updatedAt = at;
  if (bounded) compact(state, event);
  state.nextActionAt = nextAction(state);
}

/**
 * How much history the record keeps (docs/data-model.md, "Bounded records"): a vendor's state item must stay far
 * below DynamoDB's 400 KB however long it lives, and everything dropped here is still in the event log. Each bound
 * keeps what a rule reads: the plan reads this cycle's notifications and the last week's; the outbox an e-mail's
 * record until it is sent and a while after; the policy the newest documents.
 */
export const RECORD_LIMITS = Object.freeze({
  /** Notifications within this many days of the newest are kept (and the first of each type in each cycle). */
  notificationDays: 400,
  /** Sent e-mails are kept this many days after they were intended. */
  sentEmailDays: 35,
  /** Closed requests kept besides the open one. */
  closedRequests: 3,
  /** Closed findings kept besides every open one (the findings register keeps them all). */
  closedFindings: 10,
  /** Accepted documents kept whole, the newest by period (a basis, its bridge letters, a newer report); older
   * ones are compacted. */
  wholeAccepted: 4,
  /** Rejected or withdrawn documents kept whole, the latest decided. */
  wholeRefused: 2,
});

const DAY = 86_400_000;

function compact(state: VendorState, event: StoredEvent): void {
  const type = event.type;
  if (isNotificationType(type)) compactNotifications(state);
  if (type === 'email-sent' || type === 'email-intended') compactEmails(state, Date.parse(event.at));
  if (type === 'request-closed') {
    const closed = Object.values(state.requests)
      .filter((r) => !r.open)
      .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? 1 : -1));
    for (const r of closed.slice(RECORD_LIMITS.closedRequests)) delete state.requests[r.requestId];
  }
  if (type === 'finding-closed') {
    // A new finding's id is `<code>-<day it opened>[-n]`, the first not on record (core/findings.ts
    // newFindingId): the closed ones that opened on the latest day any finding opened stay, or a finding raised
    // again that day could be given the id of one dropped, and take its place in the register.
    const openedOn = (f: FindingRecord) => f.openedOn ?? f.openedAt.slice(0, 10);
    const latestDay = Object.values(state.findings).reduce(
      (day, f) => (openedOn(f) > day ? openedOn(f) : day),
      '',
    );
    const closed = Object.values(state.findings)
      .filter((f) => f.status === 'closed' && openedOn(f) !== latestDay)
      .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? 1 : -1));
    for (const f of closed.slice(RECORD_LIMITS.closedFindings)) delete state.findings[f.findingId];
  }
  if (type.startsWith('document-')) compactDocuments(state);
}

function isNotificationType(type: string): boolean {
  return (NOTIFICATION_TYPES as readonly string[]).includes(type);
}

function compactNotifications(state: VendorState): void {
  const notes = state.notifications;
  if (notes.length < 50) return;
  const newest = notes.reduce((max, n) => (n.date > max ? n.date : max), '');
  const horizon = new Date(Date.parse(newest) - RECORD_LIMITS.notificationDays * DAY)
    .toISOString()
    .slice(0, 10);
  const firstOfCycle = new Set<NotificationRecord>();
  const seen = new Set<string>();
  for (const n of notes) {
    const key = `${n.type}|${n.cycle ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    firstOfCycle.add(n);
  }
  state.notifications = notes.filter((n) => n.date >= horizon || firstOfCycle.has(n));
}

function compactEmails(state: VendorState, now: number): void {
  const horizon = now - RECORD_LIMITS.sentEmailDays * DAY;
  for (const [key, email] of Object.entries(state.emails))
    if (email.sentAt !== undefined && Date.parse(email.intendedAt) < horizon) delete state.emails[key];
}

/** The order the policy weighs documents in: the newest period first. */
function documentEnd(d: DocumentRecord): string {
  const doc = d.document;
  return doc.kind === 'bridge-letter' ? doc.coversTo : doc.periodEnd;
}

function compactDocuments(state: VendorState): void {
  const whole = (
    status: (d: DocumentRecord) => boolean,
    keep: number,
    order: (d: DocumentRecord) => string,
  ) =>
    state.documents
      .filter((d) => status(d) && !d.compacted)
      .sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0))
      .slice(keep);
  const excess = [
    ...whole((d) => d.status === 'accepted', RECORD_LIMITS.wholeAccepted, documentEnd),
    ...whole(
      (d) => d.status === 'rejected' || d.status === 'withdrawn',
      RECORD_LIMITS.wholeRefused,
      (d) => d.decidedAt ?? d.addedAt,
    ),
  ];
  for (const d of excess) {
    const doc = d.document;
    d.document =
      doc.kind === 'bridge-letter'
        ? doc
        : ({
            kind: doc.kind,
            ...(doc.periodStart ? { periodStart: doc.periodStart } : {}),
            periodEnd: doc.periodEnd,
            ...(doc.issued ? { issued: doc.issued } : {}),
            opinion: doc.opinion,
          } as VendorDocument);
    d.compacted = true;
  }
}

/** The scheduled action, or the end of an unsent e-mail's grace period when that comes first. */
function nextAction(state: VendorState): string | null {
  let next = state.scheduledAt === null ? null : Date.parse(state.scheduledAt);
  if (next !== null && Number.isNaN(next)) return state.scheduledAt;
  for (const email of Object.values(state.emails)) {
    if (email.sentAt !== undefined) continue;
    const due = Date.parse(email.intendedAt) + OUTBOX_GRACE_MS;
    if (next === null || due < next) next = due;
  }
  return next === null ? null : new Date(next).toISOString();
}

/**
 * The vendor as the policy engine sees it: its profile and its own accepted documents, in the order added (a
 * subservice organisation's document sent through the vendor is that organisation's, never the vendor's).
 */
export function portfolioVendor(state: VendorState): Vendor | undefined {
  if (!state.profile) return undefined;
  const documents = state.documents
    .filter((d) => d.status === 'accepted' && d.organizationId === undefined)
    .map((d) => d.document);
  return { ...structuredClone(state.profile), documents: structuredClone(documents) } as Vendor;
}

/** A subservice organisation's record as the policy sees it (spec section 9), or undefined for any other. */
export function subserviceOrganizationOf(state: VendorState): SubserviceOrganization | undefined {
  if (!state.organization) return undefined;
  const documents = state.documents.filter((d) => d.status === 'accepted').map((d) => d.document);
  return { id: state.vendorId, name: state.organization.name, documents: structuredClone(documents) };
}

export function openRequest(state: VendorState): RequestRecord | undefined {
  return state.openRequestId ? state.requests[state.openRequestId] : undefined;
}

/** The e-mail idempotency question: was the message with this key already handed to the mail service? */
export function emailSent(state: VendorState, key: string): boolean {
  return state.emails[key]?.sentAt !== undefined;
}

export function findingsWithStatus(state: VendorState, status: FindingStatus): FindingRecord[] {
  return Object.values(state.findings).filter((f) => f.status === status);
}

/** Whether this notification type already went out for this date (spec: never the same event twice a date). */
export function notified(
  state: Pick<VendorState, 'notifications'>,
  type: NotificationType,
  date: string,
): boolean {
  return state.notifications.some((n) => n.type === type && n.date === date);
}
