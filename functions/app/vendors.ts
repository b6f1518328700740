// The vendors' event logs as the application uses them: load (catching a lagging projection up from the log),
// decide, commit, retry on conflict. This is the one "load, decide, commit" loop every command goes through; the
// storage adapter behind the EventStore port only persists what it is handed.
//
// A commit is sealed here: hash-chained (functions/core/audit-chain.ts), applied by the pure reducer (which
// refuses an impossible event before anything is written), and MACed with the service's key together with the
// state it projects (docs/data-model.md, "Sealed records"). It is stored as one item (all or none), then
// projected. A writer that stops between the commit and its projections leaves the log ahead of the projection;
// the next reader repairs it, so nothing decided on stale data is ever written (the commit's seq is the lock).
// Every load checks the seal of what it reads: a projection that fails is rebuilt from the log and reported; a
// commit that fails (an event no writer produced) is refused, never adopted.
import { createHash } from 'node:crypto';
import { eventHash, GENESIS_HASH, sealEvents } from '../core/audit-chain.js';
import { ConflictError, DomainError, ValidationError } from '../core/errors.js';
import type { Actor, NewEvent, StoredEvent } from '../core/events.js';
import { calendarDateOf } from '../core/dates.js';
import { registerFields } from '../core/findings.js';
import { DEFAULT_POLICY, settingsFor, type Policy } from '../core/policy.js';
import { isVendorId } from '../core/portfolio.js';
import { rollCallEntry, summaryFields, vendorSummary } from '../core/summary.js';
import {
  applyEvents,
  emptyState,
  type FindingRecord,
  type FindingStatus,
  type VendorState,
} from '../core/vendor-state.js';
import type { Clock } from '../ports/clock.js';
import type {
  DueOptions,
  DueVendor,
  EventStore,
  FindingEntry,
  FindingPage,
  Projection,
  RawVendorLog,
  RequestByToken,
  StoredCommit,
  StoredState,
  SummaryPage,
} from '../ports/event-store.js';
import type { RegisterQuery } from '../core/findings.js';
import type { PortfolioQuery } from '../core/summary.js';
import type { Mac } from '../ports/mac.js';

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
  /** The service's MAC key: seals every commit and projection, checks them on load. */
  mac: Mac;
  /** Told when a record fails its check (an integrity alert for the operators). */
  onIntegrityProblem?: (vendorId: string, problem: string) => void;
  /** Test hook: runs after the commit is stored and before the projections (crash injection). */
  afterCommit?: (vendorId: string, lastSeq: number) => void | Promise<void>;
  /** Waits between attempts after a lost race (tests: none). */
  backoff?: (attempt: number) => Promise<void>;
  /**
   * The institution's calendar and policy: a vendor's summary (the portfolio page's item) is derived as of the
   * institution's today under its tier's settings (default UTC and the default policy).
   */
  calendar?: { timeZone: string; policy: Policy };
}

/** A vendor's record failed its check: an event or state no writer produced. Nothing is decided on it. */
export class TamperedError extends DomainError {
  override readonly name = 'TamperedError';
  readonly code = 'tampered';
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

/**
 * What the MAC of a commit and of the state it projects covers: the vendor, the commit's seqs, its last event's
 * hash (which chains every event before it) and the SHA-256 of the projected state's JSON. Versioned, and
 * separate from the upload-link messages by its prefix.
 */
export function sealMessage(
  vendorId: string,
  firstSeq: number,
  lastSeq: number,
  lastHash: string,
  stateDigest: string,
): string {
  return `bridgekeeper/record/v1/${vendorId}/${firstSeq}/${lastSeq}/${lastHash}/${stateDigest}`;
}

export function digestOf(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

const jitter = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

export class Vendors {
  private readonly clock: Clock;
  private readonly mac: Mac;
  private readonly onIntegrityProblem: (vendorId: string, problem: string) => void;
  private readonly afterCommit: VendorsOptions['afterCommit'];
  private readonly backoff: (attempt: number) => Promise<void>;
  private readonly calendar: { timeZone: string; policy: Policy };
  /**
   * What the stored state item says of the derived items last written with it (the summary, the roll-call
   * entry), for the states this instance read or wrote: a commit rewrites them only when they change. A state
   * not in here (built elsewhere) gets them all rewritten, which is always safe.
   */
  private readonly derived = new WeakMap<VendorState, string>();

  constructor(
    readonly store: EventStore,
    options: VendorsOptions,
  ) {
    this.clock = options.clock;
    this.mac = options.mac;
    this.onIntegrityProblem = options.onIntegrityProblem ?? (() => {});
    this.afterCommit = options.afterCommit;
    this.backoff = options.backoff ?? jitter;
    this.calendar = options.calendar ?? { timeZone: 'UTC', policy: DEFAULT_POLICY };
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
    const stateDigest = digestOf(stateJson);
    const mac = await this.mac.sign(sealMessage(vendorId, firstSeq, lastSeq, after.headHash!, stateDigest));
    await this.store.appendCommit({
      vendorId,
      firstSeq,
      lastSeq,
      events: sealed,
      mac,
      stateDigest,
      ...(firstSeq === 1 && after.organization ? { record: 'subservice-organization' as const } : {}),
    });
    if (this.afterCommit) await this.afterCommit(vendorId, lastSeq);
    await this.project(base, after, stateJson, mac, firstSeq, sealed);
    return { state: after, events: sealed };
  }

  /**
   * Findings and requests that changed go with the state, and the vendor's summary and roll-call entry when they
   * differ from what the stored state says was written (`stored`: unknown means rewrite them); the adapter writes
   * the state last, with the new digest.
   */
  private async project(
    before: VendorState | undefined,
    after: VendorState,
    stateJson: string,
    mac: string,
    commitFirstSeq: number,
    events: readonly StoredEvent[],
  ): Promise<void> {
    await this.store.writeProjection(this.projection(before, after, stateJson, mac, commitFirstSeq, events));
  }

  private projection(
    before: VendorState | undefined,
    after: VendorState,
    stateJson: string,
    mac: string,
    commitFirstSeq: number,
    events: readonly StoredEvent[],
  ): Projection {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const stored = before ? this.derived.get(before) : undefined;
    const settings = settingsFor(this.calendar.policy, after.profile?.tier ?? 'critical');
    const today = calendarDateOf(this.clock.now(), this.calendar.timeZone);
    const summary = vendorSummary(after, today, settings);
    const entry = summary ? rollCallEntry(summary) : '';
    const summaryHash = summary ? digestOf(JSON.stringify(summary)).slice(0, 32) : '-';
    // What the state item records of the derived items written with it: `<summary hash>~<roll-call entry>`. Digests
    // stored before the lead's item was dropped read `<hash>~<lead>~<entry>`: the first part and the last are read.
    const derivedDigest = `${summaryHash}~${entry}`;
    const parts = stored?.split('~');
    const storedHash = parts?.[0];
    const storedEntry = parts?.at(-1);
    // A renamed vendor's findings carry its new name on the register page.
    const renamed = before?.profile?.name !== after.profile?.name;
    const vendorName = after.profile?.name ?? after.vendorId;
    this.derived.set(after, derivedDigest);
    return {
      vendorId: after.vendorId,
      seq: after.seq,
      state: after,
      stateJson,
      mac,
      commitFirstSeq,
      findings: [
        ...Object.values(after.findings).filter(
          (f) => stored === undefined || renamed || !before || !same(before.findings[f.findingId], f),
        ),
        ...droppedFindings(before, after, events),
      ].map((record) => ({ record, fields: registerFields(record, settings), vendorName })),
      requests: Object.values(after.requests).filter(
        (r) => !before || !same(before.requests[r.requestId], r),
      ),
      ...(summary
        ? {
            summary: {
              summary,
              fields: summaryFields(summary),
              changed: stored === undefined || storedHash !== summaryHash,
            },
          }
        : {}),
      ...(summary && (stored === undefined || storedEntry !== entry) ? { rollCall: entry } : {}),
      derivedDigest,
    };
  }

  // ---- the derived items ----

  private remember(stored: StoredState): void {
    if (stored.derivedDigest !== undefined) this.derived.set(stored.state, stored.derivedDigest);
  }

  /**
   * A sealed state written before the portfolio's derived items existed has none: they are written now, at the
   * state's own seq (the state item only gets their digest), so the vendor appears on the portfolio at once.
   */
  private async refreshDerived(stored: StoredState): Promise<void> {
    if (stored.derivedDigest !== undefined || !stored.state.profile) return;
    const { state } = stored;
    await this.store.writeProjection({
      ...this.projection(
        undefined,
        state,
        stored.json,
        stored.mac ?? '',
        stored.commitFirstSeq ?? state.seq,
        [],
      ),
      refresh: true,
    });
  }

  // ---- the seals ----

  /** Whether a stored projection is one a writer sealed. */
  private async stateIsSealed(vendorId: string, stored: StoredState): Promise<boolean> {
    const { state, mac, commitFirstSeq } = stored;
    if (!mac || commitFirstSeq === undefined || state.vendorId !== vendorId || !state.headHash) return false;
    const message = sealMessage(vendorId, commitFirstSeq, state.seq, state.headHash, digestOf(stored.json));
    return this.mac.verify(message, mac);
  }

  /**
   * Checks commits read after `from` (seq and hash of the last trusted event): each event's own hash, the chain
   * from `from` on, and the last commit's MAC (which covers its last hash, so the whole run). Throws
   * TamperedError naming what failed.
   */
  private async checkCommits(
    vendorId: string,
    from: { seq: number; hash: string },
    commits: StoredCommit[],
  ): Promise<StoredEvent[]> {
    const events = commits.flatMap((c) => c.events);
    let seq = from.seq;
    let hash = from.hash;
    for (const e of events) {
      if (e.vendorId !== vendorId || e.seq !== seq + 1 || e.prevHash !== hash || eventHash(e) !== e.hash)
        throw this.tampered(vendorId, `seq ${e.seq}: the event does not chain to the log before it`);
      seq = e.seq;
      hash = e.hash;
    }
    const last = commits.at(-1);
    if (last) {
      const valid =
        last.mac !== undefined &&
        last.stateDigest !== undefined &&
        last.lastSeq === seq &&
        (await this.mac.verify(
          sealMessage(vendorId, last.firstSeq, last.lastSeq, hash, last.stateDigest),
          last.mac,
        ));
      if (!valid)
        throw this.tampered(vendorId, `seq ${last.firstSeq}..${last.lastSeq}: no writer sealed this commit`);
    }
    return events;
  }

  private tampered(vendorId: string, problem: string): TamperedError {
    this.onIntegrityProblem(vendorId, problem);
    return new TamperedError(`vendor ${vendorId}: ${problem}`);
  }

  // ---- reads ----

  /** The vendor's current state (its projection caught up from the log if behind), or undefined if unknown. */
  async load(vendorId: string): Promise<VendorState | undefined> {
    // An id from a URL that no vendor can have names none, before any read (DynamoDB refuses a key over 2 KB
    // with a ValidationException: a 500 for what is a person's typo or a probe).
    if (!isVendorId(vendorId)) return undefined;
    return this.trusted(vendorId, await this.store.readState(vendorId));
  }

  /**
   * The state to decide on, from what was read: a sealed projection caught up from its log tail; a projection
   * that fails its seal (edited, or written by no writer) is reported and rebuilt from the whole log.
   */
  private async trusted(vendorId: string, stored: StoredState | undefined): Promise<VendorState | undefined> {
    let projected: VendorState | undefined = stored?.state;
    if (stored && !(await this.stateIsSealed(vendorId, stored))) {
      this.onIntegrityProblem(
        vendorId,
        `the projected state (seq ${stored.state.seq}) fails its seal: rebuilt from the log`,
      );
      projected = undefined;
    } else if (stored) this.remember(stored);
    const seq = projected?.seq ?? 0;
    const tail = await this.store.readCommits(vendorId, { afterSeq: seq });
    if (tail.length === 0) {
      if (stored && projected) await this.refreshDerived(stored);
      return projected;
    }
    const from = { seq, hash: projected?.headHash ?? GENESIS_HASH };
    const behind = await this.checkCommits(vendorId, from, tail);
    const caughtUp = applyEvents(projected ?? emptyState(vendorId), behind);
    // Repair: the projection was behind its log (a writer stopped between its commit and its projections), or
    // failed its seal. Written sealed, at the seq of the commit it ends.
    const stateJson = JSON.stringify(caughtUp);
    const last = tail.at(-1)!;
    const mac = await this.mac.sign(
      sealMessage(vendorId, last.firstSeq, last.lastSeq, caughtUp.headHash!, digestOf(stateJson)),
    );
    await this.project(projected, caughtUp, stateJson, mac, last.firstSeq, behind);
    return caughtUp;
  }

  /**
   * Several vendors' states at once, as last projected (may lag the log: an `update` with `assumeState` then
   * conflicts and re-loads), each checked. A vendor with events but no projection yet (its first writer stopped
   * before projecting) is loaded from its log, unless `projectedOnly` (the import, which knows most ids are new).
   * Unknown ids are absent from the map.
   */
  async loadMany(
    vendorIds: readonly string[],
    options: { projectedOnly?: boolean } = {},
  ): Promise<Map<string, VendorState>> {
    const unique = [...new Set(vendorIds)];
    const stored = await this.store.readStates(unique);
    const found = new Map<string, VendorState>();
    const ids = options.projectedOnly ? [...stored.keys()] : unique;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(8, ids.length) }, async () => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          const item = stored.get(id);
          // A sealed projection is taken as it is (it may lag; the commit loop re-reads on conflict).
          if (item && (await this.stateIsSealed(id, item))) {
            this.remember(item);
            await this.refreshDerived(item);
            found.set(id, item.state);
          } else if (item || !options.projectedOnly) {
            const state = await this.trusted(id, item);
            if (state) found.set(id, state);
          }
        }
      }),
    );
    return found;
  }

  /**
   * Several vendors' states as last projected, read only: a projection that fails its seal is reported and left
   * out, one that lags its log is taken as it is, nothing is repaired (for a function that may not write: the
   * calendar feed). Unknown ids are absent.
   */
  async loadProjected(vendorIds: readonly string[]): Promise<Map<string, VendorState>> {
    const stored = await this.store.readStates([...new Set(vendorIds)]);
    const found = new Map<string, VendorState>();
    for (const [id, item] of stored)
      if (await this.stateIsSealed(id, item)) found.set(id, item.state);
      else
        this.onIntegrityProblem(id, `the projected state (seq ${item.state.seq}) fails its seal: left out`);
    return found;
  }

  /** A vendor's events in seq order (all, or a range), each commit checked as on load. */
  async events(vendorId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    const from = range.fromSeq ?? 1;
    const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    // Whole commits from the start: a commit that begins before `fromSeq` may hold it.
    const commits = await this.store.readCommits(
      vendorId,
      range.toSeq !== undefined ? { throughSeq: range.toSeq } : {},
    );
    const events = commits.flatMap((c) => c.events);
    return events.filter((e) => e.seq >= from && e.seq <= to);
  }

  listVendorIds(options?: { thorough?: boolean }): Promise<string[]> {
    return this.store.listVendorIds(options);
  }

  /** Every subservice organisation's id (their records live beside the vendors', spec section 9). */
  listSubserviceOrganizationIds(): Promise<string[]> {
    return this.store.listSubserviceOrganizationIds();
  }

  findingsByStatus(status: FindingStatus): Promise<FindingEntry[]> {
    return this.store.findingsByStatus(status);
  }

  dueVendors(instant: Date, options?: DueOptions): Promise<DueVendor[]> {
    return this.store.dueVendors(instant, options);
  }

  /** One page of vendor summaries: what the portfolio page reads (never a vendor's state). */
  portfolioPage(query: PortfolioQuery): Promise<SummaryPage> {
    return this.store.portfolioPage(query);
  }

  rollCall(): Promise<string[]> {
    return this.store.rollCall();
  }

  registerPage(query: RegisterQuery): Promise<FindingPage> {
    return this.store.registerPage(query);
  }

  /**
   * The request an upload link's token hash belongs to (open or not: the caller checks `open` and `expiresAt`
   * with core/upload-link.ts), answered from the vendor's current state (the index may lag), or undefined.
   */
  async requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined> {
    const indexed = await this.store.requestByTokenHash(tokenHash);
    if (!indexed) return undefined;
    const state = await this.load(indexed.vendorId);
    const request = state?.requests[indexed.request.requestId];
    if (!request) return undefined;
    const linked = request.tokenHash === tokenHash || request.previousLink?.tokenHash === tokenHash;
    return linked ? { vendorId: indexed.vendorId, request } : undefined;
  }

  rawLog(vendorId: string): Promise<RawVendorLog> {
    return this.store.rawLog(vendorId);
  }

  /** Whether the last commit of a raw log is sealed (the audit: the chain covers everything before it). */
  async lastCommitIsSealed(vendorId: string, raw: RawVendorLog): Promise<boolean | undefined> {
    const last = raw.commits.at(-1);
    if (!last) return undefined;
    const lastEvent = (raw.events as StoredEvent[]).filter((e) => e?.seq === last.lastSeq).at(-1);
    if (!last.mac || !last.stateDigest || !lastEvent) return false;
    return this.mac.verify(
      sealMessage(vendorId, last.firstSeq, last.lastSeq, lastEvent.hash, last.stateDigest),
      last.mac,
    );
  }

  /** Whether a raw log's projected state is sealed. */
  async projectionIsSealed(vendorId: string, raw: RawVendorLog): Promise<boolean | undefined> {
    return raw.state ? this.stateIsSealed(vendorId, raw.state) : undefined;
  }
}

/**
 * Findings the commit's events changed that the record no longer keeps after it (closed, and past RECORD_LIMITS in
 * the same commit), as they stand after the events: their register items must still be written (else one closed
 * this way would stay open in the register).
 */
function droppedFindings(
  before: VendorState | undefined,
  after: VendorState,
  events: readonly StoredEvent[],
): FindingRecord[] {
  const touched = new Set(
    events.flatMap((e) =>
      'findingId' in e.data && typeof e.data.findingId === 'string' ? [e.data.findingId] : [],
    ),
  );
  const gone = [...touched].filter((id) => !Object.hasOwn(after.findings, id));
  if (gone.length === 0) return [];
  const whole = applyEvents(before ?? emptyState(after.vendorId), events, { keepHistory: true });
  return gone.flatMap((id) => (Object.hasOwn(whole.findings, id) ? [whole.findings[id]!] : []));
}
