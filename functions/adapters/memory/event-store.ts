// The EventStore port in this process's memory: `simulate` and the unit tests of handlers run on it. It keeps
// what it is given as JSON text, as DynamoDB does, so a caller can never change a stored value by mutating the
// object it passed or received, and it answers every query with the same order and bounds as the DynamoDB
// adapter. test/conformance/event-store.ts holds the two to the same behaviour; nothing else may use it.
import { ConflictError, ValidationError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/events.js';
import { planRegisterQuery, registerKey, type RegisterQuery } from '../../core/findings.js';
import { matchesWhere, type Where } from '../../core/query.js';
import {
  nameOrderKey,
  planPortfolioQuery,
  ROLL_CALL_SHARDS,
  rollCallShard,
  urgencyKey,
  type PortfolioQuery,
  type SummaryView,
  type VendorSummary,
} from '../../core/summary.js';
import type { FindingStatus, RequestRecord, VendorState } from '../../core/vendor-state.js';
import type {
  DueOptions,
  Commit,
  CommitRange,
  DueVendor,
  EventStore,
  FindingEntry,
  FindingPage,
  Projection,
  RawVendorLog,
  RecordKind,
  RequestByToken,
  StoredCommit,
  StoredState,
  SummaryPage,
} from '../../ports/event-store.js';
import { PAGE_READ_FACTOR } from '../../ports/event-store.js';

interface Stored {
  seq: number;
  text: string;
}

interface VendorItems {
  /** What the record is (set by its first commit). */
  kind?: RecordKind;
  /** firstSeq -> the commit's events as JSON text, with its seal. */
  commits: Map<number, { lastSeq: number; events: string; mac?: string; stateDigest?: string }>;
  /** The commits' first seqs, ascending (a log is read from a seq on, like a DynamoDB Query on the sort key). */
  order: number[];
  state?: Stored & {
    /** `text` parsed once, deeply frozen: readers share it and cannot change what is stored. */
    parsed?: VendorState;
    headHash: string | null;
    nextActionAt: string | null;
    mac?: string;
    commitFirstSeq?: number;
    derivedDigest?: string;
  };
  findings: Map<
    string,
    Stored & {
      status: string;
      sortKey: string;
      vendorName: string;
      fields: Record<string, string | null>;
      /** In the register's active view (not closed), by this key. */
      activeKey?: string;
    }
  >;
  requests: Map<string, Stored & { tokenHashes: string[] }>;
  /** The summary, once per view, as the DynamoDB adapter keeps it (adapters/dynamodb/views.ts). */
  summaries: Map<
    SummaryView,
    Stored & { partition: string; sortKey: string; fields: Record<string, string | null> }
  >;
}

/** One item of an ordered view, as a query walks it. */
interface Row {
  sortKey: string;
  /** Unique within the view (the table key): ties and cursors. */
  id: string;
  fields: Record<string, string | null>;
  text: string;
  vendorId: string;
  vendorName?: string;
}

/** Inserts `n` into the ascending `list` (appends are nearly always at the end). */
function insertSorted(list: number[], n: number): void {
  if (list.length === 0 || list[list.length - 1]! < n) list.push(n);
  else list.splice(firstAbove(list, n), 0, n);
}

/** The index of the first element of the ascending `list` greater than `n`. */
function firstAbove(list: readonly number[], n: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isoInstant(value: string): string {
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

export class MemoryEventStore implements EventStore {
  private readonly vendors = new Map<string, VendorItems>();
  /** Shard -> vendorId -> `<seq>|<entry>` (the DynamoDB adapter's shard items). */
  private readonly rollCalls = new Map<number, Map<string, string>>();

  private items(vendorId: string): VendorItems {
    let items = this.vendors.get(vendorId);
    if (!items) {
      items = {
        commits: new Map(),
        order: [],
        findings: new Map(),
        requests: new Map(),
        summaries: new Map(),
      };
      this.vendors.set(vendorId, items);
    }
    return items;
  }

  async appendCommit(commit: Commit): Promise<void> {
    const items = this.items(commit.vendorId);
    if (items.commits.has(commit.firstSeq))
      throw new ConflictError(
        `append to vendor ${commit.vendorId} at seq ${commit.firstSeq}: someone else changed it first`,
      );
    if (commit.firstSeq === 1) items.kind = commit.record ?? 'vendor';
    items.commits.set(commit.firstSeq, {
      lastSeq: commit.lastSeq,
      events: JSON.stringify(commit.events),
      mac: commit.mac,
      stateDigest: commit.stateDigest,
    });
    insertSorted(items.order, commit.firstSeq);
  }

  async writeProjection(projection: Projection): Promise<void> {
    const { vendorId, seq, state } = projection;
    const items = this.items(vendorId);
    const forwards = (current: Stored | undefined) => current === undefined || current.seq < seq;
    // The derived items may be rewritten at their own seq (as on DynamoDB).
    const notNewer = (current: Stored | undefined) => current === undefined || current.seq <= seq;
    for (const { record: finding, fields, vendorName } of projection.findings) {
      if (!notNewer(items.findings.get(finding.findingId))) continue;
      items.findings.set(finding.findingId, {
        seq,
        text: JSON.stringify(finding),
        status: finding.status,
        sortKey: `${isoInstant(finding.openedAt)}#${vendorId}#${finding.findingId}`,
        vendorName,
        fields: { ...fields },
        ...(finding.status !== 'closed' && fields.dueDate
          ? { activeKey: registerKey(vendorId, finding.findingId, fields.dueDate) }
          : {}),
      });
    }
    if (projection.summary) {
      const { summary, fields, changed } = projection.summary;
      const urgency = urgencyKey(summary);
      // As on DynamoDB: the main view rides on the state, the others are written when they changed.
      const views: [SummaryView, string, string, boolean][] = [
        [
          'all',
          'all',
          urgency,
          forwards(items.state) || (projection.refresh === true && items.state?.seq === seq),
        ],
        ['name', 'name', nameOrderKey(summary), changed],
        ['manager', summary.managerEmail.toLowerCase(), urgency, changed],
      ];
      for (const [view, partition, sortKey, write] of views)
        if (write && notNewer(items.summaries.get(view)))
          items.summaries.set(view, {
            seq,
            text: JSON.stringify(summary),
            partition,
            sortKey,
            fields: { ...fields },
          });
    }
    if (projection.rollCall !== undefined) {
      const shard = rollCallShard(vendorId);
      let entries = this.rollCalls.get(shard);
      if (!entries) this.rollCalls.set(shard, (entries = new Map()));
      const value = `${String(seq).padStart(10, '0')}|${projection.rollCall}`;
      const current = entries.get(vendorId);
      if (current === undefined || current <= value) entries.set(vendorId, value);
    }
    for (const request of projection.requests) {
      if (!forwards(items.requests.get(request.requestId))) continue;
      items.requests.set(request.requestId, {
        seq,
        text: JSON.stringify(request),
        // The current link and, after a renewal, the previous one (it works until its own end).
        tokenHashes: [request.tokenHash, ...(request.previousLink ? [request.previousLink.tokenHash] : [])],
      });
    }
    if (forwards(items.state))
      items.state = {
        seq,
        text: projection.stateJson,
        headHash: state.headHash,
        nextActionAt: state.nextActionAt ? isoInstant(state.nextActionAt) : null,
        mac: projection.mac,
        commitFirstSeq: projection.commitFirstSeq,
        derivedDigest: projection.derivedDigest,
      };
    else if (projection.refresh && items.state?.seq === seq && items.state.headHash === state.headHash)
      items.state.derivedDigest = projection.derivedDigest;
  }

  async readState(vendorId: string): Promise<StoredState | undefined> {
    const item = this.vendors.get(vendorId)?.state;
    if (item === undefined) return undefined;
    item.parsed ??= deepFreeze(JSON.parse(item.text) as VendorState);
    return {
      state: item.parsed,
      json: item.text,
      ...(item.mac ? { mac: item.mac } : {}),
      ...(item.commitFirstSeq !== undefined ? { commitFirstSeq: item.commitFirstSeq } : {}),
      ...(item.derivedDigest !== undefined ? { derivedDigest: item.derivedDigest } : {}),
    };
  }

  async readStates(vendorIds: readonly string[]): Promise<Map<string, StoredState>> {
    const found = new Map<string, StoredState>();
    for (const id of vendorIds) {
      const state = await this.readState(id);
      if (state) found.set(id, state);
    }
    return found;
  }

  async readCommits(vendorId: string, range: CommitRange = {}): Promise<StoredCommit[]> {
    const items = this.vendors.get(vendorId);
    if (!items) return [];
    const afterSeq = range.afterSeq ?? 0;
    const through = range.throughSeq ?? Number.MAX_SAFE_INTEGER;
    const out: StoredCommit[] = [];
    for (let i = firstAbove(items.order, afterSeq); i < items.order.length; i++) {
      const firstSeq = items.order[i]!;
      if (firstSeq > through) break;
      const c = items.commits.get(firstSeq)!;
      out.push({
        firstSeq,
        lastSeq: c.lastSeq,
        events: JSON.parse(c.events) as StoredEvent[],
        ...(c.mac ? { mac: c.mac } : {}),
        ...(c.stateDigest ? { stateDigest: c.stateDigest } : {}),
      });
    }
    return out;
  }

  async lastCommit(vendorId: string): Promise<StoredCommit | undefined> {
    const last = this.vendors.get(vendorId)?.order.at(-1);
    return last === undefined ? undefined : (await this.readCommits(vendorId, { afterSeq: last - 1 }))[0];
  }

  async listVendorIds(options: { thorough?: boolean } = {}): Promise<string[]> {
    const ids = [...this.vendors.entries()]
      .filter(([, items]) =>
        options.thorough
          ? items.commits.size > 0 || items.state !== undefined || items.findings.size > 0
          : items.commits.has(1) && items.kind !== 'subservice-organization',
      )
      .map(([id]) => id);
    return ids.sort();
  }

  async listSubserviceOrganizationIds(): Promise<string[]> {
    return [...this.vendors.entries()]
      .filter(([, items]) => items.commits.has(1) && items.kind === 'subservice-organization')
      .map(([id]) => id)
      .sort();
  }

  async findingsByStatus(status: FindingStatus): Promise<FindingEntry[]> {
    const rows: { sortKey: string; entry: FindingEntry }[] = [];
    for (const [vendorId, items] of this.vendors)
      for (const f of items.findings.values())
        if (f.status === status)
          rows.push({
            sortKey: f.sortKey,
            entry: { vendorId, vendorName: f.vendorName, ...JSON.parse(f.text) },
          });
    return rows.sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1)).map((r) => r.entry);
  }

  async dueVendors(instant: Date, options: DueOptions = {}): Promise<DueVendor[]> {
    const bound = instant.toISOString();
    const after = options.after?.toISOString();
    const due: DueVendor[] = [];
    for (const [vendorId, items] of this.vendors) {
      const at = items.state?.nextActionAt;
      if (at && at <= bound && (after === undefined || at > after)) due.push({ vendorId, nextActionAt: at });
    }
    due.sort((a, b) =>
      a.nextActionAt < b.nextActionAt
        ? -1
        : a.nextActionAt > b.nextActionAt
          ? 1
          : a.vendorId < b.vendorId
            ? -1
            : 1,
    );
    return options.limit === undefined ? due : due.slice(0, options.limit);
  }

  async requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined> {
    for (const [vendorId, items] of this.vendors)
      for (const r of items.requests.values())
        if (r.tokenHashes.includes(tokenHash))
          return { vendorId, request: JSON.parse(r.text) as RequestRecord };
    return undefined;
  }

  async portfolioPage(query: PortfolioQuery): Promise<SummaryPage> {
    const plan = planPortfolioQuery(query);
    const view = plan.view;
    const partition = view === 'all' || view === 'name' ? view : (plan.partition ?? '');
    const rows: Row[] = [];
    for (const [vendorId, items] of this.vendors) {
      const item = items.summaries.get(view);
      if (!item || item.partition !== partition) continue;
      if (plan.from !== undefined && item.sortKey < plan.from) continue;
      if (plan.to !== undefined && item.sortKey > plan.to) continue;
      rows.push({ sortKey: item.sortKey, id: vendorId, fields: item.fields, text: item.text, vendorId });
    }
    const page = walk(
      rows,
      `${view}#${partition}`,
      plan.where,
      query.pageSize,
      query.cursor,
      query.descending,
    );
    return { summaries: page.rows.map((r) => JSON.parse(r.text) as VendorSummary), cursor: page.cursor };
  }

  async rollCall(): Promise<string[]> {
    const entries: string[] = [];
    for (let shard = 0; shard < ROLL_CALL_SHARDS; shard++)
      for (const value of this.rollCalls.get(shard)?.values() ?? [])
        entries.push(value.slice(value.indexOf('|') + 1));
    return entries;
  }

  async registerPage(query: RegisterQuery): Promise<FindingPage> {
    const plan = planRegisterQuery(query);
    if (plan.empty) return { findings: [], cursor: null };
    const rows: Row[] = [];
    for (const [vendorId, items] of this.vendors) {
      if (plan.view === 'vendor' && vendorId !== plan.partition) continue;
      for (const [findingId, f] of items.findings) {
        let sortKey: string;
        if (plan.view === 'vendor') sortKey = `F#${findingId}`;
        else if (plan.view === 'state') {
          if (f.status !== plan.partition) continue;
          sortKey = f.sortKey;
        } else {
          if (f.activeKey === undefined || (plan.to !== undefined && f.activeKey > plan.to)) continue;
          sortKey = f.activeKey;
        }
        rows.push({
          sortKey,
          id: `${vendorId}#${findingId}`,
          fields: f.fields,
          text: f.text,
          vendorId,
          vendorName: f.vendorName,
        });
      }
    }
    const page = walk(rows, `${plan.view}#${plan.partition ?? ''}`, plan.where, query.pageSize, query.cursor);
    return {
      findings: page.rows.map((r) => ({
        vendorId: r.vendorId,
        vendorName: r.vendorName,
        ...JSON.parse(r.text),
      })),
      cursor: page.cursor,
    };
  }

  async rawLog(vendorId: string): Promise<RawVendorLog> {
    const items = this.vendors.get(vendorId);
    const events: unknown[] = [];
    const unreadable: RawVendorLog['unreadable'] = [];
    const commits: RawVendorLog['commits'] = [];
    for (const [first, commit] of [...(items?.commits ?? new Map()).entries()].sort(([a], [b]) => a - b)) {
      commits.push({
        key: `E#${first}`,
        firstSeq: first,
        lastSeq: commit.lastSeq,
        ...(commit.mac ? { mac: commit.mac } : {}),
        ...(commit.stateDigest ? { stateDigest: commit.stateDigest } : {}),
      });
      try {
        const parsed: unknown = JSON.parse(commit.events);
        if (!Array.isArray(parsed)) throw new Error('not a list of events');
        events.push(...parsed);
      } catch (error) {
        unreadable.push({ key: `E#${first}`, error: (error as Error).message });
      }
    }
    const head = items?.state ? { seq: items.state.seq, hash: items.state.headHash } : undefined;
    return { vendorId, events, commits, head, state: await this.readState(vendorId), unreadable };
  }

  // ---- for tests that play an attacker or a crash (the DynamoDB equivalents are raw table writes) ----

  /** Drops the commit that starts at `firstSeq` (a truncated or edited log). */
  deleteCommit(vendorId: string, firstSeq: number): void {
    const items = this.vendors.get(vendorId);
    if (!items?.commits.delete(firstSeq)) return;
    items.order.splice(items.order.indexOf(firstSeq), 1);
  }

  /** Replaces the stored text of a commit (tampering). */
  rewriteCommit(vendorId: string, firstSeq: number, events: unknown[]): void {
    const commit = this.vendors.get(vendorId)?.commits.get(firstSeq);
    if (commit) commit.events = JSON.stringify(events);
  }

  /** Replaces the stored state text, keeping its seal (tampering with the projection alone). */
  rewriteState(vendorId: string, state: VendorState): void {
    const item = this.vendors.get(vendorId)?.state;
    if (item) {
      item.text = JSON.stringify(state);
      delete item.parsed;
    }
  }

  /** Drops the projected state (a crash before projecting, or tampering). */
  deleteState(vendorId: string): void {
    const items = this.vendors.get(vendorId);
    if (items) delete items.state;
  }

  /** Drops everything stored for a vendor. */
  deleteVendor(vendorId: string): void {
    this.vendors.delete(vendorId);
  }
}

/**
 * A page of an ordered view, walked the way the DynamoDB adapter queries (its `page`): each query reads at most
 * what is still wanted, a filter applies after the read, and at most PAGE_READ_FACTOR times the page size is read.
 * A query that stops at its limit leaves a cursor, also when nothing follows (as DynamoDB does).
 */
function walk(
  rows: Row[],
  partition: string,
  where: Where | undefined,
  pageSize: number,
  cursor: string | undefined,
  descending = false,
): { rows: Row[]; cursor: string | null } {
  rows.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : 1));
  if (descending) rows.reverse();
  let position = 0;
  if (cursor) {
    let key: { p?: unknown; k?: unknown; id?: unknown };
    try {
      key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof key;
    } catch {
      key = {};
    }
    if (key.p !== partition || typeof key.k !== 'string' || typeof key.id !== 'string')
      throw new ValidationError([
        { path: 'cursor', message: 'this page link is not valid: start again from the first page' },
      ]);
    const after = (r: Row) =>
      descending
        ? r.sortKey < (key.k as string) || (r.sortKey === key.k && r.id < (key.id as string))
        : r.sortKey > (key.k as string) || (r.sortKey === key.k && r.id > (key.id as string));
    position = rows.findIndex(after);
    if (position < 0) position = rows.length;
  }
  const budget = pageSize * PAGE_READ_FACTOR;
  const out: Row[] = [];
  let read = 0;
  let last: Row | undefined;
  for (;;) {
    const limit = Math.min(pageSize - out.length, budget - read);
    const batch = rows.slice(position, position + limit);
    position += batch.length;
    read += batch.length;
    for (const row of batch) if (!where || matchesWhere(row.fields, where)) out.push(row);
    last = batch.length === limit ? batch.at(-1) : undefined;
    if (!last || out.length >= pageSize || read >= budget) break;
  }
  const next = last
    ? Buffer.from(JSON.stringify({ p: partition, k: last.sortKey, id: last.id })).toString('base64url')
    : null;
  return { rows: out, cursor: next };
}

const shared = new Map<string, MemoryEventStore>();

/**
 * The process-wide store behind a table name: every handler module of one process (the embedded runner runs them
 * in-process) sees the same data, as they would see one DynamoDB table.
 */
export function memoryEventStore(tableName: string): MemoryEventStore {
  let store = shared.get(tableName);
  if (!store) {
    store = new MemoryEventStore();
    shared.set(tableName, store);
  }
  return store;
}

/** Forgets a named store (a simulation's end). */
export function dropMemoryEventStore(tableName: string): void {
  shared.delete(tableName);
}
