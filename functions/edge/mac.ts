// The MAC key of a function: a KMS HMAC key (MAC_KEY_ID is its id or ARN), on AWS and on the embedded KMS
// alike (only AWS_ENDPOINT_URL_KMS differs).
import { kmsMac } from '../adapters/kms/mac.js';
import type { Mac } from '../ports/mac.js';

export function openMac(macKey: string): Mac {
  return kmsMac(macKey);
}
