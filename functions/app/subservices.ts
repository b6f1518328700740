// Subservice organisations' records (spec section 9) as the application uses them: imported beside the vendors,
// and the standings every assessment of a vendor's carve-outs reads (the console, the review, the lifecycle, the
// vendor's upload page), so that `subservice-uncovered` is computed the same way wherever it is shown.
import type { Actor } from '../core/events.js';
import type { CalendarDate } from '../core/dates.js';
import type { Policy } from '../core/policy.js';
import type { SubserviceOrganization, Vendor } from '../core/portfolio.js';
import {
  namedOrganizations,
  organizationImportEvents,
  standingsOf,
  type NamedStanding,
} from '../core/subservices.js';
import type { VendorState } from '../core/vendor-state.js';
import type { Vendors } from './vendors.js';

export interface OrganizationImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  events: number;
}

/** Writes validated subservice organisations, each its own record; re-importing the same ones appends nothing. */
export async function importSubserviceOrganizations(
  store: Vendors,
  organizations: readonly SubserviceOrganization[],
  options: {
    actor: Actor;
    /** States already read (by `loadMany`), to decide on without re-reading. */
    states?: ReadonlyMap<string, VendorState>;
    concurrency?: number;
  },
): Promise<OrganizationImportSummary> {
  const summary: OrganizationImportSummary = { created: 0, updated: 0, unchanged: 0, events: 0 };
  let next = 0;
  const worker = async () => {
    while (next < organizations.length) {
      const organization = organizations[next++];
      if (!organization) break;
      let existed = false;
      const result = await store.update(
        organization.id,
        (state) => {
          existed = state?.organization !== undefined;
          return organizationImportEvents(organization, state, { manageDocuments: true });
        },
        { actor: options.actor, assumeState: options.states?.get(organization.id) ?? null },
      );
      if (result.events.length === 0) summary.unchanged++;
      else if (existed) summary.updated++;
      else summary.created++;
      summary.events += result.events.length;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return summary;
}

/** The standings of these subservice organisations as of `asOf` (ids with no stored record are left out). */
export async function subserviceStandings(
  store: Vendors,
  ids: Iterable<string>,
  asOf: CalendarDate,
  policy: Policy,
): Promise<Map<string, NamedStanding>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const states = await store.loadMany(unique);
  return standingsOf(states.values(), asOf, policy.defaults);
}

/**
 * The subservice index the assessment of these vendors needs (core/assess.ts `SubserviceIndex`): the standing of
 * every organisation their reports name. One batched read; none for vendors whose reports name none.
 */
export function subserviceIndexFor(
  store: Vendors,
  vendors: Iterable<Pick<Vendor, 'documents'>>,
  asOf: CalendarDate,
  policy: Policy,
): Promise<Map<string, NamedStanding>> {
  const ids: string[] = [];
  for (const vendor of vendors) ids.push(...namedOrganizations(vendor));
  return subserviceStandings(store, ids, asOf, policy);
}
