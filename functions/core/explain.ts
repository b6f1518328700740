// Plain words for what the records hold: one sentence per audit event (a coverage status's and a finding code's
// line are core/words.ts). The console's audit trail, the exports and the weekly digest say the same thing in the same words.
// Pure; the tables are exhaustive over their types, so a new event type or finding code does not compile until
// it is explained.
import type { CoverageStatus, FindingCode } from './assess.js';
import { FINDING_WORDS, STATUS_WORDS } from './words.js';
import type { EventType, StoredEvent } from './events.js';
import { kindName } from './review.js';

/** One line for a coverage status (the status itself when it is not one). */
export function explainStatus(status: string): string {
  return STATUS_WORDS[status as CoverageStatus] ?? status;
}

/** One line for a finding code (the code itself when it is not one). */
export function explainFinding(code: string): string {
  return FINDING_WORDS[code as FindingCode] ?? code;
}

/** What the explanation of an event may look up beyond the event: the vendor's documents, by id. */
export interface EventContext {
  documentKind?: (documentId: string) => string | undefined;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const quoted = (text: string) => `“${text}”`;
const day = (instant: unknown) => str(instant).slice(0, 10);

const REQUEST_CLOSE_WORDS: Record<string, string> = {
  'new-basis': 'a newly accepted report answered it',
};

type Explain<T extends EventType> = (
  data: Extract<StoredEvent, { type: T }>['data'],
  context: EventContext,
) => string;

const EVENT_WORDS: { [T in EventType]: Explain<T> } = {
  'vendor-registered': (d) =>
    `The vendor was added to the portfolio as tier ${d.profile.tier}, managed by ${d.profile.managerEmail}.`,
  'organization-registered': (d) => `The subservice organisation ${quoted(d.name)} was registered.`,
  'organization-renamed': (d) => `The subservice organisation was renamed ${quoted(d.name)}.`,
  'vendor-updated': (d) => {
    const fields = Object.keys(d.changes);
    return fields.length === 0
      ? 'The vendor’s details were saved unchanged.'
      : `The vendor’s details changed: ${fields.join(', ')}.`;
  },
  'document-added': (d) => {
    const doc = d.document;
    const period =
      doc.kind === 'bridge-letter'
        ? ` covering ${doc.coversFrom} to ${doc.coversTo}`
        : ` for the period ending ${doc.periodEnd}`;
    const how = d.source === 'import' ? 'was imported' : 'was uploaded';
    const then = d.status === 'accepted' ? ' and accepted' : ', waiting for review';
    return `A ${kindWords(doc.kind)}${period} ${how}${then}.`;
  },
  'document-accepted': (d, c) =>
    `The ${documentName(d.documentId, c)} was accepted${d.note ? ` with the note ${quoted(d.note)}` : ''}.`,
  'document-extracted': (d, c) => {
    const e = d.extraction;
    if ('failed' in e)
      return `The ${documentName(d.documentId, c)} could not be read as a PDF; it is reviewed by hand.`;
    if (!e.textLayer)
      return `The ${documentName(d.documentId, c)} has no text layer (a scan); it is reviewed by hand.`;
    const found = Object.keys(e.fields).length;
    return `The ${documentName(d.documentId, c)} was read: ${found} field${found === 1 ? '' : 's'} found on ${e.pagesRead} of ${e.pageCount} pages, shown beside the vendor’s entries at review.`;
  },
  'cuec-confirmation-requested': (d) =>
    `${d.owner} was asked by e-mail to confirm the status of CUEC ${d.cuecId}.`,
  'cuec-status-confirmed': (d) =>
    `The owner confirmed CUEC ${d.cuecId} as ${d.status}${d.note ? ` with the note ${quoted(d.note)}` : ''}.`,
  'document-rejected': (d, c) =>
    `The ${documentName(d.documentId, c)} was rejected: ${quoted(d.reason)}. The vendor is told why.`,
  'document-withdrawn': (d, c) => `The ${documentName(d.documentId, c)} was withdrawn: ${quoted(d.reason)}.`,
  'request-opened': (d) =>
    `The vendor was asked for its new SOC 2 report (or a bridge letter), due ${d.dueDate}.`,
  'request-link-renewed': () =>
    'The vendor’s upload link was renewed; the previous link works until its own end.',
  'request-closed': (d) =>
    `The request to the vendor was closed: ${REQUEST_CLOSE_WORDS[d.reason] ?? d.reason}.`,
  'upload-link-used': () => 'The vendor opened its upload link.',
  'finding-opened': (d) => `A ${d.severity} finding was opened (${d.code}). ${explainFinding(d.code)}`,
  'finding-acknowledged': (d) => `The finding was acknowledged with the note ${quoted(d.note)}.`,
  'finding-assigned': (d) =>
    `The finding was assigned to ${d.owner} to remediate by ${d.dueDate}, with the note ${quoted(d.note)}.`,
  'finding-risk-accepted': (d) =>
    `The finding’s risk was accepted until ${d.expiresOn}: ${quoted(d.reason)}. It opens again the day after.`,
  'finding-reopened': (d) => `The finding is open again: ${d.reason}.`,
  'finding-closed': (d) => `The finding was closed: ${d.reason}.`,
  'email-intended': (d) => `An e-mail to ${d.to} was prepared: ${quoted(d.subject)}.`,
  'email-sent': () => 'That e-mail was handed to the mail service.',
  'lifecycle-started': () => 'The workflow that follows this vendor started.',
  'lifecycle-waiting': (d) =>
    d.wakeAt
      ? `The workflow waits until ${day(d.wakeAt)}, or until something changes.`
      : 'The workflow waits until something changes.',
  'lifecycle-resumed': (d) => `The workflow resumed: ${d.reason}.`,
  'lifecycle-failed': (d) => `The workflow stopped on an error (${d.error}); the daily check restarts it.`,
  'lifecycle-stopped': (d) => `The workflow was stopped: ${d.reason}.`,
  'next-action-scheduled': (d) =>
    d.nextActionAt ? `The next check is set for ${day(d.nextActionAt)}.` : 'No next check is set.',
  'manager-reminder': (d) => `The vendor manager (${d.to}) was reminded that the coverage lapses soon.`,
  'vendor-request': (d) => `The vendor (${d.to}) was e-mailed the request with its upload link.`,
  'vendor-follow-up': (d) => `The vendor (${d.to}) was reminded of the open request.`,
  'document-received': (d) => `The vendor manager (${d.to}) was told a document arrived.`,
  'review-request': (d) => `The vendor manager (${d.to}) was asked to review the document.`,
  'document-rejected-notice': (d) => `The vendor (${d.to}) was told why the document was rejected.`,
  escalation: (d) =>
    `The compliance lead (${d.to}) was told the vendor is not covered${d.code ? ` (${d.code})` : ''}.`,
  'subservice-request': (d) =>
    `The vendor (${d.to}) was asked for its carved-out subservice organisations’ own reports, with its upload link.`,
  'subservice-follow-up': (d) =>
    `The vendor (${d.to}) was reminded of the subservice organisations’ reports still missing.`,
  'risk-acceptance-expired': (d) =>
    `The compliance lead (${d.to}) was told a risk acceptance expired and the finding is open again.`,
  'finding-closed-notice': (d) => `The compliance lead (${d.to}) was told the finding is closed.`,
};

/** "SOC 2 Type II", "bridge letter": the kind's name inside a sentence. */
function kindWords(kind: string): string {
  return kind === 'bridge-letter' ? 'bridge letter' : kindName(kind);
}

function documentName(documentId: string, context: EventContext): string {
  const kind = context.documentKind?.(documentId);
  return kind ? kindWords(kind) : 'document';
}

/** One sentence saying what the event means, for a person reading the audit trail. */
export function explainEvent(event: StoredEvent, context: EventContext = {}): string {
  const explain = EVENT_WORDS[event.type] as Explain<EventType> | undefined;
  // An event type this build does not know (a newer writer's): named, never guessed at.
  return explain ? explain(event.data as never, context) : `Recorded: ${event.type}.`;
}
