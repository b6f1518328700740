// Sending the weekly digest: once this ISO week's digest is due (its weekday, at the mail hour), each vendor
// manager and compliance lead gets one, through the outbox on their staff record: the intent is recorded first
// (one per person per ISO week, core/digest.ts `digestKey`), then sent, then marked sent. A run that stops after
// recording leaves the intent for whoever runs next once its grace period is over (the daily reconciler, or a
// retry); a run that finds the intent already recorded by another never sends it while that one may still be
// sending. So a re-run, a retry or a second schedule never sends a second digest for the same week.
import { intend, markSent, toSend } from '../core/commands/outbox.js';
import { calendarDateOf } from '../core/dates.js';
import { digestDueAt, digestFor, digestKey, digestRecipients, isoWeekOf } from '../core/digest.js';
import type { Policy } from '../core/policy.js';
import { applyOutbox } from '../core/staff-record.js';
import type { Clock } from '../ports/clock.js';
import { sendEmails, type MailDeps } from './outbox.js';
import { portfolioStates } from './reports.js';
import type { StaffRecords } from './staff.js';
import type { Vendors } from './vendors.js';

export interface DigestDeps {
  vendors: Vendors;
  staff: StaffRecords;
  mail: MailDeps;
  clock: Clock;
  policy: Policy;
  mailHour: number;
  /** ISO weekday the digest goes out: 1 Monday ... 7 Sunday. */
  weekday: number;
}

export interface DigestRun {
  week: string;
  /** False before this week's digest is due (nothing was read). */
  due: boolean;
  recipients: number;
  /** Digests recorded by this run. */
  intended: string[];
  /** Messages this run handed to the mail service (this week's, and any left unsent past their grace). */
  sent: string[];
  errors: { to: string; error: string }[];
}

const CONCURRENCY = 8;

export async function runDigests(d: DigestDeps): Promise<DigestRun> {
  const now = d.clock.now();
  const timeZone = d.mail.timeZone;
  const today = calendarDateOf(now, timeZone);
  const week = isoWeekOf(today).label;
  const dueAt = digestDueAt(today, d.weekday, d.mailHour, timeZone);
  const run: DigestRun = { week, due: now >= dueAt, recipients: 0, intended: [], sent: [], errors: [] };
  if (!run.due) return run;
  // The week reported on runs from the previous digest's due instant.
  const since = new Date(dueAt.getTime() - 7 * 86_400_000);
  const recipients = digestRecipients(await portfolioStates(d.vendors));
  run.recipients = recipients.length;
  const consoleUrl = d.mail.publicBaseUrl || undefined;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, recipients.length) }, async () => {
      while (next < recipients.length) {
        const recipient = recipients[next++]!;
        const to = recipient.email;
        try {
          const key = digestKey(to, week);
          const facts = digestFor(recipient, {
            now,
            since,
            timeZone,
            policy: d.policy,
            ...(consoleUrl ? { consoleUrl } : {}),
          });
          // Ours to send at once only if this run recorded it (decide may run again after a lost race).
          let recorded = false;
          const record = await d.staff.update(to, (r, at) => {
            const events = intend(r, {
              key,
              kind: 'weekly-digest',
              to,
              date: today,
              facts: {
                vendorName: '',
                vendorId: '',
                date: today,
                lapseDate: null,
                periodEnd: null,
                bridgedUntil: null,
                digest: facts,
              },
            });
            recorded = events.length > 0;
            return recorded ? applyOutbox(r, events, at) : undefined;
          });
          if (recorded) run.intended.push(key);
          const unsent = toSend(record, now, recorded ? { keys: new Set([key]) } : {});
          if (unsent.length === 0) continue;
          const { sent, error } = await sendEmails(d.mail, undefined, unsent);
          if (sent.length > 0) {
            await d.staff.update(to, (r, at) => {
              const events = markSent(r, sent);
              return events.length > 0 ? applyOutbox(r, events, at) : undefined;
            });
            run.sent.push(...sent.map((s) => s.key));
          }
          if (error !== undefined) throw error;
        } catch (error) {
          run.errors.push({ to, error: (error as Error).name });
        }
      }
    }),
  );
  run.intended.sort();
  run.sent.sort();
  return run;
}
