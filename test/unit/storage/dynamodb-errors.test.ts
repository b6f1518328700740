// The adapter's error mapping and retries, with the SDK mocked (the wire behaviour is in test/integration/dynamodb).
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, UnavailableError } from '../../../functions/core/errors.js';
import { isRetryable, withRetries } from '../../../functions/adapters/dynamodb/retry.js';
import { DynamoVendorStore } from '../../../functions/adapters/dynamodb/vendor-store.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { registered } from './fixtures.js';

const documents = mockClient(DynamoDBDocumentClient);
afterEach(() => documents.reset());

function throttled(): Error {
  return Object.assign(new Error('slow down'), {
    name: 'ProvisionedThroughputExceededException',
    $metadata: { httpStatusCode: 400 },
  });
}

const noWait = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100 };

function store(retry = noWait, sleeps: number[] = []) {
  return new DynamoVendorStore({
    tableName: 'bk-test',
    client: new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    }),
    clock: new FixedClock(new Date('2026-11-26T09:00:00Z')),
    retry: { ...retry, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
}

describe('withRetries', () => {
  it('retries throttling with growing, jittered waits, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      'op',
      async () => {
        if (++calls < 4) throw throttled();
        return 'done';
      },
      {
        maxAttempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 250,
        sleep: async (ms) => void waits.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toBe('done');
    expect(waits).toEqual([50, 100, 125]); // half of 100, 200, then the 250 cap
  });

  it('gives up with UnavailableError naming the operation', async () => {
    await expect(
      withRetries('append to vendor acme', async () => Promise.reject(throttled()), {
        ...noWait,
        sleep: async () => {},
      }),
    ).rejects.toThrow(
      new UnavailableError(
        'append to vendor acme: DynamoDB unavailable after 4 attempts (ProvisionedThroughputExceededException)',
      ),
    );
  });

  it('does not retry a client error and maps a failed condition to ConflictError', async () => {
    let calls = 0;
    const validation = Object.assign(new Error('bad'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(withRetries('op', async () => (calls++, Promise.reject(validation)), noWait)).rejects.toBe(
      validation,
    );
    expect(calls).toBe(1);
    const failed = new ConditionalCheckFailedException({ message: 'no', $metadata: {} });
    await expect(withRetries('op', async () => Promise.reject(failed), noWait)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('treats 5xx and network resets as transient', () => {
    expect(isRetryable({ name: 'Whatever', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } })).toBe(
      false,
    );
  });
});

describe('DynamoVendorStore error mapping', () => {
  it('turns a lost conditional put on the commit into ConflictError and writes no projection', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    documents
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    await expect(
      store().append('acme', [registered('acme')], { expectedSeq: 0, actor: { kind: 'staff', id: 'x' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('retries a throttled commit and then writes the projection', async () => {
    const sleeps: number[] = [];
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    documents.on(PutCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const result = await store(noWait, sleeps).append('acme', [registered('acme')], {
      expectedSeq: 0,
      actor: { kind: 'staff', id: 'x' },
    });
    expect(result.state.seq).toBe(1);
    expect(sleeps).toHaveLength(2);
    const puts = documents.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.sk);
    expect(puts).toEqual(['E#0000000001', 'E#0000000001', 'E#0000000001', 'STATE']);
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
    const result = await store().append('acme', [registered('acme')], {
      expectedSeq: 0,
      actor: { kind: 'staff', id: 'x' },
    });
    expect(result.events).toHaveLength(1);
    expect(refused).toEqual(['STATE']);
  });

  it('update re-reads and re-decides after each lost race, then gives up with ConflictError', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [], Count: 0, ScannedCount: 0 });
    documents.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'lost', $metadata: {} }));
    let decisions = 0;
    await expect(
      store().update('acme', () => (decisions++, [registered('acme')]), {
        actor: { kind: 'staff', id: 'x' },
        maxAttempts: 3,
      }),
    ).rejects.toThrow(new ConflictError('vendor acme: still contended after 3 attempts'));
    expect(decisions).toBe(3);
    expect(documents.commandCalls(GetCommand)).toHaveLength(3);
  });

  it('surfaces a persistently throttled read as UnavailableError', async () => {
    documents.on(GetCommand).rejects(throttled());
    await expect(store().load('acme')).rejects.toBeInstanceOf(UnavailableError);
    expect(documents.commandCalls(GetCommand)).toHaveLength(4);
  });
});
