// The storage flags every table-touching command shares (`--endpoint`, `--table`) and the one way to open the
// store from them. With neither flag (and no AWS_ENDPOINT_URL_DYNAMODB) the embedded dynalite is started on
// .data/dynamodb for the duration of the command. Any table pointed at is created if missing.
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo } from './command.js';
import { UsageError } from './command.js';
import { UnavailableError } from '../functions/core/errors.js';
import { createDynamoClient } from '../functions/adapters/dynamodb/client.js';
import { DEFAULT_TABLE_NAME, ensureTable } from '../functions/adapters/dynamodb/table.js';
import { DynamoEventStore } from '../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../functions/app/vendors.js';
import { systemClock, type Clock } from '../functions/ports/clock.js';

export const STORAGE_OPTIONS = {
  endpoint: { type: 'string' },
  table: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const STORAGE_HELP = `Storage options:
  --endpoint URL  DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB, else AWS when --table is given,
                  else the embedded table under .data/dynamodb, started for the duration of the command)
  --table NAME    table name (default: ${DEFAULT_TABLE_NAME}); created if missing`;

export interface OpenedStore {
  store: Vendors;
  /** The table underneath (its read counters, for the benches). */
  table: DynamoEventStore;
  tableName: string;
  /** The endpoint used, or 'aws' for the SDK's default resolution. */
  endpoint: string;
  /** Stops the embedded server if this command started one. */
  close(): Promise<void>;
}

export async function openStore(
  values: Record<string, unknown>,
  io: Pick<CommandIo, 'cwd' | 'env'>,
  options: { clock?: Clock } = {},
): Promise<OpenedStore> {
  const endpointFlag = values.endpoint as string | undefined;
  const tableFlag = values.table as string | undefined;
  if (endpointFlag !== undefined && !/^https?:\/\/[^\s/]+/.test(endpointFlag))
    throw new UsageError(`--endpoint: '${endpointFlag}' is not an http(s) URL`);
  if (tableFlag !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableFlag))
    throw new UsageError(`--table: '${tableFlag}' is not a table name (3-255 of A-Z a-z 0-9 _ . -)`);
  const tableName = tableFlag ?? DEFAULT_TABLE_NAME;
  // The SDK's notice about its future Node requirement is not the user's business at this command line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  let endpoint = endpointFlag ?? io.env.AWS_ENDPOINT_URL_DYNAMODB;
  let stop = async () => {};
  if (endpoint === undefined && tableFlag === undefined) {
    const { startDynamoDb } = await import('../local/dynamodb.js');
    const dataDir = join(io.cwd, '.data', 'dynamodb');
    let embedded;
    try {
      embedded = await startDynamoDb({ dataDir });
    } catch (error) {
      throw new UnavailableError(
        `cannot start the embedded table: ${(error as Error).message} (is the local stack running? pass --endpoint)`,
      );
    }
    endpoint = embedded.endpoint;
    stop = embedded.stop;
  }
  const client = createDynamoClient({
    ...(endpoint ? { endpoint } : {}),
    ...(io.env.AWS_REGION ? { region: io.env.AWS_REGION } : {}),
  });
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await stop().catch(() => {});
    client.destroy();
    const detail = (error as Error).message;
    throw new UnavailableError(`cannot open table ${tableName} at ${endpoint ?? 'AWS'}: ${detail}`, {
      cause: error,
    });
  }
  const table = new DynamoEventStore({ tableName, client });
  const store = new Vendors(table, { clock: options.clock ?? systemClock });
  return {
    store,
    table,
    tableName,
    endpoint: endpoint ?? 'aws',
    close: async () => {
      client.destroy();
      await stop();
    },
  };
}
