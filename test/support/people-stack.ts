// Test helpers over the whole local stack (the same one `npm start` runs), for the HTTP and browser tests.
import './quiet-logs.js';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startPeopleStack, type PeopleStack } from '../../local/people-stack.js';
import { logger } from '../../functions/edge/logger.js';
import { loginAtProvider, setCookieNamed } from './oidc-login.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** 10:00 UTC, after the 09:00 mail hour: the first day's mail has gone out when the stack is up. */
export const START = new Date('2026-11-26T10:00:00Z');

export interface TestStack extends PeopleStack {
  /** The newest upload link e-mailed to this address (the token only). */
  tokenFor(contactEmail: string): Promise<string>;
  /** Signs in through the embedded OpenID provider (the real flow); the session cookie (`name=value`). */
  signIn(email: string): Promise<string>;
  get(path: string, cookie?: string): Promise<Response>;
  /** A form post from the pages (this site's Origin), unless `origin` says otherwise. */
  postForm(
    path: string,
    form: Record<string, string | string[]>,
    cookie?: string,
    origin?: string | null,
  ): Promise<Response>;
  /** Entries + file through the real route and presigned POST; resolves with the upload's final status. */
  upload(
    token: string,
    entries: unknown,
    file: Buffer,
    /** What the page declares (default: the file's own hash and size). */
    declared?: { sha256: string; size: number },
  ): Promise<{
    entriesStatus: number;
    entries: Record<string, unknown>;
    status?: { state: string; message: string };
  }>;
}

/** A page without the local clock bar (its time changes as the clock moves). */
export function withoutClockBar(html: string): string {
  return html.replace(/<div class="localbar"[\s\S]*?<\/div>/, '');
}

export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');

export function ledgerlineReport(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'soc2-type2',
    periodStart: '2025-10-01',
    periodEnd: '2026-09-30',
    issued: '2026-11-20',
    opinion: 'unqualified',
    auditor: 'Example CPA LLP',
    categories: ['security', 'availability', 'processing-integrity'],
    regions: 'us',
    exceptions: [],
    ...overrides,
  };
}

export async function startTestStack(): Promise<TestStack> {
  const stack = await startPeopleStack({
    root: ROOT,
    seedPortfolio: `${ROOT}examples/portfolio.json`,
    start: START,
    onError: (error) => console.error(error),
  });
  logger.setLogLevel('ERROR');
  const base = stack.url;
  const get = (path: string, cookie?: string) =>
    fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const postForm = (
    path: string,
    form: Record<string, string | string[]>,
    cookie?: string,
    origin: string | null = base,
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return fetch(base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
        ...(origin ? { origin } : {}),
      },
      body,
    });
  };
  return {
    ...stack,
    get,
    postForm,
    async tokenFor(contactEmail) {
      const mails = (await stack.embedded.mailbox.messages()).filter((m) =>
        m.destination.to.includes(contactEmail),
      );
      for (const mail of mails.reverse()) {
        const match = /\/u\/([A-Za-z0-9_-]{43})/.exec(mail.body.text ?? '');
        if (match) return match[1]!;
      }
      throw new Error(`no upload link e-mailed to ${contactEmail}`);
    },
    async signIn(email) {
      const start = await get('/signin?next=%2F');
      const attempt = setCookieNamed(start, 'bk_signin');
      if (start.status !== 303 || !attempt) throw new Error(`sign-in did not start: ${start.status}`);
      const callback = await loginAtProvider(start.headers.get('location')!, email);
      const done = await get(callback.pathname + callback.search, attempt);
      const session = setCookieNamed(done, 'bk_session');
      if (done.status !== 303 || !session)
        throw new Error(`sign-in failed: ${done.status} ${(await done.text()).slice(0, 300)}`);
      return session;
    },
    async upload(token, entries, file, declared) {
      // As the page does: the file's SHA-256 and size go with the entries; the upload is signed for them.
      const fileFacts = declared ?? {
        sha256: createHash('sha256').update(file).digest('hex'),
        size: file.length,
      };
      const response = await fetch(`${base}/u/${token}/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(entries as object), file: fileFacts }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status !== 201) return { entriesStatus: response.status, entries: body };
      const upload = body.upload as { url: string; headers: Record<string, string> };
      const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: file });
      if (!put.ok) throw new Error(`S3 PUT failed: ${put.status}`);
      await stack.idle();
      const status = (await (await fetch(`${base}${String(body.statusUrl)}`)).json()) as {
        state: string;
        message: string;
      };
      return { entriesStatus: response.status, entries: body, status };
    },
  };
}
