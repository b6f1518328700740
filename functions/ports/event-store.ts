// The storage port: what the application needs persisted, and nothing about how a commit is made. Sealing events
// into the hash chain, MACing them, applying them and retrying on conflict live in functions/app/vendors.ts; an
// adapter only stores a commit if its first seq is free, stores projections forwards only, and answers the
// queries. Implemented by functions/adapters/dynamodb (AWS and dynalite) and functions/adapters/memory
// (simulate, unit tests); test/support/event-store-conformance.ts holds both to the same behaviour.
import type { StoredEvent } from '../core/events.js';
import type { RegisterField, RegisterQuery } from '../core/findings.js';
import type { PortfolioQuery, SummaryField, VendorSummary } from '../core/summary.js';
import type { FindingRecord, FindingStatus, RequestRecord, VendorState } from '../core/vendor-state.js';

/**
 * What a record is: a vendor's, or a subservice organisation's (spec section 9), kept in the same table under its
 * own id (the portfolio refuses an id shared by both). Each kind is listed on its own.
 */
export type RecordKind = 'vendor' | 'subservice-organization';

/** One append: a run of sealed events of one vendor, stored all or none. */
export interface Commit {
  vendorId: string;
  /** Set on a record's first commit (seq 1): which list the record joins (absent: a vendor). */
  record?: RecordKind;
  /** The seq of its first event; the commit is refused when this seq is taken (the optimistic lock). */
  firstSeq: number;
  lastSeq: number;
  events: StoredEvent[];
  /** The record's seal (app/vendors.ts `sealMessage`): a MAC only the writing functions can make. */
  mac: string;
  /** SHA-256 (hex) of the state projected with this commit: part of what the MAC covers. */
  stateDigest: string;
}

/** A commit as read back (possibly tampered with: `mac` may be missing or wrong). */
export interface StoredCommit {
  firstSeq: number;
  lastSeq: number;
  events: StoredEvent[];
  mac?: string;
  stateDigest?: string;
}

/** What the projections of a vendor at one seq are: its state and the items the queries read. */
export interface Projection {
  vendorId: string;
  /** The seq the projection reflects: a projection never replaces one with a higher seq. */
  seq: number;
  state: VendorState;
  /** `state` as JSON, serialized once by the caller (who checked its size and MACed its digest). */
  stateJson: string;
  /** The seal of this state (app/vendors.ts `sealMessage`), and the first seq of the commit it ends. */
  mac: string;
  commitFirstSeq: number;
  /** Findings and requests that changed since the previous projection (each stored as its own item). */
  findings: ProjectedFinding[];
  requests: RequestRecord[];
  /**
   * The vendor's summary with its flat fields (once it is registered): the state item carries it for the
   * portfolio's main view; its other views' items are written when it `changed` (since what the stored state says
   * was last written).
   */
  summary?: {
    summary: VendorSummary;
    fields: Record<SummaryField, string | null>;
    changed: boolean;
  };
  /** The roll-call entry (core/summary.ts), when it differs from the one last written. */
  rollCall?: string;
  /** The digest of the derived items as written with this projection (kept on the state item, not sealed). */
  derivedDigest: string;
  /**
   * A refresh of the derived items of a state already stored at this seq (written before they existed): they are
   * written at their own seq and the stored state takes the new digest.
   */
  refresh?: true;
}

/** A finding as the register stores it: the record, its flat fields, and the vendor's name for the page. */
export interface ProjectedFinding {
  record: FindingRecord;
  fields: Record<RegisterField, string | null>;
  vendorName: string;
}

/** A projected state as read back, with what its seal is checked against. */
export interface StoredState {
  state: VendorState;
  /** The JSON as stored (its digest is part of the seal). */
  json: string;
  mac?: string;
  commitFirstSeq?: number;
  /** What the last projection recorded of the derived items it wrote (Projection.derivedDigest). */
  derivedDigest?: string;
}

export interface FindingEntry extends FindingRecord {
  vendorId: string;
  /** The vendor's name when the finding was last written (absent on items written before the register). */
  vendorName?: string;
}

/** One page of the portfolio: the summaries, and where the next page starts (null: this was the last). */
export interface SummaryPage {
  summaries: VendorSummary[];
  cursor: string | null;
}

export interface FindingPage {
  findings: FindingEntry[];
  cursor: string | null;
}

/**
 * A page reads at most this many times its size (a filter the key cannot serve may skip items): what one page
 * costs is bounded by its size, never by the portfolio's.
 */
export const PAGE_READ_FACTOR = 4;

export interface DueVendor {
  vendorId: string;
  /** ISO instant. */
  nextActionAt: string;
}

export interface DueOptions {
  limit?: number;
  /** Only next actions strictly after this instant. */
  after?: Date;
}

export interface RequestByToken {
  vendorId: string;
  request: RequestRecord;
}

/** A vendor's log as stored, for the audit (nothing is trusted or repaired). */
export interface RawVendorLog {
  vendorId: string;
  /** The events in storage order, as stored (possibly tampered with: that is what the audit checks). */
  events: unknown[];
  /** The commits' seals, in storage order (the audit checks the last one: the chain covers the rest). */
  commits: { key: string; firstSeq: number; lastSeq: number; mac?: string; stateDigest?: string }[];
  /** The head the projection recorded (seq and hash of the last event), if any: detects a cut-off tail. */
  head: { seq: number; hash: string | null } | undefined;
  /** The projected state as stored, with its seal. */
  state: StoredState | undefined;
  /** Storage items whose content could not be read as events, by key. */
  unreadable: { key: string; error: string }[];
}

export interface CommitRange {
  /**
   * Only commits whose first seq is after this one (default 0: all). A projection always ends a commit, so its
   * seq is a commit boundary: reading after it is exactly the tail the projection lacks.
   */
  afterSeq?: number;
  /** Only commits starting at or before this seq (default: to the end). */
  throughSeq?: number;
}

export interface EventStore {
  /** Stores a commit unless its first seq is taken (then ConflictError, nothing written). */
  appendCommit(commit: Commit): Promise<void>;
  /** Stores the projection items, each only if it moves forwards (an older writer finishing late is ignored). */
  writeProjection(projection: Projection): Promise<void>;

  /** The vendor's projected state as last written (it may lag the log), or undefined. */
  readState(vendorId: string): Promise<StoredState | undefined>;
  /** Several projected states at once; unknown or not yet projected ids are absent. */
  readStates(vendorIds: readonly string[]): Promise<Map<string, StoredState>>;
  /** The commits in range, in seq order. */
  readCommits(vendorId: string, range?: CommitRange): Promise<StoredCommit[]>;
  /** The vendor's last commit, or undefined (one read, newest first). */
  lastCommit(vendorId: string): Promise<StoredCommit | undefined>;

  /**
   * Every vendor id, sorted (listed from its first commit). `thorough` reads every item (the audit), and so
   * lists every record, subservice organisations' too.
   */
  listVendorIds(options?: { thorough?: boolean }): Promise<string[]>;
  /** Every subservice organisation's id, sorted (listed from its first commit). */
  listSubserviceOrganizationIds(): Promise<string[]>;
  /** Findings with a status across the portfolio, oldest first. */
  findingsByStatus(status: FindingStatus): Promise<FindingEntry[]>;
  /**
   * Vendors whose next action is at or before `instant` (and strictly after `after`, when given), earliest first
   * (cost grows with the vendors due).
   */
  dueVendors(instant: Date, options?: DueOptions): Promise<DueVendor[]>;
  /** The request projected under an upload link's token hash (may lag: the caller re-reads the vendor). */
  requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined>;
  /** The raw stored log and recorded head of a vendor, for `audit verify`. */
  rawLog(vendorId: string): Promise<RawVendorLog>;

  /** One page of vendor summaries (core/summary.ts `planPortfolioQuery` says which view and range). */
  portfolioPage(query: PortfolioQuery): Promise<SummaryPage>;
  /** Every vendor's roll-call entry (`<L>|<B>|<tier>`), read in a fixed number of items (the status counts). */
  rollCall(): Promise<string[]>;
  /** One page of the findings register (core/findings.ts `planRegisterQuery`). */
  registerPage(query: RegisterQuery): Promise<FindingPage>;
}
