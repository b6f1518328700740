// The HTTP edge shared by the page handlers: API Gateway v2 events in, v2 results out; domain errors become
// statuses here and nowhere else. Staff identity comes from the JWT authorizer's claims (on AWS) or from the same
// claims injected by the local HTTP front after its own sign-in.
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
  ValidationError,
  type Problem,
} from '../core/errors.js';
import type { Html } from '../web/html.js';
import { logger } from './runtime.js';

export type HttpEvent = APIGatewayProxyEventV2 &
  Partial<Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>>;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

/** The handlers' one logger (the lifecycle runtime's, so one log level governs all). */
export { logger };

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

export interface ErrorPages {
  forbidden(): HttpResult;
  notFound(message: string): HttpResult;
  invalid(problems: Problem[]): HttpResult;
  conflict(message: string): HttpResult;
}

/** Maps a domain error to a result once; anything else is a 500 with nothing internal in the body. */
export function errorResult(error: unknown, pages: ErrorPages): HttpResult {
  if (error instanceof ValidationError) return pages.invalid(error.problems);
  if (error instanceof ForbiddenError) return pages.forbidden();
  if (error instanceof NotFoundError) return pages.notFound(error.message);
  if (error instanceof ConflictError) return pages.conflict(error.message);
  if (error instanceof DomainError) logger.warn('domain error', { code: error.code, message: error.message });
  else logger.error('unexpected error', { error: error as Error });
  return pages.conflict('Something went wrong on our side. Please try again in a moment.');
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

/** Memoizes a dependency built from the environment on first use (once per module, like a client). */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`configuration: environment variable ${name} is not set`);
  return value;
}
