// The console's calendar page (a staff route: the session checked, some role held): GET /calendar shows whether
// one's feed link is live; POST /calendar
// makes a new one (`action=create`, replacing any earlier link) or revokes it (`action=revoke`). The secret is
// 32 random bytes, shown once; the record keeps its SHA-256 (core/staff-record.ts).
import { randomBytes } from 'node:crypto';
import type { StaffRecords } from '../app/staff.js';
import { ValidationError } from '../core/errors.js';
import type { StaffMember } from '../core/roles.js';
import { calendarToken, withCalendarFeed, withoutCalendarFeed } from '../core/staff-record.js';
import { calendarPage } from '../web/calendar-pages.js';
import { formBody, page, type HttpEvent, type HttpResult } from './http.js';
import { logger } from './logger.js';

export interface CalendarRouteDeps {
  staff: StaffRecords;
  config: { publicBaseUrl: string };
}

/** Where the feed is served: the configured base URL, else the host the page was asked on. */
function baseOf(e: HttpEvent, d: CalendarRouteDeps): string {
  if (d.config.publicBaseUrl) return d.config.publicBaseUrl;
  const host = e.headers?.host ?? e.requestContext?.domainName ?? '';
  return host ? `https://${host}` : '';
}

export async function calendarPageRoute(d: CalendarRouteDeps, staff: StaffMember): Promise<HttpResult> {
  const record = await d.staff.load(staff.email);
  return page(
    calendarPage(
      { name: staff.name },
      {
        email: record.email,
        createdAt: record.calendar?.createdAt ?? null,
        ...(record.calendarRevokedAt ? { revokedAt: record.calendarRevokedAt } : {}),
      },
    ),
  );
}

export async function calendarActionRoute(
  d: CalendarRouteDeps,
  staff: StaffMember,
  e: HttpEvent,
): Promise<HttpResult> {
  const action = formBody(e).action;
  if (action !== 'create' && action !== 'revoke')
    throw new ValidationError([{ path: 'action', message: `${action ?? '(none)'} is not create or revoke` }]);
  if (action === 'revoke') {
    const record = await d.staff.update(staff.email, (r, at) => withoutCalendarFeed(r, at));
    logger.info('calendar feed revoked', { staff: staff.email });
    return page(
      calendarPage(
        { name: staff.name },
        {
          email: record.email,
          createdAt: null,
          ...(record.calendarRevokedAt ? { revokedAt: record.calendarRevokedAt } : {}),
          notice: 'Your calendar link is revoked: calendars subscribed to it get nothing more.',
        },
      ),
    );
  }
  const secret = randomBytes(32).toString('base64url');
  const record = await d.staff.update(staff.email, (r, at) => withCalendarFeed(r, secret, at));
  logger.info('calendar feed made', { staff: staff.email });
  return page(
    calendarPage(
      { name: staff.name },
      {
        email: record.email,
        createdAt: record.calendar?.createdAt ?? null,
        newLink: `${baseOf(e, d)}/calendar/${calendarToken(record.staffKey, secret)}.ics`,
      },
    ),
  );
}
