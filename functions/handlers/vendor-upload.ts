// The vendor's side of a request, behind the link in the request e-mail (the token is the only credential):
//   GET  /u/{token}                     the upload page
//   POST /u/{token}/uploads             entries in, a presigned upload for the file out
//   GET  /u/{token}/uploads/{uploadId}  where that upload stands (the page polls it)
// Every dead link (unknown, expired, closed, malformed, another vendor's) gets the same 404 page.
// Each link has its own request budget per window (functions/core/link-limits.ts), counted before anything else:
// one client with one link cannot use up the vendor routes for every vendor (a 429 that says when to retry).
// The token is never logged: the event is not logged, and nothing below logs the path.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { subserviceIndexFor } from '../app/subservices.js';
import { startUpload, uploadStatus } from '../app/uploads.js';
import type { Vendors } from '../app/vendors.js';
import { assessVendor } from '../core/assess.js';
import { canStartUpload, useLink } from '../core/commands/people.js';
import { addDays, calendarDateOf } from '../core/dates.js';
import { ForbiddenError, NotFoundError, RateLimitedError, type Problem } from '../core/errors.js';
import { LINK_LIMIT, linkWindow, secondsLeft } from '../core/link-limits.js';
import { settingsFor } from '../core/policy.js';
import { carvedOutStandings, organizationWanted, type NamedStanding } from '../core/subservices.js';
import { uploadRequest, type UploadTargets } from '../core/upload-entries.js';
import { hashToken, isWellFormedToken, linkVerdict } from '../core/upload-link.js';
import { portfolioVendor, type RequestRecord, type VendorState } from '../core/vendor-state.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import type { LinkCounter } from '../ports/link-limits.js';
import { readConfig, type Config } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import {
  json,
  jsonBody,
  lambda,
  page,
  param,
  router,
  type ErrorPages,
  type HttpEvent,
  type RouteHandler,
} from '../edge/http.js';
import { clock, lazy } from '../edge/runtime.js';
import { openSessions } from '../edge/sessions.js';
import { openVendors } from '../edge/vendors.js';
import { errorPage } from '../web/errors.js';
import { deadLinkPage, uploadPage } from '../web/vendor-pages.js';

export interface VendorUploadDeps {
  vendors: Vendors;
  files: DocumentFiles;
  links: LinkCounter;
  /** The link's life and the request's dates (the lifecycle's calendar). */
  clock: Clock;
  /** Real time: the per-link request windows count requests as they arrive. */
  requestClock: Clock;
  config: Pick<Config, 'timeZone' | 'policy'>;
}

const deps = lazy((): VendorUploadDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.vendorUpload.needs);
  return {
    vendors: openVendors(config),
    files: openDocuments(config.documentsBucket),
    links: openSessions(config.tableName),
    clock,
    requestClock: systemClock,
    config,
  };
});

const DEAD_LINK_MESSAGE =
  'This upload link does not work: it may be mistyped or expired, or the request may be complete. ' +
  'Contact the vendor manager who asked for the document for a new link.';

interface OpenLink {
  vendorId: string;
  request: RequestRecord;
  state: VendorState;
}

/** The one check every vendor route starts with. Any failure is the same ForbiddenError. */
async function openLink(
  d: Pick<VendorUploadDeps, 'vendors' | 'links' | 'clock' | 'requestClock'>,
  token: string,
): Promise<OpenLink> {
  const dead = () => new ForbiddenError('dead upload link');
  if (!isWellFormedToken(token)) throw dead();
  const arrived = d.requestClock.now();
  const window = linkWindow(arrived);
  // Counted for a dead link too (the count costs what the lookup would): guessing is limited per token tried.
  if (!(await d.links.take(hashToken(token), window, LINK_LIMIT.requests))) {
    const wait = secondsLeft(window, arrived);
    throw new RateLimitedError(
      `Too many requests through this link. Please wait ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''} and try again.`,
      wait,
    );
  }
  const found = await d.vendors.requestByTokenHash(hashToken(token));
  const now = d.clock.now();
  if (!found || linkVerdict(token, found.request, now) !== 'live') throw dead();
  // The vendor's own state is authoritative (the index may lag a closing by a moment).
  const state = await d.vendors.load(found.vendorId);
  const request = state?.requests[found.request.requestId];
  if (!state?.profile || !request || linkVerdict(token, request, now) !== 'live') throw dead();
  return { vendorId: found.vendorId, request, state };
}

/** What the request asks for, in the words of spec section 5. */
export function askingFor(state: VendorState, today: string, config: Pick<Config, 'policy'>): string {
  const vendor = portfolioVendor(state);
  if (!vendor) return 'Your current SOC 2 Type II report.';
  const assessment = assessVendor(vendor, today, settingsFor(config.policy, vendor.tier));
  if (!assessment.basis) return 'Your current SOC 2 Type II report.';
  const from = addDays(assessment.basis.periodEnd, 1);
  return `Your new SOC 2 Type II report (for the period after ${assessment.basis.periodEnd}), or a bridge letter covering ${from} through today (${today}).`;
}

/**
 * The carved-out subservice organisations of the vendor's basis (spec section 9): the vendor may send each one's
 * report or bridge letter through its link; `wanted` are those without a current report (the request names them).
 */
export async function organizationsOf(
  d: Pick<VendorUploadDeps, 'vendors' | 'config'>,
  state: VendorState,
  request: RequestRecord,
  today: string,
): Promise<{ carved: NamedStanding[]; wanted: NamedStanding[]; targets: UploadTargets }> {
  const vendor = portfolioVendor(state);
  if (!vendor)
    return { carved: [], wanted: [], targets: { organizations: new Map(), organizationsOnly: false } };
  const index = await subserviceIndexFor(d.vendors, [vendor], today, d.config.policy);
  const carved = carvedOutStandings(vendor, index, today, settingsFor(d.config.policy, vendor.tier));
  return {
    carved,
    wanted: carved.filter((o) => organizationWanted(o, today)),
    targets: {
      organizations: new Map(carved.map((o) => [o.id, o.name])),
      organizationsOnly: request.organizations !== undefined,
    },
  };
}

function vendorPages(asJson: boolean): ErrorPages {
  if (asJson) {
    return {
      forbidden: () => json({ message: DEAD_LINK_MESSAGE }, 404),
      refused: (message) => json({ message }, 403),
      notFound: (message) => json({ message }, 404),
      invalid: (problems: Problem[]) =>
        json({ problems: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)) }, 400),
      failed: (message, statusCode) => json({ message }, statusCode),
    };
  }
  return {
    forbidden: () => page(deadLinkPage(), 404),
    refused: () => page(deadLinkPage(), 404),
    notFound: () => page(deadLinkPage(), 404),
    invalid: () => page(deadLinkPage(), 404),
    failed: (message, statusCode) => page(errorPage('Please try again', message), statusCode),
  };
}

export function vendorUploadRoutes(getDeps: () => VendorUploadDeps): RouteHandler {
  const pageRoutes = router(
    {
      'GET /u/{token}': async (event) => {
        const d = getDeps();
        const { state, request } = await openLink(d, param(event, 'token'));
        const profile = state.profile!;
        const today = calendarDateOf(d.clock.now(), d.config.timeZone);
        const { carved, wanted } = await organizationsOf(d, state, request, today);
        const names = new Map(carved.map((o) => [o.id, o.name]));
        const sent = state.documents
          .filter((doc) => doc.addedBy.kind === 'vendor-link' && doc.addedBy.requestId === request.requestId)
          .map((doc) => ({
            kind: doc.document.kind,
            addedAt: doc.addedAt,
            status: doc.status,
            ...(doc.organizationId ? { for: names.get(doc.organizationId) ?? doc.organizationId } : {}),
            ...(doc.status === 'rejected' && doc.reason ? { reason: doc.reason } : {}),
          }));
        const organizationsOnly = request.organizations !== undefined;
        return page(
          uploadPage({
            vendorName: profile.name,
            managerEmail: profile.managerEmail,
            asking: organizationsOnly ? '' : askingFor(state, today, d.config),
            dueDate: request.dueDate,
            sent,
            organizations: carved.map((o) => ({
              id: o.id,
              name: o.name,
              wanted: wanted.some((w) => w.id === o.id),
            })),
            organizationsOnly,
          }),
          200,
          // The page's script PUTs the file to the documents bucket: the one other origin it may reach.
          { connect: [await d.files.uploadOrigin()].filter(Boolean) },
        );
      },
    },
    vendorPages(false),
  );

  const apiRoutes = router(
    {
      'POST /u/{token}/uploads': async (event) => {
        const d = getDeps();
        const token = param(event, 'token');
        const { vendorId, request, state } = await openLink(d, token);
        const today = calendarDateOf(d.clock.now(), d.config.timeZone);
        const { targets } = await organizationsOf(d, state, request, today);
        const { document, file, organizationId } = uploadRequest(jsonBody(event), today, targets);
        canStartUpload(state);
        await d.vendors.update(vendorId, (state) => useLink(state, request.requestId), {
          actor: { kind: 'vendor-link', requestId: request.requestId },
        });
        const { uploadId, upload } = await startUpload(
          d,
          { vendorId, requestId: request.requestId },
          document,
          file,
          organizationId,
        );
        return json({ uploadId, upload, statusUrl: `/u/${token}/uploads/${uploadId}` }, 201);
      },

      'GET /u/{token}/uploads/{uploadId}': async (event) => {
        const d = getDeps();
        const { vendorId, request } = await openLink(d, param(event, 'token'));
        // Another request's upload is as unknown as a made-up id.
        const status = await uploadStatus(
          d.files,
          vendorId,
          param(event, 'uploadId'),
          (intent) => intent.requestId === request.requestId && !intent.staffId,
        );
        if (!status) throw new NotFoundError('There is no such upload for this link.');
        return json(status);
      },
    },
    vendorPages(true),
  );

  return (event: HttpEvent) => (event.routeKey === 'GET /u/{token}' ? pageRoutes(event) : apiRoutes(event));
}

export const handler = lambda(vendorUploadRoutes(deps));
