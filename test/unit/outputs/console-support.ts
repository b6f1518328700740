// A console over the in-memory store, for the route tests: the same handler routes as on AWS, called with the
// API Gateway v2 events the local front builds.
import { importPortfolio } from '../../../functions/app/import.js';
import { StaffRecords } from '../../../functions/app/staff.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { MemoryStaffStore } from '../../../functions/adapters/memory/staff-store.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { memoryDocuments } from '../../../functions/adapters/memory/documents.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import type { Portfolio } from '../../../functions/core/portfolio.js';
import type { HttpEvent, HttpResult } from '../../../functions/edge/http.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { consoleRoutes, type ConsoleDeps } from '../../../functions/handlers/console.js';
import { memorySessions } from '../../../functions/adapters/memory/sessions.js';
import type { StaffRole } from '../../../functions/core/roles.js';
import { newCookieSecret, storeKeyOf } from '../../../functions/edge/session.js';
import { testMac } from '../../support/mac.js';

const BASE_URL = 'https://bk.bank.example';

/** The roles of the people the route tests sign in as (as the deployment's group mapping would give them). */
const ROLES: Record<string, StaffRole[]> = {
  'tprm@bank.example': ['compliance-lead'],
  'lead@bank.example': ['compliance-lead'],
  'ada.okafor@bank.example': ['auditor'],
};

export async function consoleOver(portfolio: Portfolio, now: Date) {
  const clock = new FixedClock(now);
  const store = new MemoryEventStore();
  const vendors = new Vendors(store, { clock, mac: testMac() });
  await importPortfolio(vendors, portfolio, { actor: { kind: 'import', by: 'test' }, manageDocuments: true });
  const sessions = memorySessions(`console-${Math.random()}`);
  const cookies = new Map<string, string>();
  /** A live session of `email` (its roles from ROLES, else vendor-manager), as the sign-in handler makes one. */
  const cookieOf = async (email: string) => {
    let cookie = cookies.get(email);
    if (!cookie) {
      const secret = newCookieSecret();
      await sessions.saveSession(storeKeyOf(secret)!, {
        member: { email, name: email.split('@')[0]!, roles: ROLES[email] ?? ['vendor-manager'] },
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2999-01-01T00:00:00.000Z',
      });
      cookies.set(email, (cookie = `__Host-bk_session=${secret}`));
    }
    return cookie;
  };
  const deps: ConsoleDeps = {
    vendors,
    sessions,
    files: memoryDocuments(`console-${Math.random()}`),
    clock,
    config: { timeZone: 'UTC', policy: DEFAULT_POLICY, publicBaseUrl: BASE_URL },
    staff: new StaffRecords(new MemoryStaffStore(), clock),
    wake: async () => {},
  };
  const routes = consoleRoutes(() => deps);
  const call = async (
    routeKey: string,
    options: {
      path?: Record<string, string>;
      query?: Record<string, string>;
      body?: string;
      email?: string;
    } = {},
  ): Promise<HttpResult> => {
    const method = routeKey.split(' ')[0]!;
    return routes({
      version: '2.0',
      routeKey,
      rawPath: routeKey.split(' ')[1]!,
      rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
      headers: {
        host: 'bk.bank.example',
        cookie: await cookieOf(options.email ?? 'tprm@bank.example'),
        // A form post from the console's own page (the staff routes refuse any other origin).
        ...(method === 'POST'
          ? { origin: BASE_URL, 'content-type': 'application/x-www-form-urlencoded' }
          : {}),
      },
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      isBase64Encoded: false,
      requestContext: { http: { method }, domainName: 'bk.bank.example' },
    } as unknown as HttpEvent);
  };
  return { vendors, store, clock, deps, call, routes };
}
