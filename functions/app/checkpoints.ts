// Taking and reading checkpoints of the audit trail (core/checkpoint.ts says what one is and why). Taken by the
// daily reconciler on AWS and by `bridgekeeper audit checkpoint`; read by `bridgekeeper audit verify`.
import { sha256Hex } from '../core/audit-chain.js';
import {
  checkpointBody,
  checkpointFile,
  checkpointKey,
  checkpointSealMessage,
  parseCheckpoint,
  type Checkpoint,
  type CheckpointHead,
  type CheckpointProblem,
} from '../core/checkpoint.js';
import type { Clock } from '../ports/clock.js';
import type { CheckpointFiles } from '../ports/checkpoint-files.js';
import type { Mac } from '../ports/mac.js';
import type { Vendors } from './vendors.js';

export interface CheckpointDeps {
  vendors: Vendors;
  files: CheckpointFiles;
  mac: Mac;
  clock: Clock;
  /** How long each checkpoint is locked (the evidence retention). */
  retentionDays: number;
}

/** Vendors' heads read at once (one Query each, newest commit first). */
const CONCURRENCY = 16;

/**
 * Every record's head as stored now: the last event of its last commit. Subservice organisations' records are
 * anchored too (their documents decide their vendors' `subservice-uncovered`).
 */
export async function currentHeads(vendors: Vendors): Promise<CheckpointHead[]> {
  const ids = [...(await vendors.listVendorIds()), ...(await vendors.listSubserviceOrganizationIds())];
  const heads: CheckpointHead[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, ids.length) }, async () => {
      while (next < ids.length) {
        const vendorId = ids[next++] as string;
        const last = (await vendors.store.lastCommit(vendorId))?.events.at(-1);
        if (last) heads.push({ vendorId, seq: last.seq, hash: last.hash });
      }
    }),
  );
  return heads;
}

export interface TakenCheckpoint {
  key: string;
  vendors: number;
  previous: string | null;
}

/** Writes a checkpoint of every vendor's head now, chained to the latest one, sealed and locked. */
export async function takeCheckpoint(d: CheckpointDeps): Promise<TakenCheckpoint> {
  const now = d.clock.now();
  const keys = await d.files.list();
  const previousKey = keys.at(-1);
  const previousText = previousKey ? await d.files.read(previousKey) : undefined;
  const previous =
    previousKey && previousText !== undefined ? { key: previousKey, sha256: sha256Hex(previousText) } : null;
  const body = checkpointBody(now, await currentHeads(d.vendors), previous);
  const checkpoint: Checkpoint = { ...body, mac: await d.mac.sign(checkpointSealMessage(body)) };
  const key = checkpointKey(now);
  if (key === previousKey)
    // Taken again within the same second (a retried run; the embedded clock standing still): one is enough.
    return { key, vendors: body.vendors.length, previous: keys.at(-2) ?? null };
  const retainUntil = new Date(now.getTime() + d.retentionDays * 86_400_000);
  await d.files.create(key, checkpointFile(checkpoint), retainUntil);
  return { key, vendors: body.vendors.length, previous: previous?.key ?? null };
}

export interface LatestCheckpoint {
  key: string;
  /** The checkpoint, when it is readable and sealed (else `problems` says why). */
  checkpoint?: Checkpoint;
  problems: CheckpointProblem[];
}

/**
 * The latest checkpoint, checked: readable, sealed by the service, and chained to the one before it (which must
 * still be there, byte for byte). Undefined when there is none yet.
 */
export async function latestCheckpoint(
  files: CheckpointFiles,
  mac: Mac,
): Promise<LatestCheckpoint | undefined> {
  const keys = await files.list();
  const key = keys.at(-1);
  if (!key) return undefined;
  const problems: CheckpointProblem[] = [];
  const text = await files.read(key);
  const parsed =
    text === undefined
      ? ({ kind: 'checkpoint-unreadable', message: `checkpoint ${key}: listed but not readable` } as const)
      : parseCheckpoint(key, text);
  if (!('format' in parsed)) return { key, problems: [parsed] };
  const { mac: seal, ...body } = parsed;
  if (!(await mac.verify(checkpointSealMessage(body), seal)))
    return {
      key,
      problems: [
        {
          kind: 'checkpoint-unsealed',
          message: `checkpoint ${key}: not sealed by the service (forged or edited)`,
        },
      ],
    };
  const before = keys.at(-2);
  if (body.previous === null && before)
    problems.push({
      kind: 'checkpoint-chain',
      message: `checkpoint ${key}: names no previous checkpoint, but ${before} exists`,
    });
  if (body.previous) {
    const previousText = await files.read(body.previous.key);
    if (previousText === undefined)
      problems.push({
        kind: 'checkpoint-chain',
        message: `checkpoint ${key}: its previous checkpoint ${body.previous.key} is gone`,
      });
    else if (sha256Hex(previousText) !== body.previous.sha256)
      problems.push({
        kind: 'checkpoint-chain',
        message: `checkpoint ${key}: its previous checkpoint ${body.previous.key} was changed`,
      });
  }
  return { key, checkpoint: parsed, problems };
}
