// What the ingest step checks in every uploaded file, because a presigned POST cannot: S3 enforces size and
// content type only as declared by the browser, never what the bytes are.
import { ValidationError, type Problem } from './errors.js';
import type { VendorDocument } from './portfolio.js';

/** 50 MiB: the largest report a vendor may upload. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Every PDF starts with these bytes. */
export const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
export const UPLOAD_CONTENT_TYPE = 'application/pdf';
/** How long the browser has to send the file after the vendor presses Upload. */
export const UPLOAD_FORM_SECONDS = 15 * 60;
/** How long a reviewer's download link lives. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

const UPLOAD_ID = /^[a-f0-9]{32}$/;
const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Where an upload's bytes go: fixed by the server, never chosen by the vendor. */
export function uploadKey(vendorId: string, uploadId: string): string {
  return `uploads/${vendorId}/${uploadId}.pdf`;
}

/** Where the server keeps what the vendor entered until the file arrives. */
export function intentKey(vendorId: string, uploadId: string): string {
  return `intents/${vendorId}/${uploadId}.json`;
}

/** The vendor and upload an object key belongs to, or undefined when the key is not one we issue. */
export function parseUploadKey(key: string): { vendorId: string; uploadId: string } | undefined {
  const match = /^uploads\/([^/]+)\/([^/]+)\.pdf$/.exec(key);
  if (!match) return undefined;
  const [, vendorId = '', uploadId = ''] = match;
  if (!VENDOR_ID.test(vendorId) || !UPLOAD_ID.test(uploadId)) return undefined;
  return { vendorId, uploadId };
}

export function isUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

export type FileVerdict = { ok: true } | { ok: false; reason: string };

/** The file checks, in the order a vendor would want to hear about them. */
export function checkUploadedFile(file: { size: number; start: Buffer }): FileVerdict {
  if (file.size === 0)
    return { ok: false, reason: 'The file is empty. Please choose the PDF of the report.' };
  if (file.size > MAX_UPLOAD_BYTES) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    return { ok: false, reason: `The file is ${mb} MB; the limit is 50 MB. Please send a smaller PDF.` };
  }
  if (file.start.length < PDF_MAGIC.length || !file.start.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    return { ok: false, reason: 'The file is not a PDF. Please upload the report as a PDF document.' };
  }
  return { ok: true };
}

/** Where an upload stands, as the vendor's page polls it. */
export type UploadState = 'waiting' | 'received' | 'duplicate' | 'refused';

/** What the server keeps between handing out the upload form and the file's arrival (intents/...json). */
/** A file's SHA-256 as the browser computed it: 64 lowercase hex digits. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/** The file the browser is about to send: its hash and size, checked before any upload is signed. */
export interface DeclaredFile {
  sha256: string;
  size: number;
}

/** Checks the declared file (a PDF is checked by its bytes at ingest; here only hash and size). */
export function declaredFile(input: unknown): DeclaredFile {
  const file = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  if (!isSha256Hex(file.sha256))
    problems.push({ path: 'file.sha256', message: 'the SHA-256 of the file, 64 hex digits, is required' });
  const size = file.size;
  if (typeof size !== 'number' || !Number.isInteger(size))
    problems.push({ path: 'file.size', message: 'the size of the file in bytes is required' });
  else if (size <= 0) problems.push({ path: 'file.size', message: 'the file is empty' });
  else if (size > MAX_UPLOAD_BYTES)
    problems.push({
      path: 'file.size',
      message: `the file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is 50 MB`,
    });
  if (problems.length) throw new ValidationError(problems);
  return { sha256: file.sha256 as string, size: size as number };
}

export interface UploadIntent {
  vendorId: string;
  /** The request whose link the vendor used; absent when staff record a document the vendor sent otherwise. */
  requestId?: string;
  /** Staff who recorded it (absent: the vendor, through its link). */
  staffId?: string;
  uploadId: string;
  key: string;
  /** The file the upload was signed for: S3 refuses other bytes; the ingest checks them again. */
  file: DeclaredFile;
  /** The vendor's entries, validated, still untrusted until a manager accepts them. */
  document: VendorDocument;
  /** The subservice organisation the document is for (sent through the vendor), if not the vendor's own. */
  organizationId?: string;
  createdAt: string;
  state: UploadState;
  /** For the vendor: why it was refused, or what happened. */
  message?: string;
  documentId?: string;
}
