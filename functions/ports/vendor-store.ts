// The storage port: everything the workflow, the people's side and the CLI need from the vendor table.
// Implemented by functions/adapters/dynamodb (on AWS and on the embedded dynalite alike).
import type { Actor, NewEvent, StoredEvent } from '../core/events.js';
import type { FindingRecord, FindingStatus, RequestRecord, VendorState } from '../core/vendor-state.js';

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

export interface FindingEntry extends FindingRecord {
  vendorId: string;
}

export interface DueVendor {
  vendorId: string;
  /** ISO instant. */
  nextActionAt: string;
}

export interface RequestByToken {
  vendorId: string;
  request: RequestRecord;
}

/** What one vendor's chain check found (see functions/core/audit-chain.ts). */
export interface RawVendorLog {
  vendorId: string;
  /** The events in storage order, as stored (possibly tampered with: that is what the audit checks). */
  events: unknown[];
  /** The head the projection recorded (seq and hash of the last event), if any: detects a cut-off tail. */
  head: { seq: number; hash: string | null } | undefined;
  /** Storage items whose content could not be read as events, by key. */
  unreadable: { key: string; error: string }[];
}

export interface VendorStore {
  /**
   * Appends events to a vendor's log after `expectedSeq`, all or none, then updates the projections.
   * Throws ConflictError when another writer appended first, ValidationError when an event is impossible for
   * the vendor's state (nothing is written either way).
   */
  append(vendorId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /** Loads, decides and appends, retrying on conflict. Resolves with the state after the decision. */
  update(vendorId: string, decide: Decide, options: UpdateOptions): Promise<AppendResult>;

  /** The vendor's current state (projection caught up from the log if behind), or undefined if unknown. */
  load(vendorId: string): Promise<VendorState | undefined>;

  /**
   * Several vendors' states at once, as last projected (may lag the log: an `update` with `assumeState` then
   * conflicts and re-loads). A vendor with events but no projection yet (its first writer stopped before
   * projecting) is loaded from its log, unless `projectedOnly` (the import, which knows most ids are new).
   * Unknown ids are absent from the map.
   */
  loadMany(
    vendorIds: readonly string[],
    options?: { projectedOnly?: boolean },
  ): Promise<Map<string, VendorState>>;

  /** A vendor's events in seq order (all, or a range). */
  events(vendorId: string, range?: EventRange): Promise<StoredEvent[]>;

  /**
   * Every vendor id, sorted, from the vendors index (a vendor is listed from its first event on). `thorough`
   * reads every item of the table instead (for the audit: still finds a vendor whose first event was deleted).
   */
  listVendorIds(options?: { thorough?: boolean }): Promise<string[]>;

  /** Findings with a status across the whole portfolio, oldest first (for the compliance lead). */
  findingsByStatus(status: FindingStatus): Promise<FindingEntry[]>;

  /** Vendors whose next action is at or before `instant` (sparse index: cost grows with the vendors due). */
  dueVendors(instant: Date, options?: { limit?: number }): Promise<DueVendor[]>;

  /**
   * The request an upload link's token hash belongs to (open or not: the caller checks `open` and `expiresAt`
   * with core/upload-link.ts), or undefined.
   */
  requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined>;

  /** The raw stored log of a vendor, for `audit verify` (does not trust or repair anything). */
  rawLog(vendorId: string): Promise<RawVendorLog>;
}
