import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../local/http/gateway.js';
import { SessionSigner, cookieValue } from '../../../local/http/session.js';
import { HTTP_ROUTES } from '../../../functions/catalog.js';

describe('route table (as API Gateway matches routes)', () => {
  const table = new RouteTable();
  it('matches path parameters and decodes them', () => {
    expect(table.match('GET', '/u/abc_DEF-123')).toMatchObject({
      route: { path: '/u/{token}', auth: 'public' },
      params: { token: 'abc_DEF-123' },
    });
    expect(table.match('POST', '/review/acme-pay/up-1')?.params).toEqual({
      vendorId: 'acme-pay',
      documentId: 'up-1',
    });
    expect(table.match('GET', '/vendors/a%20b')?.params).toEqual({ vendorId: 'a b' });
  });
  it('finds nothing for unknown paths, wrong methods and malformed escapes', () => {
    expect(table.match('GET', '/nope')).toBeUndefined();
    expect(table.match('DELETE', '/review')).toBeUndefined();
    expect(table.pathExists('/review')).toBe(true);
    expect(table.match('GET', '/vendors/%E0%A4%A')).toBeUndefined();
    expect(table.match('GET', '/u/a/b')).toBeUndefined();
  });
  it('puts every staff page behind sign-in and only the secret links and assets in public', () => {
    const publicPaths = HTTP_ROUTES.filter((r) => r.auth === 'public').map((r) => r.path);
    expect(new Set(publicPaths)).toEqual(
      new Set([
        '/u/{token}',
        '/u/{token}/uploads',
        '/u/{token}/uploads/{uploadId}',
        '/assets/{file}',
        // A member of staff's calendar feed: its secret link is the credential.
        '/calendar/{token}',
      ]),
    );
  });
});

describe('local session cookie', () => {
  it('verifies only what it signed, until it expires', () => {
    const signer = new SessionSigner();
    const value = signer.issue('jane@bank.example', 'Jane', 1_000);
    expect(signer.verify(value, 2_000)).toMatchObject({ email: 'jane@bank.example', name: 'Jane' });
    expect(signer.verify(value, 1_000 + 13 * 3_600_000)).toBeUndefined();
    expect(new SessionSigner().verify(value, 2_000)).toBeUndefined();
    const [payload, mac] = value.split('.');
    const forged = Buffer.from(
      JSON.stringify({ email: 'boss@bank.example', name: 'B', expires: 9e15 }),
    ).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`, 2_000)).toBeUndefined();
    expect(signer.verify(`${payload}.`, 2_000)).toBeUndefined();
    expect(signer.verify(undefined)).toBeUndefined();
  });
  it('reads a cookie from the header', () => {
    expect(cookieValue('a=1; bk_session=x.y=; b=2', 'bk_session')).toBe('x.y=');
    expect(cookieValue(undefined, 'bk_session')).toBeUndefined();
  });
});
