// The lifecycle's e-mails, in plain words: which vendor, which dates, what is needed and by when, and (for the
// vendor only) the upload link. Pure: every input is a parameter; every vendor-supplied string is escaped in the
// HTML part and stripped of line breaks in headers. Each recipient sees only what concerns them: the vendor never
// sees internal findings or notes, and no message mentions another vendor.
import { addDays, daysBetween } from '../dates.js';
import type { DigestFacts } from './digest.js';

export type LifecycleMailKind =
  | 'manager-reminder'
  | 'vendor-request'
  | 'vendor-follow-up'
  | 'subservice-request'
  | 'subservice-follow-up'
  | 'escalation'
  | 'finding-closed-notice'
  | 'lifecycle-failed'
  | 'risk-acceptance-expired';

/** The people's side: a review request to the manager, the decision to the vendor. */
export type PeopleMailKind =
  | 'review-request'
  | 'document-accepted'
  | 'document-rejected'
  /** To a CUEC's owner at the institution: confirm its status (spec section 9), with a link. */
  | 'cuec-confirmation';

/** Staff's own mail (on their staff record, not a vendor's): the weekly digest. */
export type StaffMailKind = 'weekly-digest';

export type MailKind = LifecycleMailKind | PeopleMailKind | StaffMailKind;

/** The lifecycle's own mail: only the vendor's (one) lifecycle execution records these. */
export const LIFECYCLE_MAIL_KINDS: ReadonlySet<MailKind> = new Set<LifecycleMailKind>([
  'manager-reminder',
  'vendor-request',
  'vendor-follow-up',
  'subservice-request',
  'subservice-follow-up',
  'escalation',
  'finding-closed-notice',
  'risk-acceptance-expired',
]);

/** Kinds whose message carries the vendor's upload link (filled in when sent, never stored). */
export const LINKED_KINDS: ReadonlySet<MailKind> = new Set([
  'vendor-request',
  'vendor-follow-up',
  'subservice-request',
  'subservice-follow-up',
  'document-rejected',
]);

export interface MailFacts {
  /** The vendor's display name (vendor-supplied: escaped). */
  vendorName: string;
  vendorId: string;
  /** The calendar date the message belongs to. */
  date: string;
  /** L: the date coverage lapses (null: no report on file). */
  lapseDate: string | null;
  /** P: the current report's period end (null: none). */
  periodEnd: string | null;
  bridgedUntil: string | null;
  /** What the vendor must send by when (request and follow-ups). */
  dueDate?: string;
  /** The vendor's upload link (request and follow-ups only; never in internal mail). */
  uploadUrl?: string;
  /** When the link stops working. */
  linkExpires?: string;
  /** The finding code (escalation, finding closed, risk acceptance expired). */
  findingCode?: string;
  /** The last day a risk acceptance held (risk acceptance expired). */
  expiresOn?: string;
  /** The bank's console page for this vendor (internal mail only). */
  consoleUrl?: string;
  /** The error name of a failed lifecycle (internal alert only; never its stack or data). */
  errorName?: string;
  /** The request whose link the message carries (the link itself is added when the message is sent). */
  requestId?: string;
  /** The document a people's-side message is about: its kind, and the manager's reason for a rejection. */
  documentKind?: string;
  reason?: string;
  /** The manager's review page for the document (review request). */
  reviewUrl?: string;
  /**
   * Section 9: the carved-out subservice organisations whose own report or bridge letter the vendor is asked
   * for (names as recorded by the institution: escaped).
   */
  organizationNames?: string[];
  /** A CUEC confirmation: the CUEC asked about (its text quoted, bounded) and the confirmation's id. */
  cuecId?: string;
  cuecText?: string;
  confirmationId?: string;
  /** The owner's confirmation link (added when sent, never stored). */
  confirmUrl?: string;
  /** The weekly digest's content (core/digest.ts). */
  digest?: DigestFacts;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A header-safe single line (no CR/LF injection, bounded length). */
export function headerText(value: string, max = 120): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const line = value.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const FINDING_WORDS: Record<string, string> = {
  'stale-report':
    'its SOC 2 report is more than 12 months past its period end and no valid bridge letter covers it',
  'no-report': 'there is no usable SOC 2 report on file',
};

/** A paragraph is a list of text pieces and links; both parts are built from the same pieces. */
type Piece = string | { link: string; label: string };
type Paragraph = Piece[];

function textOf(paragraphs: Paragraph[]): string {
  return `${paragraphs
    .map((p) =>
      p.map((piece) => (typeof piece === 'string' ? piece : `${piece.label}: ${piece.link}`)).join(''),
    )
    .join('\n\n')}\n`;
}

function htmlOf(title: string, paragraphs: Paragraph[]): string {
  const body = paragraphs
    .map(
      (p) =>
        `<p>${p
          .map((piece) =>
            typeof piece === 'string'
              ? escapeHtml(piece)
              : `<a href="${escapeHtml(piece.link)}">${escapeHtml(piece.label)}</a>`,
          )
          .join('')}</p>`,
    )
    .join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`;
}

function coverageLine(f: MailFacts): string {
  if (f.periodEnd === null || f.lapseDate === null)
    return 'We have no usable SOC 2 report for this vendor on file.';
  const bridged = f.bridgedUntil ? ` A bridge letter extends coverage to ${f.bridgedUntil}.` : '';
  return `The SOC 2 report on file covers a period ending ${f.periodEnd}; coverage lapses after ${f.lapseDate}.${bridged}`;
}

export function renderLifecycleMail(
  kind: Exclude<LifecycleMailKind, 'risk-acceptance-expired'>,
  f: MailFacts,
): RenderedMail {
  const vendor = headerText(f.vendorName);
  const paragraphs: Paragraph[] = [];
  let subject: string;
  switch (kind) {
    case 'manager-reminder':
      subject = `SOC 2 coverage for ${vendor} lapses ${f.lapseDate ?? 'soon'}`;
      paragraphs.push(
        [`Hello,`],
        [`You manage the vendor ${f.vendorName}. ${coverageLine(f)}`],
        [requestLine(f)],
        ...(f.consoleUrl ? [[{ link: f.consoleUrl, label: 'The vendor in Bridgekeeper' }] as Paragraph] : []),
      );
      break;
    case 'vendor-request':
    case 'vendor-follow-up': {
      const follow = kind === 'vendor-follow-up';
      const overdue = f.dueDate !== undefined && f.date > f.dueDate ? daysBetween(f.dueDate, f.date) : 0;
      subject = follow
        ? overdue > 0
          ? `Overdue by ${overdue} day${overdue === 1 ? '' : 's'}: SOC 2 report from ${vendor}`
          : `Reminder: SOC 2 report needed from ${vendor}${f.dueDate ? ` by ${f.dueDate}` : ''}`
        : `SOC 2 report needed from ${vendor}${f.dueDate ? ` by ${f.dueDate}` : ''}`;
      const need =
        f.periodEnd === null
          ? 'your most recent SOC 2 Type II report.'
          : `your new SOC 2 Type II report, or a bridge letter covering ${addDays(f.periodEnd, 1)} through today.`;
      paragraphs.push(
        [`Hello,`],
        [
          follow
            ? `We are still waiting for a document from ${f.vendorName}. `
            : `As part of our vendor oversight we keep a current SOC 2 report on file for ${f.vendorName}. `,
          `Please send us ${need}`,
        ],
        ...(f.dueDate
          ? [
              [
                overdue > 0
                  ? `It was due on ${f.dueDate}: our request is now ${overdue} day${overdue === 1 ? '' : 's'} overdue. Please send it as soon as you can.`
                  : `We need it by ${f.dueDate}.`,
              ] as Paragraph,
            ]
          : []),
        ...(f.uploadUrl
          ? [
              [
                { link: f.uploadUrl, label: 'Upload it here' },
                ` (this link is for ${f.vendorName} only${f.linkExpires ? ` and works until ${f.linkExpires}` : ''}, or until we have the document).`,
              ] as Paragraph,
            ]
          : []),
        ...organizationsParagraph(f),
        [`Thank you.`],
      );
      break;
    }
    case 'subservice-request':
    case 'subservice-follow-up': {
      const follow = kind === 'subservice-follow-up';
      const names = f.organizationNames ?? [];
      const list = names.join(', ') || 'your subservice organisations';
      subject = follow
        ? `Reminder: subservice organisation reports needed from ${vendor}${f.dueDate ? ` by ${f.dueDate}` : ''}`
        : `Subservice organisation reports needed from ${vendor}${f.dueDate ? ` by ${f.dueDate}` : ''}`;
      paragraphs.push(
        [`Hello,`],
        [
          follow
            ? `We are still waiting for a document from ${f.vendorName}. `
            : `Your SOC 2 report carves out ${names.length === 1 ? 'a subservice organisation' : 'subservice organisations'} whose controls it does not cover: ${list}. `,
          `Please send us the current SOC 2 Type II report of ${names.length === 1 ? 'it' : 'each'}, or a bridge letter from ${names.length === 1 ? 'it' : 'each'} covering the time since its last report.`,
        ],
        ...(f.dueDate
          ? [[`We need ${names.length === 1 ? 'it' : 'them'} by ${f.dueDate}.`] as Paragraph]
          : []),
        ...(f.uploadUrl
          ? [
              [
                { link: f.uploadUrl, label: 'Upload them here' },
                ` (this link is for ${f.vendorName} only${f.linkExpires ? ` and works until ${f.linkExpires}` : ''}, or until we have the documents).`,
              ] as Paragraph,
            ]
          : []),
        [`Thank you.`],
      );
      break;
    }
    case 'escalation':
      subject = `Finding opened: ${vendor} (${f.findingCode ?? 'coverage'})`;
      paragraphs.push(
        [`Hello,`],
        [
          `As of ${f.date}, ${f.vendorName} is not covered: ${FINDING_WORDS[f.findingCode ?? ''] ?? f.findingCode ?? 'coverage lapsed'}.`,
        ],
        [coverageLine(f)],
        [
          `A ${f.findingCode ?? ''} finding is now open. The vendor has been asked for the report and is followed up weekly.`,
        ],
        ...(f.consoleUrl ? [[{ link: f.consoleUrl, label: 'The vendor in Bridgekeeper' }] as Paragraph] : []),
      );
      break;
    case 'finding-closed-notice':
      subject = `Finding closed: ${vendor} (${f.findingCode ?? 'coverage'})`;
      paragraphs.push(
        [`Hello,`],
        [
          `As of ${f.date}, the ${f.findingCode ?? ''} finding on ${f.vendorName} is closed: an accepted document restored coverage.`,
        ],
        [coverageLine(f)],
      );
      break;
    case 'lifecycle-failed':
      subject = `Action needed: the lifecycle of ${vendor} stopped on an error`;
      paragraphs.push(
        [`Hello,`],
        [
          `On ${f.date} the workflow that follows ${f.vendorName} stopped after repeated errors (${f.errorName ?? 'unknown error'}). ` +
            `It was recorded in the vendor's audit trail; the daily check restarts the lifecycle, and engineering can see the details in the logs.`,
        ],
        [`Until it runs again, no reminders or requests go out for this vendor.`],
      );
      break;
  }
  return { subject: headerText(subject, 200), text: textOf(paragraphs), html: htmlOf(subject, paragraphs) };
}

/** The vendor's own request also names the carved-out organisations it is asked about (spec section 9). */
function organizationsParagraph(f: MailFacts): Paragraph[] {
  const names = f.organizationNames ?? [];
  if (names.length === 0) return [];
  return [
    [
      `Your report carves out ${names.length === 1 ? 'a subservice organisation' : 'subservice organisations'} whose own report we do not hold as current: ${names.join(', ')}. `,
      `Please send ${names.length === 1 ? 'its' : 'each one’s'} current SOC 2 Type II report, or a bridge letter, through the same link.`,
    ],
  ];
}

/** When the vendor is (or was) asked: 30 days before the lapse date (spec section 5). */
function requestLine(f: MailFacts): string {
  const what = 'its new SOC 2 Type II report (or a bridge letter)';
  if (f.lapseDate === null) return `We are asking the vendor for ${what} today.`;
  const on = addDays(f.lapseDate, -30);
  return on <= f.date
    ? `We are asking the vendor for ${what} today, due ${f.lapseDate > f.date ? f.lapseDate : 'as soon as possible'}.`
    : `On ${on} we will ask the vendor for ${what}. If you have a contact there, now is a good time to let them know it is coming.`;
}
