import { describe, expect, it } from 'vitest';
import {
  MAX_UPLOAD_BYTES,
  checkUploadedFile,
  intentKey,
  isUploadId,
  parseUploadKey,
  uploadKey,
} from '../../../functions/core/upload-checks.js';

const pdf = Buffer.from('%PDF-');

describe('uploaded file checks', () => {
  it('accepts a PDF of 1 byte to 50 MB', () => {
    expect(checkUploadedFile({ size: 5, start: pdf })).toEqual({ ok: true });
    expect(checkUploadedFile({ size: MAX_UPLOAD_BYTES, start: pdf })).toEqual({ ok: true });
  });
  it('refuses empty, too large and non-PDF files, saying why', () => {
    expect(checkUploadedFile({ size: 0, start: Buffer.alloc(0) })).toMatchObject({
      ok: false,
      reason: /empty/,
    });
    expect(checkUploadedFile({ size: MAX_UPLOAD_BYTES + 1, start: pdf })).toMatchObject({
      ok: false,
      reason: /limit is 50 MB/,
    });
    expect(checkUploadedFile({ size: 51 * 1024 * 1024, start: pdf })).toMatchObject({ reason: /51\.0 MB/ });
    expect(checkUploadedFile({ size: 10, start: Buffer.from('PK\x03\x04') })).toMatchObject({
      reason: /not a PDF/,
    });
    expect(checkUploadedFile({ size: 10, start: Buffer.from('%PD') })).toMatchObject({ reason: /not a PDF/ });
    expect(checkUploadedFile({ size: 10, start: Buffer.from(' %PDF-') })).toMatchObject({
      reason: /not a PDF/,
    });
  });
});

describe('upload keys', () => {
  const id = 'a1'.repeat(16);
  it('round-trips the keys the server issues', () => {
    expect(uploadKey('acme-pay', id)).toBe(`uploads/acme-pay/${id}.pdf`);
    expect(parseUploadKey(uploadKey('acme-pay', id))).toEqual({ vendorId: 'acme-pay', uploadId: id });
    expect(intentKey('acme-pay', id)).toBe(`intents/acme-pay/${id}.json`);
    expect(isUploadId(id)).toBe(true);
  });
  it('refuses every other key', () => {
    for (const key of [
      `uploads/acme-pay/${id}.exe`,
      `uploads/Acme/${id}.pdf`,
      `uploads/acme-pay/../x/${id}.pdf`,
      `uploads/acme-pay/${id.slice(1)}.pdf`,
      `intents/acme-pay/${id}.json`,
      `uploads/acme-pay/${id.toUpperCase()}.pdf`,
    ])
      expect(parseUploadKey(key), key).toBeUndefined();
  });
});
