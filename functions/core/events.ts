// The domain event catalog: every change to a vendor is one of these, appended to the vendor's log (the source of
// truth). A discriminated union on `type`, so the reducer's switch is exhaustive and adding an event is one entry
// here plus one case there.
import type { MailFacts, MailKind } from './mail/templates.js';
import type { CuecStatus, Vendor, VendorDocument } from './portfolio.js';
import type { StoredExtraction } from './intake/stored.js';

/** Who caused an event: recorded on every event, for the auditor. */
export type Actor =
  | { kind: 'staff'; id: string }
  | { kind: 'vendor-link'; requestId: string }
  | { kind: 'workflow'; execution?: string }
  | { kind: 'import'; by: string }
  /** A CUEC owner answering through the link e-mailed to them. */
  | { kind: 'cuec-link'; owner: string };

/** A vendor's profile: the portfolio fields except its documents. */
export type VendorProfile = Omit<Vendor, 'documents'>;

export type DocumentSource = 'import' | 'upload';

/** The stored file behind an uploaded document. */
export interface StoredFile {
  key: string;
  sha256: string;
  size: number;
  /** The object version the hash was taken of (S3 versioning): every download names it. */
  versionId?: string;
}

/** The notifications of spec section 5 (besides the document and finding events, which are state changes). */
export const NOTIFICATION_TYPES = [
  'manager-reminder',
  'vendor-request',
  'vendor-follow-up',
  'document-received',
  'review-request',
  'document-rejected-notice',
  'escalation',
  'finding-closed-notice',
  'risk-acceptance-expired',
  /** A carved-out subservice organisation's report asked for through the vendor (spec section 9). */
  'subservice-request',
  'subservice-follow-up',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a notification event records (the e-mail itself is an `email-intended`/`email-sent` pair). */
export interface NotificationData {
  /** Institution calendar date the notification belongs to (one per type and date, spec section 5). */
  date: string;
  to: string;
  cycle?: number;
  requestId?: string;
  documentId?: string;
  code?: string;
  /** Subservice requests: the organisations asked for. */
  organizations?: string[];
  /**
   * The same type already went out that date (for the previous cycle, on the day a new basis takes effect): it
   * is on record for its own cycle, but a date never shows the same event twice (spec section 5).
   */
  repeat?: true;
}

/** An upload link: the token itself is never stored; it is a MAC over the request and this nonce. */
export interface LinkData {
  /** Random, per link: with the request id, what the token is a MAC of (core/upload-link.ts). */
  nonce: string;
  /** Hex SHA-256 of the token: how an incoming link finds its request. */
  tokenHash: string;
  /** ISO instant: the link is dead from then on (checked by the code, never left to a TTL). */
  expiresAt: string;
}

/** Event type -> its data. Keep data minimal: the event log is kept forever. */
export interface EventDataMap {
  'vendor-registered': { profile: VendorProfile };
  /**
   * A subservice organisation's own record (spec section 9: a fourth party shared by every vendor whose reports
   * name it). Kept in the same table under its id, with its own sealed log; it holds a name and documents only.
   */
  'organization-registered': { name: string };
  'organization-renamed': { name: string };
  /** Changed profile fields with their new values; `null` means the field was removed. */
  'vendor-updated': { changes: Partial<Record<keyof VendorProfile, unknown>> };
  'document-added': {
    documentId: string;
    document: VendorDocument;
    source: DocumentSource;
    status: 'accepted' | 'pending-review';
    file?: StoredFile;
    /**
     * On a vendor's record: the document is a subservice organisation's (sent through this vendor's link, for
     * the organisation its report carves out), not the vendor's own; the policy never counts it for the vendor.
     */
    organizationId?: string;
    /** On a subservice organisation's record: the vendor upload it was accepted from. */
    via?: { vendorId: string; documentId: string };
  };
  /**
   * `document`: the document as the manager accepted it, when it differs from the entries (fields taken from
   * the report instead of the vendor's entry, the report's CUECs and subservice organisations recorded).
   */
  'document-accepted': { documentId: string; note?: string; document?: VendorDocument };
  /** What intake assist read from the uploaded file (or that it has no text): shown at review, never applied. */
  'document-extracted': { documentId: string; extraction: StoredExtraction };
  /** A CUEC owner is asked to confirm its status through a link (the token is a MAC, never stored). */
  'cuec-confirmation-requested': LinkData & {
    confirmationId: string;
    documentId: string;
    cuecId: string;
    owner: string;
  };
  /** The owner's answer through that link: the CUEC's status on the document follows it. */
  'cuec-status-confirmed': {
    confirmationId: string;
    documentId: string;
    cuecId: string;
    status: CuecStatus;
    note?: string;
  };
  'document-rejected': { documentId: string; reason: string };
  /** An imported document that a later import no longer lists (uploads are never withdrawn by an import). */
  'document-withdrawn': { documentId: string; reason: string };
  'request-opened': LinkData & {
    requestId: string;
    cycle: number;
    /** The calendar date the request counts as made (its weekly follow-ups run from it). */
    date: string;
    lapseDate: string | null;
    dueDate: string;
    /**
     * Set on a request for carved-out subservice organisations' reports alone (the vendor's own report is not
     * due): their ids. Such a request runs beside the vendor's own (section 5) track and never counts as it.
     */
    organizations?: string[];
  };
  /** A new link for a request still open when its link nears its end; the previous link works until its own end. */
  'request-link-renewed': LinkData & { requestId: string };
  'request-closed': { requestId: string; reason: string };
  'upload-link-used': { requestId: string };
  /**
   * The system raised a finding (spec section 8). `date` is the institution's calendar date it opened and
   * `dueDate` that date plus the policy's `findingDueDays` for its severity (both absent on findings recorded
   * before the register had due dates: see core/findings.ts `dueDateOf`).
   */
  'finding-opened': { findingId: string; code: string; severity: string; date?: string; dueDate?: string };
  'finding-acknowledged': { findingId: string; note: string };
  /** A compliance lead set who remediates it and by when: the finding is `remediating`. */
  'finding-assigned': { findingId: string; owner: string; dueDate: string; note: string };
  /** A compliance lead accepted the risk until `expiresOn` (a calendar date, the last day it holds). */
  'finding-risk-accepted': { findingId: string; reason: string; expiresOn: string };
  /** The system re-opened a finding (its risk acceptance expired while it is still raised). */
  'finding-reopened': { findingId: string; reason: string };
  'finding-closed': { findingId: string; reason: string };
  /** The outbox: what to send, recorded with the change that calls for it; rendered from `facts` when sent. */
  'email-intended': {
    key: string;
    kind: MailKind;
    to: string;
    subject: string;
    date: string;
    facts: MailFacts;
  };
  'email-sent': { key: string; messageId: string };
  'lifecycle-started': { execution: string; cycle: number };
  /** The workflow parks until `wakeAt` (ISO instant) or a callback on `taskToken`; sets the next action date. */
  'lifecycle-waiting': { taskToken?: string; wakeAt: string | null; waitingFor: string };
  'lifecycle-resumed': { reason: string };
  'lifecycle-failed': { error: string; cause: string };
  'lifecycle-stopped': { reason: string };
  /** Sets (or with null clears) the next action date that drives the due-vendors index. */
  'next-action-scheduled': { nextActionAt: string | null };
  'manager-reminder': NotificationData;
  'vendor-request': NotificationData;
  'vendor-follow-up': NotificationData;
  'document-received': NotificationData;
  'review-request': NotificationData;
  'document-rejected-notice': NotificationData;
  escalation: NotificationData;
  'finding-closed-notice': NotificationData;
  'risk-acceptance-expired': NotificationData;
  'subservice-request': NotificationData;
  'subservice-follow-up': NotificationData;
}

export type EventType = keyof EventDataMap;

/** An event as a writer proposes it: type and data only; the store adds the rest. */
export type NewEvent = { [T in EventType]: { type: T; data: EventDataMap[T] } }[EventType];

/** An event as stored in the log: hashed and chained. */
export type StoredEvent = NewEvent & {
  vendorId: string;
  /** 1, 2, 3, ... per vendor, with no gaps. */
  seq: number;
  /** ISO instant, from the Clock port. */
  at: string;
  actor: Actor;
  /** Hex SHA-256 of the event's canonical JSON without `hash` (see audit-chain.ts). */
  hash: string;
  /** The previous event's `hash` (GENESIS_HASH for seq 1). */
  prevHash: string;
};

/** Builds a typed event (handy where inference would widen `type`). */
export function event<T extends EventType>(type: T, data: EventDataMap[T]): NewEvent {
  return { type, data } as NewEvent;
}
