// The Mac port on an AWS KMS HMAC key (KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC): GenerateMac with
// HMAC_SHA_256. The key never leaves KMS; only the functions granted kms:GenerateMac on it can mint a MAC. KMS
// takes messages of at most 4096 bytes (AWS KMS API Reference, GenerateMac).
import { GenerateMacCommand, KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import { UnavailableError } from '../../core/errors.js';
import type { Mac } from '../../ports/mac.js';
import { clientConfig } from '../aws.js';

const TRANSIENT = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException']);

function mapped(error: unknown): never {
  const name = (error as Error).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (TRANSIENT.has(name) || (status !== undefined && status >= 500))
    throw new UnavailableError(`KMS: ${name}`, { cause: error });
  throw error;
}

function bytesOf(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length > 4096) throw new RangeError('a MAC message is at most 4096 bytes');
  return bytes;
}

export function kmsMac(keyId: string, client = new KMSClient(clientConfig('KMS'))): Mac {
  return {
    async sign(message) {
      try {
        const out = await client.send(
          new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: bytesOf(message) }),
        );
        return Buffer.from(out.Mac ?? new Uint8Array()).toString('base64url');
      } catch (error) {
        return mapped(error);
      }
    },
    async verify(message, mac) {
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== 32) return false;
      try {
        const out = await client.send(
          new VerifyMacCommand({
            KeyId: keyId,
            MacAlgorithm: 'HMAC_SHA_256',
            Message: bytesOf(message),
            Mac: given,
          }),
        );
        return out.MacValid === true;
      } catch (error) {
        // KMS answers an invalid MAC with an error, not with MacValid: false.
        if ((error as Error).name === 'KMSInvalidMacException') return false;
        return mapped(error);
      }
    },
  };
}
