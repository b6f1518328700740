// The VendorStore on DynamoDB. Each vendor's log is a run of commit items (one per append, holding its events),
// keyed by the seq of their first event: a conditional put on that key is the optimistic lock, so two writers
// can never both extend the log from the same state, and a multi-event append is one item (all or none) without
// any multi-item transaction. Projections (state, findings, requests, due index) are written after the commit,
// carry the seq they reflect and only move forwards; a reader that finds them behind the log repairs them.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { NewEvent, StoredEvent } from '../../core/events.js';
import { GENESIS_HASH, sealEvent } from '../../core/audit-chain.js';
import { ConflictError, ValidationError } from '../../core/errors.js';
import {
  applyEvents,
  emptyState,
  type FindingStatus,
  type RequestRecord,
  type VendorState,
} from '../../core/vendor-state.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type {
  AppendOptions,
  AppendResult,
  Decide,
  DueVendor,
  EventRange,
  FindingEntry,
  RawVendorLog,
  RequestByToken,
  UpdateOptions,
  VendorStore,
} from '../../ports/vendor-store.js';
import { createDynamoClient, documentClient } from './client.js';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js';
import { INDEX } from './table.js';

export interface DynamoVendorStoreOptions {
  tableName: string;
  /** A client made once per module by the caller; otherwise one is made from `endpoint`/`region`. */
  client?: DynamoDBClient;
  endpoint?: string;
  region?: string;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Test hook: runs after the commit item is stored and before the projections (crash injection). */
  afterCommit?: (vendorId: string, lastSeq: number) => void | Promise<void>;
}

/** Items read by queries, for the bench (ScannedCount: what DynamoDB bills and reads). */
export interface QueryStats {
  queries: number;
  scanned: number;
  returned: number;
}

/** DynamoDB's item limit is 400 KB; stay well under it (a vendor's one append is never near this). */
const MAX_COMMIT_BYTES = 350_000;
const pk = (vendorId: string) => `V#${vendorId}`;
const commitSk = (seq: number) => `E#${String(seq).padStart(10, '0')}`;
const STATE_SK = 'STATE';

/** ISO instants sort as strings only in one fixed format. */
function isoInstant(value: string): string {
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

interface CommitItem {
  pk: string;
  sk: string;
  vendorId: string;
  firstSeq: number;
  lastSeq: number;
  events: string;
}

export class DynamoVendorStore implements VendorStore {
  readonly tableName: string;
  readonly stats: QueryStats = { queries: 0, scanned: 0, returned: 0 };
  private readonly doc: DynamoDBDocumentClient;
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly afterCommit: DynamoVendorStoreOptions['afterCommit'];

  constructor(options: DynamoVendorStoreOptions) {
    this.tableName = options.tableName;
    const client =
      options.client ??
      createDynamoClient({
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.region ? { region: options.region } : {}),
      });
    this.doc = documentClient(client);
    this.clock = options.clock ?? systemClock;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.afterCommit = options.afterCommit;
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetries(what, fn, this.retry);
  }

  // ---- writes ----

  async append(vendorId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const state = await this.load(vendorId);
    const seq = state?.seq ?? 0;
    if (seq !== options.expectedSeq)
      throw new ConflictError(
        `vendor ${vendorId} is at seq ${seq}, not ${options.expectedSeq}: re-load and retry`,
      );
    return this.appendOn(vendorId, state, events, options.actor);
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
        return await this.appendOn(vendorId, state, events, options.actor);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Lost the race: someone else extended the log. Re-read and decide again after a jittered pause.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
    throw new ConflictError(`vendor ${vendorId}: still contended after ${maxAttempts} attempts`);
  }

  private async appendOn(
    vendorId: string,
    base: VendorState | undefined,
    newEvents: NewEvent[],
    actor: AppendOptions['actor'],
  ): Promise<AppendResult> {
    const expectedSeq = base?.seq ?? 0;
    if (newEvents.length === 0) return { state: base ?? emptyState(vendorId), events: [] };
    const at = this.clock.now().toISOString();
    let prevHash = base?.headHash ?? GENESIS_HASH;
    // Through JSON first, so that what is hashed is exactly what a reader will parse back.
    const plain = JSON.parse(JSON.stringify(newEvents)) as NewEvent[];
    const plainActor = JSON.parse(JSON.stringify(actor)) as AppendOptions['actor'];
    const sealed = plain.map((e, i) => {
      const event = sealEvent(
        { vendorId, seq: expectedSeq + i + 1, at, actor: plainActor, ...e } as Omit<
          StoredEvent,
          'hash' | 'prevHash'
        >,
        prevHash,
      );
      prevHash = event.hash;
      return event;
    });
    // Refuses an impossible event before anything is written.
    const after = applyEvents(base ?? emptyState(vendorId), sealed);
    const firstSeq = expectedSeq + 1;
    const lastSeq = expectedSeq + sealed.length;
    const body = JSON.stringify(sealed);
    if (Buffer.byteLength(body) > MAX_COMMIT_BYTES)
      throw new ValidationError([
        { path: `vendor ${vendorId}`, message: `one append of ${body.length} bytes is too large; split it` },
      ]);
    const item: CommitItem & Record<string, unknown> = {
      pk: pk(vendorId),
      sk: commitSk(firstSeq),
      vendorId,
      firstSeq,
      lastSeq,
      events: body,
      // The vendors index lists a vendor from its very first commit (not from a projection that may lag).
      ...(firstSeq === 1 ? { listPk: 'VENDOR' } : {}),
    };
    await this.call(`append to vendor ${vendorId} at seq ${firstSeq}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (this.afterCommit) await this.afterCommit(vendorId, lastSeq);
    await this.writeProjections(base, after);
    return { state: after, events: sealed };
  }

  /** Findings and requests first, the vendor's STATE last: a STATE at seq n means everything up to n is out. */
  private async writeProjections(before: VendorState | undefined, after: VendorState): Promise<void> {
    const vendorId = after.vendorId;
    const writes: Promise<void>[] = [];
    for (const finding of Object.values(after.findings)) {
      if (before && JSON.stringify(before.findings[finding.findingId]) === JSON.stringify(finding)) continue;
      writes.push(
        this.putProjection({
          pk: pk(vendorId),
          sk: `F#${finding.findingId}`,
          vendorId,
          seq: after.seq,
          record: JSON.stringify(finding),
          findingsPk: `FINDING#${finding.status}`,
          findingsSk: `${isoInstant(finding.openedAt)}#${vendorId}#${finding.findingId}`,
        }),
      );
    }
    for (const request of Object.values(after.requests)) {
      if (before && JSON.stringify(before.requests[request.requestId]) === JSON.stringify(request)) continue;
      writes.push(
        this.putProjection({
          pk: pk(vendorId),
          sk: `R#${request.requestId}`,
          vendorId,
          seq: after.seq,
          record: JSON.stringify(request),
          tokenHash: request.tokenHash,
        }),
      );
    }
    await Promise.all(writes);
    await this.putProjection({
      pk: pk(vendorId),
      sk: STATE_SK,
      vendorId,
      seq: after.seq,
      headHash: after.headHash,
      state: JSON.stringify(after),
      // Sparse: only vendors with a next action are in the due index.
      ...(after.nextActionAt ? { duePk: 'DUE', dueSk: `${isoInstant(after.nextActionAt)}#${vendorId}` } : {}),
    });
  }

  private async putProjection(item: Record<string, unknown> & { seq: number; sk: string; vendorId: string }) {
    try {
      await this.call(`project ${item.sk} of vendor ${item.vendorId}`, () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            // Forwards only: an older writer finishing late never overwrites a newer projection.
            ConditionExpression: 'attribute_not_exists(seq) OR seq < :seq',
            ExpressionAttributeValues: { ':seq': item.seq },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  // ---- reads ----

  async load(vendorId: string): Promise<VendorState | undefined> {
    const result = await this.call(`read vendor ${vendorId}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: pk(vendorId), sk: STATE_SK },
          ConsistentRead: true,
        }),
      ),
    );
    const projected = result.Item ? (JSON.parse(result.Item.state as string) as VendorState) : undefined;
    const behind = await this.commits(vendorId, { afterSeq: projected?.seq ?? 0 });
    if (behind.length === 0) return projected;
    const events = behind.flatMap(parseCommit).filter((e) => e.seq > (projected?.seq ?? 0));
    const caughtUp = applyEvents(projected ?? emptyState(vendorId), events);
    // Repair: the projection was behind its log (a writer stopped between its commit and its projections).
    await this.writeProjections(projected, caughtUp);
    return caughtUp;
  }

  async loadMany(
    vendorIds: readonly string[],
    options: { projectedOnly?: boolean } = {},
  ): Promise<Map<string, VendorState>> {
    const found = new Map<string, VendorState>();
    // BatchGetItem refuses a request that names the same key twice.
    const unique = [...new Set(vendorIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((id) => ({ pk: pk(id), sk: STATE_SK }));
      for (let round = 0; keys.length > 0; round++) {
        const result = await this.call('read vendors', () =>
          this.doc.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
          ),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const state = JSON.parse(item.state as string) as VendorState;
          found.set(state.vendorId, state);
        }
        keys =
          (result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        if (keys.length > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** round));
      }
    }
    if (!options.projectedOnly) {
      const missing = unique.filter((id) => !found.has(id));
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(8, missing.length) }, async () => {
          while (next < missing.length) {
            const id = missing[next++] as string;
            const state = await this.load(id);
            if (state) found.set(id, state);
          }
        }),
      );
    }
    return found;
  }

  async events(vendorId: string, range: EventRange = {}): Promise<StoredEvent[]> {
    const from = range.fromSeq ?? 1;
    const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    const items = await this.commits(vendorId, { ...(range.toSeq ? { throughSeq: range.toSeq } : {}) });
    return items
      .filter((c) => c.lastSeq >= from)
      .flatMap(parseCommit)
      .filter((e) => e.seq >= from && e.seq <= to);
  }

  async listVendorIds(options: { thorough?: boolean } = {}): Promise<string[]> {
    if (options.thorough) {
      const ids = new Set<string>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.call('scan table', () =>
          this.doc.send(
            new ScanCommand({
              TableName: this.tableName,
              ProjectionExpression: 'pk',
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          const key = item.pk as string;
          if (key.startsWith('V#')) ids.add(key.slice(2));
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return [...ids].sort();
    }
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEX.vendors,
      KeyConditionExpression: 'listPk = :v',
      ExpressionAttributeValues: { ':v': 'VENDOR' },
    });
    return items.map((i) => i.vendorId as string).sort();
  }

  async findingsByStatus(status: FindingStatus): Promise<FindingEntry[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEX.findings,
      KeyConditionExpression: 'findingsPk = :p',
      ExpressionAttributeValues: { ':p': `FINDING#${status}` },
    });
    return items.map((i) => ({ vendorId: i.vendorId as string, ...JSON.parse(i.record as string) }));
  }

  async dueVendors(instant: Date, options: { limit?: number } = {}): Promise<DueVendor[]> {
    // '$' sorts right after '#': every '<instant>#<vendorId>' at or before the instant, nothing later.
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: INDEX.due,
        KeyConditionExpression: 'duePk = :due AND dueSk < :bound',
        ExpressionAttributeValues: { ':due': 'DUE', ':bound': `${instant.toISOString()}$` },
      },
      options.limit,
    );
    return items.map((i) => {
      const dueSk = i.dueSk as string;
      const cut = dueSk.indexOf('#');
      return { vendorId: dueSk.slice(cut + 1), nextActionAt: dueSk.slice(0, cut) };
    });
  }

  async requestByTokenHash(tokenHash: string): Promise<RequestByToken | undefined> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEX.tokens,
      KeyConditionExpression: 'tokenHash = :h',
      ExpressionAttributeValues: { ':h': tokenHash },
    });
    const item = items[0];
    if (!item) return undefined;
    const vendorId = item.vendorId as string;
    const indexed = JSON.parse(item.record as string) as RequestRecord;
    // The index is eventually consistent: answer from the vendor's current state.
    const state = await this.load(vendorId);
    const request = state?.requests[indexed.requestId] ?? indexed;
    return request.tokenHash === tokenHash ? { vendorId, request } : undefined;
  }

  async rawLog(vendorId: string): Promise<RawVendorLog> {
    const commits = await this.commits(vendorId, {});
    const events: unknown[] = [];
    const unreadable: RawVendorLog['unreadable'] = [];
    for (const commit of commits) {
      try {
        const parsed: unknown = JSON.parse(commit.events);
        if (!Array.isArray(parsed)) throw new Error('not a list of events');
        events.push(...parsed);
      } catch (error) {
        unreadable.push({ key: commit.sk, error: (error as Error).message });
      }
    }
    const state = await this.call(`read vendor ${vendorId}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: pk(vendorId), sk: STATE_SK },
          ConsistentRead: true,
          ProjectionExpression: 'seq, headHash',
        }),
      ),
    );
    const head = state.Item
      ? { seq: state.Item.seq as number, hash: (state.Item.headHash as string | null) ?? null }
      : undefined;
    return { vendorId, events, head, unreadable };
  }

  // ---- helpers ----

  private commits(
    vendorId: string,
    bounds: { afterSeq?: number; throughSeq?: number },
  ): Promise<CommitItem[]> {
    const lower = commitSk((bounds.afterSeq ?? 0) + 1);
    const upper = bounds.throughSeq !== undefined ? commitSk(bounds.throughSeq) : 'E$';
    return this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': pk(vendorId), ':lo': lower, ':hi': upper },
      ConsistentRead: true,
    }) as Promise<unknown[]> as Promise<CommitItem[]>;
  }

  private async queryAll(input: QueryCommandInput, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.call(`query ${input.IndexName ?? 'table'}`, () =>
        this.doc.send(
          new QueryCommand({
            ...input,
            ...(start ? { ExclusiveStartKey: start } : {}),
            ...(limit !== undefined ? { Limit: limit - items.length } : {}),
          }),
        ),
      );
      this.stats.queries += 1;
      this.stats.scanned += page.ScannedCount ?? 0;
      this.stats.returned += page.Count ?? 0;
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start && (limit === undefined || items.length < limit));
    return items;
  }
}

function parseCommit(commit: CommitItem): StoredEvent[] {
  return JSON.parse(commit.events) as StoredEvent[];
}

export function createVendorStore(options: DynamoVendorStoreOptions): DynamoVendorStore {
  return new DynamoVendorStore(options);
}
