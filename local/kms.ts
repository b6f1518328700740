// The embedded KMS, for HMAC keys only (GenerateMac, VerifyMac with HMAC_SHA_256): the one AWS service
// Bridgekeeper uses that no npm emulator provides. It speaks KMS's JSON protocol on loopback, so the handlers'
// KMS adapter runs unchanged (only AWS_ENDPOINT_URL_KMS differs). Like the other embedded servers it checks no
// signature. Each key id gets its own key material, derived from one master secret kept in the data directory
// (links in kept e-mails stay valid across restarts).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

export interface EmbeddedKms {
  endpoint: string;
  /** A key ARN to configure functions with (any key id works; each has its own material). */
  keyArn: string;
  stop(): Promise<void>;
}

/** The key id the embedded stack configures its functions with (any id works; each has its own material). */
export const LOCAL_MAC_KEY = 'arn:aws:kms:us-east-1:000000000000:key/bridgekeeper-local-mac';

/** Messages are at most 4096 bytes, as on AWS KMS (API Reference, GenerateMac). */
const MAX_MESSAGE_BYTES = 4096;

function masterSecret(file: string | undefined): Buffer {
  if (file && existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (/^([0-9a-f]{2}){32}$/.test(hex)) return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
  }
  return secret;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

export async function startKms(options: { secretFile?: string } = {}): Promise<EmbeddedKms> {
  const master = masterSecret(options.secretFile);
  const keyOf = (keyId: string) => createHmac('sha256', master).update(`key/${keyId}`).digest();
  const server = createServer((req, res) => {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(value));
    };
    void body(req)
      .then((input) => {
        const operation = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
        const keyId = String(input.KeyId ?? '');
        const message = Buffer.from(String(input.Message ?? ''), 'base64');
        if (!keyId) return reply(400, { __type: 'ValidationException', message: 'KeyId is required' });
        if (input.MacAlgorithm !== 'HMAC_SHA_256')
          return reply(400, { __type: 'InvalidKeyUsageException', message: 'only HMAC_SHA_256 keys here' });
        if (message.length === 0 || message.length > MAX_MESSAGE_BYTES)
          return reply(400, { __type: 'ValidationException', message: 'Message must be 1 to 4096 bytes' });
        const mac = createHmac('sha256', keyOf(keyId)).update(message).digest();
        if (operation === 'GenerateMac')
          return reply(200, { KeyId: keyId, Mac: mac.toString('base64'), MacAlgorithm: 'HMAC_SHA_256' });
        if (operation === 'VerifyMac') {
          const given = Buffer.from(String(input.Mac ?? ''), 'base64');
          const valid = given.length === mac.length && timingSafeEqual(given, mac);
          if (!valid)
            return reply(400, { __type: 'KMSInvalidMacException', message: 'the MAC does not verify' });
          return reply(200, { KeyId: keyId, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' });
        }
        return reply(400, {
          __type: 'UnsupportedOperationException',
          message: `${operation} is not emulated`,
        });
      })
      .catch(() => reply(400, { __type: 'SerializationException', message: 'the request body is not JSON' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    keyArn: LOCAL_MAC_KEY,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
