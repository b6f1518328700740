// The session store and link counters of a function: the DynamoDB table (on AWS and on the embedded dynalite), or
// this process's memory when the DynamoDB endpoint is `memory:` (`simulate`).
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoSessionStore } from '../adapters/dynamodb/sessions.js';
import { memorySessions } from '../adapters/memory/sessions.js';
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import type { LinkCounter } from '../ports/link-limits.js';
import type { SessionStore } from '../ports/sessions.js';

export function openSessions(tableName: string): SessionStore & LinkCounter {
  if (endpointOf('DYNAMODB') === MEMORY_ENDPOINT) return memorySessions(tableName);
  return new DynamoSessionStore(tableName, createDynamoClient());
}
