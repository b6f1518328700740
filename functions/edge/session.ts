// Staff sessions at the HTTP edge, the same in every runtime (AWS, `npm start`, the tests): the cookie, the
// server-side session it names, and the same-origin rule for every state-changing request. The cookie holds 32
// random bytes; the table holds their SHA-256 with the person and the expiry; sign-out deletes the item. The
// cookie is HttpOnly and SameSite=Lax, and on HTTPS it is Secure with the `__Host-` prefix (no Domain, Path=/:
// no sibling host can set or read it). A POST must carry this site's Origin (or, without Origin, a
// Sec-Fetch-Site of same-origin): SameSite alone leaves same-site subdomains and old browsers. docs/people.md,
// "Sessions and CSRF".
import { createHash, randomBytes } from 'node:crypto';
import { CrossSiteRequestError, ForbiddenError } from '../core/errors.js';
import { authorize, RoleRefusedError, type StaffMember } from '../core/roles.js';
import { storedMember } from '../core/staff-sign-in.js';
import type { Clock } from '../ports/clock.js';
import type { SessionStore } from '../ports/sessions.js';
import type { HttpEvent, HttpResult, RouteHandler } from './http.js';
import { logger } from './logger.js';

/** What the session rules read of a request: its headers and cookies (and its host, without a base URL). */
export type RequestLike = Pick<HttpEvent, 'headers'> & Partial<Pick<HttpEvent, 'cookies' | 'requestContext'>>;

/** Where the pages are served from, as far as cookies and origins care. */
export interface Site {
  /** `https://vendors.bank.example` (no path). */
  origin: string;
  /** HTTPS: cookies are Secure and `__Host-` prefixed. */
  secure: boolean;
}

/** The site of PUBLIC_BASE_URL; without one (not on AWS, where the stack always sets it), the request's host. */
export function siteOf(publicBaseUrl: string, event?: RequestLike): Site {
  if (publicBaseUrl !== '') {
    const url = new URL(publicBaseUrl);
    return { origin: url.origin, secure: url.protocol === 'https:' };
  }
  const host = event?.requestContext?.domainName ?? event?.headers?.host ?? 'localhost';
  return { origin: `https://${host}`, secure: true };
}

export type CookieKind = 'session' | 'signin';

export function cookieName(kind: CookieKind, site: Site): string {
  const name = kind === 'session' ? 'bk_session' : 'bk_signin';
  return site.secure ? `__Host-${name}` : name;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on HTTPS; `maxAgeSeconds` 0 clears it. */
export function setCookie(kind: CookieKind, site: Site, value: string, maxAgeSeconds: number): string {
  return [
    `${cookieName(kind, site)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    ...(site.secure ? ['Secure'] : []),
    `Max-Age=${maxAgeSeconds}`,
  ].join('; ');
}

/** The value of cookie `name`: API Gateway v2 passes cookies in `event.cookies`; a plain header is read too. */
export function readCookie(event: RequestLike, name: string): string | undefined {
  const parts = [...(event.cookies ?? []), ...(event.headers?.cookie ?? '').split(';')];
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** 32 random bytes, base64url: a session's or a sign-in's cookie value. */
export const newCookieSecret = () => randomBytes(32).toString('base64url');

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The store key of a cookie value (its SHA-256), or undefined for a value Bridgekeeper never issues. */
export function storeKeyOf(value: string | undefined): string | undefined {
  if (value === undefined || !SECRET.test(value)) return undefined;
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export interface SessionDeps {
  sessions: SessionStore;
  clock: Clock;
  publicBaseUrl: string;
}

/** The person the request's session cookie names, or undefined (none, forged, expired or signed out). */
export async function sessionMember(event: RequestLike, d: SessionDeps): Promise<StaffMember | undefined> {
  const site = siteOf(d.publicBaseUrl, event);
  const key = storeKeyOf(readCookie(event, cookieName('session', site)));
  if (!key) return undefined;
  const session = await d.sessions.findSession(key);
  if (!session || !(Date.parse(session.expiresAt) > d.clock.now().getTime())) return undefined;
  return storedMember(session.member);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why a state-changing request is refused as cross-site, or undefined when it came from this site. */
export function crossSiteReason(
  method: string,
  headers: Readonly<Record<string, string | undefined>>,
  origin: string,
): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const given = headers.origin;
  if (given !== undefined) return given === origin ? undefined : `it came from ${given}`;
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite === 'same-origin') return undefined;
  return fetchSite ? `it came from a ${fetchSite} page` : 'it did not say which page sent it (no Origin)';
}

/** Throws CrossSiteRequestError for a state-changing request from another site (checked before any read). */
export function refuseCrossSite(event: HttpEvent, site: Site): void {
  const method = event.requestContext?.http?.method ?? event.routeKey.split(' ')[0] ?? 'GET';
  const reason = crossSiteReason(method, event.headers ?? {}, site.origin);
  if (reason) {
    logger.warn('refused a cross-site request', { routeKey: event.routeKey, reason });
    throw new CrossSiteRequestError(`This request was refused because ${reason}.`);
  }
}

export type StaffRouteHandler = (event: HttpEvent, member: StaffMember) => Promise<HttpResult>;

/**
 * A staff route: a state-changing request must come from this site; the session must name a signed-in person
 * (else ForbiddenError: the staff pages send a browser to sign in) with some role (else a 403). A role refusal
 * anywhere in the route is logged with who, what and which vendor, then answered 403 by the router.
 */
export function staffRoute(getDeps: () => SessionDeps, handle: StaffRouteHandler): RouteHandler {
  return async (event) => {
    const d = getDeps();
    refuseCrossSite(event, siteOf(d.publicBaseUrl, event));
    const member = await sessionMember(event, d);
    if (!member) throw new ForbiddenError('sign-in required');
    try {
      authorize(member, 'read');
      return await handle(event, member);
    } catch (error) {
      if (error instanceof RoleRefusedError)
        logger.warn('refused by role', {
          staff: member.email,
          roles: member.roles,
          action: error.action,
          needs: error.needs,
          routeKey: event.routeKey,
          vendorId: event.pathParameters?.vendorId,
        });
      throw error;
    }
  };
}
