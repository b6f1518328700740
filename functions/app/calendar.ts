// A member of staff's calendar feed: the dates of the vendors that concern them (core/calendar.ts), from the
// vendors' projected states. Read only (the feed's function may read the table, never write it).
import { calendarEntries, concerns, writeIcs, type CalendarVendor } from '../core/calendar.js';
import { calendarDateOf } from '../core/dates.js';
import { dueDateOf } from '../core/findings.js';
import { settingsFor } from '../core/policy.js';
import { normalEmail } from '../core/staff-record.js';
import type { Policy } from '../core/policy.js';
import { openRequest, portfolioVendor } from '../core/vendor-state.js';
import type { Vendors } from './vendors.js';

export interface FeedOptions {
  now: Date;
  timeZone: string;
  policy: Policy;
  /** The console's base URL (each event links to its vendor's page); '' for none. */
  publicBaseUrl: string;
}

/** The feed of `email` as iCalendar text. */
export async function calendarFeed(vendors: Vendors, email: string, options: FeedOptions): Promise<string> {
  const today = calendarDateOf(options.now, options.timeZone);
  const states = await vendors.loadProjected(await vendors.listVendorIds());
  const mine: CalendarVendor[] = [];
  for (const state of [...states.values()].sort((a, b) => (a.vendorId < b.vendorId ? -1 : 1))) {
    const vendor = portfolioVendor(state);
    if (!vendor || !concerns(vendor, email)) continue;
    mine.push({
      vendor,
      requestDue: openRequest(state)?.dueDate ?? null,
      findings: Object.values(state.findings)
        .filter((f) => f.status !== 'closed')
        .map((f) => ({
          code: f.code,
          severity: f.severity,
          state: f.status,
          // The register's due date: as a compliance lead assigned it, else by severity from the day it opened.
          dueDate: dueDateOf(f, settingsFor(options.policy, vendor.tier)),
        })),
    });
  }
  const entries = calendarEntries(mine, {
    today,
    policy: options.policy,
    ...(options.publicBaseUrl ? { baseUrl: options.publicBaseUrl } : {}),
  });
  return writeIcs(entries, { name: `Bridgekeeper: ${normalEmail(email)}`, now: options.now });
}
