// The storage flags every table-touching command shares, and the one way to open the stores from them.
//
//   --data-dir DIR   the embedded stack's data (default .data/): while `npm start` runs on it, its servers
//                    (it leaves their addresses in DIR/endpoints.json); otherwise the command starts the embedded
//                    DynamoDB, KMS and S3 on DIR for its own duration.
//   --endpoint URL   a DynamoDB endpoint; --table NAME a table (on AWS, with the usual environment); MAC_KEY_ID
//                    names the stack's KMS HMAC key (its MacKeyArn output), DOCUMENTS_BUCKET its bucket.
//
// Any table pointed at is created if missing.
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo } from './command.js';
import { UsageError } from './command.js';
import { UnavailableError } from '../functions/core/errors.js';
import { createDynamoClient } from '../functions/adapters/dynamodb/client.js';
import { DEFAULT_TABLE_NAME, ensureTable } from '../functions/adapters/dynamodb/table.js';
import { DynamoEventStore } from '../functions/adapters/dynamodb/event-store.js';
import { kmsMac } from '../functions/adapters/kms/mac.js';
import { Vendors } from '../functions/app/vendors.js';
import { systemClock, type Clock } from '../functions/ports/clock.js';
import type { CheckpointFiles } from '../functions/ports/checkpoint-files.js';
import type { Mac } from '../functions/ports/mac.js';
import { runningStack } from '../local/endpoints.js';

export const STORAGE_OPTIONS = {
  endpoint: { type: 'string' },
  table: { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const STORAGE_HELP = `Storage options:
  --data-dir DIR  the embedded stack's data (default .data): the running \`npm start\` on it, else its servers
                  started on DIR for the duration of the command
  --endpoint URL  DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB, else AWS when --table is given)
  --table NAME    table name (default: ${DEFAULT_TABLE_NAME}); created if missing. On AWS, MAC_KEY_ID names the
                  stack's MAC key (output MacKeyArn) and DOCUMENTS_BUCKET its bucket (output DocumentsBucket)`;

export interface OpenedStore {
  store: Vendors;
  /** The table underneath (its read counters, for the benches). */
  table: DynamoEventStore;
  tableName: string;
  /** The endpoint used, or 'aws' for the SDK's default resolution. */
  endpoint: string;
  mac: Mac;
  /** The audit trail's checkpoints (in the documents bucket), when asked for and available. */
  checkpoints?: CheckpointFiles;
  /** Stops the embedded servers this command started. */
  close(): Promise<void>;
}

export async function openStore(
  values: Record<string, unknown>,
  io: Pick<CommandIo, 'cwd' | 'env'>,
  options: { clock?: Clock; checkpoints?: boolean | 'optional' } = {},
): Promise<OpenedStore> {
  const endpointFlag = values.endpoint as string | undefined;
  const tableFlag = values.table as string | undefined;
  const dataDirFlag = values['data-dir'] as string | undefined;
  if (endpointFlag !== undefined && !/^https?:\/\/[^\s/]+/.test(endpointFlag))
    throw new UsageError(`--endpoint: '${endpointFlag}' is not an http(s) URL`);
  if (tableFlag !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(tableFlag))
    throw new UsageError(`--table: '${tableFlag}' is not a table name (3-255 of A-Z a-z 0-9 _ . -)`);
  if (dataDirFlag !== undefined && (endpointFlag !== undefined || tableFlag !== undefined))
    throw new UsageError(
      '--data-dir is the embedded stack; --endpoint and --table point elsewhere: give one',
    );
  // The SDK's notice about its future Node requirement is not the user's business at this command line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  let tableName = tableFlag ?? DEFAULT_TABLE_NAME;
  let endpoint = endpointFlag ?? io.env.AWS_ENDPOINT_URL_DYNAMODB;
  let mac: Mac | undefined;
  let checkpoints: CheckpointFiles | undefined;
  const embedded = endpoint === undefined && tableFlag === undefined;
  try {
    if (embedded) {
      const dataDir = resolve(io.cwd, dataDirFlag ?? '.data');
      const running = runningStack(dataDir);
      if (running) {
        // `npm start` holds the data: use its servers (its DynamoDB keeps the files locked).
        endpoint = running.dynamodb;
        tableName = running.tableName;
        mac = kmsMac(running.macKey, await kmsClient(running.kms));
        if (options.checkpoints) checkpoints = await checkpointFiles(running.s3, running.documentsBucket);
      } else {
        const { startDynamoDb } = await import('../local/dynamodb.js');
        const { startKms } = await import('../local/kms.js');
        let dynamo;
        try {
          dynamo = await startDynamoDb({ dataDir: join(dataDir, 'dynamodb') });
        } catch (error) {
          throw new UnavailableError(
            `cannot start the embedded table: ${(error as Error).message} (is the local stack running? pass --endpoint)`,
          );
        }
        stops.push(dynamo.stop);
        endpoint = dynamo.endpoint;
        const kms = await startKms({ secretFile: join(dataDir, 'kms.secret') });
        stops.push(kms.stop);
        mac = kmsMac(kms.keyArn, await kmsClient(kms.endpoint));
        if (options.checkpoints) {
          const { startS3 } = await import('../local/s3.js');
          const { DOCUMENTS_BUCKET } = await import('../local/people-stack.js');
          const s3 = await startS3({ dataDir: join(dataDir, 's3'), buckets: [DOCUMENTS_BUCKET] });
          stops.push(s3.stop);
          checkpoints = await checkpointFiles(s3.endpoint, DOCUMENTS_BUCKET);
        }
      }
    } else {
      const keyId = io.env.MAC_KEY_ID;
      if (!keyId)
        throw new UsageError(
          'MAC_KEY_ID must name the stack’s MAC key (its MacKeyArn output): every record is sealed with it',
        );
      mac = io.env.AWS_ENDPOINT_URL_KMS
        ? kmsMac(keyId, await kmsClient(io.env.AWS_ENDPOINT_URL_KMS))
        : kmsMac(keyId);
      const bucket = io.env.DOCUMENTS_BUCKET;
      if (options.checkpoints === true && !bucket)
        throw new UsageError(
          'DOCUMENTS_BUCKET must name the stack’s bucket (its DocumentsBucket output): checkpoints are kept there',
        );
      if (options.checkpoints && bucket)
        checkpoints = await checkpointFiles(io.env.AWS_ENDPOINT_URL_S3, bucket);
    }
    const client = createDynamoClient({
      ...(endpoint ? { endpoint } : {}),
      ...(io.env.AWS_REGION ? { region: io.env.AWS_REGION } : {}),
    });
    stops.push(async () => client.destroy());
    try {
      await ensureTable(client, tableName);
    } catch (error) {
      const detail = (error as Error).message;
      throw new UnavailableError(`cannot open table ${tableName} at ${endpoint ?? 'AWS'}: ${detail}`, {
        cause: error,
      });
    }
    const table = new DynamoEventStore({ tableName, client });
    const store = new Vendors(table, {
      clock: options.clock ?? systemClock,
      mac,
      onIntegrityProblem: (vendorId, problem) => process.stderr.write(`integrity: ${vendorId}: ${problem}\n`),
    });
    return {
      store,
      table,
      tableName,
      endpoint: endpoint ?? 'aws',
      mac,
      ...(checkpoints ? { checkpoints } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function checkpointFiles(endpoint: string | undefined, bucket: string): Promise<CheckpointFiles> {
  const { createS3Client } = await import('../functions/adapters/s3/documents.js');
  const { s3CheckpointFiles } = await import('../functions/adapters/s3/checkpoints.js');
  return s3CheckpointFiles(createS3Client(endpoint ? { endpoint } : {}), bucket);
}

async function kmsClient(endpoint: string) {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const { clientConfig } = await import('../functions/adapters/aws.js');
  return new KMSClient(clientConfig('KMS', { endpoint }));
}
