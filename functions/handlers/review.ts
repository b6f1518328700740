// The vendor manager's review (staff only):
//   GET  /review                            documents waiting for a decision
//   GET  /review/{vendorId}/{documentId}     the document, the vendor's entries, the checklist, the preview
//   POST /review/{vendorId}/{documentId}     accept or reject (a reason goes to the vendor)
// Every decision is an audit event with the reviewer's identity; the rules are core/commands/people.ts's.
// Every route needs a staff session; a decision is authorized by the role rules (core/roles.ts: the vendor's own
// manager or a compliance lead) before anything is written, and the page offers it only to them.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { deliver, type MailDeps } from '../app/outbox.js';
import type { Vendors } from '../app/vendors.js';
import { createLifecycleControl, createSfnClient } from '../adapters/sfn/lifecycle.js';
import {
  decisionNoticeKey,
  reviewDocument,
  reviewProblems,
  type ReviewDocument,
} from '../core/commands/people.js';
import { toSend } from '../core/commands/outbox.js';
import { calendarDateOf } from '../core/dates.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import { authorize, may, type StaffMember } from '../core/roles.js';
import { settingsFor } from '../core/policy.js';
import { previewAcceptance, reviewChecklist } from '../core/review.js';
import { DOWNLOAD_LINK_SECONDS } from '../core/upload-checks.js';
import { portfolioVendor, type DocumentRecord, type VendorState } from '../core/vendor-state.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import type { Mac } from '../ports/mac.js';
import type { SessionStore } from '../ports/sessions.js';
import { readConfig, type Config } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import { bodyText, lambda, page, param, redirect, router, type RouteHandler } from '../edge/http.js';
import { openMac } from '../edge/mac.js';
import { openMailer } from '../edge/mailer.js';
import { clock, lazy, withFaults } from '../edge/runtime.js';
import { staffRoute } from '../edge/session.js';
import { openSessions } from '../edge/sessions.js';
import { staffPages } from '../edge/staff.js';
import { logger } from '../edge/logger.js';
import { openVendors } from '../edge/vendors.js';
import { waker, type WakeLifecycle } from '../edge/wake.js';
import { reviewPage, reviewQueuePage, type QueueRow } from '../web/review-pages.js';

export interface ReviewDeps {
  vendors: Vendors;
  files: DocumentFiles;
  mail: MailDeps & { mac: Mac };
  wake: WakeLifecycle;
  sessions: SessionStore;
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'policy' | 'evidenceRetentionDays' | 'publicBaseUrl'>;
}

const deps = lazy((): ReviewDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.review.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    files: openDocuments(config.documentsBucket),
    mail: {
      mailer: withFaults('mailer', openMailer(config)),
      mac: openMac(config.macKey),
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.timeZone,
    },
    wake: waker(
      createLifecycleControl({ client: createSfnClient(), stateMachineArn: config.stateMachineArn }),
    ),
    sessions: openSessions(config.tableName),
    clock,
    config,
  };
});

async function findDocument(
  d: ReviewDeps,
  vendorId: string,
  documentId: string,
): Promise<{ state: VendorState; record: DocumentRecord }> {
  const state = await d.vendors.load(vendorId);
  const record = state?.documents.find((doc) => doc.documentId === documentId && doc.source === 'upload');
  if (!state?.profile || !record) throw new NotFoundError('There is no such uploaded document.');
  return { state, record };
}

const todayOf = (d: ReviewDeps) => calendarDateOf(d.clock.now(), d.config.timeZone);

async function renderReview(
  d: ReviewDeps,
  staff: StaffMember,
  vendorId: string,
  documentId: string,
  problems?: string[],
) {
  const { state, record } = await findDocument(d, vendorId, documentId);
  const vendor = portfolioVendor(state)!;
  const asOf = todayOf(d);
  const preview = previewAcceptance(vendor, record.document, asOf, settingsFor(d.config.policy, vendor.tier));
  // Through the server, which checks the stored bytes against the recorded hash before it hands out a link.
  const downloadUrl = record.file
    ? `/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}/file`
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
        mayDecide: may(staff, 'review-document', vendor),
        ...(problems ? { problems } : {}),
      },
    ),
    problems ? 400 : 200,
  );
}

export function reviewRoutes(getDeps: () => ReviewDeps): RouteHandler {
  const sessionDeps = () => {
    const d = getDeps();
    // Sessions run on real time (a person's working day), whatever calendar the lifecycle's clock shows.
    return { sessions: d.sessions, clock: systemClock, publicBaseUrl: d.config.publicBaseUrl };
  };
  return async (event) =>
    router(
      {
        'GET /review': staffRoute(sessionDeps, async (_e, staff) => {
          const d = getDeps();
          const ids = await d.vendors.listVendorIds();
          const states = await d.vendors.loadMany(ids);
          const rows: QueueRow[] = [];
          for (const id of ids) {
            const state = states.get(id);
            if (!state?.profile) continue;
            for (const doc of state.documents)
              if (doc.status === 'pending-review')
                rows.push({
                  vendorId: id,
                  vendorName: state.profile.name,
                  tier: state.profile.tier,
                  documentId: doc.documentId,
                  kind: doc.document.kind,
                  addedAt: doc.addedAt,
                  mine: state.profile.managerEmail.toLowerCase() === staff.email,
                });
          }
          // The manager's own vendors first, oldest upload first within each group.
          rows.sort((a, b) => Number(b.mine) - Number(a.mine) || a.addedAt.localeCompare(b.addedAt));
          return page(reviewQueuePage({ name: staff.name }, rows));
        }),

        'GET /review/{vendorId}/{documentId}': staffRoute(sessionDeps, async (e, staff) =>
          renderReview(getDeps(), staff, param(e, 'vendorId'), param(e, 'documentId')),
        ),

        // The uploaded PDF: the exact version whose SHA-256 was recorded, and only while its bytes still hash to
        // it (a store that keeps no versions, or a tampered one, is caught here and the link refused).
        'GET /review/{vendorId}/{documentId}/file': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const documentId = param(e, 'documentId');
          const { record } = await findDocument(d, vendorId, documentId);
          const file = record.file;
          if (!file) throw new NotFoundError('This document has no file.');
          const actual = await d.files.sha256(file.key, file.versionId);
          if (actual !== file.sha256) {
            logger.error('download refused: the stored file does not match the hash recorded at upload', {
              vendorId,
              documentId,
              staff: staff.email,
            });
            throw new ConflictError(
              'The stored file no longer matches the file that was received (its SHA-256 differs), so it is not shown. This was logged; tell your security team.',
            );
          }
          return redirect(
            await d.files.presignDownload(file.key, {
              ...(file.versionId ? { versionId: file.versionId } : {}),
              expiresInSeconds: DOWNLOAD_LINK_SECONDS,
              fileName: `${vendorId}-${record.document.kind}.pdf`,
            }),
          );
        }),

        'POST /review/{vendorId}/{documentId}': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const documentId = param(e, 'documentId');
          const form = new URLSearchParams(bodyText(e));
          const { state, record } = await findDocument(d, vendorId, documentId);
          // Before anything is written (the evidence lock, the decision, a notice resent).
          authorize(staff, 'review-document', state.profile!);
          const command: ReviewDocument = {
            documentId,
            decision: form.get('decision'),
            reason: form.get('reason') ?? '',
            note: form.get('note') ?? '',
            ticked: form.getAll('check'),
            today: todayOf(d),
            settings: settingsFor(d.config.policy, state.profile!.tier),
          };
          const actor = { kind: 'staff' as const, id: staff.email };
          const back = redirect(`/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}`);
          if (record.status !== 'pending-review') {
            // Already decided (a retry after a failure, or someone else): make sure its notice went out.
            const decision = record.status === 'accepted' ? 'accept' : 'reject';
            const keys = new Set([decisionNoticeKey(vendorId, documentId, decision)]);
            try {
              await deliver(d.vendors, d.mail, state, toSend(state, d.clock.now(), { keys }), actor);
            } finally {
              await d.wake(state, `document-${record.status}`);
            }
            return back;
          }
          const problems = reviewProblems(state, command);
          if (problems.length) return renderReview(d, staff, vendorId, documentId, problems);
          // Accepted evidence is locked before the acceptance is recorded (a lock without an acceptance, after a
          // crash, only keeps a reviewed file longer; an acceptance without its lock cannot happen).
          if (command.decision === 'accept' && record.file)
            await d.files.retain(
              record.file.key,
              record.file.versionId,
              new Date(d.clock.now().getTime() + d.config.evidenceRetentionDays * 86_400_000),
            );
          let result;
          try {
            result = await d.vendors.update(
              vendorId,
              (s) => {
                // Again on the state being decided on (the vendor may have changed managers meanwhile).
                if (s?.profile) authorize(staff, 'review-document', s.profile);
                return reviewDocument(s, command);
              },
              { actor },
            );
          } catch (error) {
            if (error instanceof ConflictError) return back;
            throw error;
          }
          const decision = command.decision === 'accept' ? 'accept' : 'reject';
          const keys = new Set([decisionNoticeKey(vendorId, documentId, decision)]);
          try {
            await deliver(
              d.vendors,
              d.mail,
              result.state,
              toSend(result.state, d.clock.now(), { keys }),
              actor,
            );
          } finally {
            // The lifecycle re-plans now: an accepted basis closes the request and the finding, starts a cycle.
            // Also when the notice failed (a 503 for the reviewer; the outbox sends it later).
            await d.wake(result.state, decision === 'accept' ? 'document-accepted' : 'document-rejected');
          }
          return back;
        }),
      },
      staffPages(event),
    )(event);
}

export const handler = lambda(reviewRoutes(deps));
