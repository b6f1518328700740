// The HTTP edge shared by the page handlers: API Gateway v2 events in, v2 results out; errors become statuses
// here and nowhere else (a bad input 400, no sign-in 401, not found 404, a lost race 409, a dependency that
// stayed unavailable 503, anything unexpected 500). Staff identity comes from the JWT authorizer's claims (on
// AWS) or from the same claims injected by the local HTTP front after its own sign-in.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  type Problem,
} from '../core/errors.js';
import { RoleRefusedError } from '../core/roles.js';
import type { Html } from '../web/html.js';
import { logger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2 &
  Partial<Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>>;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

/** Who is signed in, from the authorizer's JWT claims. */
export interface StaffIdentity {
  id: string;
  name: string;
}

export function staffIdentity(event: HttpEvent): StaffIdentity {
  const claims = (event.requestContext as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'])
    ?.authorizer?.jwt?.claims;
  const id = claims?.email ?? claims?.sub;
  if (typeof id !== 'string' || id === '') throw new ForbiddenError('sign-in required');
  const name = typeof claims?.name === 'string' && claims.name !== '' ? claims.name : id;
  return { id, name };
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // same-origin: the link token never leaves in a Referer to another site, and form posts keep their Origin.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export function page(body: Html, statusCode = 200): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
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

export function redirect(location: string): HttpResult {
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
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
  notFound(message: string): HttpResult;
  invalid(problems: Problem[]): HttpResult;
  /** 409, 503 and 500: a message for a person and the status. */
  failed(message: string, statusCode: 409 | 500 | 503): HttpResult;
  /** 403: the role rules refused the action (the page names the role it needs). */
  refused?(error: RoleRefusedError): HttpResult;
}

const UNAVAILABLE =
  'A service Bridgekeeper depends on is not answering right now. Please try again in a minute.';
const UNEXPECTED = 'Something went wrong on our side. It was logged; please try again later.';

/** Maps an error to a result once; nothing internal ever reaches the body. */
export function errorResult(error: unknown, pages: ErrorPages): HttpResult {
  if (error instanceof ValidationError) return pages.invalid(error.problems);
  if (error instanceof RoleRefusedError) {
    // Spec section 7: a refusal is logged, with the action and the role it needs (no token, no personal data).
    logger.warn('refused by the staff roles', { action: error.action, needs: error.needs });
    if (pages.refused) return pages.refused(error);
    return pages.failed(error.message, 500);
  }
  if (error instanceof ForbiddenError) return pages.forbidden();
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
