// The vendor manager's review (staff only):
//   GET  /review                            documents waiting for a decision
//   GET  /review/{vendorId}/{documentId}     the document, the vendor's entries, the checklist, the preview
//   POST /review/{vendorId}/{documentId}     accept or reject (a reason goes to the vendor)
// Every decision is an audit event with the reviewer's identity (from the JWT claims).
import { ConflictError, NotFoundError, formatProblem, type Problem } from '../core/errors.js';
import { previewAcceptance, reviewChecklist } from '../core/review.js';
import { assessVendor } from '../core/assess.js';
import { portfolioVendor, type DocumentRecord, type VendorState } from '../core/vendor-state.js';
import { DOWNLOAD_LINK_SECONDS } from '../core/upload-checks.js';
import { documentAcceptedMail, documentRejectedMail } from '../core/mail/people.js';
import { reviewPage, reviewQueuePage, type QueueRow } from '../web/review-pages.js';
import { errorPage } from '../web/errors.js';
import { signInRequiredPage } from '../web/console-pages.js';
import {
  bodyText,
  lambda,
  page,
  param,
  redirect,
  router,
  staffIdentity,
  type ErrorPages,
  type HttpEvent,
  type RouteHandler,
  type StaffIdentity,
} from './http.js';
import { peopleDeps, settingsOf, today, wakeSoon, type PeopleDeps } from './people-runtime.js';
import { notifyOnce } from './people-mail.js';

const MAX_TEXT = 2000;

export function staffPages(event: HttpEvent): ErrorPages {
  let staff: StaffIdentity | undefined;
  try {
    staff = staffIdentity(event);
  } catch {
    staff = undefined;
  }
  return {
    forbidden: () => page(signInRequiredPage(), 401),
    notFound: (message) => page(errorPage('Not found', message, staff), 404),
    invalid: (problems: Problem[]) =>
      page(errorPage('That did not work', problems.map(formatProblem).join('; '), staff), 400),
    conflict: (message) => page(errorPage('Please try again', message, staff), 409),
  };
}

async function findDocument(
  deps: PeopleDeps,
  vendorId: string,
  documentId: string,
): Promise<{ state: VendorState; record: DocumentRecord }> {
  const state = await deps.store.load(vendorId);
  const record = state?.documents.find((d) => d.documentId === documentId && d.source === 'upload');
  if (!state?.profile || !record) throw new NotFoundError('There is no such uploaded document.');
  return { state, record };
}

async function renderReview(
  deps: PeopleDeps,
  staff: StaffIdentity,
  vendorId: string,
  documentId: string,
  problems?: string[],
) {
  const { state, record } = await findDocument(deps, vendorId, documentId);
  const vendor = portfolioVendor(state)!;
  const asOf = today(deps);
  const preview = previewAcceptance(vendor, record.document, asOf, settingsOf(deps, vendor.tier));
  const downloadUrl = record.file
    ? await deps.files.presignDownload(record.file.key, {
        expiresInSeconds: DOWNLOAD_LINK_SECONDS,
        fileName: `${vendorId}-${record.document.kind}.pdf`,
      })
    : undefined;
  return page(
    reviewPage(
      { name: staff.name },
      {
        vendorId,
        vendorName: vendor.name,
        tier: vendor.tier,
        record,
        downloadUrl,
        checklist: reviewChecklist(vendor, record.document, preview.before.basis?.periodEnd ?? null),
        preview,
        asOf,
        ...(problems ? { problems } : {}),
      },
    ),
    problems ? 400 : 200,
  );
}

export function reviewRoutes(getDeps: () => PeopleDeps): RouteHandler {
  return async (event) =>
    router(
      {
        'GET /review': async (e) => {
          const staff = staffIdentity(e);
          const deps = getDeps();
          const ids = await deps.store.listVendorIds();
          const states = await deps.store.loadMany(ids);
          const rows: QueueRow[] = [];
          for (const id of ids) {
            const state = states.get(id);
            if (!state?.profile) continue;
            for (const d of state.documents)
              if (d.status === 'pending-review')
                rows.push({
                  vendorId: id,
                  vendorName: state.profile.name,
                  tier: state.profile.tier,
                  documentId: d.documentId,
                  kind: d.document.kind,
                  addedAt: d.addedAt,
                  mine: state.profile.managerEmail === staff.id,
                });
          }
          // The manager's own vendors first, oldest upload first within each group.
          rows.sort((a, b) => Number(b.mine) - Number(a.mine) || a.addedAt.localeCompare(b.addedAt));
          return page(reviewQueuePage({ name: staff.name }, rows));
        },

        'GET /review/{vendorId}/{documentId}': async (e) =>
          renderReview(getDeps(), staffIdentity(e), param(e, 'vendorId'), param(e, 'documentId')),

        'POST /review/{vendorId}/{documentId}': async (e) => {
          const staff = staffIdentity(e);
          const deps = getDeps();
          const vendorId = param(e, 'vendorId');
          const documentId = param(e, 'documentId');
          const form = new URLSearchParams(bodyText(e));
          const decision = form.get('decision');
          const reason = (form.get('reason') ?? '').trim();
          const note = (form.get('note') ?? '').trim();
          const ticked = new Set(form.getAll('check'));
          const { state, record } = await findDocument(deps, vendorId, documentId);
          const vendor = portfolioVendor(state)!;
          const basis = assessVendor(vendor, today(deps), settingsOf(deps, vendor.tier)).basis;
          const checklist = reviewChecklist(vendor, record.document, basis?.periodEnd ?? null);
          const problems: string[] = [];
          if (decision !== 'accept' && decision !== 'reject') problems.push('Choose Accept or Reject.');
          if (decision === 'accept') {
            const open = checklist.filter((i) => !ticked.has(i.id));
            if (open.length)
              problems.push(`Tick every checklist item before accepting (${open.length} open).`);
          }
          if (decision === 'reject' && reason === '')
            problems.push('Give the vendor a reason when you reject.');
          if (reason.length > MAX_TEXT || note.length > MAX_TEXT)
            problems.push(`Keep the reason and the note under ${MAX_TEXT} characters.`);
          if (problems.length) return renderReview(deps, staff, vendorId, documentId, problems);

          const actor = { kind: 'staff' as const, id: staff.id };
          const checked = checklist.map((i) => i.id).filter((id) => ticked.has(id));
          const result = await deps.store.update(
            vendorId,
            (current) => {
              const doc = current?.documents.find((d) => d.documentId === documentId);
              if (!doc || doc.status !== 'pending-review')
                throw new ConflictError('This document was already decided (see its status).');
              return decision === 'accept'
                ? [
                    {
                      type: 'document-accepted',
                      data: {
                        documentId,
                        note: [`checklist: ${checked.join(', ')}`, note].filter((s) => s !== '').join('. '),
                      },
                    },
                  ]
                : [{ type: 'document-rejected', data: { documentId, reason } }];
            },
            { actor },
          );
          const profile = result.state.profile!;
          if (decision === 'accept') {
            await notifyOnce(
              deps,
              vendorId,
              actor,
              { type: 'document-accepted-notice', to: profile.contactEmail, date: today(deps), documentId },
              documentAcceptedMail({ vendorName: profile.name, kind: record.document.kind }),
            );
          } else {
            await notifyOnce(
              deps,
              vendorId,
              actor,
              {
                type: 'document-rejected-notice',
                to: profile.contactEmail,
                date: today(deps),
                documentId,
                ...(result.state.openRequestId ? { requestId: result.state.openRequestId } : {}),
              },
              documentRejectedMail({ vendorName: profile.name, kind: record.document.kind, reason }),
            );
          }
          // The lifecycle re-plans now: an accepted basis closes the request and the finding, starts a cycle.
          await wakeSoon(
            deps,
            result.state,
            decision === 'accept' ? 'document-accepted' : 'document-rejected',
          );
          return redirect(`/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}`);
        },
      },
      staffPages(event),
    )(event);
}

export const handler = lambda(reviewRoutes(peopleDeps));
