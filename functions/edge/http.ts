// The HTTP edge shared by the page handlers: API Gateway v2 events in, v2 results out; errors become statuses
// here and nowhere else (a bad input 400, no sign-in 401 or the sign-in page, a role or cross-site refusal 403,
// not found 404, a lost race 409, too many requests 429, a dependency that stayed unavailable 503, anything
// unexpected 500). Staff identity comes from the session cookie (functions/edge/session.ts), in every runtime.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import {
  ConflictError,
  CrossSiteRequestError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  SignInFailedError,
  UnavailableError,
  ValidationError,
  type Problem,
} from '../core/errors.js';
import { RoleRefusedError } from '../core/roles.js';
import type { Html } from '../web/html.js';
import { logger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

/**
 * The content security policy of every page and answer: nothing from anywhere but this site, no plugins, no
 * framing, forms post only here. `connect` adds origins a page's script may call (the upload page's presigned PUT
 * to the documents bucket, and nothing else).
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connect].join(' '),
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy(),
  // HTTPS only from here on, for a year (browsers ignore the header on plain HTTP: RFC 6797 section 8.1).
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  // same-origin: the link token never leaves in a Referer to another site, and form posts keep their Origin.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export interface PageOptions {
  /** Origins the page's script may connect to besides this site (the documents bucket for an upload). */
  connect?: readonly string[];
  /** Set-Cookie values. */
  cookies?: string[];
}

export function page(body: Html, statusCode = 200, options: PageOptions = {}): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...SECURITY_HEADERS,
      ...(options.connect?.length
        ? { 'content-security-policy': contentSecurityPolicy(options.connect) }
        : {}),
    },
    ...(options.cookies?.length ? { cookies: options.cookies } : {}),
    body: body.value,
  };
}

export function json(value: unknown, statusCode = 200): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
    body: JSON.stringify(value),
  };
}

export function redirect(location: string, cookies: string[] = []): HttpResult {
  return {
    statusCode: 303,
    headers: {
      location,
      'cache-control': 'no-store',
      'strict-transport-security': SECURITY_HEADERS['strict-transport-security'],
    },
    ...(cookies.length ? { cookies } : {}),
    body: '',
  };
}

export function bodyText(event: HttpEvent): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** application/x-www-form-urlencoded body (every value as the last one given). */
export function formBody(event: HttpEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(bodyText(event))) out[k] = v;
  return out;
}

export function jsonBody(event: HttpEvent): unknown {
  const text = bodyText(event);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: '', message: 'the request body is not JSON' }]);
  }
}

export function param(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined) throw new NotFoundError(`missing ${name}`);
  return value;
}

/** The page (or JSON) each kind of failure gets; `status` is what the result must carry. */
export interface ErrorPages {
  forbidden(): HttpResult;
  /** 403: a role refusal names the role the action needs; a cross-site refusal has none. */
  refused(message: string, needs?: string): HttpResult;
  notFound(message: string): HttpResult;
  invalid(problems: Problem[]): HttpResult;
  /** 409, 429, 503 and 500: a message for a person and the status. */
  failed(message: string, statusCode: 409 | 429 | 500 | 503): HttpResult;
}

const UNAVAILABLE =
  'A service Bridgekeeper depends on is not answering right now. Please try again in a minute.';
const UNEXPECTED = 'Something went wrong on our side. It was logged; please try again later.';

/** Maps an error to a result once; nothing internal ever reaches the body. */
export function errorResult(error: unknown, pages: ErrorPages): HttpResult {
  if (error instanceof ValidationError) return pages.invalid(error.problems);
  if (error instanceof SignInFailedError) return pages.invalid([{ path: '', message: error.message }]);
  if (error instanceof ForbiddenError) return pages.forbidden();
  // Logged where the refusal happened (functions/edge/session.ts), with who and which vendor.
  if (error instanceof RoleRefusedError) return pages.refused(error.message, error.needs);
  if (error instanceof CrossSiteRequestError) return pages.refused(error.message);
  if (error instanceof RateLimitedError) {
    const result = pages.failed(error.message, 429);
    return { ...result, headers: { ...result.headers, 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof NotFoundError) return pages.notFound(error.message);
  if (error instanceof ConflictError) return pages.failed(error.message, 409);
  if (error instanceof UnavailableError) {
    logger.warn('dependency unavailable', { message: error.message });
    return pages.failed(UNAVAILABLE, 503);
  }
  if (error instanceof DomainError) logger.warn('domain error', { code: error.code, message: error.message });
  else logger.error('unexpected error', { error: error as Error });
  return pages.failed(UNEXPECTED, 500);
}

/** Dispatch on the route key ('GET /u/{token}') the way API Gateway v2 names it. */
export function router(routes: Record<string, RouteHandler>, pages: ErrorPages): RouteHandler {
  return async (event) => {
    const route = routes[event.routeKey];
    if (!route) return pages.notFound('no such page');
    try {
      return await route(event);
    } catch (error) {
      return errorResult(error, pages);
    }
  };
}

/** The Lambda entry: middy with the Powertools logger (the event itself is never logged: it may hold a token). */
export function lambda(handle: RouteHandler) {
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event) => handle(event));
}
