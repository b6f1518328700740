// Subservice organisations (fourth parties, spec section 9) as records: what an import means for one, which of
// them a vendor's reports carve out, and where each stands for the vendor's lifecycle. Pure.
import {
  carvedOutOf,
  coverageOf,
  subserviceCoverageOf,
  type SubserviceIndex,
  type SubserviceStanding,
} from './assess.js';
import { canonicalJson } from './audit-chain.js';
import { addDays, type CalendarDate } from './dates.js';
import type { NewEvent } from './events.js';
import { importedDocumentEvents } from './import-diff.js';
import type { PolicySettings } from './policy.js';
import { isSocReport, type SubserviceOrganization, type Vendor, type VendorDocument } from './portfolio.js';
import { subserviceOrganizationOf, type VendorState } from './vendor-state.js';

/**
 * The events that take a subservice organisation's stored record to the imported one: registered (or renamed),
 * its imported documents added, and (when the input lists its documents) imported ones no longer listed
 * withdrawn. Documents accepted from a vendor's upload are never touched by an import.
 */
export function organizationImportEvents(
  organization: SubserviceOrganization,
  state: VendorState | undefined,
  options: { manageDocuments: boolean },
): NewEvent[] {
  const events: NewEvent[] = [];
  if (!state?.organization)
    events.push({ type: 'organization-registered', data: { name: organization.name } });
  else if (state.organization.name !== organization.name)
    events.push({ type: 'organization-renamed', data: { name: organization.name } });
  events.push(
    ...importedDocumentEvents(
      organization.documents.map((d) => JSON.parse(canonicalJson(d)) as VendorDocument),
      state,
      { ...options, firstImport: !state?.organization },
    ),
  );
  return events;
}

/**
 * The subservice organisations a vendor's SOC reports name, carved out or included, in document order: the ids
 * whose records its assessment (today's basis, or a preview's) can need.
 */
export function namedOrganizations(vendor: Pick<Vendor, 'documents'>): string[] {
  const ids = new Set<string>();
  for (const d of vendor.documents)
    if (isSocReport(d)) for (const ref of d.subservices ?? []) ids.add(ref.id);
  return [...ids];
}

/** A subservice organisation's standing with its name, for the pages and the vendor's e-mails. */
export interface NamedStanding extends SubserviceStanding {
  name: string;
  /** Until when a valid bridge letter covers it (null: none). */
  bridgedUntil: CalendarDate | null;
}

/** Where each stored organisation stands as of `asOf`, by id (policy defaults: an organisation has no tier). */
export function standingsOf(
  states: Iterable<VendorState>,
  asOf: CalendarDate,
  defaults: PolicySettings,
): Map<string, NamedStanding> {
  const index = new Map<string, NamedStanding>();
  for (const state of states) {
    const organization = subserviceOrganizationOf(state);
    if (!organization) continue;
    const coverage = subserviceCoverageOf(organization, asOf, defaults);
    index.set(organization.id, {
      id: organization.id,
      name: organization.name,
      status: coverage.status,
      lapseDate: coverage.lapseDate,
      bridgedUntil: coverage.bridgedUntil,
    });
  }
  return index;
}

/** Days before its lapse date a carved-out organisation's new report is asked for (as the vendor's own, 5). */
export const SUBSERVICE_REQUEST_DAYS_BEFORE_LAPSE = 30;

/**
 * Whether the vendor is asked for this carved-out organisation's report today: it has no report that covers it
 * (`stale` or `missing`: the `subservice-uncovered` finding), or its lapse date is 30 days away or less (the
 * vendor's own report is asked for on the same schedule, spec section 5), unless a bridge letter covers it for
 * more than 30 days yet.
 */
export function organizationWanted(standing: NamedStanding, today: CalendarDate): boolean {
  if (standing.status === 'stale' || standing.status === 'missing' || standing.lapseDate === null)
    return true;
  const ahead = SUBSERVICE_REQUEST_DAYS_BEFORE_LAPSE;
  if (standing.bridgedUntil !== null && today < addDays(standing.bridgedUntil, -ahead)) return false;
  return today >= addDays(standing.lapseDate, -ahead);
}

/**
 * The basis's carved-out organisations with their standing (spec section 9), in the basis's order: from the
 * index, or `missing` (by its id) when the index holds no record of it.
 */
export function carvedOutStandings(
  vendor: Vendor,
  index: ReadonlyMap<string, NamedStanding>,
  asOf: CalendarDate,
  settings: PolicySettings,
): NamedStanding[] {
  const basis = coverageOf(vendor, asOf, settings).basis;
  return (carvedOutOf(basis, index as SubserviceIndex) ?? []).map(
    (s) => index.get(s.id) ?? { ...s, name: s.id, bridgedUntil: null },
  );
}
