// The documents bucket as the domain sees it: vendors upload straight to it, staff read from it through
// short-lived links, and the ingest step inspects what arrived. The S3 adapter implements it.

export interface PresignedUpload {
  /** Where the browser POSTs the multipart form. */
  url: string;
  /** Form fields to send before the file (key, policy, signature...). */
  fields: Record<string, string>;
  /** When the form stops being accepted (ISO instant). */
  expiresAt: string;
}

export interface StoredFileInfo {
  size: number;
  contentType: string | undefined;
}

export interface DocumentFiles {
  /**
   * A presigned POST for exactly `key`, `contentType`, and 1..maxBytes bytes. Real S3 enforces the policy;
   * the ingest checks enforce it again (and are all the local S3 has).
   */
  presignUpload(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload>;
  /** A short-lived GET link, served inline as the given file name. */
  presignDownload(key: string, input: { expiresInSeconds: number; fileName: string }): Promise<string>;
  /** Size and type, or undefined when there is no such object. */
  head(key: string): Promise<StoredFileInfo | undefined>;
  /** The first `bytes` bytes (fewer if the object is shorter). */
  readStart(key: string, bytes: number): Promise<Buffer>;
  /** SHA-256 of the whole object (hex), streamed. */
  sha256(key: string): Promise<string>;
  remove(key: string): Promise<void>;
  /** Small JSON records the server keeps beside the files (an upload's entries and progress). */
  putJson(key: string, value: unknown): Promise<void>;
  /** The JSON record, or undefined when there is none. */
  getJson<T>(key: string): Promise<T | undefined>;
}
