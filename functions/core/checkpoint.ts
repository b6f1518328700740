// Checkpoints anchor the audit trail outside the table: every vendor's head (seq and hash of its last event), the
// vendor list, the time and the previous checkpoint's hash, written under Object Lock to the documents bucket and
// sealed with the service's MAC key. Someone who can rewrite the table but not the locked objects (nor mint a MAC)
// can no longer cut a tail, roll a vendor back to an earlier genuine state or delete a vendor without
// `audit verify` naming it: the table must still hold, at each checkpointed seq, the event whose hash was
// recorded. Pure: the app layer reads the heads and writes the file.
import { canonicalJson, sha256Hex } from './audit-chain.js';

export const CHECKPOINT_FORMAT = 'bridgekeeper-checkpoint/v1';
export const CHECKPOINT_PREFIX = 'checkpoints/';

export interface CheckpointHead {
  vendorId: string;
  seq: number;
  hash: string;
}

/** What a checkpoint says, before its seal. */
export interface CheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  /** ISO instant it was taken. */
  writtenAt: string;
  /** The checkpoint before it (its key and the SHA-256 of its file), or null for the first. */
  previous: { key: string; sha256: string } | null;
  /** Every vendor with a log, sorted by id. */
  vendors: CheckpointHead[];
}

export interface Checkpoint extends CheckpointBody {
  /** The service's MAC over `sealMessageOf(body)`: only the writing functions can make one. */
  mac: string;
}

/** The object key of a checkpoint taken at `at`: lexical order is time order (`checkpoints/20261201T060000Z.json`). */
export function checkpointKey(at: Date): string {
  const compact = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${CHECKPOINT_PREFIX}${compact}.json`;
}

/** The instant a checkpoint key names (the inverse of checkpointKey). */
export function checkpointInstant(key: string): Date {
  const m = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.json$/.exec(key);
  if (!m) return new Date(Number.NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export function checkpointBody(
  at: Date,
  heads: readonly CheckpointHead[],
  previous: CheckpointBody['previous'],
): CheckpointBody {
  const vendors = [...heads]
    .map(({ vendorId, seq, hash }) => ({ vendorId, seq, hash }))
    .sort((a, b) => (a.vendorId < b.vendorId ? -1 : a.vendorId > b.vendorId ? 1 : 0));
  return { format: CHECKPOINT_FORMAT, writtenAt: at.toISOString(), previous, vendors };
}

/** What the MAC covers: the canonical body's digest (KMS takes at most 4096 bytes; a body can be megabytes). */
export function checkpointSealMessage(body: CheckpointBody): string {
  return `bridgekeeper/checkpoint/v1/${sha256Hex(canonicalJson(body))}`;
}

/** The file as written: its SHA-256 is what the next checkpoint's `previous` names. */
export function checkpointFile(checkpoint: Checkpoint): string {
  return `${JSON.stringify(checkpoint)}\n`;
}

export type CheckpointProblemKind =
  | 'checkpoint-unreadable'
  | 'checkpoint-unsealed'
  | 'checkpoint-chain'
  | 'vendor-missing'
  | 'head-behind'
  | 'hash-differs';

export interface CheckpointProblem {
  kind: CheckpointProblemKind;
  /** The vendor, when the problem is one vendor's. */
  vendorId?: string;
  message: string;
}

/** Reads a checkpoint file; the problem says what is wrong with it (its seal is checked by the caller). */
export function parseCheckpoint(key: string, text: string): Checkpoint | CheckpointProblem {
  const unreadable = (why: string): CheckpointProblem => ({
    kind: 'checkpoint-unreadable',
    message: `checkpoint ${key}: ${why}`,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return unreadable('not JSON');
  }
  const c = value as Partial<Checkpoint>;
  if (c?.format !== CHECKPOINT_FORMAT) return unreadable(`not a ${CHECKPOINT_FORMAT} file`);
  if (typeof c.writtenAt !== 'string' || typeof c.mac !== 'string' || !Array.isArray(c.vendors))
    return unreadable('writtenAt, mac and vendors are required');
  for (const v of c.vendors as unknown[]) {
    const h = v as Partial<CheckpointHead>;
    if (typeof h?.vendorId !== 'string' || !Number.isInteger(h.seq) || typeof h.hash !== 'string')
      return unreadable('a vendor entry lacks vendorId, seq or hash');
  }
  return c as Checkpoint;
}

/** The part of a vendor's stored log a checkpoint is compared with: each event's seq and hash, as stored. */
export interface StoredHeads {
  /** Highest seq stored. */
  headSeq: number;
  hashAt(seq: number): string | undefined;
}

/**
 * What the table lost or changed since the checkpoint: a vendor it no longer has, a head behind the checkpointed
 * one (a cut tail, or a roll-back to an earlier state), an event at a checkpointed seq whose hash differs (a
 * rewritten past). Vendors added since the checkpoint are not problems.
 */
export function compareWithCheckpoint(
  checkpoint: CheckpointBody,
  table: ReadonlyMap<string, StoredHeads>,
): CheckpointProblem[] {
  const problems: CheckpointProblem[] = [];
  const when = checkpoint.writtenAt;
  for (const head of checkpoint.vendors) {
    const stored = table.get(head.vendorId);
    if (!stored || stored.headSeq === 0) {
      problems.push({
        kind: 'vendor-missing',
        vendorId: head.vendorId,
        message: `${head.vendorId}: in the checkpoint of ${when} at seq ${head.seq}, missing from the table (deleted)`,
      });
      continue;
    }
    if (stored.headSeq < head.seq) {
      problems.push({
        kind: 'head-behind',
        vendorId: head.vendorId,
        message: `${head.vendorId}: head at seq ${stored.headSeq} is behind the checkpoint of ${when} (seq ${head.seq}): events were removed`,
      });
      continue;
    }
    const hash = stored.hashAt(head.seq);
    if (hash !== head.hash)
      problems.push({
        kind: 'hash-differs',
        vendorId: head.vendorId,
        message:
          hash === undefined
            ? `${head.vendorId} seq ${head.seq}: checkpointed on ${when}, no longer stored`
            : `${head.vendorId} seq ${head.seq}: hash differs from the checkpoint of ${when} (rewritten)`,
      });
  }
  return problems;
}
