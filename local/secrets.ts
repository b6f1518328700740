// The embedded Secrets Manager: GetSecretValue only (the one call Bridgekeeper makes, for the OpenID client
// secret), over Secrets Manager's JSON protocol on loopback, so the handlers' adapter runs unchanged (only
// AWS_ENDPOINT_URL_SECRETS_MANAGER differs). Like the other embedded servers it checks no signature; it records
// which secret each call asked for (the deployed suite checks those against the functions' grants).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretRead {
  secretId: string;
  /** The caller, when its endpoint names it (`<endpoint>/fn/<name>`, as the deployed suite gives each function). */
  caller: string | undefined;
}

export interface EmbeddedSecrets {
  endpoint: string;
  /** Every GetSecretValue call, in order. */
  reads: SecretRead[];
  stop(): Promise<void>;
}

/** The secret the embedded stack keeps the local provider's client secret in. */
export const LOCAL_CLIENT_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:bridgekeeper/oidc-client-local00';

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/** `secrets`: secret ARN -> its SecretString. */
export async function startSecrets(secrets: Record<string, string>): Promise<EmbeddedSecrets> {
  const reads: SecretRead[] = [];
  const server = createServer((req, res) => {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(value));
    };
    void body(req)
      .then((input) => {
        const operation = String(req.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
        if (operation !== 'GetSecretValue')
          return reply(400, { __type: 'InvalidRequestException', message: `${operation} is not emulated` });
        const id = String(input.SecretId ?? '');
        reads.push({ secretId: id, caller: /^\/fn\/([^/]+)/.exec(req.url ?? '')?.[1] });
        const value = secrets[id];
        if (value === undefined)
          return reply(400, {
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret.",
          });
        return reply(200, { ARN: id, Name: id.split(':secret:')[1], SecretString: value, VersionId: 'v1' });
      })
      .catch(() => reply(400, { __type: 'SerializationException', message: 'the request body is not JSON' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reads,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
