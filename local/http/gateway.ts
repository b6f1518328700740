// What API Gateway v2 does in front of the Lambdas, done locally: match the route, build the v2 event (cookies in
// `event.cookies`, as API Gateway passes them), call the same handler module, write the v2 result back. Nothing
// else: sign-in, sessions and the same-origin checks are the handlers' own, as on AWS.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { HTTP_ROUTES, routeKey, type HttpRoute } from '../../functions/catalog.js';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface MatchedRoute {
  route: HttpRoute;
  params: Record<string, string>;
}

interface CompiledRoute {
  route: HttpRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export class RouteTable {
  private readonly compiled: CompiledRoute[];
  constructor(routes: readonly HttpRoute[] = HTTP_ROUTES) {
    this.compiled = routes.map(compile);
  }

  match(method: string, path: string): MatchedRoute | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        c.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return undefined; // malformed %-encoding: no route, like API Gateway's 404
      }
      return { route: c.route, params };
    }
    return undefined;
  }

  /** Some route exists for this path with another method (405 rather than 404). */
  pathExists(path: string): boolean {
    return this.compiled.some((c) => c.pattern.test(path));
  }
}

/**
 * Loads each handler module once, by its entry path, exactly as the infra bundles it. The specifier is relative
 * to this file (like every static import), so the handlers share their module instances (the runtime's clock,
 * its configuration) with the rest of the local stack under tsx and under vitest alike.
 */
export class HandlerModules {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();

  get(entry: string): Promise<LambdaHandler> {
    let handler = this.loaded.get(entry);
    if (!handler) {
      if (!/^functions\/handlers\/[\w-]+\.ts$/.test(entry)) throw new Error(`not a handler entry: ${entry}`);
      const specifier = `../../${entry.replace(/\.ts$/, '.js')}`;
      handler = (import(/* @vite-ignore */ specifier) as Promise<{ handler?: LambdaHandler }>).then((m) => {
        if (typeof m.handler !== 'function') throw new Error(`${entry} exports no handler`);
        return m.handler;
      });
      this.loaded.set(entry, handler);
    }
    return handler;
  }
}

export function lambdaContext(functionName: string): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

/** The v2 event API Gateway would build for this request. */
export function toEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  matched: MatchedRoute,
  now: Date,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'cookie') continue;
    headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return eventOf({
    method: req.method ?? 'GET',
    url,
    headers,
    cookies,
    body,
    matched,
    now,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${req.httpVersion}`,
  });
}

export interface RequestShape {
  method: string;
  url: URL;
  headers: Record<string, string>;
  cookies?: string[];
  body: Buffer;
  matched: MatchedRoute;
  now: Date;
  sourceIp?: string;
  protocol?: string;
}

/** The v2 event for a request, however it arrived (the local front, or `simulate` calling a route in-process). */
export function eventOf(r: RequestShape): APIGatewayProxyEventV2 {
  const { url, headers, body, matched, now } = r;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const text = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const key = routeKey(matched.route);
  const event = {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(r.cookies?.length ? { cookies: r.cookies } : {}),
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(matched.params).length ? { pathParameters: matched.params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: r.method,
        path: url.pathname,
        protocol: r.protocol ?? 'HTTP/1.1',
        sourceIp: r.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
  return event as APIGatewayProxyEventV2;
}

/** Writes a v2 result (structured, or a bare value which API Gateway serves as JSON). */
export function writeResult(res: ServerResponse, result: unknown): void {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(structured.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body ?? '';
  const bytes = structured.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(bytes);
}
