// Staff sign-in with the bank's OpenID provider, the same code on AWS, in `npm start` and in every test:
//   GET  /signin    a new sign-in: an authorization request (PKCE S256, state, nonce) kept on the server for ten
//                   minutes under a cookie bound to this browser; the browser goes to the identity provider
//   GET  /callback  the provider's answer: the attempt taken (once), the code redeemed, the ID token verified, the
//                   person's groups mapped to roles; a session on the server and its cookie
//   POST /signout   the session deleted on the server and its cookie cleared
// No token is ever logged or stored: only who signed in, with which roles.
import { PAGE_FUNCTIONS } from '../catalog.js';
import { SignInFailedError, type Problem } from '../core/errors.js';
import { refusal } from '../core/roles.js';
import {
  safeNextPath,
  SESSION_HOURS,
  SIGN_IN_MINUTES,
  staffMemberOf,
  type RoleMapping,
} from '../core/staff-sign-in.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { IdentityProvider } from '../ports/identity-provider.js';
import type { SessionStore } from '../ports/sessions.js';
import { readConfig } from '../edge/config.js';
import {
  lambda,
  page,
  redirect,
  router,
  type ErrorPages,
  type HttpEvent,
  type RouteHandler,
} from '../edge/http.js';
import { openIdentityProvider } from '../edge/identity.js';
import { logger } from '../edge/logger.js';
import { lazy } from '../edge/runtime.js';
import {
  cookieName,
  newCookieSecret,
  readCookie,
  refuseCrossSite,
  setCookie,
  siteOf,
  storeKeyOf,
} from '../edge/session.js';
import { openSessions } from '../edge/sessions.js';
import { errorPage } from '../web/errors.js';
import { refusedPage, signedOutPage, signInFailedPage } from '../web/sign-in-pages.js';

export interface SignInDeps {
  sessions: SessionStore;
  identity: IdentityProvider;
  /** Real time: sessions and sign-ins last a person's working day, whatever the lifecycle's calendar says. */
  clock: Clock;
  config: { publicBaseUrl: string; oidc: { groupsClaim: string; roleMapping: RoleMapping } };
}

const deps = lazy((): SignInDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.signin.needs);
  return {
    sessions: openSessions(config.tableName),
    identity: openIdentityProvider(config.oidc),
    clock: systemClock,
    config,
  };
});

const signInPages: ErrorPages = {
  forbidden: () => page(errorPage('Not allowed', 'This request is not allowed.'), 403),
  refused: (message, needs) => page(refusedPage(message, needs), 403),
  notFound: (message) => page(errorPage('Not found', message), 404),
  invalid: (problems: Problem[]) => page(signInFailedPage(problems.map((p) => p.message).join('; ')), 400),
  failed: (message, statusCode) => page(errorPage('Not available', message), statusCode),
};

const minutes = (n: number) => n * 60_000;

export function signInRoutes(getDeps: () => SignInDeps): RouteHandler {
  const where = (d: SignInDeps, event: HttpEvent) => {
    const site = siteOf(d.config.publicBaseUrl, event);
    const base = d.config.publicBaseUrl || site.origin;
    return { site, redirectUri: `${base}/callback` };
  };

  return router(
    {
      'GET /signin': async (event) => {
        const d = getDeps();
        const { site, redirectUri } = where(d, event);
        const query = event.queryStringParameters ?? {};
        const start = await d.identity.begin({
          redirectUri,
          ...(query.switch ? { prompt: 'login' as const } : {}),
        });
        const secret = newCookieSecret();
        await d.sessions.saveAttempt(storeKeyOf(secret)!, {
          state: start.state,
          nonce: start.nonce,
          codeVerifier: start.codeVerifier,
          next: safeNextPath(query.next),
          expiresAt: new Date(d.clock.now().getTime() + minutes(SIGN_IN_MINUTES)).toISOString(),
        });
        return redirect(start.url, [setCookie('signin', site, secret, SIGN_IN_MINUTES * 60)]);
      },

      'GET /callback': async (event) => {
        const d = getDeps();
        const { site, redirectUri } = where(d, event);
        const key = storeKeyOf(readCookie(event, cookieName('signin', site)));
        // Taken before anything else: whatever happens next, this attempt (and its code) cannot be used again.
        const attempt = key ? await d.sessions.takeAttempt(key) : undefined;
        try {
          if (!attempt || !(Date.parse(attempt.expiresAt) > d.clock.now().getTime()))
            throw new SignInFailedError(
              'This sign-in expired, was already used, or was started in another browser.',
            );
          const callback = new URL(redirectUri);
          callback.search = event.rawQueryString ?? '';
          const claims = await d.identity.finish(callback, { ...attempt, redirectUri });
          const member = staffMemberOf(claims, d.config.oidc);
          if (!member)
            throw new SignInFailedError(
              'Your identity provider did not give your e-mail address (the email claim), which Bridgekeeper needs.',
            );
          const refused = refusal(member, 'read');
          if (refused) {
            logger.warn('sign-in refused: no Bridgekeeper role', {
              staff: member.email,
              needs: refused.needs,
            });
            throw refused;
          }
          const secret = newCookieSecret();
          const now = d.clock.now();
          await d.sessions.saveSession(storeKeyOf(secret)!, {
            member,
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
          });
          logger.info('signed in', { staff: member.email, roles: member.roles });
          return redirect(attempt.next, [
            setCookie('session', site, secret, SESSION_HOURS * 3600),
            setCookie('signin', site, '', 0),
          ]);
        } catch (error) {
          if (error instanceof SignInFailedError) logger.warn('sign-in failed', { reason: error.message });
          throw error;
        }
      },

      'POST /signout': async (event) => {
        const d = getDeps();
        const { site } = where(d, event);
        // A forged sign-out would only be a nuisance, but it is refused like every other cross-site post.
        refuseCrossSite(event, site);
        const key = storeKeyOf(readCookie(event, cookieName('session', site)));
        if (key) await d.sessions.endSession(key);
        logger.info('signed out', { hadSession: key !== undefined });
        return page(signedOutPage(), 200, { cookies: [setCookie('session', site, '', 0)] });
      },
    },
    signInPages,
  );
}

export const handler = lambda(signInRoutes(deps));
