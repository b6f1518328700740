// The Mac port on an AWS KMS HMAC key (KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC): GenerateMac with
// HMAC_SHA_256. The key never leaves KMS; only the functions granted kms:GenerateMac on it can mint a MAC. KMS
// takes messages of at most 4096 bytes (AWS KMS API Reference, GenerateMac).
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { UnavailableError } from '../../core/errors.js';
import type { Mac } from '../../ports/mac.js';
import { clientConfig } from '../aws.js';

const TRANSIENT = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException']);

export function kmsMac(keyId: string, client = new KMSClient(clientConfig('KMS'))): Mac {
  return {
    async sign(message) {
      const bytes = Buffer.from(message, 'utf8');
      if (bytes.length > 4096) throw new RangeError('a MAC message is at most 4096 bytes');
      try {
        const out = await client.send(
          new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: bytes }),
        );
        return Buffer.from(out.Mac ?? new Uint8Array()).toString('base64url');
      } catch (error) {
        const name = (error as Error).name;
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (TRANSIENT.has(name) || (status !== undefined && status >= 500))
          throw new UnavailableError(`KMS: ${name}`, { cause: error });
        throw error;
      }
    },
  };
}
