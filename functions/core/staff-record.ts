// A member of staff's own record in the table: their calendar feed's secret (only its hash) and their e-mail
// outbox (the weekly digest). Keyed by a hash of the address, so the feed's URL names no person. The outbox is
// the vendors' outbox (core/commands/outbox.ts): its `email-intended` / `email-sent` decisions are applied here
// to the staff record exactly as the vendor reducer applies them to a vendor's.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ValidationError } from './errors.js';
import type { NewEvent } from './events.js';
import type { EmailRecord } from './vendor-state.js';

/** The feed's secret link is live until revoked or replaced; only the secret's SHA-256 is kept. */
export interface CalendarFeed {
  secretHash: string;
  createdAt: string;
}

export interface StaffRecord {
  /** staffKeyOf(email): the item's key and the first part of the feed's token. */
  staffKey: string;
  /** Lower case. */
  email: string;
  /** 1 for the first write, +1 on every write after (the optimistic lock). */
  version: number;
  updatedAt: string | null;
  calendar: CalendarFeed | null;
  /** When the feed was last revoked (for the console page). */
  calendarRevokedAt?: string;
  /** The outbox, keyed by idempotency key (as a vendor's `emails`). */
  emails: Record<string, EmailRecord>;
}

/** Sent e-mails kept this many days after they were intended (a digest's key is one ISO week's: two are kept). */
export const STAFF_SENT_EMAIL_DAYS = 14;

export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** 128 bits of SHA-256 over the address: the record's key, not reversible to a name in a URL. */
export function staffKeyOf(email: string): string {
  return createHash('sha256')
    .update(`bridgekeeper/staff/v1/${normalEmail(email)}`, 'utf8')
    .digest('hex')
    .slice(0, 32);
}

export function emptyStaffRecord(email: string): StaffRecord {
  const normal = normalEmail(email);
  return {
    staffKey: staffKeyOf(normal),
    email: normal,
    version: 0,
    updatedAt: null,
    calendar: null,
    emails: {},
  };
}

// ---- the calendar feed's token ----

const STAFF_KEY = /^[0-9a-f]{32}$/;
/** 32 random bytes, base64url without padding. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The token in the feed's URL: which record, and the secret it must match. */
export function calendarToken(staffKey: string, secret: string): string {
  if (!STAFF_KEY.test(staffKey) || !SECRET.test(secret)) throw new TypeError('not a staff key and secret');
  return `${staffKey}.${secret}`;
}

/** The parts of a presented token, or undefined when it is not one (shape only: nothing is looked up yet). */
export function parseCalendarToken(token: string): { staffKey: string; secret: string } | undefined {
  const [staffKey, secret, extra] = token.split('.');
  if (extra !== undefined || !staffKey || !secret || !STAFF_KEY.test(staffKey) || !SECRET.test(secret))
    return undefined;
  return { staffKey, secret };
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether the presented secret opens the record's feed (constant time; false when none is live). */
export function feedSecretMatches(record: StaffRecord | undefined, secret: string): boolean {
  const stored = record?.calendar?.secretHash;
  if (!stored) return false;
  const a = Buffer.from(secretHash(secret), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

/** A new feed secret (its hash) replaces any earlier one: the old URL stops working at once. */
export function withCalendarFeed(record: StaffRecord, secret: string, at: string): StaffRecord {
  if (!SECRET.test(secret)) throw new TypeError('a feed secret is 32 random bytes in base64url');
  return { ...record, calendar: { secretHash: secretHash(secret), createdAt: at } };
}

/** No feed: the URL stops working. Undefined when there was none (nothing to write). */
export function withoutCalendarFeed(record: StaffRecord, at: string): StaffRecord | undefined {
  if (record.calendar === null) return undefined;
  return { ...record, calendar: null, calendarRevokedAt: at };
}

// ---- the outbox on a staff record ----

/**
 * The outbox's events (core/commands/outbox.ts `intend`, `markSent`) applied to the record, as the vendor reducer
 * applies them: an intent is recorded once per key, marked sent once. Older sent e-mails are dropped.
 */
export function applyOutbox(record: StaffRecord, events: readonly NewEvent[], at: string): StaffRecord {
  const emails = { ...record.emails };
  for (const event of events) {
    if (event.type === 'email-intended') {
      if (emails[event.data.key])
        throw new ValidationError([
          { path: record.email, message: `e-mail ${event.data.key} was already intended` },
        ]);
      emails[event.data.key] = { ...event.data, intendedAt: at };
    } else if (event.type === 'email-sent') {
      const email = emails[event.data.key];
      if (!email || email.sentAt)
        throw new ValidationError([
          { path: record.email, message: `e-mail ${event.data.key} is not waiting to be sent` },
        ]);
      emails[event.data.key] = { ...email, sentAt: at, messageId: event.data.messageId };
    } else
      throw new ValidationError([
        { path: record.email, message: `${event.type} does not belong on a staff record` },
      ]);
  }
  const horizon = Date.parse(at) - STAFF_SENT_EMAIL_DAYS * 86_400_000;
  for (const [key, email] of Object.entries(emails))
    if (email.sentAt !== undefined && Date.parse(email.intendedAt) < horizon) delete emails[key];
  return { ...record, emails };
}
