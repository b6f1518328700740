// The audit of the stored trail (`bridgekeeper audit verify`): for every vendor, its hash chain, the seal on its
// last commit (the chain covers everything before it), the seal on its projection and that the projection is
// what its log yields; then the table against the latest checkpoint (core/checkpoint.ts). Nothing is repaired or
// trusted: it reads what is stored and names what is wrong.
import { canonicalJson, verifyChain, type ChainReport } from '../core/audit-chain.js';
import { compareWithCheckpoint, type CheckpointProblem, type StoredHeads } from '../core/checkpoint.js';
import type { StoredEvent } from '../core/events.js';
import { reduceEvents } from '../core/vendor-state.js';
import type { CheckpointFiles } from '../ports/checkpoint-files.js';
import type { Mac } from '../ports/mac.js';
import { latestCheckpoint } from './checkpoints.js';
import type { Vendors } from './vendors.js';

export interface VendorAudit {
  report: ChainReport;
  /** The log as stored, in storage order (exports show it as it is). */
  events: unknown[];
  heads: StoredHeads;
}

const isEvent = (e: unknown): e is StoredEvent =>
  typeof e === 'object' && e !== null && Number.isInteger((e as StoredEvent).seq);

/** One vendor's log, checked. */
export async function auditVendor(vendors: Vendors, vendorId: string): Promise<VendorAudit> {
  const raw = await vendors.rawLog(vendorId);
  const report = verifyChain(vendorId, raw.events, raw.head);
  const add = (kind: ChainReport['problems'][number]['kind'], seq: number | null, message: string) =>
    report.problems.push({ vendorId, seq, kind, message });
  for (const item of raw.unreadable)
    report.problems.unshift({
      vendorId,
      seq: null,
      kind: 'unreadable',
      message: `item ${item.key}: cannot be read (${item.error}); its events are missing (edited)`,
    });
  const events = raw.events.filter(isEvent);
  const last = raw.commits.at(-1);
  if (last && (await vendors.lastCommitIsSealed(vendorId, raw)) === false)
    add(
      'unsealed',
      last.lastSeq,
      `seq ${last.firstSeq}..${last.lastSeq}: no writer sealed this commit (forged or edited)`,
    );
  if (raw.state) {
    if ((await vendors.projectionIsSealed(vendorId, raw)) === false)
      add(
        'projection',
        raw.state.state.seq,
        `the projected state (seq ${raw.state.state.seq}) fails its seal (edited)`,
      );
    else if (report.problems.length === 0) {
      // A projection may lag its log (a writer stopped before projecting; the next load repairs it), so it is
      // compared with what the log yields up to its own seq.
      const upTo = events.filter((e) => e.seq <= raw.state!.state.seq);
      if (canonicalJson(reduceEvents(vendorId, upTo)) !== canonicalJson(raw.state.state))
        add(
          'projection',
          raw.state.state.seq,
          `the projected state (seq ${raw.state.state.seq}) differs from what its log yields (edited)`,
        );
    }
  }
  const bySeq = new Map(events.map((e) => [e.seq, e.hash]));
  const heads: StoredHeads = {
    headSeq: events.reduce((max, e) => Math.max(max, e.seq), 0),
    hashAt: (seq) => bySeq.get(seq),
  };
  return { report, events: raw.events, heads };
}

export interface TrailAudit {
  reports: ChainReport[];
  /** The checkpoint compared with (its key), when there is one. */
  checkpoint?: { key: string; writtenAt?: string; vendors?: number };
  /** What the checkpoint comparison found (the checkpoint's own problems included). */
  checkpointProblems: CheckpointProblem[];
}

/** Audits the listed vendors (all when none: every item read) and, given checkpoints, the table against them. */
export async function auditTrail(
  vendors: Vendors,
  options: { vendorIds?: string[]; checkpoints?: { files: CheckpointFiles; mac: Mac } } = {},
): Promise<TrailAudit> {
  const all = options.vendorIds === undefined;
  const latest = options.checkpoints
    ? await latestCheckpoint(options.checkpoints.files, options.checkpoints.mac)
    : undefined;
  const listed = options.vendorIds ?? (await vendors.listVendorIds({ thorough: true }));
  // Every vendor the checkpoint names is audited too: one whose items were all deleted is listed nowhere else.
  const named = all ? (latest?.checkpoint?.vendors.map((v) => v.vendorId) ?? []) : [];
  const ids = [...new Set([...listed, ...named])].sort();
  const audits = new Map<string, VendorAudit>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, ids.length) }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        audits.set(id, await auditVendor(vendors, id));
      }
    }),
  );
  // A vendor only the checkpoint names, with nothing left in the table, is reported by the comparison below.
  const reports = ids
    .filter((id) => listed.includes(id) || audits.get(id)!.report.events > 0)
    .map((id) => audits.get(id)!.report);
  const result: TrailAudit = { reports, checkpointProblems: [] };
  if (!latest) return result;
  result.checkpoint = {
    key: latest.key,
    ...(latest.checkpoint
      ? { writtenAt: latest.checkpoint.writtenAt, vendors: latest.checkpoint.vendors.length }
      : {}),
  };
  result.checkpointProblems.push(...latest.problems);
  if (latest.checkpoint) {
    const scope = all
      ? latest.checkpoint
      : { ...latest.checkpoint, vendors: latest.checkpoint.vendors.filter((v) => audits.has(v.vendorId)) };
    const table = new Map([...audits].map(([id, a]) => [id, a.heads]));
    result.checkpointProblems.push(...compareWithCheckpoint(scope, table));
  }
  return result;
}
