// The compliance lead's console (staff only):
//   GET  /                                        the portfolio: status counts and one page of vendor summaries
//   GET  /findings                                the findings register: one page of findings, filtered
//   GET  /vendors/{vendorId}                      one vendor: status, documents, findings, audit trail
//   GET  /vendors/{vendorId}/findings/{findingId}  one finding: what it means, its history, the actions allowed
//   POST /vendors/{vendorId}/findings/{findingId}  acknowledge, assign (owner and due date) or accept the risk
//   GET  /forecast                                the coverage forecast (edge/console-reports.ts)
//   GET  /calendar, POST /calendar                one's calendar feed link: make, replace, revoke
// `?format=csv|json` on the portfolio, the register and a vendor's page downloads their data instead
// (edge/console-reports.ts). The portfolio and the register pages read pages of derived items (core/summary.ts,
// core/findings.ts), never every vendor's state. Every route needs a staff session; each action is authorized by
// the role rules (core/roles.ts, spec section 7) before anything is written, and the pages show only the actions
// the person may take.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { subserviceIndexFor } from '../app/subservices.js';
import type { StaffRecords } from '../app/staff.js';
import type { Vendors } from '../app/vendors.js';
import { createLifecycleControl, createSfnClient } from '../adapters/sfn/lifecycle.js';
import { assessVendor } from '../core/assess.js';
import { verifyChain } from '../core/audit-chain.js';
import { actOnFinding, FINDING_COMMAND_ACTION, findingCommandOf } from '../core/commands/findings.js';
import { canStartUpload } from '../core/commands/people.js';
import { calendarDateOf } from '../core/dates.js';
import { NotFoundError } from '../core/errors.js';
import {
  findingById,
  findingHistory,
  findingView,
  latestRiskExpiry,
  registerParams,
  registerRows,
  type FindingView,
} from '../core/findings.js';
import { settingsFor, type PolicySettings } from '../core/policy.js';
import { TIERS, type Tier } from '../core/portfolio.js';
import { authorize, refusal } from '../core/roles.js';
import { countStatuses, portfolioParams, statusOn, type StatusSettings } from '../core/summary.js';
import { portfolioVendor, type FindingRecord } from '../core/vendor-state.js';
import { PAGE_SIZE } from '../core/query.js';
import { uploadRequest } from '../core/upload-entries.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import type { SessionStore } from '../ports/sessions.js';
import { startUpload, uploadStatus } from '../app/uploads.js';
import { readConfig, type Config } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import {
  formBody,
  json,
  jsonBody,
  lambda,
  page,
  param,
  redirect,
  router,
  type HttpEvent,
  type RouteHandler,
} from '../edge/http.js';
import { calendarActionRoute, calendarPageRoute } from '../edge/calendar-routes.js';
import { auditDownload, forecastRoute, portfolioDownload } from '../edge/console-reports.js';
import { pageFormat, pageNumber } from '../edge/exports.js';
import { clock, lazy } from '../edge/runtime.js';
import { staffRoute } from '../edge/session.js';
import { openSessions } from '../edge/sessions.js';
import { staffPages } from '../edge/staff.js';
import { openStaffRecords } from '../edge/staff-records.js';
import { openVendors } from '../edge/vendors.js';
import { waker, type WakeLifecycle } from '../edge/wake.js';
import { trailRange } from '../web/audit-trail.js';
import { vendorPage } from '../web/console-pages.js';
import { portfolioPage } from '../web/portfolio-pages.js';
import { findingHref, findingPage, registerPage } from '../web/register-pages.js';

export interface ConsoleDeps {
  vendors: Vendors;
  files: DocumentFiles;
  /** Wakes a vendor's lifecycle after a risk acceptance (its expiry joins the wake-up schedule). */
  wake: WakeLifecycle;
  sessions: SessionStore;
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'policy' | 'publicBaseUrl'>;
  /** Staff members' own records (their calendar feed). */
  staff: StaffRecords;
}

const deps = lazy((): ConsoleDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.console.needs);
  return {
    vendors: openVendors(config),
    files: openDocuments(config.documentsBucket),
    wake: waker(
      createLifecycleControl({ client: createSfnClient(), stateMachineArn: config.stateMachineArn }),
    ),
    sessions: openSessions(config.tableName),
    clock,
    config,
    staff: openStaffRecords(config),
  };
});

const todayOf = (d: ConsoleDeps) => calendarDateOf(d.clock.now(), d.config.timeZone);
const settingsOf = (d: ConsoleDeps, tier: Tier): PolicySettings => settingsFor(d.config.policy, tier);
const tierSettings = (d: ConsoleDeps): Record<Tier, StatusSettings> =>
  Object.fromEntries(TIERS.map((t) => [t, settingsOf(d, t)])) as unknown as Record<Tier, StatusSettings>;
const params = (e: HttpEvent) => (e.queryStringParameters ?? {}) as Record<string, string | undefined>;

/** The vendor's log checked as an auditor would (`bridgekeeper audit verify`, for one vendor). */
async function chainStatus(d: ConsoleDeps, vendorId: string) {
  const raw = await d.vendors.rawLog(vendorId);
  const report = verifyChain(vendorId, raw.events, raw.head);
  return {
    events: report.events,
    headHash: report.headHash,
    problems: [
      ...report.problems.map((p) => (p.seq === null ? p.message : `#${p.seq}: ${p.message}`)),
      ...raw.unreadable.map((u) => `${u.key}: ${u.error}`),
    ],
  };
}

export function consoleRoutes(getDeps: () => ConsoleDeps): RouteHandler {
  const sessionDeps = () => {
    const d = getDeps();
    // Sessions run on real time (a person's working day), whatever calendar the lifecycle's clock shows.
    return { sessions: d.sessions, clock: systemClock, publicBaseUrl: d.config.publicBaseUrl };
  };
  return async (event) =>
    router(
      {
        'GET /': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const format = pageFormat(e);
          if (format !== 'html') return portfolioDownload(d, staff, e, format);
          const query = portfolioParams(params(e));
          const today = todayOf(d);
          const settings = tierSettings(d);
          const [result, rollCall] = await Promise.all([
            d.vendors.portfolioPage({ ...query, today, settings }),
            d.vendors.rollCall(),
          ]);
          return page(
            portfolioPage(
              { name: staff.name },
              {
                asOf: today,
                counts: countStatuses(rollCall, today, settings),
                rows: result.summaries.map((summary) => ({
                  summary,
                  status: statusOn(summary, today, settings[summary.tier]),
                })),
                filter: {
                  ...(query.status ? { status: query.status } : {}),
                  ...(query.tier ? { tier: query.tier } : {}),
                  ...(query.manager ? { manager: query.manager } : {}),
                  ...(query.finding ? { finding: query.finding } : {}),
                  ...(query.search ? { q: query.search } : {}),
                  sort: query.sort,
                  descending: query.descending === true,
                },
                me: staff.email,
                ...(query.cursor ? { cursor: query.cursor } : {}),
                nextCursor: result.cursor,
                pageSize: query.pageSize,
              },
            ),
          );
        }),

        'GET /findings': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const format = pageFormat(e);
          if (format !== 'html') return portfolioDownload(d, staff, e, format, 'findings');
          const query = registerParams(params(e));
          const today = todayOf(d);
          const result = await d.vendors.registerPage({ ...query, today });
          const rows: FindingView[] = result.findings.map((f) =>
            findingView(
              { vendorId: f.vendorId, vendorName: f.vendorName ?? f.vendorId },
              f,
              today,
              settingsOf(d, 'critical'),
            ),
          );
          const { pageSize, cursor, ...filter } = query;
          return page(
            registerPage(
              { name: staff.name },
              {
                asOf: today,
                rows,
                filter,
                ...(cursor ? { cursor } : {}),
                nextCursor: result.cursor,
                pageSize,
              },
            ),
          );
        }),

        'GET /vendors/{vendorId}': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const format = pageFormat(e);
          if (format !== 'html') return auditDownload(d, staff, vendorId, format);
          const trailPage = pageNumber(e);
          const state = await d.vendors.load(vendorId);
          const vendor = state && portfolioVendor(state);
          if (!state || !vendor) throw new NotFoundError('There is no such vendor.');
          const asOf = todayOf(d);
          const settings = settingsOf(d, vendor.tier);
          const index = await subserviceIndexFor(d.vendors, [vendor], asOf, d.config.policy);
          const assessment = assessVendor(vendor, asOf, settings, index);
          const [fromSeq, toSeq] = trailRange(state.seq, trailPage);
          return page(
            vendorPage(
              { name: staff.name },
              {
                vendorId,
                name: vendor.name,
                tier: vendor.tier,
                managerEmail: vendor.managerEmail,
                contactEmail: vendor.contactEmail,
                asOf,
                assessment,
                documents: state.documents,
                findings: registerRows([state], asOf, settings, { state: undefined }),
                computed: assessment.findings,
                requests: Object.values(state.requests),
                events: await d.vendors.events(vendorId, { fromSeq, toSeq }),
                trail: { page: trailPage, total: state.seq },
                chain: await chainStatus(d, vendorId),
              },
            ),
          );
        }),

        'GET /vendors/{vendorId}/findings/{findingId}': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const findingId = param(e, 'findingId');
          const state = await d.vendors.load(vendorId);
          const record = state && findingById(state.findings, findingId);
          const profile = state?.profile;
          if (!state || !profile) throw new NotFoundError('There is no such vendor.');
          const today = todayOf(d);
          const settings = settingsOf(d, profile.tier);
          // A closed finding the record no longer keeps (core/vendor-state.ts RECORD_LIMITS) is read from the
          // register's own item: the vendor's closed findings, page after page (the register keeps every one).
          let stored: FindingRecord | undefined = record;
          for (let after: string | null | undefined; !stored && after !== null;) {
            const page = await d.vendors.registerPage({
              vendorId,
              state: 'closed',
              today,
              pageSize: PAGE_SIZE.max,
              ...(after ? { cursor: after } : {}),
            });
            stored = page.findings.find((f) => f.findingId === findingId);
            after = page.cursor;
          }
          if (!stored) throw new NotFoundError('There is no such finding on this vendor.');
          const may = (action: keyof typeof FINDING_COMMAND_ACTION) => {
            const refused = refusal(staff, FINDING_COMMAND_ACTION[action], profile);
            return refused ? refused.needs : (true as const);
          };
          // The notice after an action, while the finding is still in the state the action left it in (a reload
          // after the system moved it on shows none).
          const done = params(e).done;
          const notice = done && DONE[done] && DONE_STATE[done] === stored.status ? DONE[done] : undefined;
          return page(
            findingPage(
              { name: staff.name },
              {
                asOf: today,
                view: findingView(
                  {
                    vendorId,
                    vendorName: profile.name,
                    tier: profile.tier,
                    managerEmail: profile.managerEmail,
                  },
                  stored,
                  today,
                  settings,
                ),
                history: findingHistory(await d.vendors.events(vendorId), findingId),
                may: {
                  acknowledge: may('acknowledge'),
                  assign: may('assign'),
                  acceptRisk: may('accept-risk'),
                },
                latestExpiry: latestRiskExpiry(today, settings),
                ...(notice ? { notice } : {}),
              },
            ),
          );
        }),

        'GET /forecast': staffRoute(sessionDeps, (e, member) => forecastRoute(getDeps(), member, e)),
        'GET /calendar': staffRoute(sessionDeps, (_e, member) => calendarPageRoute(getDeps(), member)),
        'POST /calendar': staffRoute(sessionDeps, (e, member) => calendarActionRoute(getDeps(), member, e)),

        'POST /vendors/{vendorId}/findings/{findingId}': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const findingId = param(e, 'findingId');
          const command = findingCommandOf(findingId, formBody(e));
          const today = todayOf(d);
          const { state } = await d.vendors.update(
            vendorId,
            (s) =>
              actOnFinding(s, command, {
                actor: staff,
                today,
                settings: settingsOf(d, s?.profile?.tier ?? 'critical'),
              }),
            { actor: { kind: 'staff', id: staff.email } },
          );
          // The lifecycle re-plans now, so the acceptance's expiry is among the dates it wakes on.
          if (command.action === 'accept-risk') await d.wake(state, 'risk accepted');
          return redirect(`${findingHref(vendorId, findingId)}?done=${command.action}`);
        }),

        // A manager records a document the vendor sent another way (e-mail, a portal): the same entries and the
        // same checked upload as the vendor's page, recorded with the manager's identity.
        'POST /vendors/{vendorId}/uploads': staffRoute(sessionDeps, async (e, member) => {
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const state = await deps.vendors.load(vendorId);
          if (!state?.profile) throw new NotFoundError('There is no such vendor.');
          authorize(member, 'record-upload', state.profile);
          const { document, file } = uploadRequest(jsonBody(e), todayOf(deps));
          canStartUpload(state);
          const { uploadId, upload } = await startUpload(
            deps,
            { vendorId, staffId: member.email },
            document,
            file,
          );
          const statusUrl = `/vendors/${encodeURIComponent(vendorId)}/uploads/${uploadId}`;
          return json({ uploadId, upload, statusUrl }, 201);
        }),

        'GET /vendors/{vendorId}/uploads/{uploadId}': staffRoute(sessionDeps, async (e) => {
          const deps = getDeps();
          const status = await uploadStatus(
            deps.files,
            param(e, 'vendorId'),
            param(e, 'uploadId'),
            (intent) => intent.staffId !== undefined,
          );
          if (!status) throw new NotFoundError('There is no such upload.');
          return json(status);
        }),
      },
      staffPages(event),
    )(event);
}

/** The notice after an action (`?done=` on the finding page). */
const DONE: Record<string, string> = {
  acknowledge: 'Acknowledged: your note is in the audit trail.',
  assign: 'Assigned: the finding is being remediated.',
  'accept-risk': 'Risk accepted: the finding opens again the day after the expiry.',
};

const DONE_STATE: Record<string, string> = {
  acknowledge: 'acknowledged',
  assign: 'remediating',
  'accept-risk': 'risk-accepted',
};

export const handler = lambda(consoleRoutes(deps));
