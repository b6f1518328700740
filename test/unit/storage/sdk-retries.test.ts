// The SDK's own retry strategy is the only retry layer under the adapters (functions/adapters/aws.ts): a
// throttled DynamoDB call is tried SDK_MAX_ATTEMPTS times in all, then the adapter reports UnavailableError.
// Over the wire, against a stand-in server on loopback (no client mock: the retry middleware must run).
import { describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnavailableError } from '../../../functions/core/errors.js';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { SDK_MAX_ATTEMPTS, clientConfig } from '../../../functions/adapters/aws.js';

describe("the SDK's own retries", () => {
  it('retries a throttled call SDK_MAX_ATTEMPTS times in all, then the adapter reports UnavailableError', async () => {
    // A DynamoDB stand-in on loopback that throttles every request.
    let attempts = 0;
    const server = createServer((req, res) => {
      attempts += 1;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate exceeded',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new DynamoDBClient(clientConfig('DYNAMODB', { endpoint: `http://127.0.0.1:${port}` }));
      const store = new DynamoEventStore({ tableName: 'bk-test', client });
      await expect(store.readState('acme')).rejects.toBeInstanceOf(UnavailableError);
      expect(attempts).toBe(SDK_MAX_ATTEMPTS);
    } finally {
      server.close();
    }
  });
});
