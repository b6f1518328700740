// One in-memory dynalite per test file, on an ephemeral port; each test gets its own table.
import { testMac } from '../../support/mac.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../../functions/adapters/dynamodb/client.js';
import { ensureTable } from '../../../functions/adapters/dynamodb/table.js';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { Vendors, type VendorsOptions } from '../../../functions/app/vendors.js';
import { systemClock } from '../../../functions/ports/clock.js';
import { startDynamoDb, type EmbeddedDynamoDb } from '../../../local/dynamodb.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TestDb {
  db: EmbeddedDynamoDb;
  client: DynamoDBClient;
  newTable(): Promise<string>;
  /** The application's vendors over a table (the commit loop over the DynamoDB adapter). */
  store(tableName: string, options?: Partial<VendorsOptions>): Vendors;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestDb(): Promise<TestDb> {
  const db = await startDynamoDb();
  const client = createDynamoClient({ endpoint: db.endpoint });
  return {
    db,
    client,
    async newTable() {
      const name = `bk-test-${process.pid}-${++counter}`;
      await ensureTable(client, name);
      return name;
    },
    store: (tableName, options = {}) =>
      new Vendors(new DynamoEventStore({ tableName, client }), {
        clock: systemClock,
        mac: testMac(),
        ...options,
      }),
    async stop() {
      client.destroy();
      await db.stop();
    },
  };
}
