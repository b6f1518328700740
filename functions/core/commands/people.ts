// The people's side commands: a vendor's upload recorded, a manager's review, a compliance lead's finding
// actions. Pure: each takes the vendor's state and the command, returns the events (with the outbox intents of
// the e-mails they call for) or throws a domain error naming what is wrong. The handlers and `simulate` both call
// these, so the same upload and review produce the same events whoever scripts them.
import { assessVendor, FINDING_CODES, type SubserviceIndex } from '../assess.js';
import type { CalendarDate } from '../dates.js';
import { ConflictError, NotFoundError, ValidationError, type Problem } from '../errors.js';
import { event as ev, type NewEvent } from '../events.js';
import { LIFECYCLE_FINDINGS } from '../plan.js';
import type { PolicySettings } from '../policy.js';
import type { VendorDocument } from '../portfolio.js';
import { reviewChecklist } from '../review.js';
import { portfolioVendor, type VendorState } from '../vendor-state.js';
import { intend } from './outbox.js';

/**
 * Documents that may wait for review at once: more is refused until the manager has reviewed (a link cannot be
 * used to fill the vendor's record, docs/data-model.md "Bounded records").
 */
export const MAX_PENDING_DOCUMENTS = 3;

/** Refuses a new upload while the vendor already has the most documents waiting for review. */
export function canStartUpload(state: VendorState): void {
  const pending = state.documents.filter((d) => d.status === 'pending-review').length;
  if (pending >= MAX_PENDING_DOCUMENTS)
    throw new ValidationError([
      {
        path: '',
        message: `${pending} documents are already waiting for review: the vendor manager reviews those first`,
      },
    ]);
}

/** The most a manager's reason or note may hold (they go into e-mails and the audit trail). */
export const MAX_REVIEW_TEXT = 2000;

/** The vendor opened the upload form of a request (recorded once per request: the link was used). */
export function useLink(state: VendorState | undefined, requestId: string): NewEvent[] {
  const request = state?.requests[requestId];
  if (!request || request.linkUsedAt) return [];
  return [ev('upload-link-used', { requestId })];
}

/** A document's id follows from its bytes: the same file can only ever be one document of a vendor. */
export function documentIdFor(sha256: string): string {
  return `up-${sha256.slice(0, 24)}`;
}

export type UploadOutcome =
  /** Added for review. */
  | { outcome: 'received'; documentId: string }
  /** The same file is on file already (its earlier fate, for the vendor's page). */
  | { outcome: 'duplicate'; documentId: string; earlier: { status: string; reason?: string } }
  /** The same upload delivered twice: the other delivery added it. */
  | { outcome: 'redelivered'; documentId: string }
  /** The request closed before the file arrived. */
  | { outcome: 'closed' }
  /** The vendor already has the most documents waiting for review (MAX_PENDING_DOCUMENTS). */
  | { outcome: 'full' };

/** The review request's outbox key: one per uploaded document. */
export function reviewRequestKey(vendorId: string, documentId: string): string {
  return `${vendorId}/review-request/${documentId}`;
}

/** The decision notice's outbox key: one per decided document. */
export function decisionNoticeKey(
  vendorId: string,
  documentId: string,
  decision: 'accept' | 'reject',
): string {
  return `${vendorId}/${decision === 'accept' ? 'document-accepted' : 'document-rejected'}/${documentId}`;
}

export interface RecordUpload {
  /** The request whose link was used; absent when staff record a document received another way. */
  requestId?: string;
  document: VendorDocument;
  file: { key: string; sha256: string; size: number; versionId?: string };
  date: CalendarDate;
  publicBaseUrl: string;
}

/**
 * A checked file arrived for an open request (spec section 5): the document is added for review, with
 * `document-received` and a review request to the vendor manager.
 */
export function recordUpload(
  state: VendorState | undefined,
  command: RecordUpload,
): { events: NewEvent[]; result: UploadOutcome } {
  const { file, date } = command;
  const documentId = documentIdFor(file.sha256);
  if (!state?.profile) return { events: [], result: { outcome: 'closed' } };
  // Through a link, only while its request is open; recorded by staff, whenever (noted on the open request).
  const requestId = command.requestId ?? state.openRequestId ?? undefined;
  if (command.requestId !== undefined && !state.requests[command.requestId]?.open)
    return { events: [], result: { outcome: 'closed' } };
  const same = state.documents.find(
    (d) => d.status !== 'withdrawn' && (d.documentId === documentId || d.file?.sha256 === file.sha256),
  );
  if (same?.file?.key === file.key)
    return { events: [], result: { outcome: 'redelivered', documentId: same.documentId } };
  if (same)
    return {
      events: [],
      result: {
        outcome: 'duplicate',
        documentId: same.documentId,
        earlier: { status: same.status, ...(same.reason ? { reason: same.reason } : {}) },
      },
    };
  if (state.documents.filter((d) => d.status === 'pending-review').length >= MAX_PENDING_DOCUMENTS)
    return { events: [], result: { outcome: 'full' } };
  const manager = state.profile.managerEmail;
  const notice = { date, to: manager, ...(requestId ? { requestId } : {}), documentId };
  return {
    events: [
      ev('document-added', {
        documentId,
        document: command.document,
        source: 'upload',
        status: 'pending-review',
        file: {
          key: file.key,
          sha256: file.sha256,
          size: file.size,
          ...(file.versionId ? { versionId: file.versionId } : {}),
        },
      }),
      ev('document-received', notice),
      ev('review-request', notice),
      ...intend(state, {
        key: reviewRequestKey(state.vendorId, documentId),
        kind: 'review-request',
        to: manager,
        date,
        facts: {
          vendorName: state.profile.name,
          vendorId: state.vendorId,
          date,
          lapseDate: null,
          periodEnd: null,
          bridgedUntil: null,
          documentKind: command.document.kind,
          ...(command.publicBaseUrl
            ? {
                reviewUrl: `${command.publicBaseUrl}/review/${encodeURIComponent(state.vendorId)}/${encodeURIComponent(documentId)}`,
              }
            : {}),
        },
      }),
    ],
    result: { outcome: 'received', documentId },
  };
}

export interface ReviewDocument {
  documentId: string;
  decision: string | null;
  reason: string;
  note: string;
  /** The checklist items the reviewer ticked. */
  ticked: readonly string[];
  today: CalendarDate;
  settings: PolicySettings;
}

/** The review problems a reviewer must fix before the decision can be recorded (none: it can be). */
export function reviewProblems(state: VendorState, command: ReviewDocument): string[] {
  const record = uploadedDocument(state, command.documentId);
  const vendor = portfolioVendor(state)!;
  const basis = assessVendor(vendor, command.today, command.settings).basis;
  const checklist = reviewChecklist(vendor, record.document, basis?.periodEnd ?? null);
  const ticked = new Set(command.ticked);
  const problems: string[] = [];
  if (command.decision !== 'accept' && command.decision !== 'reject')
    problems.push('Choose Accept or Reject.');
  if (command.decision === 'accept') {
    const open = checklist.filter((i) => !ticked.has(i.id));
    if (open.length) problems.push(`Tick every checklist item before accepting (${open.length} open).`);
  }
  if (command.decision === 'reject' && command.reason.trim() === '')
    problems.push('Give the vendor a reason when you reject.');
  if (command.reason.length > MAX_REVIEW_TEXT || command.note.length > MAX_REVIEW_TEXT)
    problems.push(`Keep the reason and the note under ${MAX_REVIEW_TEXT} characters.`);
  return problems;
}

function uploadedDocument(state: VendorState, documentId: string) {
  const record = state.documents.find((d) => d.documentId === documentId && d.source === 'upload');
  if (!state.profile || !record) throw new NotFoundError('There is no such uploaded document.');
  return record;
}

/**
 * A manager accepts or rejects an uploaded document: every checklist item ticked to accept, a reason (sent to
 * the vendor) to reject. The vendor is told either way; a rejection leaves the request open.
 */
export function reviewDocument(state: VendorState | undefined, command: ReviewDocument): NewEvent[] {
  if (!state?.profile) throw new NotFoundError('There is no such uploaded document.');
  const record = uploadedDocument(state, command.documentId);
  if (record.status !== 'pending-review')
    throw new ConflictError('This document was already decided (see its status).');
  const problems = reviewProblems(state, command);
  if (problems.length) throw new ValidationError(problems.map((message) => ({ path: '', message })));
  const vendor = portfolioVendor(state)!;
  const basis = assessVendor(vendor, command.today, command.settings).basis;
  const checked = reviewChecklist(vendor, record.document, basis?.periodEnd ?? null)
    .map((i) => i.id)
    .filter((id) => command.ticked.includes(id));
  const { documentId, today } = command;
  const reason = command.reason.trim();
  const note = command.note.trim();
  const to = state.profile.contactEmail;
  const facts = {
    vendorName: state.profile.name,
    vendorId: state.vendorId,
    date: today,
    lapseDate: null,
    periodEnd: null,
    bridgedUntil: null,
    documentKind: record.document.kind,
  };
  if (command.decision === 'accept')
    return [
      ev('document-accepted', {
        documentId,
        note: [`checklist: ${checked.join(', ')}`, note].filter((s) => s !== '').join('. '),
      }),
      ...intend(state, {
        key: decisionNoticeKey(state.vendorId, documentId, 'accept'),
        kind: 'document-accepted',
        to,
        date: today,
        facts,
      }),
    ];
  const requestId = state.openRequestId ?? undefined;
  return [
    ev('document-rejected', { documentId, reason }),
    ev('document-rejected-notice', { date: today, to, documentId, ...(requestId ? { requestId } : {}) }),
    ...intend(state, {
      key: decisionNoticeKey(state.vendorId, documentId, 'reject'),
      kind: 'document-rejected',
      to,
      date: today,
      facts: { ...facts, reason, ...(requestId ? { requestId } : {}) },
    }),
  ];
}

/** The most a finding note may hold. */
export const MAX_FINDING_NOTE = 2000;

export interface FindingAction {
  findingId: string;
  action: string | null;
  note: string;
  today: CalendarDate;
  settings: PolicySettings;
  /** Who acts (named in a risk acceptance's reason). */
  staffId: string;
  /** Section 9: the standings of the organisations the vendor's reports name (for `subservice-uncovered`). */
  subservices?: SubserviceIndex;
}

/**
 * Acknowledge (with a note) or close as risk-accepted. A policy finding the assessment raises today but that is
 * not yet on record (`new-<code>`) is recorded by the first action on it. The lifecycle's own findings close only
 * when a cure restores coverage.
 */
export function actOnFinding(state: VendorState | undefined, command: FindingAction): NewEvent[] {
  const note = command.note.trim();
  const problems: Problem[] = [];
  if (command.action !== 'acknowledge' && command.action !== 'close')
    problems.push({ path: 'action', message: 'choose Acknowledge or Close' });
  if (note === '') problems.push({ path: 'note', message: 'write a note for the audit trail' });
  if (note.length > MAX_FINDING_NOTE)
    problems.push({ path: 'note', message: `at most ${MAX_FINDING_NOTE} characters` });
  if (problems.length) throw new ValidationError(problems);
  const vendor = state && portfolioVendor(state);
  if (!state || !vendor) throw new NotFoundError('There is no such vendor.');
  const { findingId, today } = command;
  const events: NewEvent[] = [];
  let record = state.findings[findingId];
  if (!record && findingId.startsWith('new-')) {
    const code = findingId.slice(4);
    const live = assessVendor(vendor, today, command.settings, command.subservices).findings.find(
      (f) => f.code === code,
    );
    if (!(FINDING_CODES as readonly string[]).includes(code) || !live)
      throw new NotFoundError('That finding is no longer raised.');
    if ((LIFECYCLE_FINDINGS as readonly string[]).includes(code))
      throw new ValidationError([{ path: 'finding', message: 'the lifecycle records this finding itself' }]);
    const id = `${code}-${today}`;
    if (state.findings[id])
      throw new ValidationError([{ path: 'finding', message: 'already recorded today' }]);
    events.push(ev('finding-opened', { findingId: id, code, severity: live.severity }));
    record = { findingId: id, code, severity: live.severity, status: 'open', openedAt: today };
  }
  if (!record) throw new NotFoundError('There is no such finding.');
  if (command.action === 'acknowledge') {
    if (record.status !== 'open')
      throw new ValidationError([{ path: 'finding', message: `it is ${record.status}` }]);
    events.push(ev('finding-acknowledged', { findingId: record.findingId, note }));
    return events;
  }
  if ((LIFECYCLE_FINDINGS as readonly string[]).includes(record.code))
    throw new ValidationError([
      { path: 'finding', message: 'it closes by itself once an accepted document restores coverage' },
    ]);
  if (record.status === 'closed') throw new ValidationError([{ path: 'finding', message: 'it is closed' }]);
  events.push(
    ev('finding-closed', {
      findingId: record.findingId,
      reason: `risk accepted by ${command.staffId}: ${note}`,
    }),
  );
  return events;
}
