// Vendor upload links: the link is the vendor's only credential. Its token is a MAC (functions/ports/mac.ts) over
// the vendor, the request and a random nonce, so only Bridgekeeper can mint one, and only the token's SHA-256 is
// ever stored. A request keeps one link for its whole life (every follow-up carries the link the request e-mail
// carried); a link opens exactly one open request of one vendor and dies with it, or after 90 days.
import { createHash, timingSafeEqual } from 'node:crypto';

/** A link never lives longer than this, however long its request stays open. */
export const MAX_LINK_DAYS = 90;

/** A request's link is renewed (a new one, the old one still working) when it has fewer days left than this. */
export const RENEW_LINK_DAYS = 14;

/** An HMAC-SHA256 in base64url without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const NONCE_PATTERN = /^[a-f0-9]{32}$/;
const DAY_MS = 86_400_000;

/** What a link's token is the MAC of: versioned, so that the scheme can change without old links colliding. */
export function linkMessage(vendorId: string, requestId: string, nonce: string): string {
  if (!NONCE_PATTERN.test(nonce)) throw new TypeError('a link nonce is 16 random bytes in hex');
  return `bridgekeeper/upload-link/v1/${vendorId}/${requestId}/${nonce}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Shape check only (cheap, before any lookup); says nothing about validity. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Constant-time comparison of a presented token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  // Both are SHA-256 digests: equal lengths unless the stored value is corrupt.
  if (presented.length !== stored.length || stored.length !== 32) return false;
  return timingSafeEqual(presented, stored);
}

/**
 * When a link opened at `openedAt` dies: `MAX_LINK_DAYS` later, or earlier when the caller asks for less
 * (`requestedDays`). Closing the request kills it sooner still (see `linkIsLive`).
 */
export function linkExpiresAt(openedAt: Date, requestedDays: number = MAX_LINK_DAYS): Date {
  const days = Math.min(Math.max(requestedDays, 0), MAX_LINK_DAYS);
  return new Date(openedAt.getTime() + days * DAY_MS);
}

export interface StoredLink {
  /** The stored hash of the link's token. */
  tokenHash: string;
  /** ISO instant when the link dies. */
  expiresAt: string;
  /** ISO instant when the link was issued (bounds the 90 days even if expiresAt was stored too far out). */
  issuedAt?: string;
}

export interface LinkedRequest {
  tokenHash: string;
  expiresAt: string;
  linkIssuedAt?: string;
  /** The link before the last renewal, still good until its own end. */
  previousLink?: StoredLink;
  /** false once the request is closed (an accepted basis report closes it). */
  open: boolean;
}

function linkLive(token: string, link: StoredLink, now: Date): boolean {
  if (!tokenMatches(token, link.tokenHash)) return false;
  const expires = Date.parse(link.expiresAt);
  if (Number.isNaN(expires) || now.getTime() >= expires) return false;
  if (link.issuedAt !== undefined) {
    const issued = Date.parse(link.issuedAt);
    if (Number.isNaN(issued) || now.getTime() >= issued + MAX_LINK_DAYS * DAY_MS) return false;
  }
  return true;
}

/** Whether the request's current link should be renewed now (it ends within RENEW_LINK_DAYS). */
export function linkNeedsRenewal(request: Pick<LinkedRequest, 'expiresAt'>, now: Date): boolean {
  return Date.parse(request.expiresAt) - now.getTime() < RENEW_LINK_DAYS * DAY_MS;
}

export type LinkVerdict = 'live' | 'dead';

/**
 * Whether a presented token opens this request now. One answer for every way a link can be bad (unknown,
 * expired, closed, another vendor's), so that the response tells an attacker nothing.
 */
export function linkVerdict(token: string, request: LinkedRequest | undefined, now: Date): LinkVerdict {
  if (!isWellFormedToken(token) || request === undefined || !request.open) return 'dead';
  const current: StoredLink = {
    tokenHash: request.tokenHash,
    expiresAt: request.expiresAt,
    ...(request.linkIssuedAt ? { issuedAt: request.linkIssuedAt } : {}),
  };
  if (linkLive(token, current, now)) return 'live';
  if (request.previousLink && linkLive(token, request.previousLink, now)) return 'live';
  return 'dead';
}
