// Sending what the outbox holds (functions/core/commands/outbox.ts): each intent is rendered from its recorded
// facts, with the vendor's upload link minted again from the request for the kinds that carry one (the token is
// a MAC, never stored), handed to the mail service, and recorded `email-sent`.
import { calendarDateOf } from '../core/dates.js';
import type { Actor } from '../core/events.js';
import { markSent, type SentEmail } from '../core/commands/outbox.js';
import { renderMail } from '../core/mail/render.js';
import { LINKED_KINDS, type MailFacts } from '../core/mail/templates.js';
import { cuecLinkMessage } from '../core/cuec-link.js';
import { linkMessage } from '../core/upload-link.js';
import type { EmailRecord, VendorState } from '../core/vendor-state.js';
import type { Mac } from '../ports/mac.js';
import type { Mailer } from '../ports/mailer.js';
import type { Vendors } from './vendors.js';

export interface MailDeps {
  mailer: Mailer;
  /** Mints upload-link tokens; absent in functions whose mail never carries a link. */
  mac?: Mac;
  /** Where the vendor pages live ('' when unknown: links are then left out). */
  publicBaseUrl: string;
  timeZone: string;
}

/** The upload link of an open request, as the vendor's e-mails carry it. */
export async function uploadLinkOf(
  deps: Pick<MailDeps, 'mac' | 'publicBaseUrl' | 'timeZone'>,
  state: VendorState,
  requestId: string,
): Promise<{ url: string; expires: string } | undefined> {
  const request = state.requests[requestId];
  if (!request?.open || !deps.publicBaseUrl) return undefined;
  if (!deps.mac) throw new Error('this function has no MAC key, so its mail cannot carry an upload link');
  const token = await deps.mac.sign(linkMessage(state.vendorId, requestId, request.nonce));
  return {
    url: `${deps.publicBaseUrl}/u/${token}`,
    // The last calendar day on which the link still works.
    expires: calendarDateOf(new Date(Date.parse(request.expiresAt) - 1), deps.timeZone),
  };
}

/** A CUEC owner's confirmation link, while the confirmation is unanswered (core/cuec-link.ts). */
export async function confirmationLinkOf(
  deps: Pick<MailDeps, 'mac' | 'publicBaseUrl'>,
  state: VendorState,
  confirmationId: string,
): Promise<string | undefined> {
  const confirmation = state.cuecConfirmations?.[confirmationId];
  if (!confirmation || confirmation.answeredAt || !deps.publicBaseUrl) return undefined;
  if (!deps.mac) throw new Error('this function has no MAC key, so its mail cannot carry a link');
  const token = await deps.mac.sign(cuecLinkMessage(state.vendorId, confirmationId, confirmation.nonce));
  return `${deps.publicBaseUrl}/c/${encodeURIComponent(state.vendorId)}/${token}`;
}

/**
 * Renders and sends `emails` in order; stops at the first failure. Returns what went out and the failure, so the
 * caller records the sent ones before it reports the error (no message is sent twice for want of a record).
 * `state` is the vendor whose outbox they are (for the upload link some carry); undefined for a staff record's.
 */
export async function sendEmails(
  deps: MailDeps,
  state: VendorState | undefined,
  emails: readonly EmailRecord[],
): Promise<{ sent: SentEmail[]; error?: unknown }> {
  const sent: SentEmail[] = [];
  try {
    for (const email of emails) {
      let facts: MailFacts = email.facts;
      if (state && LINKED_KINDS.has(email.kind) && facts.requestId) {
        const link = await uploadLinkOf(deps, state, facts.requestId);
        if (link) facts = { ...facts, uploadUrl: link.url, linkExpires: link.expires };
      }
      if (state && email.kind === 'cuec-confirmation' && facts.confirmationId) {
        const url = await confirmationLinkOf(deps, state, facts.confirmationId);
        if (url) facts = { ...facts, confirmUrl: url };
      }
      const rendered = renderMail(email.kind, facts);
      const { messageId } = await deps.mailer.send({ to: email.to, ...rendered });
      sent.push({ key: email.key, messageId });
    }
    return { sent };
  } catch (error) {
    return { sent, error };
  }
}

/** Records messages sent (one append; nothing when all are on record already). */
export async function recordSent(
  vendors: Vendors,
  state: VendorState,
  sent: readonly SentEmail[],
  actor: Actor,
): Promise<VendorState> {
  if (sent.length === 0) return state;
  return (await vendors.update(state.vendorId, (s) => markSent(s, sent), { actor, assumeState: state }))
    .state;
}

/** Sends `emails` and records them sent (one append), then rethrows a send failure. */
export async function deliver(
  vendors: Vendors,
  deps: MailDeps,
  state: VendorState,
  emails: readonly EmailRecord[],
  actor: Actor,
): Promise<VendorState> {
  if (emails.length === 0) return state;
  const { sent, error } = await sendEmails(deps, state, emails);
  const after = await recordSent(vendors, state, sent, actor);
  if (error !== undefined) throw error;
  return after;
}
