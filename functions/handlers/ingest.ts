// S3 ObjectCreated on uploads/: checks what a presigned upload cannot (a PDF by its magic bytes, not empty, at
// most 50 MB), records its SHA-256, adds the document for review (core/commands/people.ts recordUpload), sends
// the review request and wakes the vendor's lifecycle. Anything else is deleted and the vendor's page says why.
// The same file twice is one document. Safe to run twice per event: a redelivery sends what is still unsent.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, S3Event } from 'aws-lambda';
import { INGEST_FUNCTION } from '../catalog.js';
import { deliver, type MailDeps } from '../app/outbox.js';
import type { Vendors } from '../app/vendors.js';
import { createLifecycleControl, createSfnClient } from '../adapters/sfn/lifecycle.js';
import { recordUpload, reviewRequestKey } from '../core/commands/people.js';
import { toSend } from '../core/commands/outbox.js';
import { calendarDateOf } from '../core/dates.js';
import {
  PDF_MAGIC,
  checkUploadedFile,
  intentKey,
  parseUploadKey,
  type UploadIntent,
} from '../core/upload-checks.js';
import type { Actor } from '../core/events.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import { readConfig } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import { logger } from '../edge/logger.js';
import { openMailer } from '../edge/mailer.js';
import { clock, lazy, withFaults } from '../edge/runtime.js';
import { openVendors } from '../edge/vendors.js';
import { waker, type WakeLifecycle } from '../edge/wake.js';

export interface IngestDeps {
  vendors: Vendors;
  files: DocumentFiles;
  /** The review request carries no upload link: no MAC key. */
  mail: MailDeps;
  wake: WakeLifecycle;
  clock: Clock;
}

const deps = lazy((): IngestDeps => {
  const config = readConfig(process.env, INGEST_FUNCTION.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    files: openDocuments(config.documentsBucket),
    mail: {
      mailer: withFaults('mailer', openMailer(config)),
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.timeZone,
    },
    wake: waker(
      createLifecycleControl({ client: createSfnClient(), stateMachineArn: config.stateMachineArn }),
    ),
    clock,
  };
});

export type IngestOutcome = 'received' | 'duplicate' | 'refused' | 'ignored';

/** The object's version the event names (EventBridge carries it; the embedded S3 keeps no versions). */
export async function ingestObject(d: IngestDeps, key: string, versionId?: string): Promise<IngestOutcome> {
  const ids = parseUploadKey(key);
  if (!ids) {
    // Not a key we hand out: nobody may park bytes in the bucket.
    logger.warn('ingest: deleting an object at a key the service never issued');
    await d.files.remove(key);
    return 'refused';
  }
  const where = intentKey(ids.vendorId, ids.uploadId);
  const intent = await d.files.getJson<UploadIntent>(where);
  if (!intent || intent.key !== key || intent.vendorId !== ids.vendorId) {
    logger.warn('ingest: deleting an upload without a matching form', { vendorId: ids.vendorId });
    await d.files.remove(key);
    return 'refused';
  }
  const actor = actorOf(intent);
  if (intent.state !== 'waiting') {
    // A redelivered event: the first delivery recorded it; send its review request if that never went out.
    if (intent.state === 'received' && intent.documentId) await sendReviewRequest(d, ids.vendorId, intent);
    return 'ignored';
  }

  const settle = async (state: UploadIntent['state'], message: string, documentId?: string) => {
    await d.files.putJson(where, { ...intent, state, message, ...(documentId ? { documentId } : {}) });
  };
  const refuse = async (reason: string): Promise<IngestOutcome> => {
    await d.files.remove(key);
    await settle('refused', reason);
    logger.info('ingest: upload refused', { vendorId: ids.vendorId, uploadId: ids.uploadId, reason });
    return 'refused';
  };

  // Pinned to one version from here on: the one the event names, else the current one. Every read below and
  // every later download names it, so bytes written to the key afterwards can never stand in for these.
  const info = await d.files.head(key, versionId);
  if (!info) return 'ignored'; // deleted meanwhile
  const pinned = versionId ?? info.versionId;
  const start = info.size > 0 ? await d.files.readStart(key, PDF_MAGIC.length, pinned) : Buffer.alloc(0);
  const verdict = checkUploadedFile({ size: info.size, start });
  if (!verdict.ok) return refuse(verdict.reason);

  // S3 verifies the signed checksum and length on AWS; here they are checked again, for every store.
  const sha256 = await d.files.sha256(key, pinned);
  if (intent.file && (sha256 !== intent.file.sha256 || info.size !== intent.file.size)) {
    logger.error('ingest: the uploaded bytes are not the file the upload was signed for', {
      vendorId: ids.vendorId,
      uploadId: ids.uploadId,
    });
    return refuse(
      'The file that arrived is not the one your browser checked before sending, so it was not kept. Please upload it again.',
    );
  }
  const date = calendarDateOf(d.clock.now(), d.mail.timeZone);
  let outcome: ReturnType<typeof recordUpload>['result'] = { outcome: 'closed' };
  const committed = await d.vendors.update(
    ids.vendorId,
    (state) => {
      const decided = recordUpload(state, {
        ...(intent.requestId ? { requestId: intent.requestId } : {}),
        document: intent.document,
        ...(intent.organizationId ? { organizationId: intent.organizationId } : {}),
        file: { key, sha256, size: info.size, ...(pinned ? { versionId: pinned } : {}) },
        date,
        publicBaseUrl: d.mail.publicBaseUrl,
      });
      outcome = decided.result;
      return decided.events;
    },
    { actor },
  );

  const result = outcome as ReturnType<typeof recordUpload>['result'];
  switch (result.outcome) {
    case 'closed':
      return refuse(
        'The request closed before the file arrived, so it was not kept. No further upload is needed.',
      );
    case 'full':
      return refuse(
        'Several documents are already waiting for review, so this one was not kept. Your vendor manager reviews those first.',
      );
    case 'redelivered':
      return 'ignored';
    case 'duplicate': {
      await d.files.remove(key);
      const { earlier } = result;
      const what =
        earlier.status === 'rejected'
          ? `This same file was already reviewed and not accepted${earlier.reason ? ` (${earlier.reason})` : ''}. Please upload a corrected document.`
          : earlier.status === 'accepted'
            ? 'This same file was already received and accepted. Nothing more is needed for it.'
            : 'This same file was already received and is waiting for review. Nothing more is needed for it.';
      await settle('duplicate', what, result.documentId);
      return 'duplicate';
    }
    case 'received':
      break;
  }
  // The vendor's page learns it arrived; then the manager's review request goes out (a crash in between leaves
  // the intent, which a redelivery or the reconciler sends).
  await settle(
    'received',
    'Thank you: the document was received. Your vendor manager will review it and you will hear back by e-mail.',
    result.documentId,
  );
  logger.info('ingest: document received', {
    vendorId: ids.vendorId,
    documentId: result.documentId,
    size: info.size,
  });
  const keys = new Set([reviewRequestKey(ids.vendorId, result.documentId)]);
  const state = await deliver(
    d.vendors,
    d.mail,
    committed.state,
    toSend(committed.state, d.clock.now(), { keys }),
    actor,
  );
  await d.wake(state, 'document-received');
  return 'received';
}

async function sendReviewRequest(d: IngestDeps, vendorId: string, intent: UploadIntent): Promise<void> {
  const state = await d.vendors.load(vendorId);
  if (!state || !intent.documentId) return;
  const keys = new Set([reviewRequestKey(vendorId, intent.documentId)]);
  await deliver(d.vendors, d.mail, state, toSend(state, d.clock.now(), { keys }), actorOf(intent));
}

/** Who uploaded: the vendor through its link, or staff recording what the vendor sent another way. */
function actorOf(intent: UploadIntent): Actor {
  return intent.staffId
    ? { kind: 'staff', id: intent.staffId }
    : { kind: 'vendor-link', requestId: intent.requestId ?? '' };
}

/** Keys in S3 events are URL-encoded (spaces as '+'); the version, when the bucket keeps versions. */
export function eventObjects(event: S3Event): { key: string; versionId?: string }[] {
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) => ({
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
  }));
}

export function ingestHandler(getDeps: () => IngestDeps) {
  return async (event: S3Event): Promise<{ outcomes: IngestOutcome[] }> => {
    const d = getDeps();
    const outcomes: IngestOutcome[] = [];
    for (const { key, versionId } of eventObjects(event))
      outcomes.push(await ingestObject(d, key, versionId));
    return { outcomes };
  };
}

export const handler = middy<S3Event, { outcomes: IngestOutcome[] }, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(ingestHandler(deps));
