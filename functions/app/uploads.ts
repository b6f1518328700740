// An upload's first half, shared by the vendor's page and the staff's "record a document" form: the entries are
// kept beside the file's future key (intents/), and the browser gets a presigned upload for exactly that key.
// The second half is the ingest (functions/handlers/ingest.ts), when the file arrives.
import { randomBytes } from 'node:crypto';
import type { VendorDocument } from '../core/portfolio.js';
import {
  UPLOAD_CONTENT_TYPE,
  UPLOAD_FORM_SECONDS,
  intentKey,
  isUploadId,
  uploadKey,
  type DeclaredFile,
  type UploadIntent,
} from '../core/upload-checks.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentFiles, PresignedUpload } from '../ports/document-files.js';

export interface StartedUpload {
  uploadId: string;
  upload: PresignedUpload;
}

export async function startUpload(
  d: { files: DocumentFiles; clock: Clock },
  who: { vendorId: string; requestId?: string; staffId?: string },
  document: VendorDocument,
  file: DeclaredFile,
  organizationId?: string,
): Promise<StartedUpload> {
  const uploadId = randomBytes(16).toString('hex');
  const key = uploadKey(who.vendorId, uploadId);
  const intent: UploadIntent = {
    vendorId: who.vendorId,
    ...(who.requestId ? { requestId: who.requestId } : {}),
    ...(who.staffId ? { staffId: who.staffId } : {}),
    uploadId,
    key,
    file,
    document,
    ...(organizationId ? { organizationId } : {}),
    createdAt: d.clock.now().toISOString(),
    state: 'waiting',
  };
  await d.files.putJson(intentKey(who.vendorId, uploadId), intent);
  // Single use: a fresh key per upload, signed for exactly these bytes, refused by S3 once an object is there.
  const upload = await d.files.presignUpload({
    key,
    contentType: UPLOAD_CONTENT_TYPE,
    size: file.size,
    sha256: file.sha256,
    expiresInSeconds: UPLOAD_FORM_SECONDS,
  });
  return { uploadId, upload };
}

/** Where an upload stands, or undefined when it is not one `belongs` accepts (another request's, made up). */
export async function uploadStatus(
  files: DocumentFiles,
  vendorId: string,
  uploadId: string,
  belongs: (intent: UploadIntent) => boolean,
): Promise<{ state: UploadIntent['state']; message: string } | undefined> {
  if (!isUploadId(uploadId)) return undefined;
  const intent = await files.getJson<UploadIntent>(intentKey(vendorId, uploadId));
  if (!intent || !belongs(intent)) return undefined;
  return { state: intent.state, message: intent.message ?? 'The file is being checked.' };
}
