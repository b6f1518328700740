// Where checkpoints of the audit trail are kept: the documents bucket's checkpoints/ prefix, each file written once
// and locked (Object Lock) so that whoever can rewrite the table cannot rewrite its anchor. The S3 adapter
// implements it (functions/adapters/s3/checkpoints.ts), the memory adapter for `simulate` and unit tests.

export interface CheckpointFiles {
  /** Every checkpoint key, sorted (lexical order is time order: core/checkpoint.ts checkpointKey). */
  list(): Promise<string[]>;
  /** A checkpoint file's text, or undefined when there is none at the key. */
  read(key: string): Promise<string | undefined>;
  /** Writes a new file, refused (ConflictError) if the key exists, locked until `retainUntil`. */
  create(key: string, text: string, retainUntil: Date): Promise<void>;
}
