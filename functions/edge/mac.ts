// The MAC key of a function: a KMS HMAC key on AWS (MAC_KEY_ID is its ARN), or `local:<hex>`, a key the embedded
// stack keeps in its data directory.
import { kmsMac } from '../adapters/kms/mac.js';
import { localMac } from '../adapters/memory/mac.js';
import type { Mac } from '../ports/mac.js';
import { ConfigurationError } from './config.js';

export function openMac(macKey: string): Mac {
  if (macKey.startsWith('local:')) {
    const hex = macKey.slice('local:'.length);
    if (!/^([0-9a-f]{2}){32,}$/.test(hex))
      throw new ConfigurationError('configuration: MAC_KEY_ID local:<hex> needs at least 32 bytes of hex');
    return localMac(Buffer.from(hex, 'hex'));
  }
  return kmsMac(macKey);
}
