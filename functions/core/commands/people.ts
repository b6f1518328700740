// The people's side commands: a vendor's upload recorded, a manager's review (the finding actions are
// core/commands/findings.ts). Pure: each takes the vendor's state and the command, returns the events (with the
// outbox intents of the e-mails they call for) or throws a domain error naming what is wrong. The handlers and `simulate` both call
// these, so the same upload and review produce the same events whoever scripts them.
import { assessVendor, subserviceCoverageOf } from '../assess.js';
import { canonicalJson } from '../audit-chain.js';
import type { CalendarDate } from '../dates.js';
import { ConflictError, formatProblem, NotFoundError, ValidationError, type Problem } from '../errors.js';
import { event as ev, type NewEvent } from '../events.js';
import type { PolicySettings } from '../policy.js';
import { choicesNeeded, compareWithReport } from '../intake/compare.js';
import type { SubserviceOrganization, VendorDocument } from '../portfolio.js';
import { acceptedDocument, type ReviewEntries } from '../review-entries.js';
import { reviewChecklist } from '../review.js';
import { portfolioVendor, type DocumentRecord, type VendorState } from '../vendor-state.js';
import { intend } from './outbox.js';
import { CUEC_STATUSES, isSocReport, type CuecStatus } from '../portfolio.js';
import { ForbiddenError } from '../errors.js';
import type { LinkData } from '../events.js';

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
  /** The subservice organisation the document is for (sent through the vendor), if not the vendor's own. */
  organizationId?: string;
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
        ...(command.organizationId ? { organizationId: command.organizationId } : {}),
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
  /**
   * What the manager recorded besides the decision (core/review-entries.ts): the report's value taken where it
   * disagrees with the vendor's entry, the report's CUECs and subservice organisations. Absent: none.
   */
  entries?: ReviewEntries;
  /** The subservice organisations on record (the accepted document may name them). */
  knownOrganizations?: ReadonlySet<string>;
  /** For a subservice organisation's document sent through the vendor: that organisation as on record. */
  organization?: SubserviceOrganization;
  /** The policy's default settings (a subservice organisation is assessed with them, spec section 9). */
  defaults?: PolicySettings;
}

/** The period end P the new document must follow on from: the vendor's basis, or its organisation's. */
export function basisPeriodEndFor(
  state: VendorState,
  record: DocumentRecord,
  command: Pick<ReviewDocument, 'today' | 'settings' | 'organization' | 'defaults'>,
): CalendarDate | null {
  if (record.organizationId !== undefined)
    return command.organization
      ? subserviceCoverageOf(command.organization, command.today, command.defaults ?? command.settings)
          .periodEnd
      : null;
  return assessVendor(portfolioVendor(state)!, command.today, command.settings).basis?.periodEnd ?? null;
}

/**
 * The document as the manager would accept it (the entries with their choices, CUECs and subservice
 * organisations), and what is wrong with those choices (the fields left to choose, each rule broken).
 */
export function candidateDocument(
  record: DocumentRecord,
  command: Pick<ReviewDocument, 'entries' | 'knownOrganizations'>,
): { document: VendorDocument; problems: string[] } {
  const entries = command.entries;
  if (!entries) return { document: record.document, problems: [] };
  const problems: string[] = [];
  const open = choicesNeeded(compareWithReport(record.document, record.extraction)).filter(
    (field) => entries.takes[field] === undefined,
  );
  if (open.length)
    problems.push(
      `Where the report disagrees with the vendor's entry, choose which to accept (${open.join(', ')}).`,
    );
  try {
    const document = acceptedDocument(
      record.document,
      record.extraction,
      entries,
      command.knownOrganizations ?? new Set(),
      record.organizationId,
    );
    return { document, problems };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { document: record.document, problems: [...problems, ...error.problems.map(formatProblem)] };
  }
}

/** The review problems a reviewer must fix before the decision can be recorded (none: it can be). */
export function reviewProblems(state: VendorState, command: ReviewDocument): string[] {
  const record = uploadedDocument(state, command.documentId);
  const vendor = portfolioVendor(state)!;
  const candidate = candidateDocument(record, command);
  const checklist = reviewChecklist(vendor, candidate.document, basisPeriodEndFor(state, record, command));
  const ticked = new Set(command.ticked);
  const problems: string[] = [];
  if (command.decision !== 'accept' && command.decision !== 'reject')
    problems.push('Choose Accept or Reject.');
  if (command.decision === 'accept') {
    const open = checklist.filter((i) => !ticked.has(i.id));
    if (open.length) problems.push(`Tick every checklist item before accepting (${open.length} open).`);
    problems.push(...candidate.problems);
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
 * the vendor) to reject. The vendor is told either way; a rejection leaves the request open. An acceptance
 * records the document as accepted (with the manager's choices, CUECs and subservice organisations) when that
 * differs from the entries.
 */
export function reviewDocument(state: VendorState | undefined, command: ReviewDocument): NewEvent[] {
  if (!state?.profile) throw new NotFoundError('There is no such uploaded document.');
  const record = uploadedDocument(state, command.documentId);
  if (record.status !== 'pending-review')
    throw new ConflictError('This document was already decided (see its status).');
  const problems = reviewProblems(state, command);
  if (problems.length) throw new ValidationError(problems.map((message) => ({ path: '', message })));
  const vendor = portfolioVendor(state)!;
  const candidate = candidateDocument(record, command).document;
  const checked = reviewChecklist(vendor, candidate, basisPeriodEndFor(state, record, command))
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
  if (command.decision === 'accept') {
    const changed = canonicalJson(candidate) !== canonicalJson(record.document);
    return [
      ev('document-accepted', {
        documentId,
        note: [`checklist: ${checked.join(', ')}`, note].filter((s) => s !== '').join('. '),
        ...(changed ? { document: candidate } : {}),
      }),
      ...intend(state, {
        key: decisionNoticeKey(state.vendorId, documentId, 'accept'),
        kind: 'document-accepted',
        to,
        date: today,
        facts,
      }),
    ];
  }
  // The vendor may send another through the request the document came by, while it is open.
  const via = record.addedBy.kind === 'vendor-link' ? record.addedBy.requestId : undefined;
  const requestId = (via && state.requests[via]?.open ? via : undefined) ?? state.openRequestId ?? undefined;
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

/** The most a CUEC owner's note may hold. */
export const MAX_CUEC_NOTE = 1000;
/** The most of a CUEC's text an e-mail to its owner quotes. */
const MAX_QUOTED_CUEC = 500;

/** The CUEC confirmation e-mail's outbox key: one per confirmation. */
export function cuecConfirmationKey(vendorId: string, confirmationId: string): string {
  return `${vendorId}/cuec-confirmation/${confirmationId}`;
}

/** The next confirmation's id on this vendor's record. */
export function nextConfirmationId(state: VendorState): string {
  return `cc-${Object.keys(state.cuecConfirmations ?? {}).length + 1}`;
}

/**
 * Asks a CUEC's owner to confirm its status (spec section 9): the link (minted by the handler: its token is a
 * MAC) goes on record by its hash, and the e-mail to the owner through the outbox. Only a CUEC of an accepted
 * document that has an owner can be asked about.
 */
export function requestCuecConfirmation(
  state: VendorState | undefined,
  command: {
    documentId: string;
    cuecId: string;
    today: CalendarDate;
    link: LinkData & { confirmationId: string };
  },
): NewEvent[] {
  if (!state?.profile) throw new NotFoundError('There is no such vendor.');
  const record = state.documents.find((d) => d.documentId === command.documentId);
  if (!record || record.status !== 'accepted' || !isSocReport(record.document))
    throw new NotFoundError('There is no such accepted report.');
  const cuec = record.document.cuecs?.find((c) => c.id === command.cuecId);
  if (!cuec) throw new NotFoundError('The report has no such CUEC.');
  if (!cuec.owner)
    throw new ValidationError([{ path: 'cuec', message: 'this CUEC has no owner to ask: record one first' }]);
  const { confirmationId, nonce, tokenHash, expiresAt } = command.link;
  return [
    ev('cuec-confirmation-requested', {
      confirmationId,
      documentId: command.documentId,
      cuecId: cuec.id,
      owner: cuec.owner,
      nonce,
      tokenHash,
      expiresAt,
    }),
    ...intend(state, {
      key: cuecConfirmationKey(state.vendorId, confirmationId),
      kind: 'cuec-confirmation',
      to: cuec.owner,
      date: command.today,
      facts: {
        vendorName: state.profile.name,
        vendorId: state.vendorId,
        date: command.today,
        lapseDate: null,
        periodEnd: isSocReport(record.document) ? record.document.periodEnd : null,
        bridgedUntil: null,
        documentKind: record.document.kind,
        cuecId: cuec.id,
        cuecText:
          cuec.text.length > MAX_QUOTED_CUEC ? `${cuec.text.slice(0, MAX_QUOTED_CUEC - 1)}…` : cuec.text,
        confirmationId,
      },
    }),
  ];
}

/**
 * The owner's answer through the link: the status goes on the CUEC (so `cuec-not-in-place` follows it) and the
 * answer is an audit event by the owner. A dead link (answered, expired) is a ForbiddenError.
 */
export function confirmCuecStatus(
  state: VendorState | undefined,
  command: { confirmationId: string; status: string | null; note: string; now: Date },
): NewEvent[] {
  const confirmation = state?.cuecConfirmations?.[command.confirmationId];
  if (!confirmation || confirmation.answeredAt || command.now.getTime() >= Date.parse(confirmation.expiresAt))
    throw new ForbiddenError('dead CUEC link');
  const problems: Problem[] = [];
  if (!(CUEC_STATUSES as readonly string[]).includes(command.status ?? ''))
    problems.push({ path: 'status', message: `choose one of: ${CUEC_STATUSES.join(', ')}` });
  const note = command.note.trim();
  if (note.length > MAX_CUEC_NOTE)
    problems.push({ path: 'note', message: `at most ${MAX_CUEC_NOTE} characters` });
  if (problems.length) throw new ValidationError(problems);
  return [
    ev('cuec-status-confirmed', {
      confirmationId: confirmation.confirmationId,
      documentId: confirmation.documentId,
      cuecId: confirmation.cuecId,
      status: command.status as CuecStatus,
      ...(note ? { note } : {}),
    }),
  ];
}
