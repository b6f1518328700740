// A member of staff's calendar feed behind its secret link (the link is the only credential, as a vendor's
// upload link is): GET /calendar/{token}, the token `<staffKey>.<secret>.ics`. Only the secret's SHA-256 is
// stored on the person's record, compared in constant time; a revoked, replaced, unknown or malformed link gets
// the same 404. Each link has its own request budget per hour (core/calendar.ts CALENDAR_FEED_LIMIT), counted
// before anything is looked up, as for upload links. The token is never logged (the event is not logged; the
// access log names the route template). It reads the table and writes nothing but its link counters.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { calendarFeed } from '../app/calendar.js';
import type { StaffRecords } from '../app/staff.js';
import type { Vendors } from '../app/vendors.js';
import { CALENDAR_FEED_LIMIT } from '../core/calendar.js';
import { NotFoundError, RateLimitedError } from '../core/errors.js';
import { linkWindow, secondsLeft } from '../core/link-limits.js';
import { feedSecretMatches, parseCalendarToken, secretHash } from '../core/staff-record.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { LinkCounter } from '../ports/link-limits.js';
import { readConfig, type Config } from '../edge/config.js';
import { lambda, param, router, type ErrorPages, type HttpResult, type RouteHandler } from '../edge/http.js';
import { logger } from '../edge/logger.js';
import { clock, lazy } from '../edge/runtime.js';
import { openSessions } from '../edge/sessions.js';
import { openStaffRecords } from '../edge/staff-records.js';
import { openVendors } from '../edge/vendors.js';

export interface CalendarDeps {
  vendors: Vendors;
  staff: StaffRecords;
  links: LinkCounter;
  /** The lifecycle's calendar: which dates the feed holds. */
  clock: Clock;
  /** Real time: the per-link windows count requests as they arrive. */
  requestClock: Clock;
  config: Pick<Config, 'timeZone' | 'policy' | 'publicBaseUrl'>;
}

const deps = lazy((): CalendarDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.calendar.needs);
  // Only what the feed reads (a spread of the whole configuration would read every variable it has no need for).
  const { timeZone, policy, publicBaseUrl } = config;
  return {
    vendors: openVendors(config),
    staff: openStaffRecords(config),
    links: openSessions(config.tableName),
    clock,
    requestClock: systemClock,
    config: { timeZone, policy, publicBaseUrl },
  };
});

const DEAD = 'This calendar link does not work: it was revoked or replaced. Make a new one in Bridgekeeper.';

function text(statusCode: number, body: string): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

const pages: ErrorPages = {
  forbidden: () => text(404, DEAD),
  notFound: () => text(404, DEAD),
  invalid: () => text(404, DEAD),
  refused: () => text(404, DEAD),
  failed: (message, statusCode) => text(statusCode, message),
};

export function calendarRoutes(getDeps: () => CalendarDeps): RouteHandler {
  return router(
    {
      'GET /calendar/{token}': async (e) => {
        const d = getDeps();
        const file = param(e, 'token');
        const arrived = d.requestClock.now();
        const window = linkWindow(arrived, CALENDAR_FEED_LIMIT.windowSeconds);
        if (!(await d.links.take(`calendar:${secretHash(file)}`, window, CALENDAR_FEED_LIMIT.requests)))
          throw new RateLimitedError(
            'This calendar link was read too often; your calendar application will get it again later.',
            secondsLeft(window, arrived),
          );
        const parts = file.endsWith('.ics') ? parseCalendarToken(file.slice(0, -4)) : undefined;
        const record = parts && (await d.staff.byKey(parts.staffKey));
        if (!parts || !record || !feedSecretMatches(record, parts.secret)) throw new NotFoundError(DEAD);
        const { timeZone, policy, publicBaseUrl } = d.config;
        const body = await calendarFeed(d.vendors, record.email, {
          now: d.clock.now(),
          timeZone,
          policy,
          publicBaseUrl,
        });
        logger.info('calendar feed served', { staffKey: parts.staffKey, bytes: body.length });
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/calendar; charset=utf-8',
            'content-disposition': 'inline; filename="bridgekeeper.ics"',
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body,
        };
      },
    },
    pages,
  );
}

export const handler = lambda(calendarRoutes(deps));
