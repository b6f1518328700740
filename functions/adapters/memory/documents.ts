// The DocumentFiles port in this process's memory, for `simulate` (which has no browser to post a form): the
// presigned upload is a URL only this process understands, and `put` stands in for the browser's POST.
import { createHash } from 'node:crypto';
import type { DocumentFiles, PresignedUpload, StoredFileInfo } from '../../ports/document-files.js';

export class MemoryDocuments implements DocumentFiles {
  private readonly objects = new Map<string, { body: Buffer; contentType: string | undefined }>();

  constructor(private readonly bucket: string) {}

  /** What the browser's upload does: stores bytes under a key (the caller then runs the ingest). */
  put(key: string, body: Buffer, contentType = 'application/pdf'): void {
    this.objects.set(key, { body: Buffer.from(body), contentType });
  }

  async presignUpload(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload> {
    return {
      url: `memory://${this.bucket}/`,
      fields: { key: input.key, 'Content-Type': input.contentType },
      expiresAt: new Date(0).toISOString(),
    };
  }

  async presignDownload(key: string): Promise<string> {
    return `memory://${this.bucket}/${key}`;
  }

  async head(key: string): Promise<StoredFileInfo | undefined> {
    const object = this.objects.get(key);
    return object ? { size: object.body.length, contentType: object.contentType } : undefined;
  }

  async readStart(key: string, bytes: number): Promise<Buffer> {
    return Buffer.from(this.objects.get(key)?.body.subarray(0, Math.max(0, bytes)) ?? Buffer.alloc(0));
  }

  async sha256(key: string): Promise<string> {
    return createHash('sha256')
      .update(this.objects.get(key)?.body ?? Buffer.alloc(0))
      .digest('hex');
  }

  async remove(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async putJson(key: string, value: unknown): Promise<void> {
    this.put(key, Buffer.from(JSON.stringify(value)), 'application/json');
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const object = this.objects.get(key);
    return object ? (JSON.parse(object.body.toString('utf8')) as T) : undefined;
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
