// Counts the items DynamoDB reads for a client's calls (what it bills for): a Query's or Scan's ScannedCount (the
// items read before a filter), one per item a GetItem or BatchGetItem returns. Used by the console's read tests
// and its bench: the portfolio page must read a bounded number of items, whatever the portfolio's size.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface ReadCounter {
  items: number;
  calls: number;
  /** Items read per command name. */
  byCommand: Record<string, number>;
  reset(): void;
}

export function countReads(client: DynamoDBClient): ReadCounter {
  const counter: ReadCounter = {
    items: 0,
    calls: 0,
    byCommand: {},
    reset() {
      counter.items = 0;
      counter.calls = 0;
      counter.byCommand = {};
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as {
        ScannedCount?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      const name = String(context.commandName ?? 'unknown');
      let items: number;
      if (name === 'QueryCommand' || name === 'ScanCommand') items = output.ScannedCount ?? 0;
      else if (name === 'GetItemCommand') items = output.Item ? 1 : 0;
      else if (name === 'BatchGetItemCommand')
        items = Object.values(output.Responses ?? {}).reduce((n, list) => n + list.length, 0);
      else return result;
      counter.calls += 1;
      counter.items += items;
      counter.byCommand[name] = (counter.byCommand[name] ?? 0) + items;
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return counter;
}
