// The staff records on the vendors' table (dynalite): the same contract as the in-memory store.
import { afterAll, beforeAll } from 'vitest';
import { DynamoStaffStore } from '../../../functions/adapters/dynamodb/staff-store.js';
import { staffStoreConformance } from '../../support/staff-store-conformance.js';
import { startTestDb, type TestDb } from './helpers.js';

let t: TestDb;
beforeAll(async () => {
  t = await startTestDb();
});
afterAll(async () => {
  await t?.stop();
});

staffStoreConformance('DynamoDB', async () => new DynamoStaffStore(await t.newTable(), t.client));
