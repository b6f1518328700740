// The vendor manager's review (staff only):
//   GET  /review                            documents waiting for a decision
//   GET  /review/{vendorId}/{documentId}     the document, the vendor's entries beside what the report says, the
//                                            CUECs and subservice organisations, the checklist, the preview
//   POST /review/{vendorId}/{documentId}     preview with the entries, accept or reject (a reason goes to the vendor)
//   POST /review/{vendorId}/{documentId}/cuecs  ask a CUEC's owner to confirm its status (an e-mailed link)
// Every decision is an audit event with the reviewer's identity; the rules are core/commands/people.ts's.
// Every route needs a staff session; a decision is authorized by the role rules (core/roles.ts: the vendor's own
// manager or a compliance lead) before anything is written, and the page offers it only to them; asking a CUEC
// owner is 'record-cuec', the same people.
import { randomBytes } from 'node:crypto';
import { PAGE_FUNCTIONS } from '../catalog.js';
import { deliver, type MailDeps } from '../app/outbox.js';
import { subserviceIndexFor } from '../app/subservices.js';
import type { Vendors } from '../app/vendors.js';
import { createLifecycleControl, createSfnClient } from '../adapters/sfn/lifecycle.js';
import {
  basisPeriodEndFor,
  candidateDocument,
  cuecConfirmationKey,
  decisionNoticeKey,
  nextConfirmationId,
  requestCuecConfirmation,
  reviewDocument,
  reviewProblems,
  type ReviewDocument,
} from '../core/commands/people.js';
import { toSend } from '../core/commands/outbox.js';
import { cuecLinkExpiresAt, cuecLinkMessage } from '../core/cuec-link.js';
import { calendarDateOf } from '../core/dates.js';
import { ConflictError, formatProblem, NotFoundError, ValidationError } from '../core/errors.js';
import { compareWithReport } from '../core/intake/compare.js';
import { authorize, may, type StaffMember } from '../core/roles.js';
import { settingsFor } from '../core/policy.js';
import {
  initialRows,
  parseReviewEntries,
  REVIEW_LIMITS,
  rowsFromForm,
  type ReviewEntries,
} from '../core/review-entries.js';
import { previewAcceptance, reviewChecklist } from '../core/review.js';
import { DOWNLOAD_LINK_SECONDS } from '../core/upload-checks.js';
import { hashToken } from '../core/upload-link.js';
import {
  portfolioVendor,
  subserviceOrganizationOf,
  type DocumentRecord,
  type VendorState,
} from '../core/vendor-state.js';
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

/** The subservice organisations on record, by id, with their names (the picker, and what a report may name). */
async function organizationsOnRecord(d: ReviewDeps): Promise<Map<string, VendorState>> {
  const ids = await d.vendors.listSubserviceOrganizationIds();
  const states = await d.vendors.loadMany(ids);
  return new Map([...states].filter(([, s]) => s.organization !== undefined));
}

/** Whether the review records the report's CUECs and subservice organisations: the vendor's own SOC 2 report. */
const withSection9 = (record: DocumentRecord) =>
  record.organizationId === undefined && record.document.kind.startsWith('soc2');

/** What the review needs besides the vendor: the organisations on record, and the one a document is for. */
async function reviewContext(d: ReviewDeps, record: DocumentRecord) {
  const organizations = await organizationsOnRecord(d);
  const organizationState = record.organizationId ? organizations.get(record.organizationId) : undefined;
  return {
    organizations,
    known: new Set(organizations.keys()),
    organization: organizationState ? subserviceOrganizationOf(organizationState) : undefined,
  };
}

/** The review form's entries, or the problems with them (shown on the page, nothing recorded). */
function entriesOf(
  form: URLSearchParams,
  record: DocumentRecord,
  known: ReadonlySet<string>,
  isVendor: (id: string) => boolean,
): { entries?: ReviewEntries; problems: string[] } {
  try {
    return {
      entries: parseReviewEntries(form, { known, isVendor, withSection9: withSection9(record) }),
      problems: [],
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { problems: error.problems.map(formatProblem) };
  }
}

interface Submitted {
  form: URLSearchParams;
  problems: string[];
  entries?: ReviewEntries;
  preview?: boolean;
}

async function renderReview(
  d: ReviewDeps,
  staff: StaffMember,
  vendorId: string,
  documentId: string,
  submitted?: Submitted,
) {
  const { state, record } = await findDocument(d, vendorId, documentId);
  const vendor = portfolioVendor(state)!;
  const asOf = todayOf(d);
  const settings = settingsFor(d.config.policy, vendor.tier);
  const context = await reviewContext(d, record);
  const pending = record.status === 'pending-review';
  // The document as it would be accepted with what was sent (a preview, or an attempt with problems).
  const candidate =
    pending && submitted?.entries
      ? candidateDocument(record, { entries: submitted.entries, knownOrganizations: context.known }).document
      : record.document;
  const index = await subserviceIndexFor(
    d.vendors,
    [vendor, { documents: [candidate] }],
    asOf,
    d.config.policy,
  );
  const preview = previewAcceptance(vendor, candidate, asOf, settings, {
    subservices: index,
    defaults: d.config.policy.defaults,
    ...(context.organization ? { organization: context.organization } : {}),
  });
  const basisEnd = basisPeriodEndFor(state, record, {
    today: asOf,
    settings,
    defaults: d.config.policy.defaults,
    ...(context.organization ? { organization: context.organization } : {}),
  });
  const organizations = [...context.organizations.values()].map((s) => ({
    id: s.vendorId,
    name: s.organization!.name,
  }));
  // Through the server, which checks the stored bytes against the recorded hash before it hands out a link.
  const downloadUrl = record.file
    ? `/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}/file`
    : undefined;
  const problems = submitted?.problems.length ? submitted.problems : undefined;
  return page(
    reviewPage(
      { name: staff.name },
      {
        vendorId,
        vendorName: vendor.name,
        tier: vendor.tier,
        record,
        downloadUrl,
        checklist: reviewChecklist(vendor, candidate, basisEnd),
        preview,
        asOf,
        mayDecide: may(staff, 'review-document', vendor),
        mayRecordCuecs: may(staff, 'record-cuec', vendor),
        ...(problems ? { problems } : {}),
        comparison: compareWithReport(record.document, record.extraction),
        rows: submitted
          ? rowsFromForm(submitted.form)
          : initialRows(record.document, record.extraction, organizations),
        section9: withSection9(record),
        organizations,
        ...(record.organizationId
          ? {
              organization: {
                id: record.organizationId,
                name: context.organization?.name ?? record.organizationId,
              },
            }
          : {}),
        confirmations: Object.values(state.cuecConfirmations ?? {}).filter(
          (c) => c.documentId === documentId,
        ),
        previewed: Boolean(submitted?.preview && submitted.entries),
      },
    ),
    problems ? 400 : 200,
  );
}

/**
 * A subservice organisation's document, once accepted on the vendor's record, joins that organisation's own
 * record (as an accepted upload, naming the vendor upload it came from). Safe to repeat: the same document id is
 * added once, so a retry after a crash between the two writes completes it.
 */
async function carryToOrganization(
  d: ReviewDeps,
  state: VendorState,
  documentId: string,
  actor: { kind: 'staff'; id: string },
): Promise<void> {
  const record = state.documents.find((doc) => doc.documentId === documentId);
  if (!record?.organizationId || record.status !== 'accepted') return;
  await d.vendors.update(
    record.organizationId,
    (org) => {
      if (!org?.organization) throw new NotFoundError('The subservice organisation is not on record.');
      if (org.documents.some((doc) => doc.documentId === documentId && doc.status !== 'withdrawn')) return [];
      return [
        {
          type: 'document-added',
          data: {
            documentId,
            document: record.document,
            source: 'upload',
            status: 'accepted',
            ...(record.file ? { file: record.file } : {}),
            via: { vendorId: state.vendorId, documentId },
          },
        },
      ];
    },
    { actor },
  );
}

/** Registers the subservice organisations created at review (an existing one is left as it is). */
async function registerOrganizations(
  d: ReviewDeps,
  entries: ReviewEntries | undefined,
  actor: { kind: 'staff'; id: string },
): Promise<void> {
  for (const organization of entries?.newOrganizations ?? [])
    await d.vendors.update(
      organization.id,
      (s) => {
        if (s?.organization) return [];
        if (s?.profile)
          throw new ValidationError([
            {
              path: 'subservices',
              message: `${organization.id} is a vendor's id; give the organisation its own`,
            },
          ]);
        return [{ type: 'organization-registered', data: { name: organization.name } }];
      },
      { actor },
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
          const body = bodyText(e);
          if (Buffer.byteLength(body) > REVIEW_LIMITS.formBytes)
            throw new ValidationError([
              { path: '', message: `the form is too large (at most ${REVIEW_LIMITS.formBytes / 1024} KB)` },
            ]);
          const form = new URLSearchParams(body);
          const { state, record } = await findDocument(d, vendorId, documentId);
          // Before anything is written (the evidence lock, the decision, a notice resent).
          authorize(staff, 'review-document', state.profile!);
          const actor = { kind: 'staff' as const, id: staff.email };
          const back = redirect(`/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}`);
          if (record.status !== 'pending-review') {
            // Already decided (a retry after a failure, or someone else): make sure its notice went out, and that
            // an accepted organisation's document reached the organisation's record.
            const decision = record.status === 'accepted' ? 'accept' : 'reject';
            const keys = new Set([decisionNoticeKey(vendorId, documentId, decision)]);
            try {
              await carryToOrganization(d, state, documentId, actor);
              await deliver(d.vendors, d.mail, state, toSend(state, d.clock.now(), { keys }), actor);
            } finally {
              await d.wake(state, `document-${record.status}`);
            }
            return back;
          }
          const context = await reviewContext(d, record);
          const vendorIds = new Set(await d.vendors.listVendorIds());
          const parsed = entriesOf(form, record, context.known, (id) => vendorIds.has(id));
          const command: ReviewDocument = {
            documentId,
            decision: form.get('decision'),
            reason: form.get('reason') ?? '',
            note: form.get('note') ?? '',
            ticked: form.getAll('check'),
            today: todayOf(d),
            settings: settingsFor(d.config.policy, state.profile!.tier),
            ...(parsed.entries ? { entries: parsed.entries } : {}),
            knownOrganizations: context.known,
            defaults: d.config.policy.defaults,
            ...(context.organization ? { organization: context.organization } : {}),
          };
          const submitted: Submitted = {
            form,
            problems: parsed.problems,
            ...(parsed.entries ? { entries: parsed.entries } : {}),
          };
          if (command.decision === 'preview')
            return renderReview(d, staff, vendorId, documentId, { ...submitted, preview: true });
          const problems = [...parsed.problems, ...reviewProblems(state, command)];
          if (problems.length)
            return renderReview(d, staff, vendorId, documentId, { ...submitted, problems });
          // New subservice organisations are registered first: an acceptance never names one not on record (a
          // crash in between leaves an organisation without documents, which the next attempt reuses).
          if (command.decision === 'accept') await registerOrganizations(d, command.entries, actor);
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
            if (decision === 'accept') await carryToOrganization(d, result.state, documentId, actor);
            await deliver(
              d.vendors,
              d.mail,
              result.state,
              toSend(result.state, d.clock.now(), { keys }),
              actor,
            );
          } finally {
            // The lifecycle re-plans now: an accepted basis closes the request and the finding, starts a cycle;
            // an organisation's report closes its request. Also when the notice failed (a 503 for the reviewer;
            // the outbox sends it later).
            await d.wake(result.state, decision === 'accept' ? 'document-accepted' : 'document-rejected');
          }
          return back;
        }),

        // Asks a CUEC's owner to confirm its status: a link (a MAC token, only its hash stored) by e-mail.
        'POST /review/{vendorId}/{documentId}/cuecs': staffRoute(sessionDeps, async (e, staff) => {
          const d = getDeps();
          const vendorId = param(e, 'vendorId');
          const documentId = param(e, 'documentId');
          const form = new URLSearchParams(bodyText(e).slice(0, 4096));
          const cuecId = form.get('cuec') ?? '';
          const now = d.clock.now();
          const actor = { kind: 'staff' as const, id: staff.email };
          let key = '';
          const result = await d.vendors.update(
            vendorId,
            async (s) => {
              if (!s?.profile) throw new NotFoundError('There is no such vendor.');
              // Before anything is written, on the state being decided on.
              authorize(staff, 'record-cuec', s.profile);
              const confirmationId = nextConfirmationId(s);
              const nonce = randomBytes(16).toString('hex');
              const token = await d.mail.mac.sign(cuecLinkMessage(vendorId, confirmationId, nonce));
              key = cuecConfirmationKey(vendorId, confirmationId);
              return requestCuecConfirmation(s, {
                documentId,
                cuecId,
                today: todayOf(d),
                link: {
                  confirmationId,
                  nonce,
                  tokenHash: hashToken(token),
                  expiresAt: cuecLinkExpiresAt(now).toISOString(),
                },
              });
            },
            { actor },
          );
          await deliver(
            d.vendors,
            d.mail,
            result.state,
            toSend(result.state, now, { keys: new Set([key]) }),
            actor,
          );
          return redirect(`/review/${encodeURIComponent(vendorId)}/${encodeURIComponent(documentId)}`);
        }),
      },
      staffPages(event),
    )(event);
}

export const handler = lambda(reviewRoutes(deps));
