// The documents bucket of a function: S3 (on AWS and on the embedded s3rver), or in memory when the S3 endpoint
// is `memory:` (`simulate`).
import { createS3Client, s3DocumentFiles } from '../adapters/s3/documents.js';
import { memoryDocuments } from '../adapters/memory/documents.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import type { DocumentFiles } from '../ports/document-files.js';

export function openDocuments(bucket: string): DocumentFiles {
  if (endpointOf('S3') === MEMORY_ENDPOINT) return memoryDocuments(bucket);
  return s3DocumentFiles(createS3Client(), bucket);
}
