// A member of staff's calendar feed behind its secret link (the link is the only credential, as a vendor's
// upload link is): GET /calendar/{token}, the token `<staffKey>.<secret>.ics`. Only the secret's SHA-256 is
// stored on the person's record, compared in constant time; a revoked, replaced, unknown or malformed link gets
// the same 404. The token is never logged (the event is not logged; the access log names the route template).
// Read only: this function may read the table, never write it.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { calendarFeed } from '../app/calendar.js';
import type { StaffRecords } from '../app/staff.js';
import type { Vendors } from '../app/vendors.js';
import { NotFoundError } from '../core/errors.js';
import { feedSecretMatches, parseCalendarToken } from '../core/staff-record.js';
import type { Clock } from '../ports/clock.js';
import { readConfig, type Config } from '../edge/config.js';
import { lambda, param, router, type ErrorPages, type HttpResult, type RouteHandler } from '../edge/http.js';
import { logger } from '../edge/logger.js';
import { clock, lazy } from '../edge/runtime.js';
import { openStaffRecords } from '../edge/staff-records.js';
import { openVendors } from '../edge/vendors.js';

export interface CalendarDeps {
  vendors: Vendors;
  staff: StaffRecords;
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'policy' | 'publicBaseUrl'>;
}

const deps = lazy((): CalendarDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.calendar.needs);
  // Only what the feed reads (a spread of the whole configuration would read every variable it has no need for).
  const { timeZone, policy, publicBaseUrl } = config;
  return {
    vendors: openVendors(config),
    staff: openStaffRecords(config),
    clock,
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
  failed: (message, statusCode) => text(statusCode, message),
};

export function calendarRoutes(getDeps: () => CalendarDeps): RouteHandler {
  return router(
    {
      'GET /calendar/{token}': async (e) => {
        const d = getDeps();
        const file = param(e, 'token');
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
