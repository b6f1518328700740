// The embedded DynamoDB: dynalite in-process, over the real wire protocol. In memory unless given a directory.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
  on(event: 'error', listener: (error: Error) => void): void;
}
type Dynalite = (options: Record<string, unknown>) => DynaliteServer;

export interface EmbeddedDynamoDb {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  stop(): Promise<void>;
}

/** The data directory in use by a whole other process. */
export class DataDirInUseError extends Error {}

/**
 * dynalite throws an uncaught error from a request handler when its LevelDB cannot open (held by another process),
 * which would kill this process: find out first, by opening and closing it ourselves.
 */
async function probeLock(dataDir: string): Promise<void> {
  const { Level } = require('level') as {
    Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const db = new Level(dataDir);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new DataDirInUseError(
      `${dataDir} is in use by another process (${cause?.code ?? (error as Error).message}); ` +
        'stop it or point at its endpoint instead',
    );
  }
  await db.close();
}

export async function startDynamoDb(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedDynamoDb> {
  const dynalite = require('dynalite') as Dynalite;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await probeLock(options.dataDir);
  }
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', (error) => (error ? reject(error) : resolve()));
  });
  const address = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )),
  };
}
