// The console's reports and downloads, shared by the console handler's routes:
//   GET /forecast[?format=csv&part=changes|months | ?format=json]  the coverage forecast
//   GET /?format=csv|json[&part=vendors|findings]                  the portfolio, or the findings register
//   GET /vendors/{vendorId}?format=csv|json                        one vendor's whole audit trail
// A page and its download read the same rows (functions/app/reports.ts). The caller (a staff route) has checked
// the session; a download is the `export` action of the role rules (every role may; core/roles.ts).
import { forecastOf, portfolioRows, portfolioStates, registerEntries } from '../app/reports.js';
import type { Vendors } from '../app/vendors.js';
import { tableRecords } from '../core/csv.js';
import { calendarDateOf } from '../core/dates.js';
import { NotFoundError } from '../core/errors.js';
import {
  auditRecords,
  auditTable,
  forecastChangesTable,
  forecastMonthsTable,
  portfolioTable,
  registerTable,
} from '../core/exports.js';
import type { Policy } from '../core/policy.js';
import { authorize, type StaffMember } from '../core/roles.js';
import type { Clock } from '../ports/clock.js';
import { forecastPage } from '../web/forecast-pages.js';
import { choice, csvDownload, jsonDownload, pageFormat, type PageFormat } from './exports.js';
import { page, type HttpEvent, type HttpResult } from './http.js';

export interface ReportDeps {
  vendors: Vendors;
  clock: Clock;
  config: { timeZone: string; policy: Policy };
}

const todayOf = (d: ReportDeps) => calendarDateOf(d.clock.now(), d.config.timeZone);

export async function forecastRoute(d: ReportDeps, member: StaffMember, e: HttpEvent): Promise<HttpResult> {
  const format = pageFormat(e);
  if (format !== 'html') authorize(member, 'export');
  const part = choice(e, 'part', ['changes', 'months'] as const);
  const today = todayOf(d);
  const forecast = await forecastOf(d.vendors, today, d.config.policy);
  if (format === 'json') return jsonDownload(`forecast-${today}`, forecast);
  if (format === 'csv')
    return part === 'months'
      ? csvDownload(`forecast-months-${today}`, forecastMonthsTable(forecast))
      : csvDownload(`forecast-${today}`, forecastChangesTable(forecast));
  return page(forecastPage({ name: member.name }, forecast));
}

/**
 * The portfolio page's downloads: every vendor (`part=vendors`) or the findings register (`part=findings`, and
 * the register page's own download).
 */
export async function portfolioDownload(
  d: ReportDeps,
  member: StaffMember,
  e: HttpEvent,
  format: Exclude<PageFormat, 'html'>,
  only?: 'findings',
): Promise<HttpResult> {
  authorize(member, 'export');
  const part = only ?? choice(e, 'part', ['vendors', 'findings'] as const);
  const today = todayOf(d);
  const states = await portfolioStates(d.vendors);
  const table =
    part === 'vendors'
      ? portfolioTable(portfolioRows(states, today, d.config.policy), today)
      : registerTable(
          await registerEntries(d.vendors, {
            today,
            timeZone: d.config.timeZone,
            policy: d.config.policy,
            vendorStates: states,
          }),
        );
  const base = `${part === 'vendors' ? 'portfolio' : 'findings'}-${today}`;
  return format === 'csv' ? csvDownload(base, table) : jsonDownload(base, tableRecords(table));
}

/** A vendor's whole audit trail, each event with its meaning in words (secrets' stand-ins redacted). */
export async function auditDownload(
  d: ReportDeps,
  member: StaffMember,
  vendorId: string,
  format: Exclude<PageFormat, 'html'>,
): Promise<HttpResult> {
  authorize(member, 'export');
  const state = await d.vendors.load(vendorId);
  if (!state?.profile) throw new NotFoundError('There is no such vendor.');
  const kinds = new Map(state.documents.map((doc) => [doc.documentId, doc.document.kind]));
  const context = { documentKind: (id: string) => kinds.get(id) };
  const events = await d.vendors.events(vendorId);
  const base = `audit-${vendorId}-${todayOf(d)}`;
  return format === 'csv'
    ? csvDownload(base, auditTable(events, context))
    : jsonDownload(base, auditRecords(events, context));
}
