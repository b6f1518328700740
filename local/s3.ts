// The local S3 (s3rver) for `npm start` and the tests. s3rver checks neither signatures' POST-policy conditions
// nor content-length ranges: the ingest handler's checks are what protect the local run, as they also back up S3.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { S3Event } from 'aws-lambda';

const require = createRequire(import.meta.url);
// s3rver is CommonJS without types.
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
const AWSAccount = require('s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
}

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3Options {
  /** Persist objects here; a temp dir (deleted on stop) when absent. */
  dataDir?: string;
  port?: number;
  /** Buckets to create at start. */
  buckets?: string[];
  /** Origins allowed to POST uploads from the browser (CORS). */
  allowedOrigins?: string[];
  /** Called for every ObjectCreated event, like the bucket notification on AWS. */
  onObjectCreated?: (event: S3Event) => void;
  /**
   * Extra key pairs to accept (the local stack's dummy credentials), so the same signed clients work
   * against every embedded server.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string }[];
}

export interface LocalS3 {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

function corsXml(origins: string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

export async function startS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bridgekeeper-s3-'));
  mkdirSync(directory, { recursive: true });
  // Whatever dummy key pair the local stack runs with must pass s3rver's signature check too.
  const fromEnv =
    process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
      ? [{ accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY }]
      : [];
  for (const pair of [
    ...fromEnv,
    { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(options.credentials ?? []),
  ]) {
    AWSAccount.DUMMY_ACCOUNT.createKeyPair(pair.accessKeyId, pair.secretAccessKey);
  }
  const cors = corsXml(options.allowedOrigins ?? ['*']);
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [cors] })),
  });
  server.on('event', (event) => {
    const name = event.Records[0]?.eventName ?? '';
    if (name.startsWith('ObjectCreated') && options.onObjectCreated) options.onObjectCreated(event);
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    port: address.port,
    async stop() {
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
