// The vendors' logs of a function: the application's commit loop over the DynamoDB table (on AWS and on the
// embedded dynalite), or over the in-memory store when the DynamoDB endpoint is `memory:` (`simulate`, which runs
// every handler in its own process; the store passes the same conformance suite as the DynamoDB adapter).
import { Vendors } from '../app/vendors.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoEventStore } from '../adapters/dynamodb/event-store.js';
import { memoryEventStore } from '../adapters/memory/event-store.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import { DEFAULT_POLICY, type Policy } from '../core/policy.js';
import type { EventStore } from '../ports/event-store.js';
import { logger } from './logger.js';
import { openMac } from './mac.js';
import { clock } from './runtime.js';

export { MEMORY_ENDPOINT };

export function openEventStore(tableName: string): EventStore {
  if (endpointOf('DYNAMODB') === MEMORY_ENDPOINT) return memoryEventStore(tableName);
  return new DynamoEventStore({ tableName, client: createDynamoClient() });
}

/**
 * The vendors' records, sealed with the function's MAC key (every commit and projection carries a MAC, checked on
 * load). A record that fails its check is logged as an integrity alert (docs/data-model.md, "Sealed records").
 */
export function openVendors(config: {
  tableName: string;
  macKey: string;
  timeZone?: string;
  policy?: Policy;
}): Vendors {
  return new Vendors(openEventStore(config.tableName), {
    clock,
    mac: openMac(config.macKey),
    // The summaries are derived as of the institution's today, under its policy.
    calendar: { timeZone: config.timeZone ?? 'UTC', policy: config.policy ?? DEFAULT_POLICY },
    onIntegrityProblem: (vendorId, problem) =>
      logger.error('INTEGRITY: a vendor record failed its check', { vendorId, problem }),
  });
}
