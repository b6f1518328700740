// CheckpointFiles on the documents bucket's checkpoints/ prefix. Each file is written once (If-None-Match: *, S3
// conditional writes) with its Object Lock retention in the same request (governance mode: S3 User Guide,
// "Object Lock"; a PUT with lock headers must carry an integrity checksum, hence CRC32), so there is no moment
// at which a checkpoint exists unlocked.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CHECKPOINT_PREFIX } from '../../core/checkpoint.js';
import { ConflictError, UnavailableError } from '../../core/errors.js';
import type { CheckpointFiles } from '../../ports/checkpoint-files.js';

const status = (error: unknown) =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

function unavailable(action: string, error: unknown): never {
  throw new UnavailableError(`checkpoints: ${action} failed: ${(error as Error).message}`, { cause: error });
}

export function s3CheckpointFiles(client: S3Client, bucket: string): CheckpointFiles {
  return {
    async list(): Promise<string[]> {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const out = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: CHECKPOINT_PREFIX, ContinuationToken: token }),
          );
          for (const o of out.Contents ?? []) if (o.Key?.endsWith('.json')) keys.push(o.Key);
          token = out.IsTruncated ? out.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        unavailable('list', error);
      }
      return keys.sort();
    },

    async read(key: string): Promise<string | undefined> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body!.transformToString('utf8');
      } catch (error) {
        if (status(error) === 404) return undefined;
        return unavailable('read', error);
      }
    },

    async create(key: string, text: string, retainUntil: Date): Promise<void> {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: text,
            ContentType: 'application/json',
            IfNoneMatch: '*',
            ObjectLockMode: 'GOVERNANCE',
            ObjectLockRetainUntilDate: retainUntil,
            ChecksumAlgorithm: 'CRC32',
          }),
        );
      } catch (error) {
        // 412: the key exists (a checkpoint is never replaced); 409: a concurrent conditional write won.
        if (status(error) === 412 || status(error) === 409)
          throw new ConflictError(`checkpoint ${key} already exists`, { cause: error });
        unavailable('write', error);
      }
    },
  };
}
