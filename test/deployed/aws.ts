// "AWS" on 127.0.0.1 for the deployed functions: dynalite (DynamoDB) behind a small front that records every call
// per function and can inject the faults retries are for, s3rver (S3), the SES v2 mailbox, Secrets Manager (the
// OpenID client secret under the template's secret ARN), and a Step Functions endpoint that records what the
// functions ask of it. The table and buckets are created from the template (its
// key schema and indexes, its bucket names), not from the project's own helpers.
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDynamoDb } from '../../local/dynamodb.js';
import { startS3 } from '../../local/s3.js';
import { startSesMailbox, type SesMailbox } from '../../local/ses.js';
import { startKms } from '../../local/kms.js';
import { startSecrets, type SecretRead } from '../../local/secrets.js';
import { ROLE_CREDENTIALS, type Endpoints } from './lambda.js';
import { REGION, type Json, type ResolvedTemplate } from './template.js';

export type DynamoFault = 'throttle' | 'conflict';

export interface DynamoCall {
  fn: string;
  /** DynamoDB operation, e.g. GetItem. */
  operation: string;
  tables: string[];
  index?: string;
  /** The partition key of an item operation (what dynamodb:LeadingKeys names). */
  leadingKey?: string;
}

export interface SfnCall {
  operation: string;
  body: Json;
}

export interface LocalAws {
  endpoints: Endpoints;
  mailbox: SesMailbox;
  /** A DynamoDB client for the test itself (seeding, reading), straight to dynalite. */
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  dynamoCalls: DynamoCall[];
  /** Faults injected per function name (until cleared). */
  faults: Map<string, DynamoFault>;
  sfnCalls: SfnCall[];
  /** Every GetSecretValue, with the function that made it. */
  secretReads: SecretRead[];
  /** Object Lock retentions the functions asked for, by `bucket/key` (the local S3's front records them). */
  s3Retentions: Map<string, string>;
  /** What DescribeExecution answers (default FAILED: a dead execution the reconciler may replace). */
  executionStatus: string;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

function dynamoError(type: string, message: string) {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
}

/** `secrets`: secret ARN -> value, as Secrets Manager holds them for the deployment. */
export async function startLocalAws(
  t: ResolvedTemplate,
  secrets: Record<string, string> = {},
): Promise<LocalAws> {
  const stops: (() => Promise<void>)[] = [];
  const dynalite = await startDynamoDb();
  stops.push(dynalite.stop);
  const target = new URL(dynalite.endpoint);
  const dynamoCalls: DynamoCall[] = [];
  const faults = new Map<string, DynamoFault>();

  // The front: /fn/<name>/ identifies the calling function (its endpoint variable carries the path).
  const front = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const fn = /^\/fn\/([^/]+)/.exec(req.url ?? '')?.[1] ?? 'unknown';
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const parsed = JSON.parse(body.toString('utf8') || '{}') as Json;
      const tables = parsed.TableName
        ? [parsed.TableName]
        : Object.keys(parsed.RequestItems ?? {}).concat(
            (parsed.TransactItems ?? []).flatMap((i: Json) => Object.values<Json>(i).map((x) => x.TableName)),
          );
      const leadingKey = (parsed.Key ?? parsed.Item)?.pk?.S as string | undefined;
      dynamoCalls.push({
        fn,
        operation,
        tables,
        ...(parsed.IndexName ? { index: parsed.IndexName } : {}),
        ...(leadingKey ? { leadingKey } : {}),
      });
      const fault = faults.get(fn);
      if (fault === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        return res.end(
          dynamoError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.'),
        );
      }
      if (fault === 'conflict' && (operation === 'PutItem' || operation === 'TransactWriteItems')) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        return res.end(dynamoError('ConditionalCheckFailedException', 'The conditional request failed'));
      }
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: '/',
          headers: { ...req.headers, host: target.host, 'content-length': body.length },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(500);
        res.end(error.message);
      });
      upstream.end(body);
    })();
  });
  const frontEndpoint = await listen(front);
  stops.push(() => close(front));

  const dynamo = new DynamoDBClient({
    region: REGION,
    endpoint: dynalite.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  for (const [id, table] of t.ofType('AWS::DynamoDB::Table')) {
    const p = table.Properties;
    const input: CreateTableCommandInput = {
      TableName: t.ref(id),
      KeySchema: p.KeySchema,
      AttributeDefinitions: p.AttributeDefinitions,
      BillingMode: p.BillingMode ?? 'PAY_PER_REQUEST',
      ...(p.GlobalSecondaryIndexes
        ? {
            GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map((g: Json) => ({
              IndexName: g.IndexName,
              KeySchema: g.KeySchema,
              Projection: g.Projection,
            })),
          }
        : {}),
    };
    await dynamo.send(new CreateTableCommand(input));
  }

  const buckets = t.ofType('AWS::S3::Bucket').map(([id]) => t.ref(id));
  const s3 = await startS3({ buckets, credentials: [ROLE_CREDENTIALS] });
  stops.push(s3.stop);

  const mailbox = await startSesMailbox();
  stops.push(mailbox.stop);
  // KMS for the HMAC key (upload-link tokens): the template's key ARN works as any key id there.
  const kms = await startKms();
  stops.push(kms.stop);
  const secretsManager = await startSecrets(secrets);
  stops.push(secretsManager.stop);

  const sfnCalls: SfnCall[] = [];
  const state = { executionStatus: 'FAILED' };
  const sfn = createServer((req, res) => {
    void (async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Json;
      sfnCalls.push({ operation, body });
      const now = Date.now() / 1000;
      const answers: Record<string, Json> = {
        StartExecution: {
          executionArn: `${String(body.stateMachineArn).replace(':stateMachine:', ':execution:')}:${body.name}`,
          startDate: now,
        },
        DescribeExecution: {
          executionArn: body.executionArn,
          stateMachineArn: String(body.executionArn)
            .replace(':execution:', ':stateMachine:')
            .replace(/:[^:]+$/, ''),
          status: state.executionStatus,
          startDate: now - 3600,
          ...(state.executionStatus === 'RUNNING' ? {} : { stopDate: now - 60 }),
        },
        SendTaskSuccess: {},
        SendTaskFailure: {},
        SendTaskHeartbeat: {},
      };
      const answer = answers[operation];
      res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer ?? { __type: 'UnknownOperationException', message: operation }));
    })();
  });
  const sfnEndpoint = await listen(sfn);
  stops.push(() => close(sfn));

  const aws: LocalAws = {
    endpoints: {
      dynamodb: frontEndpoint,
      s3: s3.endpoint,
      sesv2: mailbox.endpoint,
      sfn: sfnEndpoint,
      kms: kms.endpoint,
      secretsmanager: secretsManager.endpoint,
    },
    mailbox,
    dynamo,
    dynamoEndpoint: dynalite.endpoint,
    s3Retentions: s3.retentions,
    dynamoCalls,
    faults,
    sfnCalls,
    secretReads: secretsManager.reads,
    get executionStatus() {
      return state.executionStatus;
    },
    set executionStatus(value: string) {
      state.executionStatus = value;
    },
    async stop() {
      dynamo.destroy();
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
  return aws;
}
