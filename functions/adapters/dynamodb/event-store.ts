// The EventStore port on DynamoDB: it persists, nothing more (sealing, applying and retrying are the
// application's, functions/app/vendors.ts). Each vendor's log is a run of commit items, one per append, keyed by
// the seq of their first event: a conditional put on that key is the optimistic lock, so two writers can never
// both extend the log from the same state, and a multi-event append is one item (all or none) without any
// multi-item transaction. Projections (state, findings, requests, due index) carry the seq they reflect and
// only move forwards. Every access pattern and the key serving it: docs/data-model.md.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/events.js';
import { planRegisterQuery, registerKey, type RegisterQuery } from '../../core/findings.js';
import type { Where } from '../../core/query.js';
import {
  planPortfolioQuery,
  ROLL_CALL_SHARDS,
  rollCallShard,
  urgencyKey,
  type PortfolioQuery,
  type VendorSummary,
} from '../../core/summary.js';
import type { FindingStatus, RequestRecord, VendorState } from '../../core/vendor-state.js';
import type {
  Commit,
  CommitRange,
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
} from '../../ports/event-store.js';
import { PAGE_READ_FACTOR } from '../../ports/event-store.js';
import { documentClient } from './client.js';
import { mapped } from './errors.js';
import { INDEX, ROLL_CALL_PARTITION_PREFIX } from './table.js';
import {
  decodeCursor,
  encodeCursor,
  type CursorShape,
  filterExpression,
  flatAttributes,
  REGISTER_ATTRIBUTES,
  REGISTER_PARTITION,
  SUMMARY_ATTRIBUTES,
  summaryViews,
  viewPartition,
} from './views.js';

export interface DynamoEventStoreOptions {
  tableName: string;
  /** A client made once per module by the caller (adapters/aws.ts). */
  client: DynamoDBClient;
}

/** Items read by queries, for the benches (ScannedCount: what DynamoDB bills and reads). */
export interface QueryStats {
  queries: number;
  scanned: number;
  returned: number;
  /** Items read by GetItem/BatchGetItem. */
  got: number;
}

const pk = (vendorId: string) => `V#${vendorId}`;
const commitSk = (seq: number) => `E#${String(seq).padStart(10, '0')}`;
const STATE_SK = 'STATE';
const rollCallPk = (shard: number) => `${ROLL_CALL_PARTITION_PREFIX}${String(shard).padStart(2, '0')}`;
const ROLL_CALL_SK = 'ROLLCALL';
/** A roll-call entry is one attribute of its shard item, named after the vendor (ids are `a-z 0-9 -`). */
const ROLL_CALL_PREFIX = 'v_';
const seqKey = (seq: number) => String(seq).padStart(10, '0');
/** The key attributes of an item read through the views index (its ExclusiveStartKey). */
const VIEW_KEYS = ['pk', 'sk', 'viewPk', 'viewSk'] as const;

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
  mac?: string;
  stateDigest?: string;
}

export class DynamoEventStore implements EventStore {
  readonly tableName: string;
  readonly stats: QueryStats = { queries: 0, scanned: 0, returned: 0, got: 0 };
  private readonly doc: DynamoDBDocumentClient;

  constructor(options: DynamoEventStoreOptions) {
    this.tableName = options.tableName;
    this.doc = documentClient(options.client);
  }

  // ---- writes ----

  async appendCommit(commit: Commit): Promise<void> {
    const item: CommitItem & Record<string, unknown> = {
      pk: pk(commit.vendorId),
      sk: commitSk(commit.firstSeq),
      vendorId: commit.vendorId,
      firstSeq: commit.firstSeq,
      lastSeq: commit.lastSeq,
      events: JSON.stringify(commit.events),
      mac: commit.mac,
      stateDigest: commit.stateDigest,
      // The vendors index lists a record from its very first commit (not from a projection that may lag):
      // vendors under VENDOR, subservice organisations under SUBSERVICE.
      ...(commit.firstSeq === 1
        ? { listPk: commit.record === 'subservice-organization' ? 'SUBSERVICE' : 'VENDOR' }
        : {}),
    };
    await mapped(`append to vendor ${commit.vendorId} at seq ${commit.firstSeq}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /**
   * Findings, requests, the vendor's summary views and its roll-call entry first, the vendor's STATE last: a STATE
   * at seq n means everything up to n is out. The derived items may be rewritten at their own seq (a refresh of
   * items written before they existed); the STATE only ever moves forwards, or takes their digest at its own seq.
   */
  async writeProjection(projection: Projection): Promise<void> {
    const { vendorId, seq, state } = projection;
    await Promise.all([
      ...projection.findings.map(({ record: finding, fields, vendorName }) =>
        this.putForwards(
          {
            pk: pk(vendorId),
            sk: `F#${finding.findingId}`,
            vendorId,
            seq,
            record: JSON.stringify(finding),
            vendorName,
            findingsPk: `FINDING#${finding.status}`,
            findingsSk: `${isoInstant(finding.openedAt)}#${vendorId}#${finding.findingId}`,
            ...flatAttributes(fields, REGISTER_ATTRIBUTES),
            // Sparse: the register's active view holds the findings not closed, by due date.
            ...(finding.status !== 'closed' && fields.dueDate
              ? {
                  viewPk: REGISTER_PARTITION,
                  viewSk: registerKey(vendorId, finding.findingId, fields.dueDate),
                }
              : {}),
          },
          true,
        ),
      ),
      // One item per live link of a request (its current one, and the one before a renewal, which still works
      // until its own end): the tokens index finds the request by either.
      ...projection.requests.flatMap((request) =>
        [
          { sk: `R#${request.requestId}`, tokenHash: request.tokenHash },
          ...(request.previousLink
            ? [{ sk: `R#${request.requestId}#previous`, tokenHash: request.previousLink.tokenHash }]
            : []),
        ].map(({ sk, tokenHash }) =>
          this.putForwards({
            pk: pk(vendorId),
            sk,
            vendorId,
            seq,
            record: JSON.stringify(request),
            tokenHash,
          }),
        ),
      ),
      ...(projection.summary ? this.summaryItems(vendorId, seq, projection.summary) : []),
      ...(projection.rollCall !== undefined ? [this.putRollCall(vendorId, seq, projection.rollCall)] : []),
    ]);
    const stateItem = {
      pk: pk(vendorId),
      sk: STATE_SK,
      vendorId,
      seq,
      headHash: state.headHash,
      state: projection.stateJson,
      mac: projection.mac,
      commitFirstSeq: projection.commitFirstSeq,
      derivedDigest: projection.derivedDigest,
      // The portfolio's main view: the state item carries the summary (the index projects it, never the state).
      ...(projection.summary
        ? {
            viewPk: viewPartition('all'),
            viewSk: urgencyKey(projection.summary.summary),
            summary: JSON.stringify(projection.summary.summary),
            ...flatAttributes(projection.summary.fields, SUMMARY_ATTRIBUTES),
          }
        : {}),
      // Sparse: only vendors with a next action are in the due index.
      ...(state.nextActionAt ? { duePk: 'DUE', dueSk: `${isoInstant(state.nextActionAt)}#${vendorId}` } : {}),
    };
    // At the state's own seq (a refresh of its derived items) only the digest changes: the same item put again,
    // if it is still that seq (PutItem: the functions are never granted UpdateItem on a vendor's items).
    if (!(await this.putForwards(stateItem)) && projection.refresh)
      await this.doc
        .send(
          new PutCommand({
            TableName: this.tableName,
            Item: stateItem,
            ConditionExpression: 'seq = :seq AND headHash = :head',
            ExpressionAttributeValues: { ':seq': seq, ':head': state.headHash },
          }),
        )
        .catch((error: unknown) => {
          // A newer state is already stored: its writer wrote its own derived items.
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        });
  }

  /** The summary's other views, each a partition of the `views` index sorted its own way (when they changed). */
  private summaryItems(
    vendorId: string,
    seq: number,
    { summary, fields, changed }: NonNullable<Projection['summary']>,
  ): Promise<boolean>[] {
    if (!changed) return [];
    const flat = flatAttributes(fields, SUMMARY_ATTRIBUTES);
    const json = JSON.stringify(summary);
    return summaryViews(summary).map(({ view, viewPk, viewSk }) =>
      this.putForwards(
        { pk: pk(vendorId), sk: `S#${view}`, vendorId, seq, viewPk, viewSk, ...flat, summary: json },
        true,
      ),
    );
  }

  /**
   * The vendor's roll-call entry, forwards only (its value starts with the seq, zero-padded). UpdateItem, so that
   * writers of other vendors in the same shard never contend; the functions may UpdateItem roll-call items only
   * (infra/constructs/functions.ts, `dynamodb:LeadingKeys`).
   */
  private async putRollCall(vendorId: string, seq: number, entry: string): Promise<boolean> {
    try {
      await mapped(`roll-call of vendor ${vendorId}`, () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: rollCallPk(rollCallShard(vendorId)), sk: ROLL_CALL_SK },
            UpdateExpression: 'SET #v = :e',
            ConditionExpression: 'attribute_not_exists(#v) OR #v <= :e',
            ExpressionAttributeNames: { '#v': `${ROLL_CALL_PREFIX}${vendorId}` },
            ExpressionAttributeValues: { ':e': `${seqKey(seq)}|${entry}` },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return false;
    }
  }

  /** Writes the item unless a newer one is stored (`atSameSeq`: or one of the same seq); true when written. */
  private async putForwards(
    item: Record<string, unknown> & { seq: number; sk: string; vendorId: string },
    atSameSeq = false,
  ): Promise<boolean> {
    try {
      await mapped(`project ${item.sk} of vendor ${item.vendorId}`, () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            // Forwards only: an older writer finishing late never overwrites a newer projection.
            ConditionExpression: `attribute_not_exists(seq) OR seq ${atSameSeq ? '<=' : '<'} :seq`,
            ExpressionAttributeValues: { ':seq': item.seq },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return false;
    }
  }

  // ---- reads ----

  async readState(vendorId: string): Promise<StoredState | undefined> {
    const result = await mapped(`read vendor ${vendorId}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: pk(vendorId), sk: STATE_SK },
          ConsistentRead: true,
        }),
      ),
    );
    if (result.Item) this.stats.got += 1;
    return result.Item ? storedState(result.Item) : undefined;
  }

  async readStates(vendorIds: readonly string[]): Promise<Map<string, StoredState>> {
    const found = new Map<string, StoredState>();
    // BatchGetItem takes at most 100 keys and refuses a request that names the same key twice.
    const unique = [...new Set(vendorIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((id) => ({ pk: pk(id), sk: STATE_SK }));
      for (let round = 0; keys.length > 0; round++) {
        const result = await mapped('read vendors', () =>
          this.doc.send(
            new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
          ),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const stored = storedState(item);
          found.set(item.vendorId as string, stored);
          this.stats.got += 1;
        }
        // Unprocessed keys are DynamoDB's throttling of a batch: read them again after a pause.
        keys =
          (result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        if (keys.length > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** round));
      }
    }
    return found;
  }

  async readCommits(vendorId: string, range: CommitRange = {}): Promise<StoredCommit[]> {
    const items = await this.commits(vendorId, range.afterSeq ?? 0, range.throughSeq);
    return items.map(storedCommit);
  }

  async lastCommit(vendorId: string): Promise<StoredCommit | undefined> {
    const page = await mapped(`read the last commit of vendor ${vendorId}`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': pk(vendorId), ':e': 'E#' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = page.Items?.[0] as CommitItem | undefined;
    return item ? storedCommit(item) : undefined;
  }

  async listVendorIds(options: { thorough?: boolean } = {}): Promise<string[]> {
    if (options.thorough) {
      const ids = new Set<string>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await mapped('scan table', () =>
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
    return this.listed('VENDOR');
  }

  listSubserviceOrganizationIds(): Promise<string[]> {
    return this.listed('SUBSERVICE');
  }

  private async listed(listPk: 'VENDOR' | 'SUBSERVICE'): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEX.vendors,
      KeyConditionExpression: 'listPk = :v',
      ExpressionAttributeValues: { ':v': listPk },
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
    return items.map(findingEntry);
  }

  async dueVendors(instant: Date, options: DueOptions = {}): Promise<DueVendor[]> {
    // '$' sorts right after '#': every '<instant>#<vendorId>' at or before the instant, nothing later; with
    // `after`, from just past every entry at that instant (BETWEEN is inclusive, and no key equals '<after>$').
    const bound = `${instant.toISOString()}$`;
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: INDEX.due,
        ...(options.after
          ? {
              KeyConditionExpression: 'duePk = :due AND dueSk BETWEEN :after AND :bound',
              ExpressionAttributeValues: {
                ':due': 'DUE',
                ':after': `${options.after.toISOString()}$`,
                ':bound': bound,
              },
            }
          : {
              KeyConditionExpression: 'duePk = :due AND dueSk < :bound',
              ExpressionAttributeValues: { ':due': 'DUE', ':bound': bound },
            }),
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
    return { vendorId: item.vendorId as string, request: JSON.parse(item.record as string) as RequestRecord };
  }

  async portfolioPage(query: PortfolioQuery): Promise<SummaryPage> {
    const plan = planPortfolioQuery(query);
    const partition = viewPartition(plan.view, plan.partition);
    const range =
      plan.from !== undefined && plan.to !== undefined
        ? ' AND viewSk BETWEEN :from AND :to'
        : plan.from !== undefined
          ? ' AND viewSk >= :from'
          : plan.to !== undefined
            ? ' AND viewSk <= :to'
            : '';
    const items = await this.page(
      {
        TableName: this.tableName,
        IndexName: INDEX.views,
        KeyConditionExpression: `viewPk = :p${range}`,
        ExpressionAttributeValues: {
          ':p': partition,
          ...(plan.from !== undefined ? { ':from': plan.from } : {}),
          ...(plan.to !== undefined ? { ':to': plan.to } : {}),
        },
        ScanIndexForward: !query.descending,
      },
      plan.where,
      SUMMARY_ATTRIBUTES,
      query.pageSize,
      decodeCursor(query.cursor, {
        partition: { attribute: 'viewPk', value: partition },
        keys: VIEW_KEYS,
        sortKey: { attribute: 'viewSk', from: plan.from, to: plan.to },
      }),
    );
    return {
      summaries: items.items.map((i) => JSON.parse(i.summary as string) as VendorSummary),
      cursor: items.cursor,
    };
  }

  async rollCall(): Promise<string[]> {
    const keys = Array.from({ length: ROLL_CALL_SHARDS }, (_, shard) => ({
      pk: rollCallPk(shard),
      sk: ROLL_CALL_SK,
    }));
    const entries: string[] = [];
    let pending: Record<string, unknown>[] = keys;
    for (let round = 0; pending.length > 0; round++) {
      const result = await mapped('read the roll-call', () =>
        this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } })),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        this.stats.got += 1;
        for (const [name, value] of Object.entries(item))
          if (name.startsWith(ROLL_CALL_PREFIX) && typeof value === 'string')
            entries.push(value.slice(value.indexOf('|') + 1));
      }
      pending =
        (result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      if (pending.length > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** round));
    }
    return entries;
  }

  async registerPage(query: RegisterQuery): Promise<FindingPage> {
    const plan = planRegisterQuery(query);
    if (plan.empty) return { findings: [], cursor: null };
    let input: QueryCommandInput;
    let cursor: CursorShape;
    if (plan.view === 'vendor') {
      const partition = { attribute: 'pk', value: pk(plan.partition!) };
      cursor = { partition, keys: ['pk', 'sk'], sortKey: { attribute: 'sk', prefix: 'F#' } };
      input = {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :f)',
        ExpressionAttributeValues: { ':p': partition.value, ':f': 'F#' },
      };
    } else if (plan.view === 'state') {
      const partition = { attribute: 'findingsPk', value: `FINDING#${plan.partition!}` };
      cursor = { partition, keys: ['pk', 'sk', 'findingsPk', 'findingsSk'] };
      input = {
        TableName: this.tableName,
        IndexName: INDEX.findings,
        KeyConditionExpression: 'findingsPk = :p',
        ExpressionAttributeValues: { ':p': partition.value },
      };
    } else {
      cursor = {
        partition: { attribute: 'viewPk', value: REGISTER_PARTITION },
        keys: VIEW_KEYS,
        sortKey: { attribute: 'viewSk', to: plan.to },
      };
      input = {
        TableName: this.tableName,
        IndexName: INDEX.views,
        KeyConditionExpression: `viewPk = :p${plan.to !== undefined ? ' AND viewSk <= :to' : ''}`,
        ExpressionAttributeValues: { ':p': REGISTER_PARTITION, ...(plan.to ? { ':to': plan.to } : {}) },
      };
    }
    const page = await this.page(
      input,
      plan.where,
      REGISTER_ATTRIBUTES,
      query.pageSize,
      decodeCursor(query.cursor, cursor),
    );
    return { findings: page.items.map(findingEntry), cursor: page.cursor };
  }

  async rawLog(vendorId: string): Promise<RawVendorLog> {
    const items = await this.commits(vendorId);
    const events: unknown[] = [];
    const unreadable: RawVendorLog['unreadable'] = [];
    const commits: RawVendorLog['commits'] = [];
    for (const commit of items) {
      commits.push({
        key: commit.sk,
        firstSeq: commit.firstSeq,
        lastSeq: commit.lastSeq,
        ...(commit.mac ? { mac: commit.mac } : {}),
        ...(commit.stateDigest ? { stateDigest: commit.stateDigest } : {}),
      });
      try {
        const parsed: unknown = JSON.parse(commit.events);
        if (!Array.isArray(parsed)) throw new Error('not a list of events');
        events.push(...parsed);
      } catch (error) {
        unreadable.push({ key: commit.sk, error: (error as Error).message });
      }
    }
    const result = await mapped(`read vendor ${vendorId}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: pk(vendorId), sk: STATE_SK },
          ConsistentRead: true,
        }),
      ),
    );
    const item = result.Item;
    const head = item
      ? { seq: item.seq as number, hash: (item.headHash as string | null) ?? null }
      : undefined;
    let state: StoredState | undefined;
    try {
      state = item ? storedState(item) : undefined;
    } catch (error) {
      unreadable.push({ key: STATE_SK, error: (error as Error).message });
    }
    return { vendorId, events, commits, head, state, unreadable };
  }

  // ---- helpers ----

  /** A vendor's commit items starting after `afterSeq` and at or before `throughSeq`, in seq order. */
  private commits(vendorId: string, afterSeq = 0, throughSeq?: number): Promise<CommitItem[]> {
    const lower = commitSk(afterSeq + 1);
    const upper = throughSeq !== undefined ? commitSk(throughSeq) : 'E$';
    return this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': pk(vendorId), ':lo': lower, ':hi': upper },
      ConsistentRead: true,
    }) as Promise<unknown[]> as Promise<CommitItem[]>;
  }

  /**
   * One page: queries from `start` until `pageSize` items meet `where` or PAGE_READ_FACTOR times the page size has
   * been read, each query asking for no more than is still wanted (Limit bounds what DynamoDB reads, before the
   * filter). The cursor is where the last query stopped.
   */
  private async page<F extends string>(
    input: QueryCommandInput,
    where: Where<F> | undefined,
    attributes: Record<F, string>,
    pageSize: number,
    start: Record<string, unknown> | undefined,
  ): Promise<{ items: Record<string, unknown>[]; cursor: string | null }> {
    const filter = filterExpression(where, attributes);
    const budget = pageSize * PAGE_READ_FACTOR;
    const items: Record<string, unknown>[] = [];
    let read = 0;
    let next = start;
    do {
      const result = await mapped(`query ${input.IndexName ?? 'table'}`, () =>
        this.doc.send(
          new QueryCommand({
            ...input,
            ...(filter.FilterExpression
              ? {
                  FilterExpression: filter.FilterExpression,
                  ExpressionAttributeNames: { ...input.ExpressionAttributeNames, ...filter.names },
                  ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ...filter.values },
                }
              : {}),
            ...(next ? { ExclusiveStartKey: next } : {}),
            Limit: Math.min(pageSize - items.length, budget - read),
          }),
        ),
      );
      this.stats.queries += 1;
      this.stats.scanned += result.ScannedCount ?? 0;
      this.stats.returned += result.Count ?? 0;
      read += result.ScannedCount ?? 0;
      items.push(...((result.Items ?? []) as Record<string, unknown>[]));
      next = result.LastEvaluatedKey;
    } while (next && items.length < pageSize && read < budget);
    return { items, cursor: encodeCursor(next) };
  }

  private async queryAll(input: QueryCommandInput, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await mapped(`query ${input.IndexName ?? 'table'}`, () =>
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

function storedCommit(commit: CommitItem): StoredCommit {
  return {
    firstSeq: commit.firstSeq,
    lastSeq: commit.lastSeq,
    events: JSON.parse(commit.events) as StoredEvent[],
    ...(commit.mac ? { mac: commit.mac } : {}),
    ...(commit.stateDigest ? { stateDigest: commit.stateDigest } : {}),
  };
}

function storedState(item: Record<string, unknown>): StoredState {
  const json = item.state as string;
  return {
    state: JSON.parse(json) as VendorState,
    json,
    ...(typeof item.mac === 'string' ? { mac: item.mac } : {}),
    ...(typeof item.commitFirstSeq === 'number' ? { commitFirstSeq: item.commitFirstSeq } : {}),
    ...(typeof item.derivedDigest === 'string' ? { derivedDigest: item.derivedDigest } : {}),
  };
}

function findingEntry(item: Record<string, unknown>): FindingEntry {
  return {
    vendorId: item.vendorId as string,
    ...(typeof item.vendorName === 'string' ? { vendorName: item.vendorName } : {}),
    ...JSON.parse(item.record as string),
  };
}
