// The local HTTP front of `npm start`: the same Lambda handlers as on AWS, called with API Gateway v2 events;
// a local staff sign-in in place of the JWT authorizer; the clock bar and the link to the mailbox.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { HandlerModules, RouteTable, lambdaContext, readBody, toEvent, writeResult } from './gateway.js';
import {
  SESSION_COOKIE,
  SessionSigner,
  clearedSessionCookie,
  cookieValue,
  sessionCookie,
} from './session.js';
import { clockBar, signInPage } from './pages.js';
import { mailboxPage } from './mailbox.js';
import type { SesMailbox } from '../ses.js';
import type { StaffMember } from '../config/index.js';
import { errorPage } from '../../functions/web/errors.js';
import { raw, type Html } from '../../functions/web/html.js';

/** What the embedded stack lets a person do with its virtual clock. */
export interface ClockControl {
  now(): Date;
  /** Moves forward by whole days, letting every lifecycle due on the way run. */
  advanceDays(days: number): Promise<void>;
  /** Moves to the next instant something is due (and runs it); undefined when nothing is scheduled. */
  advanceToNext(): Promise<Date | undefined>;
}

export interface HttpFrontOptions {
  /** Project root: handler entries are resolved against it. */
  root: string;
  port?: number;
  host?: string;
  staff: StaffMember[];
  /** The code staff type at sign-in (printed by `npm start`). */
  signInCode: string;
  clock?: ClockControl;
  timeZone?: string;
  /** The mailbox's messages, for its page at /_local/mailbox (known only once the stack is up, hence a function). */
  mailbox?: () => Pick<SesMailbox, 'messages'> | undefined;
  /** Called on every unexpected handler failure (the start command prints it). */
  onError?: (error: unknown) => void;
}

export interface HttpFront {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
};

/** The local mailbox's page (no sign-in: in the demo, the vendor reads its e-mail here too). */
export const MAILBOX_PATH = '/_local/mailbox';

function sendHtml(res: ServerResponse, status: number, page: Html, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HTML_HEADERS, ...extra });
  res.end(page.value);
}

function safeNext(value: string | null | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const routes = new RouteTable();
  const modules = new HandlerModules();
  const signer = new SessionSigner();
  const timeZone = options.timeZone ?? 'UTC';
  const staffByEmail = new Map(options.staff.map((s) => [s.email, s]));
  let origin = '';
  // The page may be opened as 127.0.0.1 or as localhost: both are this server.
  let sameSite = new Set<string>();

  const sessionOf = (req: IncomingMessage) => {
    const session = signer.verify(cookieValue(req.headers.cookie, SESSION_COOKIE));
    return session && staffByEmail.has(session.email) ? session : undefined;
  };

  const decorate = (html: string, req: IncomingMessage): string => {
    if (!options.clock) return html;
    const session = sessionOf(req);
    const bar = clockBar({
      now: options.clock.now(),
      timeZone,
      signedIn: session?.name,
      mailboxUrl: options.mailbox ? MAILBOX_PATH : undefined,
      canJump: session !== undefined,
    }).value;
    return html.replace('<header class="top">', `${bar}\n<header class="top">`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    // Cross-site form posts are refused (the session cookie is SameSite=Strict as well).
    if (method === 'POST' && req.headers.origin && !sameSite.has(req.headers.origin)) {
      sendHtml(res, 403, errorPage('Refused', 'This request came from another site.'));
      return;
    }
    const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);

    if (url.pathname === '/signin') {
      if (method === 'GET') {
        sendHtml(res, 200, signInPage(options.staff, safeNext(url.searchParams.get('next'))));
        return;
      }
      const form = new URLSearchParams(body.toString('utf8'));
      const member = staffByEmail.get(form.get('email') ?? '');
      const next = safeNext(form.get('next'));
      if (!member || !sameCode(form.get('code') ?? '', options.signInCode)) {
        sendHtml(res, 401, signInPage(options.staff, next, 'That sign-in code is not right.'));
        return;
      }
      res.writeHead(303, {
        location: next,
        'set-cookie': sessionCookie(signer.issue(member.email, member.name)),
      });
      res.end();
      return;
    }
    if (url.pathname === '/signout' && method === 'POST') {
      res.writeHead(303, { location: '/signin', 'set-cookie': clearedSessionCookie() });
      res.end();
      return;
    }
    if (url.pathname === MAILBOX_PATH && method === 'GET') {
      const mailbox = options.mailbox?.();
      if (!mailbox) {
        sendHtml(res, 404, errorPage('Not found', 'There is no mailbox on this stack.'));
        return;
      }
      sendHtml(res, 200, raw(decorate(mailboxPage(await mailbox.messages(), timeZone).value, req)));
      return;
    }
    if (url.pathname === '/_local/clock') {
      const clock = options.clock;
      if (!clock) {
        res.writeHead(404).end();
        return;
      }
      if (method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ now: clock.now().toISOString() }));
        return;
      }
      if (!sessionOf(req)) {
        sendHtml(res, 401, errorPage('Sign in required', 'Sign in as staff to move the clock.'));
        return;
      }
      const form = new URLSearchParams(body.toString('utf8'));
      const days = Number(form.get('days'));
      if (form.get('next')) await clock.advanceToNext();
      else if (Number.isInteger(days) && days >= 1 && days <= 400) await clock.advanceDays(days);
      else {
        sendHtml(res, 400, errorPage('Not a number of days', 'Jump by 1 to 400 days.'));
        return;
      }
      if ((req.headers.accept ?? '').includes('application/json')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ now: clock.now().toISOString() }));
        return;
      }
      const back = req.headers.referer ? new URL(req.headers.referer, origin) : undefined;
      res.writeHead(303, { location: back && sameSite.has(back.origin) ? back.pathname + back.search : '/' });
      res.end();
      return;
    }

    const matched = routes.match(method, url.pathname);
    if (!matched) {
      const status = routes.pathExists(url.pathname) ? 405 : 404;
      sendHtml(res, status, errorPage('Not found', 'There is no such page.'));
      return;
    }
    let claims: Record<string, string> | undefined;
    if (matched.route.auth === 'staff') {
      const session = sessionOf(req);
      if (!session) {
        // As the JWT authorizer would: no valid credential, no call to the function.
        if (method === 'GET') {
          res.writeHead(303, { location: `/signin?next=${encodeURIComponent(url.pathname + url.search)}` });
          res.end();
        } else {
          sendHtml(res, 401, errorPage('Sign in required', 'Sign in as staff to do this.'));
        }
        return;
      }
      claims = { sub: session.email, email: session.email, name: session.name };
    }
    const handler = await modules.get(matched.route.entry);
    const event = toEvent(req, url, body, matched, claims, new Date());
    const result = (await handler(event, lambdaContext(matched.route.entry))) as {
      body?: string;
      headers?: Record<string, unknown>;
    };
    const type = String(result?.headers?.['content-type'] ?? '');
    if (type.startsWith('text/html') && typeof result.body === 'string')
      result.body = decorate(result.body, req);
    writeResult(res, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) {
        const status = (error as { status?: number }).status ?? 500;
        sendHtml(res, status, errorPage('Something went wrong', 'Please try again in a moment.'));
      } else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  sameSite = new Set([origin, `http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return {
    url: origin,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
