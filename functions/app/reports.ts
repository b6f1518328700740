// What the console's reports read: the portfolio's vendors as the policy sees them, the coverage forecast, the
// portfolio and findings-register exports. The console pages and the `bridgekeeper` commands share these, so a
// page, its download and the command line give the same rows.
import { assessVendor } from '../core/assess.js';
import type { CalendarDate } from '../core/dates.js';
import {
  byRegisterOrder,
  registerEntryOf,
  type PortfolioExportRow,
  type RegisterEntry,
} from '../core/exports.js';
import { forecastCoverage, type CoverageForecast } from '../core/forecast.js';
import { settingsFor, type Policy } from '../core/policy.js';
import type { Vendor } from '../core/portfolio.js';
import { byUrgency } from '../core/urgency.js';
import {
  FINDING_STATUSES,
  openRequest,
  portfolioVendor,
  type FindingStatus,
  type VendorState,
} from '../core/vendor-state.js';
import type { Vendors } from './vendors.js';

/** Every registered vendor's state, in id order. */
export async function portfolioStates(vendors: Vendors): Promise<VendorState[]> {
  const ids = await vendors.listVendorIds();
  const states = await vendors.loadMany(ids);
  return ids.map((id) => states.get(id)).filter((s): s is VendorState => s?.profile !== undefined);
}

/** The vendors as the policy engine sees them (profile and accepted documents). */
export function policyVendors(states: readonly VendorState[]): Vendor[] {
  return states.map((s) => portfolioVendor(s)).filter((v): v is Vendor => v !== undefined);
}

export async function forecastOf(
  vendors: Vendors,
  today: CalendarDate,
  policy: Policy,
): Promise<CoverageForecast> {
  return forecastCoverage(policyVendors(await portfolioStates(vendors)), today, policy);
}

/** One export row per vendor, most urgent first (the console's order). */
export function portfolioRows(
  states: readonly VendorState[],
  today: CalendarDate,
  policy: Policy,
): PortfolioExportRow[] {
  const rows: (PortfolioExportRow & { tier: Vendor['tier']; name: string })[] = [];
  for (const state of states) {
    const vendor = portfolioVendor(state);
    if (!vendor) continue;
    const assessment = assessVendor(vendor, today, settingsFor(policy, vendor.tier));
    rows.push({
      profile: vendor,
      assessment,
      requestDue: openRequest(state)?.dueDate ?? null,
      pendingReviews: state.documents.filter((d) => d.status === 'pending-review').length,
      tier: vendor.tier,
      name: vendor.name,
    });
  }
  return byUrgency(rows, today).map(({ profile, assessment, requestDue, pendingReviews }) => ({
    profile,
    assessment,
    requestDue,
    pendingReviews,
  }));
}

export const REGISTER_STATES: readonly FindingStatus[] = FINDING_STATUSES;

/**
 * The findings register with the given states (all by default), overdue first. Vendors' names come from
 * `states` when the caller has them (else they are read).
 */
export async function registerEntries(
  vendors: Vendors,
  options: {
    today: CalendarDate;
    timeZone: string;
    policy: Policy;
    states?: readonly FindingStatus[];
    vendorStates?: readonly VendorState[];
  },
): Promise<RegisterEntry[]> {
  const wanted = options.states ?? REGISTER_STATES;
  const found = (await Promise.all(wanted.map((s) => vendors.findingsByStatus(s)))).flat();
  const profiles = new Map(
    (options.vendorStates ?? (await portfolioStates(vendors))).map((s) => [s.vendorId, s.profile]),
  );
  return found
    .map((f) => registerEntryOf(f, profiles.get(f.vendorId), options.today, options.timeZone, options.policy))
    .sort(byRegisterOrder);
}
