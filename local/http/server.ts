// The local HTTP front of `npm start`: what API Gateway does, and nothing more, for the same Lambda handlers as
// on AWS (sign-in, sessions and the same-origin checks are the handlers' own); plus what exists only locally, the
// clock bar and its controls (for signed-in staff, checked with the handlers' own session and origin rules) and
// the link to the mailbox.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandlerModules, RouteTable, lambdaContext, readBody, toEvent, writeResult } from './gateway.js';
import { clockBar } from './pages.js';
import { mailboxPage } from './mailbox.js';
import type { SesMailbox } from '../ses.js';
import { crossSiteReason } from '../../functions/edge/session.js';
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
  /** Whether the request carries a live staff session (the handlers' own check), for the local controls. */
  signedIn?: (cookieHeader: string | undefined) => Promise<boolean>;
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

export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const routes = new RouteTable();
  const modules = new HandlerModules();
  const timeZone = options.timeZone ?? 'UTC';
  let origin = '';
  const signedIn = (req: IncomingMessage) => options.signedIn?.(req.headers.cookie) ?? Promise.resolve(false);

  const decorate = async (html: string, req: IncomingMessage): Promise<string> => {
    if (!options.clock) return html;
    const bar = clockBar({
      now: options.clock.now(),
      timeZone,
      mailboxUrl: options.mailbox ? MAILBOX_PATH : undefined,
      canJump: await signedIn(req),
    }).value;
    return html.replace('<header class="top">', `${bar}\n<header class="top">`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);

    if (url.pathname === MAILBOX_PATH && method === 'GET') {
      const mailbox = options.mailbox?.();
      if (!mailbox) {
        sendHtml(res, 404, errorPage('Not found', 'There is no mailbox on this stack.'));
        return;
      }
      sendHtml(res, 200, raw(await decorate(mailboxPage(await mailbox.messages(), timeZone).value, req)));
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
      // The local control follows the handlers' rules: from this site only, for signed-in staff only.
      const crossSite = crossSiteReason(method, req.headers as Record<string, string>, origin);
      if (crossSite) {
        sendHtml(res, 403, errorPage('Refused', `This request was refused because ${crossSite}.`));
        return;
      }
      if (!(await signedIn(req))) {
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
      res.writeHead(303, { location: back && back.origin === origin ? back.pathname + back.search : '/' });
      res.end();
      return;
    }

    const matched = routes.match(method, url.pathname);
    if (!matched) {
      const status = routes.pathExists(url.pathname) ? 405 : 404;
      sendHtml(res, status, errorPage('Not found', 'There is no such page.'));
      return;
    }
    const handler = await modules.get(matched.route.entry);
    const event = toEvent(req, url, body, matched, new Date());
    const result = (await handler(event, lambdaContext(matched.route.entry))) as {
      body?: string;
      headers?: Record<string, unknown>;
    };
    const type = String(result?.headers?.['content-type'] ?? '');
    if (type.startsWith('text/html') && typeof result.body === 'string')
      result.body = await decorate(result.body, req);
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
