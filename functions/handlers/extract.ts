// Intake assist on AWS: its own function (the PDF library alone is five times the per-function bundle budget;
// docs/intake.md, "The bundle decision"). S3 ObjectCreated on intents/ through EventBridge: when the ingest has
// accepted a PDF it settles the upload's intent as `received` with the document's id, and that write brings us
// here. We read the exact version whose SHA-256 the ingest recorded, check the bytes against it, read the report
// (functions/adapters/pdf), and record what it says on the pending document as `document-extracted`, bounded
// (core/intake/stored.ts). Nothing is applied: the review page shows it beside the vendor's entries. A file that
// is not a readable PDF, or has no text, is recorded as such (the review falls back to manual entry).
// Safe to run twice: a document already read is left alone.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { EXTRACT_FUNCTION } from '../catalog.js';
import type { Vendors } from '../app/vendors.js';
import { extractReport } from '../adapters/pdf/extract-report.js';
import { ValidationError } from '../core/errors.js';
import { event as ev, type Actor } from '../core/events.js';
import { storedExtraction, type StoredExtraction } from '../core/intake/stored.js';
import type { UploadIntent } from '../core/upload-checks.js';
import type { DocumentFiles } from '../ports/document-files.js';
import { readConfig } from '../edge/config.js';
import { openDocuments } from '../edge/documents.js';
import { logger } from '../edge/logger.js';
import { lazy, withFaults } from '../edge/runtime.js';
import { openVendors } from '../edge/vendors.js';

export interface ExtractDeps {
  vendors: Vendors;
  files: DocumentFiles;
  read?: (bytes: Uint8Array) => Promise<StoredExtraction>;
}

const deps = lazy((): ExtractDeps => {
  const config = readConfig(process.env, EXTRACT_FUNCTION.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    files: openDocuments(config.documentsBucket),
  };
});

const INTENT_KEY = /^intents\/([a-z0-9][a-z0-9-]{0,63})\/([a-f0-9]{32})\.json$/;
const ACTOR: Actor = { kind: 'workflow', execution: 'intake-assist' };

export type ExtractOutcome = 'extracted' | 'ignored';

/** Reads a report's bytes into what the record keeps: its fields, no text layer, or why it could not be read. */
export async function readReport(bytes: Uint8Array): Promise<StoredExtraction> {
  try {
    return storedExtraction(await extractReport(bytes));
  } catch (error) {
    if (error instanceof ValidationError)
      return storedExtraction({ failed: error.problems.map((p) => p.message).join('; ') });
    throw error;
  }
}

export async function extractForIntent(d: ExtractDeps, key: string): Promise<ExtractOutcome> {
  const match = INTENT_KEY.exec(key);
  if (!match) return 'ignored';
  const vendorId = match[1]!;
  const intent = await d.files.getJson<UploadIntent>(key);
  // Only an upload the ingest accepted (a waiting, refused or duplicate one has no new document).
  if (!intent || intent.vendorId !== vendorId || intent.state !== 'received' || !intent.documentId)
    return 'ignored';
  const documentId = intent.documentId;
  const state = await d.vendors.load(vendorId);
  const record = state?.documents.find((doc) => doc.documentId === documentId);
  if (!record?.file || record.status !== 'pending-review' || record.extraction) return 'ignored';
  const { file } = record;
  const bytes = await d.files.readStart(file.key, file.size, file.versionId);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let extraction: StoredExtraction;
  if (sha256 !== file.sha256) {
    logger.error('extract: the stored file does not match the hash recorded at upload', {
      vendorId,
      documentId,
    });
    extraction = { failed: 'the stored file no longer matches the file that was received' };
  } else extraction = await (d.read ?? readReport)(bytes);
  const committed = await d.vendors.update(
    vendorId,
    (s) => {
      const doc = s?.documents.find((x) => x.documentId === documentId);
      if (!doc || doc.status !== 'pending-review' || doc.extraction) return [];
      return [ev('document-extracted', { documentId, extraction })];
    },
    { actor: ACTOR },
  );
  if (committed.events.length === 0) return 'ignored';
  logger.info('extract: report read', {
    vendorId,
    documentId,
    outcome: 'failed' in extraction ? 'failed' : extraction.textLayer ? 'read' : 'no-text-layer',
  });
  return 'extracted';
}

/** Keys in S3 events are URL-encoded (spaces as '+'). */
function eventKeys(event: S3Event): string[] {
  return event.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) =>
    decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
  );
}

export function extractHandler(getDeps: () => ExtractDeps) {
  return async (event: S3Event): Promise<{ outcomes: ExtractOutcome[] }> => {
    const d = getDeps();
    const outcomes: ExtractOutcome[] = [];
    for (const key of eventKeys(event)) outcomes.push(await extractForIntent(d, key));
    return { outcomes };
  };
}

export const handler = middy<S3Event, { outcomes: ExtractOutcome[] }, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(extractHandler(deps));
