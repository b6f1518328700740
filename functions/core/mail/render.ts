// Every message Bridgekeeper sends is rendered here from the facts recorded with its intent (the outbox), plus
// the vendor's link for the kinds that carry one: so an intent recorded before a crash renders the same message
// when the next wake-up sends it.
import { renderLifecycleMail, type MailFacts, type MailKind, type RenderedMail } from './templates.js';
import {
  cuecConfirmationMail,
  documentAcceptedMail,
  documentRejectedMail,
  reviewRequestMail,
} from './people.js';
import { weeklyDigestMail } from './digest.js';
import { riskAcceptanceExpiredMail } from './findings.js';

export function renderMail(kind: MailKind, facts: MailFacts): RenderedMail {
  switch (kind) {
    case 'review-request':
      return reviewRequestMail({
        vendorName: facts.vendorName,
        kind: facts.documentKind ?? '',
        date: facts.date,
        ...(facts.reviewUrl ? { reviewUrl: facts.reviewUrl } : {}),
      });
    case 'document-accepted':
      return documentAcceptedMail({ vendorName: facts.vendorName, kind: facts.documentKind ?? '' });
    case 'document-rejected':
      return documentRejectedMail({
        vendorName: facts.vendorName,
        kind: facts.documentKind ?? '',
        reason: facts.reason ?? '',
        ...(facts.uploadUrl ? { uploadUrl: facts.uploadUrl } : {}),
      });
    case 'risk-acceptance-expired':
      return riskAcceptanceExpiredMail(facts);
    case 'cuec-confirmation':
      return cuecConfirmationMail({
        vendorName: facts.vendorName,
        kind: facts.documentKind ?? '',
        periodEnd: facts.periodEnd,
        cuecId: facts.cuecId ?? '',
        cuecText: facts.cuecText ?? '',
        ...(facts.confirmUrl ? { confirmUrl: facts.confirmUrl } : {}),
      });
    case 'weekly-digest':
      if (!facts.digest) throw new TypeError('a weekly digest is rendered from its digest facts');
      return weeklyDigestMail(facts.digest);
    default:
      return renderLifecycleMail(kind, facts);
  }
}
