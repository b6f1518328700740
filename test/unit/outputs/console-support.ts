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
import { testMac } from '../../support/mac.js';

export async function consoleOver(portfolio: Portfolio, now: Date) {
  const clock = new FixedClock(now);
  const store = new MemoryEventStore();
  const vendors = new Vendors(store, { clock, mac: testMac() });
  await importPortfolio(vendors, portfolio, { actor: { kind: 'import', by: 'test' }, manageDocuments: true });
  const deps: ConsoleDeps = {
    vendors,
    files: memoryDocuments(`console-${Math.random()}`),
    clock,
    config: { timeZone: 'UTC', policy: DEFAULT_POLICY, publicBaseUrl: 'https://bk.bank.example' },
    staff: new StaffRecords(new MemoryStaffStore(), clock),
  };
  const routes = consoleRoutes(() => deps);
  const call = (
    routeKey: string,
    options: {
      path?: Record<string, string>;
      query?: Record<string, string>;
      body?: string;
      email?: string;
    } = {},
  ): Promise<HttpResult> =>
    routes({
      version: '2.0',
      routeKey,
      rawPath: '/',
      rawQueryString: '',
      headers: {},
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      isBase64Encoded: false,
      requestContext: {
        authorizer: {
          jwt: { claims: { email: options.email ?? 'tprm@bank.example', name: 'Tara Lind' }, scopes: [] },
        },
      },
    } as unknown as HttpEvent);
  return { vendors, store, clock, deps, call, routes };
}
