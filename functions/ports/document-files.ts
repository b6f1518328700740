// The documents bucket as the domain sees it: vendors upload straight to it through a single-use presigned PUT
// for exactly the bytes their browser hashed, staff download the exact version whose hash was recorded, the
// ingest step inspects what arrived, and accepted evidence is locked. The S3 adapter implements it.

export interface PresignedUpload {
  /** Where the browser PUTs the file. */
  url: string;
  method: 'PUT';
  /** Headers the browser must send exactly (they are signed: another checksum or length is refused). */
  headers: Record<string, string>;
  /** When the URL stops being accepted (ISO instant). */
  expiresAt: string;
}

export interface StoredFileInfo {
  size: number;
  contentType: string | undefined;
  /** The object version (S3 versioning); undefined where the store keeps none (the embedded S3). */
  versionId: string | undefined;
}

export interface DocumentFiles {
  /**
   * A presigned PUT for exactly `key`, `contentType`, `size` bytes whose SHA-256 is `sha256` (hex), refused by S3
   * if an object already exists at the key (If-None-Match: *) or if the body's checksum differs. The ingest
   * checks enforce it again (and are all the embedded S3 has).
   */
  presignUpload(input: {
    key: string;
    contentType: string;
    size: number;
    sha256: string;
    expiresInSeconds: number;
  }): Promise<PresignedUpload>;
  /** The origin the browser sends uploads to (the pages allow their script to connect there, and nowhere else). */
  uploadOrigin(): Promise<string>;
  /** A short-lived GET link to one version, served inline as the given file name. */
  presignDownload(
    key: string,
    input: { versionId?: string; expiresInSeconds: number; fileName: string },
  ): Promise<string>;
  /** Size, type and version (the current one, or `versionId`'s), or undefined when there is no such object. */
  head(key: string, versionId?: string): Promise<StoredFileInfo | undefined>;
  /** The first `bytes` bytes (fewer if the object is shorter). */
  readStart(key: string, bytes: number, versionId?: string): Promise<Buffer>;
  /** SHA-256 of the whole object (hex), streamed. */
  sha256(key: string, versionId?: string): Promise<string>;
  /** Object Lock retention (governance) on one version until `until`: accepted evidence. */
  retain(key: string, versionId: string | undefined, until: Date): Promise<void>;
  remove(key: string): Promise<void>;
  /** Small JSON records the server keeps beside the files (an upload's entries and progress). */
  putJson(key: string, value: unknown): Promise<void>;
  /** The JSON record, or undefined when there is none. */
  getJson<T>(key: string): Promise<T | undefined>;
}
