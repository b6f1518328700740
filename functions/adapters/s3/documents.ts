// DocumentFiles on Amazon S3. Locally the only difference is the endpoint (AWS_ENDPOINT_URL_S3 or an explicit
// `endpoint`), which also switches to path-style addressing: the local S3 (s3rver) has no virtual hosts.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentFiles, PresignedUpload, StoredFileInfo } from '../../ports/document-files.js';
import { UnavailableError } from '../../core/errors.js';
import { clientConfig, endpointOf } from '../aws.js';

export interface S3ClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One client per module/process; path-style whenever an endpoint other than AWS is in use. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const endpoint = endpointOf('S3', options);
  return new S3Client({
    ...clientConfig('S3', {
      ...options,
      // The local S3 checks signatures against its fixed key pair.
      localCredentials: options.credentials ?? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Presigned URLs must not carry checksum parameters the browser cannot satisfy.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NotFound) return true;
  if (error instanceof S3ServiceException) {
    return error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound';
  }
  return false;
}

function unavailable(action: string, error: unknown): never {
  throw new UnavailableError(`documents bucket: ${action} failed: ${(error as Error).message}`, {
    cause: error,
  });
}

export function s3DocumentFiles(client: S3Client, bucket: string): DocumentFiles {
  const version = (versionId?: string) => (versionId ? { VersionId: versionId } : {});
  async function head(key: string, versionId?: string): Promise<StoredFileInfo | undefined> {
    try {
      const out = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, ...version(versionId) }),
      );
      return { size: out.ContentLength ?? 0, contentType: out.ContentType, versionId: out.VersionId };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      return unavailable('head', error);
    }
  }

  let origin: Promise<string> | undefined;
  return {
    uploadOrigin() {
      // Where a presigned PUT goes (virtual-hosted or path-style, per endpoint): signed locally, never sent.
      origin ??= getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'uploads/origin' }), {
        expiresIn: 60,
      }).then((url) => new URL(url).origin);
      return origin;
    },

    async presignUpload({ key, contentType, size, sha256, expiresInSeconds }): Promise<PresignedUpload> {
      const checksum = Buffer.from(sha256, 'hex').toString('base64');
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ContentLength: size,
          ChecksumSHA256: checksum,
          // A second write to the key is refused (S3 conditional writes): the first upload is the one.
          IfNoneMatch: '*',
        }),
        {
          expiresIn: expiresInSeconds,
          // Signed as headers, never hoisted into the query string where S3 would not check them (the checksum
          // must travel as x-amz-checksum-sha256 for S3 to verify the body against it).
          unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
          signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
        },
      );
      const signedAt = new URL(url).searchParams.get('X-Amz-Date') ?? '';
      const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(signedAt);
      const expiresAt = at
        ? new Date(
            Date.UTC(+at[1]!, +at[2]! - 1, +at[3]!, +at[4]!, +at[5]!, +at[6]!) + expiresInSeconds * 1000,
          )
        : new Date(0);
      return {
        url,
        method: 'PUT',
        headers: {
          'content-type': contentType,
          'x-amz-checksum-sha256': checksum,
          'if-none-match': '*',
        },
        expiresAt: expiresAt.toISOString(),
      };
    },

    async presignDownload(key, { versionId, expiresInSeconds, fileName }): Promise<string> {
      const safeName = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...version(versionId),
          ResponseContentType: 'application/pdf',
          ResponseContentDisposition: `inline; filename="${safeName}"`,
        }),
        { expiresIn: expiresInSeconds },
      );
    },

    head,

    async readStart(key, bytes, versionId): Promise<Buffer> {
      // An empty object cannot satisfy a range (and the local S3 drops the connection): ask its size first.
      const info = await head(key, versionId);
      if (info === undefined || info.size === 0 || bytes <= 0) return Buffer.alloc(0);
      const last = Math.min(bytes, info.size) - 1;
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...version(versionId), Range: `bytes=0-${last}` }),
        );
        const body = Buffer.from(await out.Body!.transformToByteArray());
        // A server that ignores Range sends it all: keep only what was asked for.
        return body.subarray(0, bytes);
      } catch (error) {
        if (isNotFound(error)) return Buffer.alloc(0);
        return unavailable('read', error);
      }
    },

    async sha256(key, versionId): Promise<string> {
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...version(versionId) }),
        );
        const hash = createHash('sha256');
        for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
        return hash.digest('hex');
      } catch (error) {
        return unavailable('hash', error);
      }
    },

    async retain(key, versionId, until): Promise<void> {
      try {
        await client.send(
          new PutObjectRetentionCommand({
            Bucket: bucket,
            Key: key,
            ...version(versionId),
            Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until },
            // S3 requires an integrity checksum on this request (Content-MD5 or x-amz-checksum-*).
            ChecksumAlgorithm: 'CRC32',
          }),
        );
      } catch (error) {
        unavailable('lock', error);
      }
    },

    async remove(key): Promise<void> {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return;
        unavailable('delete', error);
      }
    },

    async putJson(key, value): Promise<void> {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: JSON.stringify(value),
            ContentType: 'application/json',
            // An integrity checksum: what Object Lock buckets ask of every write; the client computes none by
            // itself (requestChecksumCalculation above).
            ChecksumAlgorithm: 'CRC32',
          }),
        );
      } catch (error) {
        unavailable('write', error);
      }
    },

    async getJson<T>(key: string): Promise<T | undefined> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return JSON.parse(await out.Body!.transformToString('utf8')) as T;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        return unavailable('read', error);
      }
    },
  };
}
