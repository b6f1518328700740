// The vendor's side of a request, behind the link in the request e-mail (the token is the only credential):
//   GET  /u/{token}                     the upload page
//   POST /u/{token}/uploads             entries in, a presigned POST for the file out
//   GET  /u/{token}/uploads/{uploadId}  where that upload stands (the page polls it)
// Every dead link (unknown, expired, closed, malformed, another vendor's) gets the same 404 page.
// The token is never logged: the event is not logged, and nothing below logs the path.
import { randomBytes } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '../core/errors.js';
import { hashToken, isWellFormedToken, linkVerdict } from '../core/upload-link.js';
import {
  MAX_UPLOAD_BYTES,
  UPLOAD_CONTENT_TYPE,
  UPLOAD_FORM_SECONDS,
  intentKey,
  isUploadId,
  uploadKey,
  type UploadIntent,
} from '../core/upload-checks.js';
import { documentFromEntries } from '../core/upload-entries.js';
import { addDays } from '../core/dates.js';
import { assessVendor } from '../core/assess.js';
import { portfolioVendor, type RequestRecord, type VendorState } from '../core/vendor-state.js';
import type { Problem } from '../core/errors.js';
import { deadLinkPage, uploadPage } from '../web/vendor-pages.js';
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
} from './http.js';
import { peopleDeps, settingsOf, today, type PeopleDeps } from './people-runtime.js';
import { errorPage } from '../web/errors.js';

const DEAD_LINK_MESSAGE =
  'This upload link does not work: it may be mistyped or expired, or the request may be complete. ' +
  'Contact the vendor manager who asked for the document for a new link.';

interface OpenLink {
  vendorId: string;
  request: RequestRecord;
  state: VendorState;
}

/** The one check every vendor route starts with. Any failure is the same ForbiddenError. */
export async function openLink(deps: PeopleDeps, token: string): Promise<OpenLink> {
  const dead = () => new ForbiddenError('dead upload link');
  if (!isWellFormedToken(token)) throw dead();
  const found = await deps.store.requestByTokenHash(hashToken(token));
  const now = deps.clock.now();
  if (!found || linkVerdict(token, found.request, now) !== 'live') throw dead();
  // The vendor's own state is authoritative (the index may lag a closing by a moment).
  const state = await deps.store.load(found.vendorId);
  const request = state?.requests[found.request.requestId];
  if (!state?.profile || !request || linkVerdict(token, request, now) !== 'live') throw dead();
  return { vendorId: found.vendorId, request, state };
}

/** What the request asks for, in the words of spec section 5. */
export function askingFor(deps: PeopleDeps, state: VendorState): string {
  const vendor = portfolioVendor(state);
  const day = today(deps);
  if (!vendor) return 'Your current SOC 2 Type II report.';
  const assessment = assessVendor(vendor, day, settingsOf(deps, vendor.tier));
  if (!assessment.basis) return 'Your current SOC 2 Type II report.';
  const from = addDays(assessment.basis.periodEnd, 1);
  return `Your new SOC 2 Type II report (for the period after ${assessment.basis.periodEnd}), or a bridge letter covering ${from} through today (${day}).`;
}

function vendorPages(json_: boolean): ErrorPages {
  if (json_) {
    return {
      forbidden: () => json({ message: DEAD_LINK_MESSAGE }, 404),
      notFound: (message) => json({ message }, 404),
      invalid: (problems: Problem[]) =>
        json({ problems: problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)) }, 400),
      conflict: (message) => json({ message }, 409),
    };
  }
  return {
    forbidden: () => page(deadLinkPage(), 404),
    notFound: () => page(deadLinkPage(), 404),
    invalid: () => page(deadLinkPage(), 404),
    conflict: (message) => page(errorPage('Please try again', message), 409),
  };
}

export function vendorUploadRoutes(getDeps: () => PeopleDeps): RouteHandler {
  const pageRoutes = router(
    {
      'GET /u/{token}': async (event) => {
        const deps = getDeps();
        const { state, request } = await openLink(deps, param(event, 'token'));
        const profile = state.profile!;
        const sent = state.documents
          .filter((d) => d.addedBy.kind === 'vendor-link' && d.addedBy.requestId === request.requestId)
          .map((d) => ({
            kind: d.document.kind,
            addedAt: d.addedAt,
            status: d.status,
            ...(d.status === 'rejected' && d.reason ? { reason: d.reason } : {}),
          }));
        return page(
          uploadPage({
            vendorName: profile.name,
            managerEmail: profile.managerEmail,
            asking: askingFor(deps, state),
            dueDate: request.dueDate,
            sent,
          }),
        );
      },
    },
    vendorPages(false),
  );

  const apiRoutes = router(
    {
      'POST /u/{token}/uploads': async (event) => {
        const deps = getDeps();
        const { vendorId, request } = await openLink(deps, param(event, 'token'));
        const document = documentFromEntries(jsonBody(event), today(deps));
        const uploadId = randomBytes(16).toString('hex');
        const key = uploadKey(vendorId, uploadId);
        const intent: UploadIntent = {
          vendorId,
          requestId: request.requestId,
          uploadId,
          key,
          document,
          createdAt: deps.clock.now().toISOString(),
          state: 'waiting',
        };
        await deps.files.putJson(intentKey(vendorId, uploadId), intent);
        await deps.store.update(
          vendorId,
          (state) =>
            state?.requests[request.requestId]
              ? [{ type: 'upload-link-used', data: { requestId: request.requestId } }]
              : [],
          { actor: { kind: 'vendor-link', requestId: request.requestId } },
        );
        const upload = await deps.files.presignUpload({
          key,
          contentType: UPLOAD_CONTENT_TYPE,
          maxBytes: MAX_UPLOAD_BYTES,
          expiresInSeconds: UPLOAD_FORM_SECONDS,
        });
        const token = param(event, 'token');
        return json({ uploadId, upload, statusUrl: `/u/${token}/uploads/${uploadId}` }, 201);
      },

      'GET /u/{token}/uploads/{uploadId}': async (event) => {
        const deps = getDeps();
        const { vendorId, request } = await openLink(deps, param(event, 'token'));
        const uploadId = param(event, 'uploadId');
        if (!isUploadId(uploadId)) throw new NotFoundError('There is no such upload for this link.');
        const intent = await deps.files.getJson<UploadIntent>(intentKey(vendorId, uploadId));
        // Another request's upload is as unknown as a made-up id.
        if (!intent || intent.requestId !== request.requestId)
          throw new NotFoundError('There is no such upload for this link.');
        return json({ state: intent.state, message: intent.message ?? 'The file is being checked.' });
      },
    },
    vendorPages(true),
  );

  return (event: HttpEvent) => (event.routeKey === 'GET /u/{token}' ? pageRoutes(event) : apiRoutes(event));
}

export const handler = lambda(vendorUploadRoutes(peopleDeps));
