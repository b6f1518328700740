// The bench's DynamoDB: dynalite plus a counting proxy, in their own process (the other core). Sends its endpoints
// to the parent, and the capacity counts when asked ('counts'): on-demand units, 1 KB writes and 4 KB reads.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { ensureTable } from '../../functions/adapters/dynamodb/table.js';
import { startDynamoDb } from '../../local/dynamodb.js';

export interface DynamoCounts {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}

async function countingProxy(target: string, counts: DynamoCounts): Promise<{ url: string; close(): void }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
      counts.requests[op] = (counts.requests[op] ?? 0) + 1;
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            const response = Buffer.concat(out);
            account(op, body, response, counts);
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(response);
          });
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function account(op: string, request: Buffer, response: Buffer, counts: DynamoCounts): void {
  const kb = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? {})) / 1024;
  try {
    const req = JSON.parse(request.toString('utf8')) as Record<string, unknown>;
    const res = JSON.parse(response.toString('utf8') || '{}') as Record<string, unknown>;
    if (op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem')
      counts.writeUnits += Math.max(1, Math.ceil(kb(req.Item ?? req.Key)));
    else if (op === 'TransactWriteItems')
      for (const item of (req.TransactItems as Record<string, { Item?: unknown; Key?: unknown }>[]) ?? [])
        for (const action of Object.values(item))
          counts.writeUnits += 2 * Math.max(1, Math.ceil(kb(action.Item ?? action.Key)));
    else if (op === 'BatchWriteItem')
      for (const items of Object.values(
        (req.RequestItems as Record<string, { PutRequest?: { Item: unknown } }[]>) ?? {},
      ))
        for (const w of items) counts.writeUnits += Math.max(1, Math.ceil(kb(w.PutRequest?.Item)));
    else if (op === 'GetItem') counts.readUnits += Math.max(1, Math.ceil(kb(res.Item) / 4));
    else if (op === 'Query' || op === 'Scan') counts.readUnits += Math.max(1, Math.ceil(kb(res.Items) / 4));
    else if (op === 'BatchGetItem')
      for (const items of Object.values((res.Responses as Record<string, unknown[]>) ?? {}))
        for (const it of items) counts.readUnits += Math.max(1, Math.ceil(kb(it) / 4));
  } catch {
    // Not JSON (an error page): no capacity.
  }
}

const dynamo = await startDynamoDb();
await ensureTable(createDynamoClient({ endpoint: dynamo.endpoint }), 'bridgekeeper');
const counts: DynamoCounts = { requests: {}, readUnits: 0, writeUnits: 0 };
const proxy = await countingProxy(dynamo.endpoint, counts);
process.on('message', (m) => {
  if (m === 'counts') process.send!(counts);
  if (m === 'exit') process.exit(0);
});
process.send!({ proxy: proxy.url, direct: dynamo.endpoint });
