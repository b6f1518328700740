// A Mac for unit tests: HMAC-SHA256 with a fixed key, the algorithm of the KMS HMAC key (the KMS adapter and the
// embedded KMS are exercised by the integration and deployed suites).
import { createHmac } from 'node:crypto';
import type { Mac } from '../../functions/ports/mac.js';

export function testMac(seed = 1): Mac {
  const key = Buffer.alloc(32, seed);
  return { sign: async (message) => createHmac('sha256', key).update(message, 'utf8').digest('base64url') };
}
