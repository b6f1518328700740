// CheckpointFiles in this process's memory (`simulate`, unit tests): written once, kept with their lock date.
import { ConflictError } from '../../core/errors.js';
import type { CheckpointFiles } from '../../ports/checkpoint-files.js';

export class MemoryCheckpoints implements CheckpointFiles {
  readonly files = new Map<string, { text: string; retainUntil: Date }>();

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  async read(key: string): Promise<string | undefined> {
    return this.files.get(key)?.text;
  }

  async create(key: string, text: string, retainUntil: Date): Promise<void> {
    if (this.files.has(key)) throw new ConflictError(`checkpoint ${key} already exists`);
    this.files.set(key, { text, retainUntil });
  }
}

const byBucket = new Map<string, MemoryCheckpoints>();

/** One set of checkpoints per bucket name in this process (as memoryDocuments). */
export function memoryCheckpoints(bucket: string): MemoryCheckpoints {
  let files = byBucket.get(bucket);
  if (!files) byBucket.set(bucket, (files = new MemoryCheckpoints()));
  return files;
}

export function dropMemoryCheckpoints(bucket: string): void {
  byBucket.delete(bucket);
}
