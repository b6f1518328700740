// Concentration (spec section 9): which vendors rely on each subservice organisation. A vendor depends on an
// organisation its basis carves out (the vendor's own report does not cover it: its `dependents`); one its basis
// includes is listed too, as covered by the vendor's report. Pure.
import { coverageOf } from './assess.js';
import type { CalendarDate } from './dates.js';
import type { Policy } from './policy.js';
import { settingsFor } from './policy.js';
import type { SubserviceMethod, Vendor } from './portfolio.js';

export interface Reliance {
  vendorId: string;
  vendorName: string;
  tier: string;
  method: SubserviceMethod;
}

/** For each organisation id, the vendors whose basis names it, with the method (vendors in the given order). */
export function reliancesOf(
  vendors: Iterable<Vendor>,
  asOf: CalendarDate,
  policy: Policy,
): Map<string, Reliance[]> {
  const out = new Map<string, Reliance[]>();
  for (const vendor of vendors) {
    const basis = coverageOf(vendor, asOf, settingsFor(policy, vendor.tier)).basis;
    for (const ref of basis?.subservices ?? []) {
      const list = out.get(ref.id) ?? [];
      list.push({ vendorId: vendor.id, vendorName: vendor.name, tier: vendor.tier, method: ref.method });
      out.set(ref.id, list);
    }
  }
  return out;
}
