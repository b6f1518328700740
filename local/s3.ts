// The local S3 (s3rver) for `npm start` and the tests. s3rver checks no signed checksum or length and keeps no
// versions: the ingest's and the download's hash checks are what protect the local run, as they also back up S3.
// A thin front keeps what s3rver would get dangerously wrong: an Object Lock retention (PUT ?retention, which
// s3rver would store as the object's new content, or a PUT's lock headers) is answered and recorded (nothing
// locks locally; tests see it was asked for), and a conditional PUT (If-None-Match: *) on an existing key is
// refused with 412 as S3 does.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createServer, request } from 'node:http';
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
  /** Retentions asked for (PUT ?retention), by `bucket/key`: the front answers them; s3rver never sees them. */
  retentions: Map<string, string>;
  stop(): Promise<void>;
}

function corsXml(origins: string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
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
    port: 0,
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
  const retentions = new Map<string, string>();
  // s3rver's own object store (path-style keys: /bucket/key), for the conditional-write check below.
  const store = (
    server as unknown as { store: { existsObject(bucket: string, key: string): Promise<boolean> } }
  ).store;
  const front = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'PUT' && url.searchParams.has('retention')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        retentions.set(decodeURIComponent(url.pathname.slice(1)), Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      });
      return;
    }
    // Two rules of S3 that s3rver does not keep, kept here: a conditional PUT (If-None-Match: *) is refused with
    // 412 when the key exists (S3 User Guide, "Conditional writes"), and a PUT's Object Lock headers are a
    // retention (recorded, like PUT ?retention; nothing locks locally).
    if (req.method === 'PUT' && isObjectPut(url) && req.headers['x-amz-object-lock-retain-until-date'])
      retentions.set(
        decodeURIComponent(url.pathname.slice(1)),
        `${String(req.headers['x-amz-object-lock-mode'] ?? '')} ${String(req.headers['x-amz-object-lock-retain-until-date'])}`,
      );
    if (req.method === 'PUT' && isObjectPut(url) && req.headers['if-none-match'] === '*') {
      req.pause();
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      void store.existsObject(decodeURIComponent(bucket), key).then(
        (exists) => {
          if (!exists) return forward();
          res.writeHead(412, { 'content-type': 'application/xml' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>',
          );
          req.resume();
        },
        () => forward(),
      );
      return;
    }
    forward();
    function forward() {
      const upstream = request(
        { host: '127.0.0.1', port: address.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502);
        res.end(error.message);
      });
      req.pipe(upstream);
      req.resume();
    }
  });
  await new Promise<void>((resolve) => front.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    retentions,
    async stop() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A PUT of an object's content (not a subresource such as ?retention, nor a multipart part). */
function isObjectPut(url: URL): boolean {
  return !['retention', 'legal-hold', 'tagging', 'acl', 'partNumber', 'uploadId'].some((p) =>
    url.searchParams.has(p),
  );
}
