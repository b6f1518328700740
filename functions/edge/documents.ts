// The documents bucket of a function: S3 (on AWS and on the embedded s3rver), or in memory when the S3 endpoint
// is `memory:` (`simulate`).
import { createS3Client, s3DocumentFiles } from '../adapters/s3/documents.js';
import { memoryDocuments } from '../adapters/memory/documents.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import type { DocumentFiles } from '../ports/document-files.js';
import { memoryCheckpoints } from '../adapters/memory/checkpoints.js';
import { s3CheckpointFiles } from '../adapters/s3/checkpoints.js';
import type { CheckpointFiles } from '../ports/checkpoint-files.js';

export function openDocuments(bucket: string): DocumentFiles {
  if (endpointOf('S3') === MEMORY_ENDPOINT) return memoryDocuments(bucket);
  return s3DocumentFiles(createS3Client(), bucket);
}

/** The audit trail's checkpoints, in the same bucket (and in memory beside the memory documents). */
export function openCheckpoints(bucket: string): CheckpointFiles {
  if (endpointOf('S3') === MEMORY_ENDPOINT) return memoryCheckpoints(bucket);
  return s3CheckpointFiles(createS3Client(), bucket);
}
