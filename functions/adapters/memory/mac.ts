// The Mac port with a key held by this process (the embedded stack keeps it in its data directory): HMAC-SHA256
// with node:crypto, the same algorithm as the KMS key on AWS.
import { createHmac } from 'node:crypto';
import type { Mac } from '../../ports/mac.js';

export function localMac(key: Buffer): Mac {
  if (key.length < 32) throw new RangeError('a local MAC key has at least 32 bytes');
  return {
    async sign(message) {
      return createHmac('sha256', key).update(message, 'utf8').digest('base64url');
    },
  };
}
