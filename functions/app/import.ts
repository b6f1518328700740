// Importing a portfolio into the vendors' logs (the `import` command, `npm start`'s first run, `simulate`): per
// vendor, load (batched), decide the events that take it to the imported state (core/import-diff.ts), commit;
// retried per vendor on conflict. Re-importing the same portfolio appends nothing.
import { ValidationError, type Problem } from '../core/errors.js';
import type { Actor } from '../core/events.js';
import { importEvents } from '../core/import-diff.js';
import type { Portfolio } from '../core/portfolio.js';
import type { VendorState } from '../core/vendor-state.js';
import { importSubserviceOrganizations, type OrganizationImportSummary } from './subservices.js';
import type { Vendors } from './vendors.js';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  events: number;
  /** The portfolio's subservice organisations (spec section 9), when it lists them. */
  organizations?: OrganizationImportSummary;
}

async function loadAll(store: Vendors, ids: readonly string[]): Promise<Map<string, VendorState>> {
  const states = new Map<string, VendorState>();
  for (let i = 0; i < ids.length; i += 1000)
    for (const [id, state] of await store.loadMany(ids.slice(i, i + 1000), { projectedOnly: true }))
      states.set(id, state);
  return states;
}

/** Writes a validated portfolio: per vendor, load (batched), decide, append; retried per vendor on conflict. */
export async function importPortfolio(
  store: Vendors,
  portfolio: Portfolio,
  options: {
    actor: Actor;
    manageDocuments: boolean;
    concurrency?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, events: 0 };
  const vendors = portfolio.vendors;
  const states = await loadAll(
    store,
    vendors.map((v) => v.id),
  );
  const organizations = portfolio.subserviceOrganizations;
  const organizationStates = organizations
    ? await loadAll(
        store,
        organizations.map((o) => o.id),
      )
    : new Map<string, VendorState>();
  // One id, one record: checked against what is stored before anything is written (the input alone was checked).
  const problems: Problem[] = [];
  vendors.forEach((v, i) => {
    if (states.get(v.id)?.organization)
      problems.push({ path: `vendors[${i}].id`, message: `${v.id} is stored as a subservice organisation` });
  });
  (organizations ?? []).forEach((o, i) => {
    if (organizationStates.get(o.id)?.profile)
      problems.push({ path: `subserviceOrganizations[${i}].id`, message: `${o.id} is stored as a vendor` });
  });
  if (problems.length) throw new ValidationError(problems);
  if (organizations)
    summary.organizations = await importSubserviceOrganizations(store, organizations, {
      actor: options.actor,
      states: organizationStates,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < vendors.length) {
      const vendor = vendors[next++];
      if (!vendor) break;
      let existed = false;
      const result = await store.update(
        vendor.id,
        (state) => {
          existed = state?.profile !== undefined;
          return importEvents(vendor, state, portfolio, { manageDocuments: options.manageDocuments });
        },
        { actor: options.actor, assumeState: states.get(vendor.id) ?? null },
      );
      if (result.events.length === 0) summary.unchanged++;
      else if (existed) summary.updated++;
      else summary.created++;
      summary.events += result.events.length;
      options.onProgress?.(++done, vendors.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return summary;
}
