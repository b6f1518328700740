// S3 ObjectCreated on uploads/: checks what a presigned POST cannot (a PDF by its magic bytes, not empty, at most
// 50 MB), records its SHA-256, adds the document for review and wakes the vendor's lifecycle. Anything else is
// deleted and the vendor's page says why. The same file twice is one document. Safe to run twice per event.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, S3Event } from 'aws-lambda';
import {
  PDF_MAGIC,
  checkUploadedFile,
  intentKey,
  parseUploadKey,
  type UploadIntent,
} from '../core/upload-checks.js';
import type { NewEvent } from '../core/events.js';
import { logger } from './http.js';
import { peopleDeps, today, wakeSoon, type PeopleDeps } from './people-runtime.js';
import { notifyOnce } from './people-mail.js';
import { reviewRequestMail } from '../core/mail/people.js';

export type IngestOutcome = 'received' | 'duplicate' | 'refused' | 'ignored';

/** A document's id follows from its bytes: the same file can only ever be one document of a vendor. */
export function documentIdFor(sha256: string): string {
  return `up-${sha256.slice(0, 24)}`;
}

export async function ingestObject(deps: PeopleDeps, key: string): Promise<IngestOutcome> {
  const ids = parseUploadKey(key);
  if (!ids) {
    // Not a key we hand out: nobody may park bytes in the bucket.
    logger.warn('ingest: deleting an object at a key the service never issued');
    await deps.files.remove(key);
    return 'refused';
  }
  const where = intentKey(ids.vendorId, ids.uploadId);
  const intent = await deps.files.getJson<UploadIntent>(where);
  if (!intent || intent.key !== key || intent.vendorId !== ids.vendorId) {
    logger.warn('ingest: deleting an upload without a matching form', { vendorId: ids.vendorId });
    await deps.files.remove(key);
    return 'refused';
  }
  if (intent.state !== 'waiting') return 'ignored'; // a redelivered event

  const settle = async (state: UploadIntent['state'], message: string, documentId?: string) => {
    await deps.files.putJson(where, { ...intent, state, message, ...(documentId ? { documentId } : {}) });
  };
  const refuse = async (reason: string): Promise<IngestOutcome> => {
    await deps.files.remove(key);
    await settle('refused', reason);
    logger.info('ingest: upload refused', { vendorId: ids.vendorId, uploadId: ids.uploadId, reason });
    return 'refused';
  };

  const info = await deps.files.head(key);
  if (!info) return 'ignored'; // deleted meanwhile
  const start = info.size > 0 ? await deps.files.readStart(key, PDF_MAGIC.length) : Buffer.alloc(0);
  const verdict = checkUploadedFile({ size: info.size, start });
  if (!verdict.ok) return refuse(verdict.reason);

  const sha256 = await deps.files.sha256(key);
  const date = today(deps);
  const documentId = documentIdFor(sha256);
  // Set by the decision (which may run more than once on conflicts; the last run is what was written).
  const seen: {
    outcome: 'received' | 'duplicate' | 'redelivered' | 'closed';
    earlier?: { status: string; reason?: string };
  } = {
    outcome: 'received',
  };
  const result = await deps.store.update(
    ids.vendorId,
    (state): NewEvent[] => {
      seen.outcome = 'received';
      delete seen.earlier;
      const request = state?.requests[intent.requestId];
      if (!state || !request?.open) {
        seen.outcome = 'closed';
        return [];
      }
      const same = state.documents.find(
        (d) => d.status !== 'withdrawn' && (d.documentId === documentId || d.file?.sha256 === sha256),
      );
      if (same?.file?.key === key) {
        // The same upload delivered twice at once: the other run added it; this one must not touch the file.
        seen.outcome = 'redelivered';
        return [];
      }
      if (same) {
        seen.outcome = 'duplicate';
        seen.earlier = { status: same.status, ...(same.reason ? { reason: same.reason } : {}) };
        return [];
      }
      return [
        {
          type: 'document-added',
          data: {
            documentId,
            document: intent.document,
            source: 'upload',
            status: 'pending-review',
            file: { key, sha256, size: info.size },
          },
        },
        // Spec 5: "a document is uploaded: document-received, and a review request to the manager".
        {
          type: 'document-received',
          data: { date, to: state.profile?.managerEmail ?? '', requestId: intent.requestId, documentId },
        },
      ];
    },
    { actor: { kind: 'vendor-link', requestId: intent.requestId } },
  );

  if (seen.outcome === 'closed') {
    return refuse(
      'The request closed before the file arrived, so it was not kept. No further upload is needed.',
    );
  }
  if (seen.outcome === 'redelivered') return 'ignored';
  if (seen.outcome === 'duplicate') {
    await deps.files.remove(key);
    const earlier = seen.earlier;
    const what =
      earlier?.status === 'rejected'
        ? `This same file was already reviewed and not accepted${earlier.reason ? ` (${earlier.reason})` : ''}. Please upload a corrected document.`
        : earlier?.status === 'accepted'
          ? 'This same file was already received and accepted. Nothing more is needed for it.'
          : 'This same file was already received and is waiting for review. Nothing more is needed for it.';
    await settle('duplicate', what, documentId);
    return 'duplicate';
  }
  await settle(
    'received',
    'Thank you: the document was received. Your vendor manager will review it and you will hear back by e-mail.',
    documentId,
  );
  logger.info('ingest: document received', { vendorId: ids.vendorId, documentId, size: info.size });
  const profile = result.state.profile;
  if (profile) {
    await notifyOnce(
      deps,
      ids.vendorId,
      { kind: 'vendor-link', requestId: intent.requestId },
      { type: 'review-request', to: profile.managerEmail, date, requestId: intent.requestId, documentId },
      reviewRequestMail({
        vendorName: profile.name,
        kind: intent.document.kind,
        date,
        ...(deps.publicBaseUrl
          ? { reviewUrl: `${deps.publicBaseUrl}/review/${ids.vendorId}/${documentId}` }
          : {}),
      }),
    );
  }
  await wakeSoon(deps, result.state, 'document-received');
  return 'received';
}

/** Keys in S3 events are URL-encoded (spaces as '+'). */
export function eventKeys(event: S3Event): string[] {
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) =>
    decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
  );
}

export function ingestHandler(getDeps: () => PeopleDeps) {
  return async (event: S3Event): Promise<{ outcomes: IngestOutcome[] }> => {
    const deps = getDeps();
    const outcomes: IngestOutcome[] = [];
    for (const key of eventKeys(event)) outcomes.push(await ingestObject(deps, key));
    return { outcomes };
  };
}

export const handler = middy<S3Event, { outcomes: IngestOutcome[] }, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(ingestHandler(peopleDeps));
