// The session cookie, the server-side session behind it and the same-origin rule, as every staff handler and the
// sign-in handler apply them; and the sign-in handler against a fake identity provider (the real flow through the
// embedded OpenID provider is in test/integration/http/signin.test.ts).
import { describe, expect, it } from 'vitest';
import { memorySessions } from '../../../functions/adapters/memory/sessions.js';
import { CrossSiteRequestError, ForbiddenError, SignInFailedError } from '../../../functions/core/errors.js';
import { RoleRefusedError } from '../../../functions/core/roles.js';
import type { HttpEvent } from '../../../functions/edge/http.js';
import { logger } from '../../../functions/edge/logger.js';
import {
  cookieName,
  crossSiteReason,
  newCookieSecret,
  readCookie,
  refuseCrossSite,
  sessionMember,
  setCookie,
  siteOf,
  staffRoute,
  storeKeyOf,
} from '../../../functions/edge/session.js';
import { signInRoutes, type SignInDeps } from '../../../functions/handlers/signin.js';
import type { IdentityProvider } from '../../../functions/ports/identity-provider.js';

logger.setLogLevel('SILENT');

const HTTPS = siteOf('https://vendors.bank.example');
const HTTP = siteOf('http://127.0.0.1:3000');

function event(method: string, routeKey: string, over: Partial<HttpEvent> = {}): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1]!,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method }, domainName: 'vendors.bank.example' },
    ...over,
  } as HttpEvent;
}

const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

describe('the session cookie', () => {
  it('is __Host- prefixed, Secure, HttpOnly and SameSite=Lax on HTTPS; unprefixed without Secure on HTTP', () => {
    expect(setCookie('session', HTTPS, 'v', 60)).toBe(
      '__Host-bk_session=v; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=60',
    );
    expect(setCookie('signin', HTTP, 'v', 0)).toBe('bk_signin=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(cookieName('session', HTTPS)).toBe('__Host-bk_session');
  });

  it('is read from API Gateway’s cookies or a Cookie header, by exact name', () => {
    const e = event('GET', 'GET /', {
      cookies: ['a=1', 'bk_session=x=y'],
      headers: { cookie: 'other=2; __Host-bk_session=z' },
    });
    expect(readCookie(e, 'bk_session')).toBe('x=y');
    expect(readCookie(e, '__Host-bk_session')).toBe('z');
    expect(readCookie(e, 'bk')).toBeUndefined();
  });

  it('holds 32 random bytes; the store holds only their SHA-256, and nothing for a value never issued', () => {
    const secret = newCookieSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(storeKeyOf(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(storeKeyOf(secret)).not.toContain(secret);
    for (const forged of [undefined, '', 'e30.AAAA', `${secret}x`, '../../etc/passwd'])
      expect(storeKeyOf(forged)).toBeUndefined();
  });
});

describe('a session', () => {
  const sessions = memorySessions('unit-sessions');
  const clock = clockAt('2026-11-26T10:00:00Z');
  const deps = { sessions, clock, publicBaseUrl: 'https://vendors.bank.example' };
  const member = { email: 'priya.raman@bank.example', name: 'Priya', roles: ['vendor-manager' as const] };

  async function withSession(expiresAt: string) {
    const secret = newCookieSecret();
    await sessions.saveSession(storeKeyOf(secret)!, { member, createdAt: '2026-11-26T09:00:00Z', expiresAt });
    return secret;
  }

  it('names its person until it expires, and nobody once ended', async () => {
    const secret = await withSession('2026-11-26T18:00:00Z');
    const e = event('GET', 'GET /', { cookies: [`__Host-bk_session=${secret}`] });
    expect(await sessionMember(e, deps)).toEqual(member);
    clock.set('2026-11-26T18:00:00Z');
    expect(await sessionMember(e, deps)).toBeUndefined();
    clock.set('2026-11-26T10:00:00Z');
    await sessions.endSession(storeKeyOf(secret)!);
    expect(await sessionMember(e, deps)).toBeUndefined();
  });

  it('is not read from the unprefixed cookie on HTTPS (a sibling host could have set that one)', async () => {
    const secret = await withSession('2026-11-26T18:00:00Z');
    expect(
      await sessionMember(event('GET', 'GET /', { cookies: [`bk_session=${secret}`] }), deps),
    ).toBeUndefined();
  });

  it('lets a staff route run with its person; without one it is a sign-in, without a role a 403', async () => {
    const route = staffRoute(
      () => deps,
      async (_e, who) => ({ statusCode: 200, body: who.email }),
    );
    const secret = await withSession('2026-11-26T18:00:00Z');
    const ok = await route(event('GET', 'GET /', { cookies: [`__Host-bk_session=${secret}`] }));
    expect(ok.body).toBe('priya.raman@bank.example');
    await expect(route(event('GET', 'GET /'))).rejects.toBeInstanceOf(ForbiddenError);
    const nobody = newCookieSecret();
    await sessions.saveSession(storeKeyOf(nobody)!, {
      member: { ...member, roles: [] },
      createdAt: '2026-11-26T09:00:00Z',
      expiresAt: '2026-11-26T18:00:00Z',
    });
    await expect(
      route(event('GET', 'GET /', { cookies: [`__Host-bk_session=${nobody}`] })),
    ).rejects.toBeInstanceOf(RoleRefusedError);
  });

  it('refuses a cross-site post before it reads any session', async () => {
    let read = 0;
    const counting = { ...deps, sessions: { ...sessions, findSession: async () => (read++, undefined) } };
    const route = staffRoute(
      () => counting,
      async () => ({ statusCode: 200 }),
    );
    await expect(
      route(event('POST', 'POST /x', { headers: { origin: 'https://evil.example' } })),
    ).rejects.toBeInstanceOf(CrossSiteRequestError);
    expect(read).toBe(0);
  });
});

describe('the same-origin rule', () => {
  const origin = 'https://vendors.bank.example';
  it('lets reads through, and posts from this origin', () => {
    expect(crossSiteReason('GET', { origin: 'https://evil.example' }, origin)).toBeUndefined();
    expect(crossSiteReason('POST', { origin }, origin)).toBeUndefined();
    expect(crossSiteReason('POST', { 'sec-fetch-site': 'same-origin' }, origin)).toBeUndefined();
  });

  it('refuses posts from another origin, a same-site sibling, an opaque origin, or saying nothing', () => {
    expect(crossSiteReason('POST', { origin: 'https://evil.example' }, origin)).toBe(
      'it came from https://evil.example',
    );
    expect(crossSiteReason('POST', { origin: 'https://wiki.bank.example' }, origin)).toMatch(/wiki/);
    expect(crossSiteReason('POST', { origin: 'http://vendors.bank.example' }, origin)).toMatch(/http:/);
    expect(crossSiteReason('POST', { origin: 'null' }, origin)).toMatch(/null/);
    expect(crossSiteReason('POST', { 'sec-fetch-site': 'same-site' }, origin)).toMatch(/same-site/);
    expect(crossSiteReason('POST', {}, origin)).toMatch(/no Origin/);
    expect(() => refuseCrossSite(event('POST', 'POST /signout'), HTTPS)).toThrow(CrossSiteRequestError);
  });
});

describe('the sign-in handler (fake identity provider)', () => {
  function setup(
    claims: Record<string, unknown> | Error = { email: 'Tara@Bank.Example', groups: ['leads'] },
  ) {
    const sessions = memorySessions(`unit-signin-${Math.random()}`);
    const begun: { redirectUri: string; prompt?: string }[] = [];
    const finished: { state: string; codeVerifier: string; nonce: string; redirectUri: string }[] = [];
    const identity: IdentityProvider = {
      async begin(input) {
        begun.push(input);
        return {
          url: 'https://login.bank.example/authorize?x=1',
          state: 's1',
          nonce: 'n1',
          codeVerifier: 'v1',
        };
      },
      async finish(url, expected) {
        finished.push(expected);
        if (url.searchParams.get('state') !== expected.state) throw new SignInFailedError('state mismatch');
        if (claims instanceof Error) throw claims;
        return claims;
      },
    };
    const deps: SignInDeps = {
      sessions,
      identity,
      clock: clockAt('2026-11-26T10:00:00Z'),
      config: {
        publicBaseUrl: 'https://vendors.bank.example',
        oidc: { groupsClaim: 'groups', roleMapping: { leads: 'compliance-lead' } },
      },
    };
    const handle = signInRoutes(() => deps);
    const start = async (query = 'next=%2Freview') => {
      const answer = await handle(
        event('GET', 'GET /signin', {
          rawQueryString: query,
          queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
        }),
      );
      const cookie = answer.cookies![0]!.split(';')[0]!;
      return { answer, cookie };
    };
    const callback = (query: string, cookie?: string) =>
      handle(
        event('GET', 'GET /callback', { rawQueryString: query, ...(cookie ? { cookies: [cookie] } : {}) }),
      );
    return { deps, sessions, begun, finished, start, callback, handle };
  }

  it('starts a code flow bound to this browser, then makes a server-side session of the answer', async () => {
    const t = setup();
    const { answer, cookie } = await t.start();
    expect(answer.statusCode).toBe(303);
    expect(answer.headers!.location).toBe('https://login.bank.example/authorize?x=1');
    expect(cookie).toMatch(/^__Host-bk_signin=[A-Za-z0-9_-]{43}$/);
    expect(t.begun).toEqual([{ redirectUri: 'https://vendors.bank.example/callback' }]);
    const done = await t.callback('code=c1&state=s1', cookie);
    expect(done.statusCode).toBe(303);
    expect(done.headers!.location).toBe('/review');
    expect(t.finished[0]).toMatchObject({ state: 's1', nonce: 'n1', codeVerifier: 'v1' });
    const session = done.cookies!.find((c) => c.startsWith('__Host-bk_session='))!;
    expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=28800$/);
    const secret = session.split(';')[0]!.split('=')[1]!;
    expect(await t.sessions.findSession(storeKeyOf(secret)!)).toMatchObject({
      member: { email: 'tara@bank.example', roles: ['compliance-lead'] },
      expiresAt: '2026-11-26T18:00:00.000Z',
    });
    // The attempt was used up: the same callback again is refused before the provider is asked.
    const again = await t.callback('code=c1&state=s1', cookie);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('already used');
    expect(t.finished).toHaveLength(1);
  });

  it('asks the provider for a fresh sign-in when switching person', async () => {
    const t = setup();
    await t.start('switch=1');
    expect(t.begun[0]!.prompt).toBe('login');
  });

  it('refuses a callback without its attempt cookie, or with a wrong state, and creates no session', async () => {
    const t = setup();
    expect((await t.callback('code=c1&state=s1')).statusCode).toBe(400);
    const { cookie } = await t.start();
    const wrong = await t.callback('code=c1&state=forged', cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.cookies).toBeUndefined();
  });

  it('answers a person without a Bridgekeeper role with a 403 naming the roles, and no session', async () => {
    const t = setup({ email: 'victor@bank.example', groups: ['all-staff'] });
    const { cookie } = await t.start();
    const refused = await t.callback('code=c1&state=s1', cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('vendor-manager, compliance-lead or auditor');
    expect(refused.cookies).toBeUndefined();
  });

  it('signs out on the server, from this site only', async () => {
    const t = setup();
    const { cookie } = await t.start();
    const done = await t.callback('code=c1&state=s1', cookie);
    const session = done.cookies![0]!.split(';')[0]!;
    const secret = session.split('=')[1]!;
    const forged = await t.handle(
      event('POST', 'POST /signout', { cookies: [session], headers: { origin: 'https://evil.example' } }),
    );
    expect(forged.statusCode).toBe(403);
    expect(await t.sessions.findSession(storeKeyOf(secret)!)).toBeDefined();
    const out = await t.handle(
      event('POST', 'POST /signout', {
        cookies: [session],
        headers: { origin: 'https://vendors.bank.example' },
      }),
    );
    expect(out.statusCode).toBe(200);
    expect(out.cookies).toEqual(['__Host-bk_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0']);
    expect(await t.sessions.findSession(storeKeyOf(secret)!)).toBeUndefined();
  });
});
