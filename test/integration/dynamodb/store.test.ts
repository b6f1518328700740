// The store conformance suite on the DynamoDB adapter, over the real wire protocol (dynalite in-process): the
// same tests the in-memory store passes.
import { afterAll, beforeAll } from 'vitest';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { eventStoreConformance } from '../../support/event-store-conformance.js';
import { startTestDb, type TestDb } from './helpers.js';

let t: TestDb;
beforeAll(async () => {
  t = await startTestDb();
});
afterAll(async () => {
  await t?.stop();
});

eventStoreConformance('DynamoDB adapter', {
  newStore: async () => new DynamoEventStore({ tableName: await t.newTable(), client: t.client }),
});
