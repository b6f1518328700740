// The DocumentFiles port in this process's memory, for `simulate` (which has no browser to upload with): the
// presigned upload is a URL only this process understands, and `put` stands in for the browser's PUT. It keeps
// versions like a versioned bucket, and refuses nothing (as the embedded S3): the ingest checks are what hold.
import { createHash, randomUUID } from 'node:crypto';
import type { DocumentFiles, PresignedUpload, StoredFileInfo } from '../../ports/document-files.js';

interface Version {
  versionId: string;
  body: Buffer;
  contentType: string | undefined;
  retainUntil?: Date;
}

export class MemoryDocuments implements DocumentFiles {
  private readonly objects = new Map<string, Version[]>();

  constructor(private readonly bucket: string) {}

  /** What the browser's upload does: stores bytes under a key as its new current version. */
  put(key: string, body: Buffer, contentType = 'application/pdf'): string {
    const versionId = randomUUID();
    const versions = this.objects.get(key) ?? [];
    versions.push({ versionId, body: Buffer.from(body), contentType });
    this.objects.set(key, versions);
    return versionId;
  }

  /** The retention a version was given (tests). */
  retainedUntil(key: string, versionId: string): Date | undefined {
    return this.version(key, versionId)?.retainUntil;
  }

  private version(key: string, versionId?: string): Version | undefined {
    const versions = this.objects.get(key) ?? [];
    return versionId === undefined ? versions.at(-1) : versions.find((v) => v.versionId === versionId);
  }

  async uploadOrigin(): Promise<string> {
    return '';
  }

  async presignUpload(input: {
    key: string;
    contentType: string;
    size: number;
    sha256: string;
    expiresInSeconds: number;
  }): Promise<PresignedUpload> {
    return {
      url: `memory://${this.bucket}/${input.key}`,
      method: 'PUT',
      headers: {
        'content-type': input.contentType,
        'x-amz-checksum-sha256': Buffer.from(input.sha256, 'hex').toString('base64'),
        'if-none-match': '*',
      },
      expiresAt: new Date(0).toISOString(),
    };
  }

  async presignDownload(key: string, input: { versionId?: string }): Promise<string> {
    return `memory://${this.bucket}/${key}${input.versionId ? `?versionId=${input.versionId}` : ''}`;
  }

  async head(key: string, versionId?: string): Promise<StoredFileInfo | undefined> {
    const v = this.version(key, versionId);
    return v ? { size: v.body.length, contentType: v.contentType, versionId: v.versionId } : undefined;
  }

  async readStart(key: string, bytes: number, versionId?: string): Promise<Buffer> {
    return Buffer.from(this.version(key, versionId)?.body.subarray(0, Math.max(0, bytes)) ?? Buffer.alloc(0));
  }

  async sha256(key: string, versionId?: string): Promise<string> {
    return createHash('sha256')
      .update(this.version(key, versionId)?.body ?? Buffer.alloc(0))
      .digest('hex');
  }

  async retain(key: string, versionId: string | undefined, until: Date): Promise<void> {
    const v = this.version(key, versionId);
    if (v) v.retainUntil = until;
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    this.put(key, Buffer.from(JSON.stringify(value)), 'application/json');
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const v = this.version(key);
    return v ? (JSON.parse(v.body.toString('utf8')) as T) : undefined;
  }
}

const shared = new Map<string, MemoryDocuments>();

export function memoryDocuments(bucket: string): MemoryDocuments {
  let documents = shared.get(bucket);
  if (!documents) {
    documents = new MemoryDocuments(bucket);
    shared.set(bucket, documents);
  }
  return documents;
}

export function dropMemoryDocuments(bucket: string): void {
  shared.delete(bucket);
}
