// The link a CUEC owner gets to confirm a control's status (spec section 9): like the vendor's upload link, its
// token is a MAC (functions/ports/mac.ts) over the vendor, the confirmation and a random nonce, so only
// Bridgekeeper can mint one, and only the token's SHA-256 is stored. It opens one confirmation, once, for
// CUEC_LINK_DAYS; every dead link (answered, expired, unknown, another's) gets the same answer.
import { isWellFormedToken, tokenMatches } from './upload-link.js';
import type { CuecConfirmation } from './vendor-state.js';

/** How long an owner's link works. */
export const CUEC_LINK_DAYS = 30;
const DAY_MS = 86_400_000;
const NONCE_PATTERN = /^[a-f0-9]{32}$/;

/** What the token is the MAC of: versioned, and apart from the upload links' and the records' messages. */
export function cuecLinkMessage(vendorId: string, confirmationId: string, nonce: string): string {
  if (!NONCE_PATTERN.test(nonce)) throw new TypeError('a link nonce is 16 random bytes in hex');
  return `bridgekeeper/cuec-link/v1/${vendorId}/${confirmationId}/${nonce}`;
}

export function cuecLinkExpiresAt(now: Date): Date {
  return new Date(now.getTime() + CUEC_LINK_DAYS * DAY_MS);
}

/** The unanswered, unexpired confirmation a presented token opens, if any (constant-time hash comparison). */
export function confirmationForToken(
  confirmations: Readonly<Record<string, CuecConfirmation>> | undefined,
  token: string,
  now: Date,
): CuecConfirmation | undefined {
  if (!isWellFormedToken(token)) return undefined;
  for (const c of Object.values(confirmations ?? {})) {
    if (!tokenMatches(token, c.tokenHash)) continue;
    const expires = Date.parse(c.expiresAt);
    if (c.answeredAt || Number.isNaN(expires) || now.getTime() >= expires) return undefined;
    return c;
  }
  return undefined;
}
