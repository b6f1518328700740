// The compliance lead's console (staff only):
//   GET  /                                       the portfolio: coverage, policy findings, recorded findings
//   GET  /vendors/{vendorId}                     one vendor: status, documents, findings, audit trail
//   POST /vendors/{vendorId}/findings/{findingId} acknowledge (with a note) or close (risk accepted)
//   GET  /forecast                               the coverage forecast (edge/console-reports.ts)
//   GET  /calendar, POST /calendar               one's calendar feed link: make, replace, revoke
// `?format=csv|json` on the portfolio and a vendor's page downloads their data instead (edge/console-reports.ts).
// The lifecycle's own findings (stale-report, no-report) can be acknowledged but only a cure closes them;
// a policy finding not yet on record (e.g. scope-gap) is recorded by the first action on it ("new-<code>").
// Every route needs a staff session; each action is authorized by the role rules (core/roles.ts) before anything
// is written, and the pages show only the actions the person may take.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { subserviceIndexFor } from '../app/subservices.js';
import type { StaffRecords } from '../app/staff.js';
import type { Vendors } from '../app/vendors.js';
import { assessVendor } from '../core/assess.js';
import { verifyChain } from '../core/audit-chain.js';
import { actOnFinding, canStartUpload } from '../core/commands/people.js';
import { calendarDateOf } from '../core/dates.js';
import { NotFoundError } from '../core/errors.js';
import { authorize, may, type StaffMember, type VendorOwnership } from '../core/roles.js';
import { LIFECYCLE_FINDINGS } from '../core/plan.js';
import { settingsFor } from '../core/policy.js';
import { portfolioVendor } from '../core/vendor-state.js';
import { uploadRequest } from '../core/upload-entries.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import type { SessionStore } from '../ports/sessions.js';
import { startUpload, uploadStatus } from '../app/uploads.js';
import { readConfig, type Config } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import {
  bodyText,
  json,
  jsonBody,
  lambda,
  page,
  param,
  redirect,
  router,
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
import { trailRange } from '../web/audit-trail.js';
import {
  portfolioPage,
  vendorPage,
  type FindingPermissions,
  type FindingRow,
  type PortfolioRow,
} from '../web/console-pages.js';

export interface ConsoleDeps {
  vendors: Vendors;
  files: DocumentFiles;
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
    sessions: openSessions(config.tableName),
    clock,
    config,
    staff: openStaffRecords(config),
  };
});

/** The finding actions the page offers this person on this vendor (the handler refuses the others anyway). */
const findingPermissions = (member: StaffMember, vendor: VendorOwnership): FindingPermissions => ({
  acknowledge: may(member, 'acknowledge-finding', vendor),
  acceptRisk: may(member, 'accept-risk', vendor),
});

const todayOf = (d: ConsoleDeps) => calendarDateOf(d.clock.now(), d.config.timeZone);
const settingsOf = (d: ConsoleDeps, tier: Parameters<typeof settingsFor>[1]) =>
  settingsFor(d.config.policy, tier);

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
        'GET /': staffRoute(sessionDeps, async (e, member) => {
          const deps = getDeps();
          const format = pageFormat(e);
          if (format !== 'html') return portfolioDownload(deps, member, e, format);
          const asOf = todayOf(deps);
          const ids = await deps.vendors.listVendorIds();
          const states = await deps.vendors.loadMany(ids);
          const rows: PortfolioRow[] = [];
          const names = new Map<string, string>();
          const owners = new Map<string, VendorOwnership>();
          const vendors = new Map(
            ids.flatMap((id) => {
              const state = states.get(id);
              const vendor = state && portfolioVendor(state);
              return state && vendor ? [[id, { state, vendor }] as const] : [];
            }),
          );
          // Section 9: one read of the subservice organisations the vendors' reports name.
          const index = await subserviceIndexFor(
            deps.vendors,
            [...vendors.values()].map((v) => v.vendor),
            asOf,
            deps.config.policy,
          );
          for (const [id, { state, vendor }] of vendors) {
            names.set(id, vendor.name);
            owners.set(id, vendor);
            rows.push({
              vendorId: id,
              name: vendor.name,
              tier: vendor.tier,
              assessment: assessVendor(vendor, asOf, settingsOf(deps, vendor.tier), index),
              pendingReviews: state.documents.filter((d) => d.status === 'pending-review').length,
              openRequest: state.openRequestId !== null,
            });
          }
          const recorded = [
            ...(await deps.vendors.findingsByStatus('open')),
            ...(await deps.vendors.findingsByStatus('acknowledged')),
          ];
          const findings: FindingRow[] = recorded.map((f) => ({
            vendorId: f.vendorId,
            vendorName: names.get(f.vendorId) ?? f.vendorId,
            finding: f,
            may: findingPermissions(member, owners.get(f.vendorId) ?? { managerEmail: '' }),
          }));
          return page(
            portfolioPage(
              { name: member.name },
              { asOf, rows, findings, lifecycleCodes: LIFECYCLE_FINDINGS },
            ),
          );
        }),

        'GET /vendors/{vendorId}': staffRoute(sessionDeps, async (e, member) => {
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const format = pageFormat(e);
          if (format !== 'html') return auditDownload(deps, member, vendorId, format);
          const trailPage = pageNumber(e);
          const state = await deps.vendors.load(vendorId);
          const vendor = state && portfolioVendor(state);
          if (!state || !vendor) throw new NotFoundError('There is no such vendor.');
          const asOf = todayOf(deps);
          const index = await subserviceIndexFor(deps.vendors, [vendor], asOf, deps.config.policy);
          const assessment = assessVendor(vendor, asOf, settingsOf(deps, vendor.tier), index);
          const [fromSeq, toSeq] = trailRange(state.seq, trailPage);
          return page(
            vendorPage(
              { name: member.name },
              {
                may: findingPermissions(member, vendor),
                vendorId,
                name: vendor.name,
                tier: vendor.tier,
                managerEmail: vendor.managerEmail,
                contactEmail: vendor.contactEmail,
                asOf,
                assessment,
                documents: state.documents,
                findings: Object.values(state.findings),
                computed: assessment.findings,
                requests: Object.values(state.requests),
                events: await deps.vendors.events(vendorId, { fromSeq, toSeq }),
                trail: { page: trailPage, total: state.seq },
                chain: await chainStatus(deps, vendorId),
                lifecycleCodes: LIFECYCLE_FINDINGS,
              },
            ),
          );
        }),

        'GET /forecast': staffRoute(sessionDeps, (e, member) => forecastRoute(getDeps(), member, e)),
        'GET /calendar': staffRoute(sessionDeps, (_e, member) => calendarPageRoute(getDeps(), member)),
        'POST /calendar': staffRoute(sessionDeps, (e, member) => calendarActionRoute(getDeps(), member, e)),

        'POST /vendors/{vendorId}/findings/{findingId}': staffRoute(sessionDeps, async (e, member) => {
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const findingId = param(e, 'findingId');
          const form = new URLSearchParams(bodyText(e));
          const asOf = todayOf(deps);
          const action = form.get('action');
          await deps.vendors.update(
            vendorId,
            async (state) => {
              // Authorized on the state being decided on, before the decision: a refusal writes nothing.
              if (state?.profile)
                authorize(member, action === 'close' ? 'accept-risk' : 'acknowledge-finding', state.profile);
              const vendor = state && portfolioVendor(state);
              const index = vendor
                ? await subserviceIndexFor(deps.vendors, [vendor], asOf, deps.config.policy)
                : undefined;
              return actOnFinding(state, {
                findingId,
                action,
                note: form.get('note') ?? '',
                today: asOf,
                settings: settingsOf(deps, state?.profile?.tier ?? 'critical'),
                staffId: member.email,
                ...(index ? { subservices: index } : {}),
              });
            },
            { actor: { kind: 'staff', id: member.email } },
          );
          return redirect(`/vendors/${encodeURIComponent(vendorId)}`);
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

export const handler = lambda(consoleRoutes(deps));
