// Plain words for every code a person meets on a page, in an e-mail or an export: each finding code, each
// finding state, each coverage status and each document status has one line saying what it means. Pages show the
// code with its line (a code is what a person searches for; the line is what they read).
import type { CoverageStatus, FindingCode } from './assess.js';
import type { Actor } from './events.js';
import type { DocumentStatus, FindingStatus } from './vendor-state.js';

/** What each finding means, in one line (spec sections 3.5 and 9). */
export const FINDING_WORDS: Readonly<Record<FindingCode, string>> = {
  'adverse-opinion':
    'The auditor gave an adverse opinion on the latest SOC 2 report, or disclaimed one: it gives no assurance.',
  'bridge-gap':
    'The report has lapsed and the bridge letter on file leaves a gap after the report’s period, so it does not count.',
  'category-gap':
    'The report does not cover a Trust Services Category the contract needs (security is always needed).',
  'cuec-not-in-place':
    'A control the report expects the bank to run on its side (a CUEC) is recorded as not in place.',
  'cuec-unowned':
    'A control the report expects the bank to run on its side (a CUEC) has no owner at the bank.',
  'exception-without-response':
    'The auditor found an exception in a control and the vendor’s management gave no response to it.',
  'many-exceptions': 'The report lists many exceptions (as many as the policy’s threshold, or more).',
  'no-report': 'There is no usable SOC 2 report on file for this vendor.',
  'qualified-opinion':
    'The report the coverage rests on carries a qualified opinion (assurance with reservations).',
  'renewal-at-risk': 'The contract renews soon and the vendor will not be covered on the renewal date.',
  'scope-gap': 'The report does not cover a region where the bank’s data sits at this vendor.',
  'soc1-not-soc2':
    'Only a SOC 1 report is on file: it covers controls over financial reporting, not security.',
  'stale-report':
    'The SOC 2 report is past its lapse date (more than 12 months after its period end) and no bridge letter covers today.',
  'subservice-uncovered':
    'A subservice organisation the report carves out has no current report of its own on file.',
  'type1-only':
    'Only a SOC 2 Type I report backs this vendor: it shows the controls were designed, not that they worked over a period.',
};

/** What each state of the findings register means (spec section 8). */
export const FINDING_STATUS_WORDS: Readonly<Record<FindingStatus, string>> = {
  open: 'Raised by the system; nobody has acted on it yet.',
  acknowledged: 'The vendor’s manager or a compliance lead has seen it and left a note.',
  remediating: 'A compliance lead gave it an owner and a due date to fix it.',
  'risk-accepted': 'A compliance lead accepted the risk until an expiry date; it opens again the day after.',
  closed: 'The assessment no longer raises it, so the system closed it.',
};

/** What each coverage status means (spec section 3.4). */
export const STATUS_WORDS: Readonly<Record<CoverageStatus, string>> = {
  current: 'Covered: the SOC 2 report on file is well within its 12 months.',
  expiring: 'Covered for now: the report lapses soon and a new one is being asked for.',
  bridged: 'The report has lapsed; a bridge letter from the vendor carries the coverage for a while.',
  stale: 'Not covered: the report has lapsed and no bridge letter covers today.',
  missing: 'Not covered: there is no usable SOC 2 report on file.',
};

/** A document's status as the bank's staff read it. */
export const DOCUMENT_STATUS_WORDS: Readonly<Record<DocumentStatus, string>> = {
  accepted: 'Accepted: it counts towards the vendor’s coverage.',
  'pending-review': 'Received, waiting for the vendor manager’s review.',
  rejected: 'Rejected by the vendor manager: it does not count.',
  withdrawn: 'Withdrawn by a later import of the portfolio: it does not count.',
};

/** A document's status as the vendor reads it on its own page (never the bank's internal codes). */
export const VENDOR_DOCUMENT_STATUS: Readonly<Record<DocumentStatus, string>> = {
  accepted: 'accepted',
  'pending-review': 'received, waiting for review',
  rejected: 'not accepted',
  withdrawn: 'withdrawn',
};

/** Who did something, for a person reading the audit trail or the register. */
export function actorName(actor: Actor | undefined): string {
  if (!actor) return 'unknown';
  switch (actor.kind) {
    case 'staff':
      return actor.id;
    case 'vendor-link':
      return 'the vendor (upload link)';
    case 'workflow':
      return 'the system';
    case 'import':
      return `an import by ${actor.by}`;
    case 'cuec-link':
      return `${actor.owner} (CUEC owner, by link)`;
  }
}
