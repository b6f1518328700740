// The staff records of a function: on the vendors' table (AWS, the embedded dynalite), or in memory when the
// DynamoDB endpoint is `memory:` (`simulate`).
import { StaffRecords } from '../app/staff.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoStaffStore } from '../adapters/dynamodb/staff-store.js';
import { memoryStaffStore } from '../adapters/memory/staff-store.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import { clock } from './runtime.js';

export function openStaffRecords(config: { tableName: string }): StaffRecords {
  const store =
    endpointOf('DYNAMODB') === MEMORY_ENDPOINT
      ? memoryStaffStore(config.tableName)
      : new DynamoStaffStore(config.tableName, createDynamoClient());
  return new StaffRecords(store, clock);
}
