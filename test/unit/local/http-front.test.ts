import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../../local/http/gateway.js';
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
  it('puts every staff page behind sign-in and only the secret links (upload, CUEC owner, calendar), assets and sign-in in public', () => {
    const publicPaths = HTTP_ROUTES.filter((r) => r.auth === 'public').map((r) => r.path);
    expect(new Set(publicPaths)).toEqual(
      new Set([
        '/u/{token}',
        '/u/{token}/uploads',
        '/u/{token}/uploads/{uploadId}',
        '/c/{vendorId}/{token}',
        '/assets/{file}',
        '/signin',
        '/callback',
        '/signout',
        // A member of staff's calendar feed: its secret link is the credential.
        '/calendar/{token}',
      ]),
    );
  });
});
