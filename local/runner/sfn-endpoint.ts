// A small Step Functions endpoint for the embedded runner, speaking the JSON 1.0 protocol the real
// @aws-sdk/client-sfn uses (POST /, X-Amz-Target: AWSStepFunctions.<Operation>), for the operations Bridgekeeper
// calls: StartExecution, DescribeExecution, StopExecution, SendTaskSuccess/Failure/Heartbeat. Handlers and the
// people's side point their SFN client here with AWS_ENDPOINT_URL_SFN and do not know the difference.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfnApiError, type LifecycleRunner } from './runner.js';

export interface SfnEndpoint {
  endpoint: string;
  stop(): Promise<void>;
}

const epochSeconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

type Body = Record<string, unknown>;

function operations(runner: LifecycleRunner): Record<string, (body: Body) => unknown> {
  return {
    StartExecution: (b) => {
      const out = runner.startExecution({
        stateMachineArn: b.stateMachineArn as string,
        name: b.name as string | undefined,
        input: (b.input as string | undefined) ?? '{}',
      });
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
    },
    DescribeExecution: (b) => {
      const d = runner.describeExecution(String(b.executionArn));
      return { ...d, startDate: epochSeconds(d.startDate), stopDate: epochSeconds(d.stopDate) };
    },
    StopExecution: (b) => ({
      stopDate: epochSeconds(
        runner.stopExecution(
          String(b.executionArn),
          b.error as string | undefined,
          b.cause as string | undefined,
        ).stopDate,
      ),
    }),
    SendTaskSuccess: (b) => (runner.sendTaskSuccess(String(b.taskToken), String(b.output ?? '{}')), {}),
    SendTaskFailure: (b) => (
      runner.sendTaskFailure(
        String(b.taskToken),
        b.error as string | undefined,
        b.cause as string | undefined,
      ),
      {}
    ),
    SendTaskHeartbeat: (b) => (runner.sendTaskHeartbeat(String(b.taskToken)), {}),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': Math.random().toString(16).slice(2),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSfnEndpoint(
  runner: LifecycleRunner,
  options: { port?: number } = {},
): Promise<SfnEndpoint> {
  const ops = operations(runner);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSStepFunctions.')
        ? target.slice('AWSStepFunctions.'.length)
        : '';
      const op = ops[operation];
      if (req.method !== 'POST' || !op)
        return reply(res, 400, {
          __type: 'UnknownOperationException',
          message: `unsupported: ${target || req.url}`,
        });
      let body: Body;
      try {
        body = JSON.parse((await readBody(req)) || '{}') as Body;
      } catch {
        return reply(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      }
      try {
        reply(res, 200, op(body) ?? {});
      } catch (error) {
        if (error instanceof SfnApiError)
          return reply(res, 400, { __type: error.type, message: error.message });
        reply(res, 500, { __type: 'InternalServerError', message: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
