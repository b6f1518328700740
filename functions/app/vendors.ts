// The vendors' event logs as the application uses them: load (catching a lagging projection up from the log),
// decide, commit, retry on conflict. This is the one "load, decide, commit" loop every command goes through; the
// storage adapter behind the EventStore port only persists what it is handed.
//
// A commit is sealed here (hash chain, functions/core/audit-chain.ts), applied by the pure reducer (which refuses
// an impossible event before anything is written), stored as one item (all or none), then projected. A writer
// that stops between the commit and its projections leaves the log ahead of the projection; the next reader
// repairs it, so nothing decided on stale data is ever written (the commit's seq is the lock).
import { sealEvents } from '../core/audit-chain.js';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { Actor, NewEvent, StoredEvent } from '../core/events.js';
import { applyEvents, emptyState, type FindingStatus, type VendorState } from '../core/vendor-state.js';
import type { Clock } from '../ports/clock.js';
import type {
  DueVendor,
  EventStore,
  FindingEntry,
  RawVendorLog,
  RequestByToken,
} from '../ports/event-store.js';

export interface AppendOptions {
  actor: Actor;
  /**
   * The seq of the last event the caller's decision was based on (0 for a new vendor). If another writer got
   * there first the append fails with ConflictError and nothing is written: re-load and decide again.
   */
  expectedSeq: number;
}

export interface AppendResult {
  /** The vendor's state after the events. */
  state: VendorState;
  /** The events as stored (with seq, at, actor, hash, prevHash); empty when nothing was appended. */
  events: StoredEvent[];
}

/**
 * Decides what to append given the vendor's current state (undefined for a vendor with no events). Return [] to
 * append nothing. May be called several times (once per conflict), so it must not have side effects.
 */
export type Decide = (state: VendorState | undefined) => NewEvent[] | Promise<NewEvent[]>;

export interface UpdateOptions {
  actor: Actor;
  /** How many times to re-load and re-decide after losing a race (default 10), then ConflictError. */
  maxAttempts?: number;
  /**
   * A state already read (e.g. by `loadMany`) for the first attempt to decide on without re-reading; `null`
   * means "known to have no events". If it turns out stale the append conflicts and the next attempt re-loads.
   */
  assumeState?: VendorState | null;
}

export interface EventRange {
  /** First seq to include (default 1). */
  fromSeq?: number;
  /** Last seq to include (default: the end of the log). */
  toSeq?: number;
}

export interface VendorsOptions {
  clock: Clock;
  /** Test hook: runs after the commit is stored and before the projections (crash injection). */
  afterCommit?: (vendorId: string, lastSeq: number) => void | Promise<void>;
  /** Waits between attempts after a lost race (tests: none). */
  backoff?: (attempt: number) => Promise<void>;
}

/**
 * One commit is stored as one item. DynamoDB refuses items over 400 KB (see "Service, account, and table quotas
 * in Amazon DynamoDB", item size): a commit stays well below, whatever the store.
 */
export const MAX_COMMIT_BYTES = 350_000;

/**
 * A vendor's projected state is one item too, rewritten on every commit: the record keeps only bounded history
 * (core/vendor-state.ts RECORD_LIMITS, docs/data-model.md "Bounded records"), and a commit that would still take
 * it past this is refused before anything is written, so no vendor can be bricked by its own record.
 */
export const MAX_STATE_BYTES = 256_000;

const jitter = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

export class Vendors {
  private readonly clock: Clock;
  private readonly afterCommit: VendorsOptions['afterCommit'];
  private readonly backoff: (attempt: number) => Promise<void>;

  constructor(
    readonly store: EventStore,
    options: VendorsOptions,
  ) {
    this.clock = options.clock;
    this.afterCommit = options.afterCommit;
    this.backoff = options.backoff ?? jitter;
  }

  // ---- writes ----

  async append(vendorId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const state = await this.load(vendorId);
    const seq = state?.seq ?? 0;
    if (seq !== options.expectedSeq)
      throw new ConflictError(
        `vendor ${vendorId} is at seq ${seq}, not ${options.expectedSeq}: re-load and retry`,
      );
    return this.commit(vendorId, state, events, options.actor);
  }

  async update(vendorId: string, decide: Decide, options: UpdateOptions): Promise<AppendResult> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const state =
        attempt === 1 && options.assumeState !== undefined
          ? (options.assumeState ?? undefined)
          : await this.load(vendorId);
      const events = await decide(state ? structuredClone(state) : undefined);
      if (events.length === 0) return { state: state ?? emptyState(vendorId), events: [] };
      try {
        return await this.commit(vendorId, state, events, options.actor);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Lost the race: someone else extended the log. Re-read and decide again after a jittered pause.
        if (attempt < maxAttempts) await this.backoff(attempt);
      }
    }
    throw new ConflictError(`vendor ${vendorId}: still contended after ${maxAttempts} attempts`);
  }

  private async commit(
    vendorId: string,
    base: VendorState | undefined,
    newEvents: NewEvent[],
    actor: Actor,
  ): Promise<AppendResult> {
    if (newEvents.length === 0) return { state: base ?? emptyState(vendorId), events: [] };
    const sealed = sealEvents(vendorId, base ?? null, newEvents, actor, this.clock.now().toISOString());
    // Refuses an impossible event before anything is written.
    const after = applyEvents(base ?? emptyState(vendorId), sealed);
    const bytes = Buffer.byteLength(JSON.stringify(sealed));
    if (bytes > MAX_COMMIT_BYTES)
      throw new ValidationError([
        { path: `vendor ${vendorId}`, message: `one change of ${bytes} bytes is too large to record` },
      ]);
    const stateJson = JSON.stringify(after);
    const stateBytes = Buffer.byteLength(stateJson);
    if (stateBytes > MAX_STATE_BYTES)
      throw new ValidationError([
        {
          path: `vendor ${vendorId}`,
          message: `the vendor's record would grow to ${stateBytes} bytes (at most ${MAX_STATE_BYTES}); nothing was recorded`,
        },
      ]);
    const firstSeq = sealed[0]!.seq;
    const lastSeq = sealed[sealed.length - 1]!.seq;
    await this.store.appendCommit({ vendorId, firstSeq, lastSeq, events: sealed });
    if (this.afterCommit) await this.afterCommit(vendorId, lastSeq);
    await this.project(base, after, stateJson);
    return { state: after, events: sealed };
  }

  /** Findings and requests that changed go with the state; the adapter writes the state last. */
  private project(before: VendorState | undefined, after: VendorState, stateJson?: string): Promise<void> {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    return this.store.writeProjection({
      vendorId: after.vendorId,
      seq: after.seq,
      state: after,
      stateJson: stateJson ?? JSON.stringify(after),
      findings: Object.values(after.findings).filter(
        (f) => !before || !same(before.findings[f.findingId], f),
      ),
      requests: Object.values(after.requests).filter(
        (r) => !before || !same(before.requests[r.requestId], r),
      ),
    });
  }

  // ---- reads ----

  /** The vendor's current state (its projection caught up from the log if behind), or undefined if unknown. */
  async load(vendorId: string): Promise<VendorState | undefined> {
    const projected = await this.store.readState(vendorId);
    return this.catchUp(vendorId, projected);
  }

  private async catchUp(vendorId: string, projected: VendorState | undefined) {
    const seq = projected?.seq ?? 0;
    const behind = (await this.store.readEvents(vendorId, { afterSeq: seq })).filter((e) => e.seq > seq);
    if (behind.length === 0) return projected;
    const caughtUp = applyEvents(projected ?? emptyState(vendorId), behind);
    // Repair: the projection was behind its log (a writer stopped between its commit and its projections).
    await this.project(projected, caughtUp);
    return caughtUp;
  }

  /**
   * Several vendors' states at once, as last projected (may lag the log: an `update` with `assumeState` then
   * conflicts and re-loads). A vendor with events but no projection yet (its first writer stopped before
   * projecting) is loaded from its log, unless `projectedOnly` (the import, which knows most ids are new).
   * Unknown ids are absent from the map.
   */
  async loadMany(
    vendorIds: readonly string[],
    options: { projectedOnly?: boolean } = {},
  ): Promise<Map<string, VendorState>> {
    const unique = [...new Set(vendorIds)];
    const found = await this.store.readStates(unique);
    if (!options.projectedOnly) {
      const missing = unique.filter((id) => !found.has(id));
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(8, missing.length) }, async () => {
          while (next < missing.length) {
            const id = missing[next++] as string;
            const state = await this.catchUp(id, undefined);
            if (state) found.set(id, state);
          }
        }),
      );
    }
    return found;
  }

  /** A vendor's events in seq order (all, or a range). */
  async events(vendorId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    const from = range.fromSeq ?? 1;
    const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    // Whole commits from the start: a commit that begins before `fromSeq` may hold it.
    const events = await this.store.readEvents(
      vendorId,
      range.toSeq !== undefined ? { throughSeq: range.toSeq } : {},
    );
    return events.filter((e) => e.seq >= from && e.seq <= to);
  }

  listVendorIds(options?: { thorough?: boolean }): Promise<string[]> {
    return this.store.listVendorIds(options);
  }

  findingsByStatus(status: FindingStatus): Promise<FindingEntry[]> {
    return this.store.findingsByStatus(status);
  }

  dueVendors(instant: Date, options?: { limit?: number }): Promise<DueVendor[]> {
    return this.store.dueVendors(instant, options);
  }

  /**
   * The request an upload link's token hash belongs to (open or not: the caller checks `open` and `expiresAt`
   * with core/upload-link.ts), answered from the vendor's current state (the index may lag), or undefined.
   */
  async requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined> {
    const indexed = await this.store.requestByTokenHash(tokenHash);
    if (!indexed) return undefined;
    const state = await this.load(indexed.vendorId);
    const request = state?.requests[indexed.request.requestId] ?? indexed.request;
    const linked = request.tokenHash === tokenHash || request.previousLink?.tokenHash === tokenHash;
    return linked ? { vendorId: indexed.vendorId, request } : undefined;
  }

  rawLog(vendorId: string): Promise<RawVendorLog> {
    return this.store.rawLog(vendorId);
  }
}
