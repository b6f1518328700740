// The S3 adapter against the local S3 (s3rver) over the wire: presigned POST, head, partial read, hash,
// presigned GET, delete, and the ObjectCreated notification the ingest handler rides on.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import { S3RVER_CREDENTIALS, startS3, type LocalS3 } from '../../../local/s3.js';
import { createS3Client, s3DocumentFiles } from '../../../functions/adapters/s3/documents.js';
import { UPLOAD_CONTENT_TYPE, uploadKey } from '../../../functions/core/upload-checks.js';

const bucket = 'documents-test';
let s3: LocalS3;
const events: S3Event[] = [];

beforeAll(async () => {
  s3 = await startS3({ buckets: [bucket], onObjectCreated: (e) => events.push(e) });
});
afterAll(async () => {
  await s3?.stop();
});

function files() {
  return s3DocumentFiles(createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS }), bucket);
}

async function postForm(url: string, fields: Record<string, string>, body: Buffer, name = 'report.pdf') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([body], { type: UPLOAD_CONTENT_TYPE }), name);
  return fetch(url, { method: 'POST', body: form });
}

describe('S3 documents adapter (s3rver)', () => {
  it('presigns a POST whose policy fixes key, type and size, and the file lands under that key', async () => {
    const key = uploadKey('acme-pay', 'a'.repeat(32));
    const upload = await files().presignUpload({
      key,
      contentType: UPLOAD_CONTENT_TYPE,
      maxBytes: 1000,
      expiresInSeconds: 60,
    });
    expect(upload.fields.key).toBe(key);
    expect(upload.fields['Content-Type']).toBe(UPLOAD_CONTENT_TYPE);
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1000]);
    expect(policy.conditions).toContainEqual(['eq', '$key', key]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', UPLOAD_CONTENT_TYPE]);
    expect(upload.url).toContain(`/${bucket}`);
    expect(upload.expiresAt).toBe(policy.expiration);
    expect(Date.parse(upload.expiresAt)).toBeGreaterThan(0);

    const body = Buffer.from('%PDF-1.7\nhello\n%%EOF\n');
    const response = await postForm(upload.url, upload.fields, body);
    expect(response.status).toBeLessThan(300);

    const head = await files().head(key);
    expect(head?.size).toBe(body.length);
    expect((await files().readStart(key, 5)).toString('latin1')).toBe('%PDF-');
    expect(await files().sha256(key)).toBe(createHash('sha256').update(body).digest('hex'));
    expect(events.some((e) => e.Records[0]?.s3.object.key === key)).toBe(true);
    expect(events.find((e) => e.Records[0]?.s3.object.key === key)?.Records[0]?.eventName).toMatch(
      /^ObjectCreated:/,
    );

    const download = await files().presignDownload(key, { expiresInSeconds: 60, fileName: 'a "b".pdf' });
    expect(download).toContain('X-Amz-Expires=60');
    const fetched = await fetch(download);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(body)).toBe(true);

    await files().remove(key);
    expect(await files().head(key)).toBeUndefined();
  });

  it('reads an empty object as zero bytes and a missing one as absent', async () => {
    const key = uploadKey('acme-pay', 'b'.repeat(32));
    const upload = await files().presignUpload({
      key,
      contentType: UPLOAD_CONTENT_TYPE,
      maxBytes: 1000,
      expiresInSeconds: 60,
    });
    await postForm(upload.url, upload.fields, Buffer.alloc(0));
    expect((await files().head(key))?.size).toBe(0);
    expect((await files().readStart(key, 5)).length).toBe(0);
    expect(await files().head(uploadKey('acme-pay', 'c'.repeat(32)))).toBeUndefined();
  });
});

describe('S3 JSON records', () => {
  it('writes and reads back a record, and reads a missing one as undefined', async () => {
    await files().putJson('intents/acme-pay/x.json', { state: 'waiting', n: 1 });
    expect(await files().getJson('intents/acme-pay/x.json')).toEqual({ state: 'waiting', n: 1 });
    expect(await files().getJson('intents/acme-pay/none.json')).toBeUndefined();
  });
});
