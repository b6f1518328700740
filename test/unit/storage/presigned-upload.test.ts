// What S3 enforces on an upload, checked on the presigner's own output (the embedded S3 enforces none of it):
// the PUT is signed for the exact key, content type, length, SHA-256 checksum and If-None-Match: *, the checksum
// travels as a signed header (S3 verifies the body against it; in the query string it would not be checked), and
// the URL lives 15 minutes. Sources: Amazon S3 User Guide, "Checking object integrity" (x-amz-checksum-sha256
// on PutObject) and "Preventing object overwrites with conditional writes" (If-None-Match: *); AWS SDK for
// JavaScript v3, @aws-sdk/s3-request-presigner (signableHeaders, unhoistableHeaders).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createS3Client, s3DocumentFiles } from '../../../functions/adapters/s3/documents.js';
import {
  UPLOAD_CONTENT_TYPE,
  UPLOAD_FORM_SECONDS,
  uploadKey,
} from '../../../functions/core/upload-checks.js';

const body = Buffer.from('%PDF-1.7\nthe report\n%%EOF\n');
const sha256 = createHash('sha256').update(body).digest('hex');

async function presign() {
  const client = createS3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  return s3DocumentFiles(client, 'bk-documents').presignUpload({
    key: uploadKey('acme-pay', 'd'.repeat(32)),
    contentType: UPLOAD_CONTENT_TYPE,
    size: body.length,
    sha256,
    expiresInSeconds: UPLOAD_FORM_SECONDS,
  });
}

describe('the presigned upload', () => {
  it('signs the length, type, checksum and If-None-Match as headers, for 15 minutes', async () => {
    const upload = await presign();
    const url = new URL(upload.url);
    expect(url.host).toBe('bk-documents.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe(`/${uploadKey('acme-pay', 'd'.repeat(32))}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(UPLOAD_FORM_SECONDS));
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';')).toEqual([
      'content-length',
      'content-type',
      'host',
      'if-none-match',
      'x-amz-checksum-sha256',
    ]);
    // Not hoisted into the query (S3 would not hold the body to it there), and no unsignable extras.
    expect(url.searchParams.has('x-amz-checksum-sha256')).toBe(false);
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
    expect(url.searchParams.has('x-amz-sdk-checksum-algorithm')).toBe(false);
    expect(upload.headers).toEqual({
      'content-type': 'application/pdf',
      'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64'),
      'if-none-match': '*',
    });
    const signedAt = url.searchParams.get('X-Amz-Date')!;
    expect(
      Date.parse(upload.expiresAt) -
        Date.parse(signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')),
    ).toBe(UPLOAD_FORM_SECONDS * 1000);
  });

  it('signs another checksum for other bytes (the same URL cannot carry another file)', async () => {
    const a = await presign();
    const other = s3DocumentFiles(
      createS3Client({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      }),
      'bk-documents',
    );
    const b = await other.presignUpload({
      key: uploadKey('acme-pay', 'd'.repeat(32)),
      contentType: UPLOAD_CONTENT_TYPE,
      size: body.length,
      sha256: 'f'.repeat(64),
      expiresInSeconds: UPLOAD_FORM_SECONDS,
    });
    expect(new URL(a.url).searchParams.get('X-Amz-Signature')).not.toBe(
      new URL(b.url).searchParams.get('X-Amz-Signature'),
    );
  });
});
