// Vendor upload links: the link is the vendor's only credential, so it carries 256 random bits and only their
// SHA-256 is ever stored. A link opens exactly one open request of one vendor and dies with it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A link never lives longer than this, however long its request stays open. */
export const MAX_LINK_DAYS = 90;

const TOKEN_BYTES = 32;
/** 32 bytes in base64url without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

export interface UploadLink {
  /** Goes into the e-mail and nowhere else (never stored, never logged). */
  token: string;
  /** What the request stores: hex SHA-256 of the token. */
  tokenHash: string;
}

/** A fresh link: 32 random bytes, base64url. */
export function newUploadLink(): UploadLink {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashToken(token) };
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

export interface LinkedRequest {
  /** The stored hash of the request's token. */
  tokenHash: string;
  /** ISO instant when the link dies. */
  expiresAt: string;
  /** ISO instant when the request was opened (bounds the 90 days even if expiresAt was stored too far out). */
  openedAt?: string;
  /** false once the request is closed (an accepted basis report closes it). */
  open: boolean;
}

export type LinkVerdict = 'live' | 'dead';

/**
 * Whether a presented token opens this request now. One answer for every way a link can be bad (unknown,
 * expired, closed, another vendor's), so that the response tells an attacker nothing.
 */
export function linkVerdict(token: string, request: LinkedRequest | undefined, now: Date): LinkVerdict {
  if (!isWellFormedToken(token) || request === undefined) return 'dead';
  if (!tokenMatches(token, request.tokenHash)) return 'dead';
  if (!request.open) return 'dead';
  const expires = Date.parse(request.expiresAt);
  if (Number.isNaN(expires) || now.getTime() >= expires) return 'dead';
  if (request.openedAt !== undefined) {
    const opened = Date.parse(request.openedAt);
    if (Number.isNaN(opened) || now.getTime() >= opened + MAX_LINK_DAYS * DAY_MS) return 'dead';
  }
  return 'live';
}
