// The Mac port in this process, for `simulate` (which runs every handler in one process, where a round trip to
// the embedded KMS per commit would be most of its time): HMAC-SHA256 with node:crypto, the algorithm of the KMS
// HMAC key, with a key made for the run. Chosen by AWS_ENDPOINT_URL_KMS=memory: like the other in-memory
// adapters; the embedded stack of `npm start` and every test of the KMS path use the embedded KMS.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mac } from '../../ports/mac.js';

const keys = new Map<string, Buffer>();

export function memoryMac(keyId: string): Mac {
  let key = keys.get(keyId);
  if (!key) {
    key = randomBytes(32);
    keys.set(keyId, key);
  }
  const bytes = (message: string) => createHmac('sha256', key).update(message, 'utf8').digest();
  return {
    async sign(message) {
      return bytes(message).toString('base64url');
    },
    async verify(message, mac) {
      const given = Buffer.from(mac, 'base64url');
      const expected = bytes(message);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export function dropMemoryMac(keyId: string): void {
  keys.delete(keyId);
}
