// The S3 adapter against the local S3 (s3rver behind its front) over the wire: the presigned PUT the browser
// uses, head, partial read, hash and presigned GET of a version, retention, delete, and the ObjectCreated
// notification the ingest handler rides on. (What S3 itself enforces on the PUT, the embedded S3 does not: the
// signed parameters are checked in test/unit/storage/presigned-upload.test.ts.)
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

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3 documents adapter (s3rver)', () => {
  it('presigns a PUT for one key, type, size and checksum; the file lands under that key', async () => {
    const key = uploadKey('acme-pay', 'a'.repeat(32));
    const body = Buffer.from('%PDF-1.7\nhello\n%%EOF\n');
    const upload = await files().presignUpload({
      key,
      contentType: UPLOAD_CONTENT_TYPE,
      size: body.length,
      sha256: sha(body),
      expiresInSeconds: 60,
    });
    expect(upload.method).toBe('PUT');
    expect(upload.url).toContain(`/${bucket}/${key}`);
    expect(upload.headers).toEqual({
      'content-type': UPLOAD_CONTENT_TYPE,
      'x-amz-checksum-sha256': Buffer.from(sha(body), 'hex').toString('base64'),
      'if-none-match': '*',
    });
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeGreaterThan(50_000);

    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
    expect(response.status).toBeLessThan(300);

    const head = await files().head(key);
    expect(head?.size).toBe(body.length);
    expect((await files().readStart(key, 5)).toString('latin1')).toBe('%PDF-');
    expect(await files().sha256(key)).toBe(sha(body));
    const event = events.find((e) => e.Records[0]?.s3.object.key === key);
    expect(event?.Records[0]?.eventName).toMatch(/^ObjectCreated:/);

    const download = await files().presignDownload(key, {
      versionId: 'v1',
      expiresInSeconds: 60,
      fileName: 'a "b".pdf',
    });
    expect(download).toContain('X-Amz-Expires=60');
    expect(download).toContain('versionId=v1');
    const fetched = await fetch(download);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(body)).toBe(true);

    // Accepted evidence is locked: the front takes the retention (s3rver would have stored it as the object).
    await files().retain(key, undefined, new Date('2033-12-01T00:00:00Z'));
    expect(s3.retentions.get(`${bucket}/${key}`)).toContain('<Mode>GOVERNANCE</Mode>');
    expect(await files().sha256(key)).toBe(sha(body));

    await files().remove(key);
    expect(await files().head(key)).toBeUndefined();
  });

  it('reads an empty object as zero bytes and a missing one as absent', async () => {
    const key = uploadKey('acme-pay', 'b'.repeat(32));
    await fetch(`${s3.endpoint}/${bucket}/${key}`, { method: 'PUT', body: Buffer.alloc(0) });
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
