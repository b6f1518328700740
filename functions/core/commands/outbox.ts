// The outbox (every e-mail, lifecycle and people's side alike): an intent is recorded in the same commit as the
// change that calls for it, the message is sent after the commit, and `email-sent` is recorded after the send. An
// intent still unsent after OUTBOX_GRACE_MS is sent by whoever next looks at the vendor (the lifecycle's next
// Plan, the daily reconciler), so a crash between commit and send loses nothing. A crash between send and mark
// can send a message twice: SES has no idempotency key (docs/data-model.md, "The outbox").
import type { CalendarDate } from '../dates.js';
import { event as ev, type NewEvent } from '../events.js';
import { renderMail } from '../mail/render.js';
import type { MailFacts, MailKind } from '../mail/templates.js';
import type { EmailRecord, VendorState } from '../vendor-state.js';

/**
 * How long an intent belongs to the writer that recorded it (it is sending it right now). After this, anyone
 * may send it: long enough for one send with the SDK's retries, short enough that a lost e-mail waits minutes.
 */
export const OUTBOX_GRACE_MS = 10 * 60_000;

export interface MailIntent {
  /** Idempotency key: one message per key, ever. */
  key: string;
  kind: MailKind;
  to: string;
  date: CalendarDate;
  facts: MailFacts;
}

/** A message handed to the mail service: what `email-sent` records. */
export interface SentEmail {
  key: string;
  messageId: string;
}

export function emailKey(vendorId: string, cycle: number | string, kind: string, date: CalendarDate): string {
  return `${vendorId}/${cycle}/${kind}/${date}`;
}

/** The `email-intended` event for a message, or nothing when that key was intended before. */
export function intend(state: Pick<VendorState, 'emails'> | undefined, intent: MailIntent): NewEvent[] {
  if (state?.emails[intent.key]) return [];
  const { subject } = renderMail(intent.kind, intent.facts);
  return [
    ev('email-intended', {
      key: intent.key,
      kind: intent.kind,
      to: intent.to,
      subject,
      date: intent.date,
      facts: intent.facts,
    }),
  ];
}

/** `email-sent` for each message that is intended and not yet recorded sent. */
export function markSent(
  state: Pick<VendorState, 'emails'> | undefined,
  sent: readonly SentEmail[],
): NewEvent[] {
  const seen = new Set<string>();
  return sent
    .filter((m) => {
      const email = state?.emails[m.key];
      if (!email || email.sentAt || seen.has(m.key)) return false;
      seen.add(m.key);
      return true;
    })
    .map((m) => ev('email-sent', { key: m.key, messageId: m.messageId }));
}

/** Which unsent intents a writer sends now, besides any past the grace period. */
export interface Ownership {
  /** Intents this writer just recorded (it sends them at once). */
  keys?: ReadonlySet<string>;
  /** Kinds only this writer records for the vendor (the lifecycle's own mail): sent whatever their age. */
  kinds?: ReadonlySet<MailKind>;
}

/**
 * The intents to send now: this writer's own, and any other still unsent after the grace period (its writer
 * stopped before sending, or the send failed).
 */
export function toSend(state: Pick<VendorState, 'emails'>, now: Date, own: Ownership = {}): EmailRecord[] {
  return Object.values(state.emails)
    .filter(
      (e) =>
        e.sentAt === undefined &&
        (own.keys?.has(e.key) ||
          own.kinds?.has(e.kind) ||
          Date.parse(e.intendedAt) <= now.getTime() - OUTBOX_GRACE_MS),
    )
    .sort((a, b) => (a.intendedAt < b.intendedAt ? -1 : a.intendedAt > b.intendedAt ? 1 : 0));
}
