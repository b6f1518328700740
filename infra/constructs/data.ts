// The data: one DynamoDB table (the vendors' event log and its projections) encrypted with a customer-managed key
// that the bank controls, recoverable to any second of the last 35 days, and protected against deletion.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

type KeyType = 'S' | 'N' | 'B';

/** The table's key schema and secondary indexes, in DynamoDB's own CreateTable terms (as the local stack uses). */
export interface TableSchema {
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection?: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }[];
}

/** Fallback while no schema is passed: the generic single-table layout. */
export const DEFAULT_TABLE_SCHEMA: TableSchema = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
};

export interface DataProps {
  schema?: TableSchema;
  /** The attribute DynamoDB expires items by (epoch seconds): sessions and counters carry it, vendor items never. */
  timeToLiveAttribute?: string;
}

export class Data extends Construct {
  /** The customer-managed key of everything that holds vendor data: table, documents, dead letters. */
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  /** Names of the table's global secondary indexes (grants name each index ARN, no `index/*`). */
  readonly indexNames: string[];

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const schema = props.schema ?? DEFAULT_TABLE_SCHEMA;

    this.key = new kms.Key(this, 'Key', {
      description: 'Bridgekeeper data: vendor table, uploaded evidence, dead letters',
      alias: `alias/${Stack.of(this).stackName}-data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const attribute = (name: string): dynamodb.Attribute => {
      const definition = schema.AttributeDefinitions.find((a) => a.AttributeName === name);
      if (!definition) throw new Error(`Table schema: key attribute ${name} has no AttributeDefinition`);
      const type = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER }[
        definition.AttributeType as 'S' | 'N'
      ];
      return { name, type: type ?? dynamodb.AttributeType.BINARY };
    };
    const keys = (keySchema: TableSchema['KeySchema']) => {
      const hash = keySchema.find((k) => k.KeyType === 'HASH');
      const range = keySchema.find((k) => k.KeyType === 'RANGE');
      if (!hash) throw new Error('Table schema: a key schema has no HASH key');
      return {
        partitionKey: attribute(hash.AttributeName),
        ...(range ? { sortKey: attribute(range.AttributeName) } : {}),
      };
    };

    this.table = new dynamodb.Table(this, 'Table', {
      ...keys(schema.KeySchema),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    });

    this.indexNames = [];
    for (const index of schema.GlobalSecondaryIndexes ?? []) {
      const projection = index.Projection?.ProjectionType ?? 'ALL';
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        ...keys(index.KeySchema),
        projectionType: {
          ALL: dynamodb.ProjectionType.ALL,
          KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
          INCLUDE: dynamodb.ProjectionType.INCLUDE,
        }[projection],
        ...(projection === 'INCLUDE' ? { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] } : {}),
      });
      this.indexNames.push(index.IndexName);
    }
  }
}
