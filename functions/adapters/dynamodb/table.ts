// The one table (single-table design; docs/data-model.md lists every access pattern and the key serving it).
import {
  CreateTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export const DEFAULT_TABLE_NAME = 'bridgekeeper';

/**
 * The partition keys of the roll-call's shard items (`ROLLCALL#00`..): the only items any function updates in
 * place, and the IAM grant names exactly these (infra/constructs/functions.ts, `dynamodb:LeadingKeys`).
 */
export const ROLL_CALL_PARTITION_PREFIX = 'ROLLCALL#';

export const INDEX = {
  /**
   * listPk='VENDOR' on each vendor's first commit item, 'SUBSERVICE' on a subservice organisation's: every id of
   * each kind, as soon as its first event exists.
   */
  vendors: 'vendors',
  /** duePk='DUE', dueSk='<nextActionAt>#<vendorId>' on STATE items with a next action only (sparse). */
  due: 'due',
  /** findingsPk='FINDING#<status>', findingsSk='<openedAt>#<vendorId>#<findingId>' on finding items. */
  findings: 'findings',
  /** tokenHash on request items: an upload link's request. */
  tokens: 'tokens',
  /**
   * Overloaded: viewPk='PORTFOLIO' on STATE items (most urgent first), 'PORTFOLIO#NAME' and 'PORTFOLIO#MANAGER#e'
   * on a vendor's summary items, 'REGISTER' on findings not closed (by due date). Only the attributes the pages
   * read are projected: never a vendor's state. See adapters/dynamodb/views.ts.
   */
  views: 'views',
} as const;

/** What the views index holds of an item (the summary and its flat fields; a finding's record and flat fields). */
const VIEW_ATTRIBUTES = [
  'vendorId',
  'seq',
  'summary',
  'sLapse',
  'sEnd',
  'sTier',
  'sManager',
  'sLead',
  'sCodes',
  'sOpen',
  'record',
  'vendorName',
  'rStatus',
  'rSeverity',
  'rOwner',
  'rDue',
] as const;
/**
 * The table's TTL attribute (epoch seconds): sessions, sign-ins under way and link counters carry it; vendor items
 * never do. The infra enables TTL on it; the embedded DynamoDB does not expire items, and nothing relies on it.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The table's shape, shared by the adapter's `ensureTable` and the CDK stack (so both stay identical). */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: INDEX.vendors, partitionKey: 'listPk', sortKey: 'vendorId', projection: 'KEYS_ONLY' },
    { name: INDEX.due, partitionKey: 'duePk', sortKey: 'dueSk', projection: 'KEYS_ONLY' },
    { name: INDEX.findings, partitionKey: 'findingsPk', sortKey: 'findingsSk', projection: 'ALL' },
    { name: INDEX.tokens, partitionKey: 'tokenHash', projection: 'ALL' },
    {
      name: INDEX.views,
      partitionKey: 'viewPk',
      sortKey: 'viewSk',
      projection: 'INCLUDE',
      nonKeyAttributes: VIEW_ATTRIBUTES,
    },
  ],
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey]);
  for (const index of TABLE_SCHEMA.indexes) {
    attributes.add(index.partitionKey);
    if ('sortKey' in index) attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_SCHEMA.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        ...('sortKey' in index ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: {
        ProjectionType: index.projection,
        ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    })),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the table if it does not exist and waits until it (and its indexes) are active. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing'> {
  let created: 'created' | 'existing' = 'existing';
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return created;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      try {
        await client.send(new CreateTableCommand(createTableInput(tableName)));
        created = 'created';
      } catch (createError) {
        // Someone else is creating it at the same moment: wait for theirs.
        if ((createError as Error).name !== 'ResourceInUseException') throw createError;
      }
    }
    await sleep(Math.min(50 * 2 ** attempt, 1000));
  }
  throw new Error(`table ${tableName} did not become active`);
}
