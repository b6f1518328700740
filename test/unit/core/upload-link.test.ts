import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_LINK_DAYS,
  RENEW_LINK_DAYS,
  hashToken,
  isWellFormedToken,
  linkExpiresAt,
  linkMessage,
  linkNeedsRenewal,
  linkVerdict,
  tokenMatches,
} from '../../../functions/core/upload-link.js';
import { testMac } from '../../support/mac.js';

const opened = new Date('2026-11-01T09:00:00Z');
const mac = testMac(7);
const nonce = () => randomBytes(16).toString('hex');

/** A link minted the way the plan mints one: the MAC of the request and a fresh nonce. */
async function newLink(requestId = 'acme-r1') {
  const token = await mac.sign(linkMessage('acme', requestId, nonce()));
  return { token, tokenHash: hashToken(token) };
}

async function request(overrides: Partial<Parameters<typeof linkVerdict>[1]> = {}) {
  const link = await newLink();
  return {
    link,
    request: {
      tokenHash: link.tokenHash,
      expiresAt: linkExpiresAt(opened).toISOString(),
      linkIssuedAt: opened.toISOString(),
      open: true,
      ...overrides,
    },
  };
}

describe('upload links', () => {
  it('is a MAC: the same request and nonce give the same token, anything else another; only its hash is kept', async () => {
    const n = nonce();
    const a = await mac.sign(linkMessage('acme', 'acme-r1', n));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(await mac.sign(linkMessage('acme', 'acme-r1', n))).toBe(a);
    expect(await mac.sign(linkMessage('acme', 'acme-r1', nonce()))).not.toBe(a);
    expect(await mac.sign(linkMessage('acme', 'acme-r2', n))).not.toBe(a);
    expect(await testMac(8).sign(linkMessage('acme', 'acme-r1', n))).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => linkMessage('acme', 'acme-r1', 'not-a-nonce')).toThrow(TypeError);
  });

  it('matches only its own token', async () => {
    const a = await newLink();
    const b = await newLink();
    expect(tokenMatches(a.token, a.tokenHash)).toBe(true);
    expect(tokenMatches(b.token, a.tokenHash)).toBe(false);
    expect(tokenMatches(a.token, 'abcd')).toBe(false);
    expect(tokenMatches(a.token, '')).toBe(false);
  });

  it('refuses malformed tokens before any lookup', async () => {
    expect(isWellFormedToken((await newLink()).token)).toBe(true);
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

  it('is live while the request is open and before it expires', async () => {
    const { link, request: r } = await request();
    expect(linkVerdict(link.token, r, new Date('2026-11-02T00:00:00Z'))).toBe('live');
    expect(linkVerdict(link.token, r, new Date('2027-01-30T08:59:59Z'))).toBe('live');
  });

  it('gives the same answer for expired, closed, unknown, forged and other-vendor tokens', async () => {
    const { link, request: r } = await request();
    const other = await request();
    const now = new Date('2026-11-02T00:00:00Z');
    expect(linkVerdict(link.token, r, new Date('2027-01-30T09:00:00Z'))).toBe('dead');
    expect(linkVerdict(link.token, { ...r, open: false }, now)).toBe('dead');
    expect(linkVerdict(link.token, undefined, now)).toBe('dead');
    expect(linkVerdict((await newLink()).token, r, now)).toBe('dead');
    expect(linkVerdict(other.link.token, r, now)).toBe('dead');
    expect(linkVerdict('<script>', r, now)).toBe('dead');
  });

  it('caps a stored expiry that was set beyond 90 days', async () => {
    const { link, request: r } = await request({ expiresAt: '2030-01-01T00:00:00Z' });
    expect(linkVerdict(link.token, r, new Date('2027-01-31T00:00:00Z'))).toBe('dead');
    expect(linkVerdict(link.token, r, new Date('2027-01-29T00:00:00Z'))).toBe('live');
  });

  it('after a renewal both links work, each until its own end, and only while the request is open', async () => {
    const { link: first, request: r } = await request();
    const second = await newLink();
    const renewedAt = new Date('2027-01-20T09:00:00Z');
    const renewed = {
      ...r,
      tokenHash: second.tokenHash,
      expiresAt: linkExpiresAt(renewedAt).toISOString(),
      linkIssuedAt: renewedAt.toISOString(),
      previousLink: { tokenHash: r.tokenHash, expiresAt: r.expiresAt, issuedAt: r.linkIssuedAt },
    };
    expect(linkVerdict(first.token, renewed, new Date('2027-01-29T00:00:00Z'))).toBe('live');
    expect(linkVerdict(second.token, renewed, new Date('2027-01-29T00:00:00Z'))).toBe('live');
    expect(linkVerdict(first.token, renewed, new Date('2027-01-30T09:00:00Z'))).toBe('dead');
    expect(linkVerdict(second.token, renewed, new Date('2027-04-01T00:00:00Z'))).toBe('live');
    expect(linkVerdict(first.token, { ...renewed, open: false }, new Date('2027-01-21T00:00:00Z'))).toBe(
      'dead',
    );
  });

  it(`is renewed when fewer than ${RENEW_LINK_DAYS} days are left`, () => {
    const expiresAt = linkExpiresAt(opened).toISOString();
    expect(linkNeedsRenewal({ expiresAt }, new Date('2027-01-16T09:00:00Z'))).toBe(false);
    expect(linkNeedsRenewal({ expiresAt }, new Date('2027-01-16T09:00:01Z'))).toBe(true);
  });
});
