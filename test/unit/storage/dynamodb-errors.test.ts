// The DynamoDB adapter's error mapping, and the SDK's own retries it relies on (the wire behaviour is in
// test/integration/dynamodb). No second retry layer: a throttled call is retried by the SDK's standard strategy,
// then surfaces as UnavailableError; a lost condition is a ConflictError at once.
import { testMac } from '../../support/mac.js';
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, UnavailableError } from '../../../functions/core/errors.js';
import { isTransient, mapped } from '../../../functions/adapters/dynamodb/errors.js';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { registered } from './fixtures.js';

function throttled(): Error {
  return Object.assign(new Error('slow down'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('mapped', () => {
  it('maps a failed condition to ConflictError and a throttle to UnavailableError naming the operation', async () => {
    const failed = new ConditionalCheckFailedException({ message: 'no', $metadata: {} });
    await expect(mapped('op', () => Promise.reject(failed))).rejects.toBeInstanceOf(ConflictError);
    await expect(mapped('append to vendor acme', () => Promise.reject(throttled()))).rejects.toThrow(
      new UnavailableError(
        'append to vendor acme: DynamoDB unavailable (ProvisionedThroughputExceededException)',
      ),
    );
  });

  it('passes any other error through unchanged', async () => {
    const validation = Object.assign(new Error('bad'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(mapped('op', () => Promise.reject(validation))).rejects.toBe(validation);
  });

  it('treats 5xx and network resets as transient, a missing table as not', () => {
    expect(isTransient({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } })).toBe(
      false,
    );
  });
});

const documents = mockClient(DynamoDBDocumentClient);
afterEach(() => documents.reset());

function vendors() {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  return new Vendors(new DynamoEventStore({ tableName: 'bk-test', client }), {
    clock: new FixedClock(new Date('2026-11-26T09:00:00Z')),
    mac: testMac(),
    backoff: async () => {},
  });
}
const staff = { kind: 'staff' as const, id: 'x' };

describe('DynamoEventStore under the commit loop', () => {
  it('turns a lost conditional put on the commit into ConflictError and writes no projection', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    documents
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    await expect(
      vendors().append('acme', [registered('acme')], { expectedSeq: 0, actor: staff }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('a projection that lost to a newer one is not an error', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    const refused: string[] = [];
    documents.on(PutCommand).callsFake((input: { Item: { sk: string } }) => {
      if (input.Item.sk !== 'STATE') return {};
      refused.push(input.Item.sk);
      throw new ConditionalCheckFailedException({ message: 'newer', $metadata: {} });
    });
    const result = await vendors().append('acme', [registered('acme')], { expectedSeq: 0, actor: staff });
    expect(result.events).toHaveLength(1);
    expect(refused).toEqual(['STATE']);
  });

  it('update re-reads and re-decides after each lost race, then gives up with ConflictError', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    documents.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'lost', $metadata: {} }));
    let decisions = 0;
    await expect(
      vendors().update('acme', () => (decisions++, [registered('acme')]), { actor: staff, maxAttempts: 3 }),
    ).rejects.toThrow(new ConflictError('vendor acme: still contended after 3 attempts'));
    expect(decisions).toBe(3);
    expect(documents.commandCalls(GetCommand)).toHaveLength(3);
  });
});
