// The vendors' logs of a function: the application's commit loop over the DynamoDB table (on AWS and on the
// embedded dynalite), or over the in-memory store when the DynamoDB endpoint is `memory:` (`simulate`, which runs
// every handler in its own process; the store passes the same conformance suite as the DynamoDB adapter).
import { Vendors } from '../app/vendors.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoEventStore } from '../adapters/dynamodb/event-store.js';
import { memoryEventStore } from '../adapters/memory/event-store.js';
import { endpointOf } from '../adapters/aws.js';
import type { EventStore } from '../ports/event-store.js';
import { clock } from './runtime.js';

export const MEMORY_ENDPOINT = 'memory:';

export function openEventStore(tableName: string): EventStore {
  if (endpointOf('DYNAMODB') === MEMORY_ENDPOINT) return memoryEventStore(tableName);
  return new DynamoEventStore({ tableName, client: createDynamoClient() });
}

export function openVendors(tableName: string): Vendors {
  return new Vendors(openEventStore(tableName), { clock });
}
