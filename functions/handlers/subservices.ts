// Subservice organisations on the staff side (spec section 9):
//   GET /subservices        every organisation: its coverage and how many vendors depend on it
//   GET /subservices/{id}   one organisation: its coverage, its documents, the vendors that rely on it
import { PAGE_FUNCTIONS } from '../catalog.js';
import type { Vendors } from '../app/vendors.js';
import { subserviceCoverageOf } from '../core/assess.js';
import { reliancesOf } from '../core/concentration.js';
import { calendarDateOf } from '../core/dates.js';
import { NotFoundError } from '../core/errors.js';
import { portfolioVendor, subserviceOrganizationOf, type VendorState } from '../core/vendor-state.js';
import type { Vendor } from '../core/portfolio.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { SessionStore } from '../ports/sessions.js';
import { readConfig, type Config } from '../edge/config.js';
import { lambda, page, param, router, type RouteHandler } from '../edge/http.js';
import { clock, lazy } from '../edge/runtime.js';
import { staffRoute } from '../edge/session.js';
import { openSessions } from '../edge/sessions.js';
import { staffPages } from '../edge/staff.js';
import { openVendors } from '../edge/vendors.js';
import { subserviceListPage, subservicePage, type OrganizationRow } from '../web/subservice-pages.js';

export interface SubservicesDeps {
  vendors: Vendors;
  sessions: SessionStore;
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'policy' | 'publicBaseUrl'>;
}

const deps = lazy((): SubservicesDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.subservices.needs);
  return { vendors: openVendors(config), sessions: openSessions(config.tableName), clock, config };
});

/** Every vendor as the policy sees it (for the concentration: whose basis names which organisation). */
async function allVendors(d: SubservicesDeps): Promise<Vendor[]> {
  const states = await d.vendors.loadMany(await d.vendors.listVendorIds());
  return [...states.values()].flatMap((s: VendorState) => {
    const vendor = portfolioVendor(s);
    return vendor ? [vendor] : [];
  });
}

export function subservicesRoutes(getDeps: () => SubservicesDeps): RouteHandler {
  const sessionDeps = () => {
    const d = getDeps();
    // Sessions run on real time (a person's working day), whatever calendar the lifecycle's clock shows.
    return { sessions: d.sessions, clock: systemClock, publicBaseUrl: d.config.publicBaseUrl };
  };
  return async (event) =>
    router(
      {
        'GET /subservices': staffRoute(sessionDeps, async (_e, staff) => {
          const d = getDeps();
          const asOf = calendarDateOf(d.clock.now(), d.config.timeZone);
          const states = await d.vendors.loadMany(await d.vendors.listSubserviceOrganizationIds());
          const reliances = reliancesOf(await allVendors(d), asOf, d.config.policy);
          const rows: OrganizationRow[] = [];
          for (const state of states.values()) {
            const organization = subserviceOrganizationOf(state);
            if (!organization) continue;
            const coverage = subserviceCoverageOf(organization, asOf, d.config.policy.defaults);
            const relying = reliances.get(organization.id) ?? [];
            rows.push({
              id: organization.id,
              name: organization.name,
              status: coverage.status,
              lapseDate: coverage.lapseDate,
              dependents: relying.filter((r) => r.method === 'carve-out').length,
              inclusive: relying.filter((r) => r.method === 'inclusive').length,
            });
          }
          rows.sort((a, b) => b.dependents - a.dependents || a.id.localeCompare(b.id));
          return page(subserviceListPage({ name: staff.name }, { asOf, rows }));
        }),

        'GET /subservices/{id}': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const id = param(e, 'id');
          const state = await d.vendors.load(id);
          const organization = state && subserviceOrganizationOf(state);
          if (!state || !organization) throw new NotFoundError('There is no such subservice organisation.');
          const asOf = calendarDateOf(d.clock.now(), d.config.timeZone);
          const reliances = reliancesOf(await allVendors(d), asOf, d.config.policy);
          return page(
            subservicePage(
              { name: staff.name },
              {
                id,
                name: organization.name,
                asOf,
                coverage: subserviceCoverageOf(organization, asOf, d.config.policy.defaults),
                documents: state.documents,
                reliances: reliances.get(id) ?? [],
              },
            ),
          );
        }),
      },
      staffPages(event),
    )(event);
}

export const handler = lambda(subservicesRoutes(deps));
