import { describe, expect, it } from 'vitest';
import {
  MAX_LINK_DAYS,
  hashToken,
  isWellFormedToken,
  linkExpiresAt,
  linkVerdict,
  newUploadLink,
  tokenMatches,
} from '../../../functions/core/upload-link.js';

const opened = new Date('2026-11-01T09:00:00Z');

function request(overrides: Partial<Parameters<typeof linkVerdict>[1]> = {}) {
  const link = newUploadLink();
  return {
    link,
    request: {
      tokenHash: link.tokenHash,
      expiresAt: linkExpiresAt(opened).toISOString(),
      openedAt: opened.toISOString(),
      open: true,
      ...overrides,
    },
  };
}

describe('upload links', () => {
  it('carries 256 random bits in base64url and stores only their SHA-256', () => {
    const a = newUploadLink();
    const b = newUploadLink();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.tokenHash).toBe(hashToken(a.token));
    expect(a.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tokenHash).not.toContain(a.token);
  });

  it('matches only its own token', () => {
    const a = newUploadLink();
    const b = newUploadLink();
    expect(tokenMatches(a.token, a.tokenHash)).toBe(true);
    expect(tokenMatches(b.token, a.tokenHash)).toBe(false);
    expect(tokenMatches(a.token, 'abcd')).toBe(false);
    expect(tokenMatches(a.token, '')).toBe(false);
  });

  it('refuses malformed tokens before any lookup', () => {
    expect(isWellFormedToken(newUploadLink().token)).toBe(true);
    expect(isWellFormedToken('')).toBe(false);
    expect(isWellFormedToken('a'.repeat(42))).toBe(false);
    expect(isWellFormedToken('a'.repeat(44))).toBe(false);
    expect(isWellFormedToken(`${'a'.repeat(42)}=`)).toBe(false);
    expect(isWellFormedToken(`${'a'.repeat(42)}/`)).toBe(false);
  });

  it('never lives longer than 90 days', () => {
    expect(linkExpiresAt(opened).toISOString()).toBe('2027-01-30T09:00:00.000Z');
    expect(linkExpiresAt(opened, 400).getTime()).toBe(opened.getTime() + MAX_LINK_DAYS * 86_400_000);
    expect(linkExpiresAt(opened, 7).toISOString()).toBe('2026-11-08T09:00:00.000Z');
  });

  it('is live while the request is open and before it expires', () => {
    const { link, request: r } = request();
    expect(linkVerdict(link.token, r, new Date('2026-11-02T00:00:00Z'))).toBe('live');
    expect(linkVerdict(link.token, r, new Date('2027-01-30T08:59:59Z'))).toBe('live');
  });

  it('gives the same answer for expired, closed, unknown, forged and other-vendor tokens', () => {
    const { link, request: r } = request();
    const other = request();
    const now = new Date('2026-11-02T00:00:00Z');
    expect(linkVerdict(link.token, r, new Date('2027-01-30T09:00:00Z'))).toBe('dead');
    expect(linkVerdict(link.token, { ...r, open: false }, now)).toBe('dead');
    expect(linkVerdict(link.token, undefined, now)).toBe('dead');
    expect(linkVerdict(newUploadLink().token, r, now)).toBe('dead');
    expect(linkVerdict(other.link.token, r, now)).toBe('dead');
    expect(linkVerdict('<script>', r, now)).toBe('dead');
  });

  it('caps a stored expiry that was set beyond 90 days', () => {
    const { link, request: r } = request({ expiresAt: '2030-01-01T00:00:00Z' });
    expect(linkVerdict(link.token, r, new Date('2027-01-31T00:00:00Z'))).toBe('dead');
    expect(linkVerdict(link.token, r, new Date('2027-01-29T00:00:00Z'))).toBe('live');
  });
});
