// Tamper evidence: each event's hash is the SHA-256 of its canonical JSON (everything but `hash`, which includes
// `prevHash`), so editing, deleting, inserting or reordering any event breaks the chain somewhere an auditor can
// recompute. Pure functions; node:crypto only.
import { createHash } from 'node:crypto';
import type { Actor, NewEvent, StoredEvent } from './events.js';

/** The `prevHash` of every vendor's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members dropped, numbers as
 * JSON.stringify writes them (the log only holds integers and strings). Same value -> same bytes, everywhere.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash an event must carry: SHA-256 of its canonical JSON without the `hash` member. */
export function eventHash(event: Omit<StoredEvent, 'hash'> | Record<string, unknown>): string {
  const { hash: _hash, ...rest } = event as Record<string, unknown>;
  return sha256Hex(canonicalJson(rest));
}

/** Seals an event: fills `prevHash` from the previous event and computes its `hash`. */
export function sealEvent(event: Omit<StoredEvent, 'hash' | 'prevHash'>, prevHash: string): StoredEvent {
  const unsealed = { ...event, prevHash } as Omit<StoredEvent, 'hash'>;
  return { ...unsealed, hash: eventHash(unsealed) } as StoredEvent;
}

/**
 * Seals the events one writer appends after `base` (seq 1 onwards for a new vendor): seqs, the instant, the actor
 * and the chain. Through JSON first, so that what is hashed is exactly what a reader will parse back.
 */
export function sealEvents(
  vendorId: string,
  base: { seq: number; headHash: string | null } | null,
  events: readonly NewEvent[],
  actor: Actor,
  at: string,
): StoredEvent[] {
  const plain = JSON.parse(JSON.stringify(events)) as NewEvent[];
  const plainActor = JSON.parse(JSON.stringify(actor)) as Actor;
  let seq = base?.seq ?? 0;
  let prevHash = base?.headHash ?? GENESIS_HASH;
  return plain.map((e) => {
    const sealed = sealEvent({ vendorId, seq: ++seq, at, actor: plainActor, ...e }, prevHash);
    prevHash = sealed.hash;
    return sealed;
  });
}

export type ChainProblemKind =
  | 'edited'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'unreadable'
  | 'truncated'
  /** Chained correctly, but no writer sealed it (functions/app/vendors.ts: only the writing functions can). */
  | 'unsealed'
  /** The projected state is not what the log yields, or no writer sealed it. */
  | 'projection';

export interface ChainProblem {
  vendorId: string;
  /** The seq the problem is about (as stored, or the missing one); null when not attributable to one seq. */
  seq: number | null;
  kind: ChainProblemKind;
  message: string;
}

export interface ChainReport {
  vendorId: string;
  events: number;
  problems: ChainProblem[];
  /** The hash of the last event read (what an auditor anchors elsewhere). */
  headHash: string | null;
}

interface Readable {
  seq: number;
  hash: string;
  prevHash: string;
  vendorId: string;
}

function readable(value: unknown): value is Readable {
  const e = value as Partial<Readable> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    Number.isInteger(e.seq) &&
    typeof e.hash === 'string' &&
    typeof e.prevHash === 'string' &&
    typeof e.vendorId === 'string'
  );
}

/**
 * Recomputes a vendor's chain from the events in storage order. `head` is the seq and hash the vendor's
 * projection last recorded (so that a cut-off tail, which the chain alone cannot show, is caught too).
 */
export function verifyChain(
  vendorId: string,
  stored: readonly unknown[],
  head?: { seq: number; hash: string | null },
): ChainReport {
  const problems: ChainProblem[] = [];
  const add = (seq: number | null, kind: ChainProblemKind, message: string) =>
    problems.push({ vendorId, seq, kind, message });

  const events: Readable[] = [];
  stored.forEach((value, index) => {
    if (!readable(value)) add(null, 'unreadable', `item ${index + 1} in the log is not an event`);
    else events.push(value);
  });

  // 1. Each event against its own hash.  2. Each event against its predecessor's hash (by seq, wherever it is
  // stored).  3. The storage order: seqs 1..n, each once, ascending.
  const bySeq = new Map<number, Readable[]>();
  for (const e of events) bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
  const maxSeq = events.reduce((max, e) => Math.max(max, e.seq), 0);

  for (const e of events) {
    const selfConsistent = eventHash(e as unknown as Record<string, unknown>) === e.hash;
    if (!selfConsistent) add(e.seq, 'edited', `seq ${e.seq}: content does not match its hash (edited)`);
    if (e.vendorId !== vendorId)
      add(e.seq, 'inserted', `seq ${e.seq}: belongs to vendor ${e.vendorId} (inserted from another log)`);
    const predecessors = e.seq === 1 ? [{ hash: GENESIS_HASH }] : (bySeq.get(e.seq - 1) ?? []);
    if (predecessors.length === 1 && predecessors[0]?.hash !== e.prevHash && selfConsistent)
      add(
        e.seq,
        'inserted',
        `seq ${e.seq}: does not chain to seq ${e.seq - 1} (inserted, or seq ${e.seq - 1} rewritten)`,
      );
  }
  for (const [seq, copies] of bySeq)
    if (copies.length > 1) add(seq, 'inserted', `seq ${seq}: stored ${copies.length} times (inserted)`);
  // Gaps between the seqs present (not a walk over 1..max: a forged huge seq must not stall the audit).
  let previous = 0;
  for (const seq of [...bySeq.keys()].filter((n) => n > 0).sort((a, b) => a - b)) {
    if (seq > previous + 1)
      add(previous + 1, 'deleted', `seq ${label([previous + 1, seq - 1])}: missing (deleted)`);
    previous = seq;
  }
  let highest = 0;
  for (const e of events) {
    if (e.seq < highest) add(e.seq, 'reordered', `seq ${e.seq}: stored after seq ${highest} (reordered)`);
    highest = Math.max(highest, e.seq);
  }

  const last = bySeq.get(maxSeq)?.[0];
  if (head && head.seq > 0) {
    if (head.seq > maxSeq) {
      const from = maxSeq + 1;
      add(from, 'deleted', `seq ${label([from, head.seq])}: missing (deleted)`);
    } else if (last && head.seq === last.seq && head.hash !== null && head.hash !== last.hash) {
      add(last.seq, 'edited', `seq ${last.seq}: does not match the head recorded for the vendor (edited)`);
    }
  }
  // One problem per seq and kind is enough for the auditor.
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const k = `${p.seq}|${p.kind}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { vendorId, events: events.length, problems: unique, headHash: last?.hash ?? null };
}

function label([from, to]: [number, number]): string {
  return from === to ? String(from) : `${from}..${to}`;
}
