// The MAC key of a function: a KMS HMAC key (MAC_KEY_ID is its id or ARN), on AWS and on the embedded KMS alike
// (only AWS_ENDPOINT_URL_KMS differs); in this process's memory when that endpoint is `memory:` (`simulate`).
import { endpointOf, MEMORY_ENDPOINT } from '../adapters/aws.js';
import { kmsMac } from '../adapters/kms/mac.js';
import { memoryMac } from '../adapters/memory/mac.js';
import type { Mac } from '../ports/mac.js';

export function openMac(macKey: string): Mac {
  if (endpointOf('KMS') === MEMORY_ENDPOINT) return memoryMac(macKey);
  return kmsMac(macKey);
}
