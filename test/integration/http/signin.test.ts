// Staff sign-in and roles over HTTP against the whole local stack, signing in through the embedded OpenID provider
// exactly as a browser does: every way in that must not work is refused and writes nothing (a forged, an expired
// and a signed-out session, a callback with a wrong state, a replayed code, a cross-site post with a valid
// session, a person without a role), and each role's forbidden actions (spec section 7) are a 403 that names the
// role they need, are logged, and change nothing; the per-link limit answers 429 for one link only.
import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../functions/adapters/dynamodb/client.js';
import { addDays } from '../../../functions/core/dates.js';
import { LINK_LIMIT, linkWindow } from '../../../functions/core/link-limits.js';
import { hashToken } from '../../../functions/core/upload-link.js';
import { logger } from '../../../functions/edge/logger.js';
import { storeKeyOf } from '../../../functions/edge/session.js';
import { openSessions } from '../../../functions/edge/sessions.js';
import { PDF, START, ledgerlineReport, startTestStack, type TestStack } from '../../support/people-stack.js';
import { loginAtProvider, setCookieNamed } from '../../support/oidc-login.js';

let stack: TestStack;
const cookies: Record<string, string> = {};
/** A document waiting for review on Marcus Lee's vendor (tallyworks), and one on Priya Raman's (ledgerline). */
let tallyDoc = '';
let ledgerDoc = '';

const PRIYA = 'priya.raman@bank.example'; // vendor manager: ledgerline, signalpath
const MARCUS = 'marcus.lee@bank.example'; // vendor manager: tallyworks, paperclip-hr
const TARA = 'tprm@bank.example'; // compliance lead, manages nothing
const HANNAH = 'hannah.kowalski@bank.example'; // vendor manager (quillmail, greenleaf-docs) and compliance lead
const ADA = 'audit@bank.example'; // auditor

beforeAll(async () => {
  stack = await startTestStack();
  for (const email of [PRIYA, MARCUS, TARA, HANNAH, ADA]) cookies[email] = await stack.signIn(email);
  const tally = await stack.upload(
    await stack.tokenFor('audit@tallyworks.example'),
    ledgerlineReport({ categories: ['security'] }),
    Buffer.concat([PDF, Buffer.from('tallyworks')]),
  );
  expect(tally.status?.state).toBe('received');
  tallyDoc = (await stack.embedded.store.load('tallyworks'))!.documents.find(
    (d) => d.status === 'pending-review',
  )!.documentId;
  const ledger = await stack.upload(
    await stack.tokenFor('assurance@ledgerline.example'),
    ledgerlineReport(),
    PDF,
  );
  expect(ledger.status?.state).toBe('received');
  ledgerDoc = (await stack.embedded.store.load('ledgerline'))!.documents.find(
    (d) => d.status === 'pending-review',
  )!.documentId;
});
afterAll(async () => {
  await stack?.stop();
});

const seqOf = async (vendorId: string) => (await stack.embedded.store.load(vendorId))!.seq;

async function storedSessions(): Promise<number> {
  const client = createDynamoClient({ endpoint: stack.embedded.endpoints.dynamodb });
  const { Items } = await client.send(new ScanCommand({ TableName: stack.embedded.tableName }));
  client.destroy();
  return (Items ?? []).filter((i) => String(i.pk?.S).startsWith('SESSION#')).length;
}

/** The sign-in up to the provider's answer: the attempt cookie and the callback URL it sent the browser to. */
async function untilCallback(email: string) {
  const start = await stack.get('/signin?next=%2F');
  const attempt = setCookieNamed(start, 'bk_signin')!;
  const callback = await loginAtProvider(start.headers.get('location')!, email);
  return { attempt, callback, state: new URL(start.headers.get('location')!).searchParams.get('state')! };
}

const callbackOf = (url: URL, attempt?: string) => stack.get(url.pathname + url.search, attempt);

function postJson(path: string, body: unknown, cookie: string) {
  return fetch(stack.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', cookie, origin: stack.url },
    body: JSON.stringify(body),
  });
}

/** Runs `act` with the handlers' warnings captured. */
async function warnings(act: () => Promise<void>): Promise<string> {
  const seen: unknown[] = [];
  const original = logger.warn.bind(logger);
  logger.warn = ((...args: unknown[]) => void seen.push(args)) as typeof logger.warn;
  try {
    await act();
  } finally {
    logger.warn = original;
  }
  return JSON.stringify(seen);
}

describe('sessions that must not work', () => {
  it('a forged session cookie: a page sends the browser to sign in, a post is refused, nothing is written', async () => {
    const before = await seqOf('ledgerline');
    for (const forged of ['bk_session=e30.AAAA', `bk_session=${'A'.repeat(43)}`, 'bk_session=']) {
      const page = await stack.get('/', forged);
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/signin?next=%2F');
      const post = await stack.postForm(
        `/review/ledgerline/${ledgerDoc}`,
        { decision: 'reject', reason: 'x' },
        forged,
      );
      expect(post.status).toBe(401);
    }
    expect(await seqOf('ledgerline')).toBe(before);
  });

  it('an expired session: refused, though it is still stored', async () => {
    const cookie = await stack.signIn(PRIYA);
    const sessions = openSessions(stack.embedded.tableName);
    const key = storeKeyOf(cookie.split('=')[1])!;
    const session = (await sessions.findSession(key))!;
    expect((await stack.get('/review', cookie)).status).toBe(200);
    await sessions.saveSession(key, { ...session, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await stack.get('/review', cookie)).status).toBe(303);
    const before = await seqOf('ledgerline');
    const post = await stack.postForm(
      `/review/ledgerline/${ledgerDoc}`,
      { decision: 'reject', reason: 'x' },
      cookie,
    );
    expect(post.status).toBe(401);
    expect(await seqOf('ledgerline')).toBe(before);
  });

  it('a signed-out session: the server forgets it, so a copy of the cookie is worth nothing', async () => {
    const cookie = await stack.signIn(PRIYA);
    expect((await stack.get('/review', cookie)).status).toBe(200);
    const sessionsBefore = await storedSessions();
    const out = await stack.postForm('/signout', {}, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(
      /^bk_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/,
    );
    expect(await out.text()).toContain('You are signed out');
    expect(await storedSessions()).toBe(sessionsBefore - 1);
    // The old cookie, replayed as an attacker who copied it would.
    expect((await stack.get('/review', cookie)).status).toBe(303);
    const before = await seqOf('ledgerline');
    expect(
      (await stack.postForm(`/review/ledgerline/${ledgerDoc}`, { decision: 'reject', reason: 'x' }, cookie))
        .status,
    ).toBe(401);
    expect(await seqOf('ledgerline')).toBe(before);
  });

  it('a session cookie is stored only as its hash', async () => {
    const cookie = await stack.signIn(TARA);
    const client = createDynamoClient({ endpoint: stack.embedded.endpoints.dynamodb });
    const { Items } = await client.send(new ScanCommand({ TableName: stack.embedded.tableName }));
    client.destroy();
    const secret = cookie.split('=')[1]!;
    expect(JSON.stringify(Items)).not.toContain(secret);
    expect(JSON.stringify(Items)).toContain(`SESSION#${createHash('sha256').update(secret).digest('hex')}`);
  });
});

describe('sign-ins that must not work', () => {
  it('a callback with a wrong state: refused, no session', async () => {
    const before = await storedSessions();
    const { attempt, callback } = await untilCallback(PRIYA);
    callback.searchParams.set('state', 'forged-state');
    const answer = await callbackOf(callback, attempt);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(await answer.text()).toContain('Sign-in did not complete');
    expect(await storedSessions()).toBe(before);
  });

  it('a callback without the browser’s attempt cookie (a login forced on someone): refused, no session', async () => {
    const before = await storedSessions();
    const { callback } = await untilCallback(PRIYA);
    const answer = await callbackOf(callback);
    expect(answer.status).toBe(400);
    expect(await storedSessions()).toBe(before);
  });

  it('a replayed code: refused on our side (the attempt is used up) and at the provider (PKCE, used once)', async () => {
    const { attempt, callback } = await untilCallback(PRIYA);
    const first = await callbackOf(callback, attempt);
    expect(first.status).toBe(303);
    const before = await storedSessions();
    const again = await callbackOf(callback, attempt);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already used');
    // An attacker with the code and a sign-in of their own: their state passes, their PKCE verifier does not.
    const theirs = await stack.get('/signin');
    const replay = new URL(callback);
    replay.searchParams.set('state', new URL(theirs.headers.get('location')!).searchParams.get('state')!);
    const stolen = await callbackOf(replay, setCookieNamed(theirs, 'bk_signin'));
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).toContain('did not accept the sign-in code (invalid_grant)');
    expect(await storedSessions()).toBe(before);
  });

  it('a person without a Bridgekeeper role: a 403 naming the roles after sign-in, and no session', async () => {
    const before = await storedSessions();
    const { attempt, callback } = await untilCallback('victor.grey@bank.example');
    const refused = await callbackOf(callback, attempt);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('vendor-manager, compliance-lead or auditor');
    expect(setCookieNamed(refused, 'bk_session')).toBeUndefined();
    expect(await storedSessions()).toBe(before);
  });

  it('a sign-in that returns only to this site', async () => {
    const start = await stack.get(`/signin?next=${encodeURIComponent('https://evil.example/')}`);
    const callback = await loginAtProvider(start.headers.get('location')!, TARA);
    const done = await callbackOf(callback, setCookieNamed(start, 'bk_signin'));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
  });
});

describe('a cross-site post with a valid session', () => {
  it('is refused before anything is read or written, whatever the route', async () => {
    const lead = cookies[TARA]!;
    const before = { ledgerline: await seqOf('ledgerline'), signalpath: await seqOf('signalpath') };
    for (const origin of ['http://evil.example', 'null', null]) {
      const review = await stack.postForm(
        `/review/ledgerline/${ledgerDoc}`,
        { decision: 'reject', reason: 'forged' },
        lead,
        origin,
      );
      expect(review.status, String(origin)).toBe(403);
      expect(await review.text()).toContain('This request was refused because');
      const finding = await stack.postForm(
        '/vendors/signalpath/findings/new-scope-gap',
        { action: 'accept-risk', reason: 'forged', expiresOn: '2027-01-01' },
        lead,
        origin,
      );
      expect(finding.status).toBe(403);
      const signOut = await stack.postForm('/signout', {}, lead, origin);
      expect(signOut.status).toBe(403);
    }
    expect(await seqOf('ledgerline')).toBe(before.ledgerline);
    expect(await seqOf('signalpath')).toBe(before.signalpath);
    expect((await stack.get('/', lead)).status).toBe(200);
  });
});

describe('roles and segregation of duties (spec section 7)', () => {
  /** Posts as `email`, expects a 403 naming `needs`, nothing written to the vendor, and the refusal logged. */
  async function refused(
    email: string,
    vendorId: string,
    send: (cookie: string) => Promise<Response>,
    needs: RegExp,
  ): Promise<void> {
    const before = await seqOf(vendorId);
    let response!: Response;
    const log = await warnings(async () => {
      response = await send(cookies[email]!);
    });
    expect(response.status, `${email} on ${vendorId}`).toBe(403);
    const page = await response.text();
    expect(page).toMatch(needs);
    expect(await seqOf(vendorId)).toBe(before);
    expect(log).toContain('refused by role');
    expect(log).toContain(email);
    expect(log).toContain(vendorId);
    expect(log).not.toMatch(/bk_session|code=/);
  }

  const review = (vendorId: string, documentId: string) => (cookie: string) =>
    stack.postForm(
      `/review/${vendorId}/${documentId}`,
      { decision: 'reject', reason: 'Not signed.' },
      cookie,
    );
  /** The vendor's finding of this code on record (the lifecycle opens it on the day), acknowledged or its risk accepted. */
  const finding =
    (vendorId: string, code: string, action: 'acknowledge' | 'accept-risk') => async (cookie: string) => {
      const state = await stack.embedded.store.load(vendorId);
      const record = Object.values(state!.findings).find((f) => f.code === code && f.status !== 'closed');
      if (!record) throw new Error(`no ${code} finding on record for ${vendorId}`);
      const form: Record<string, string> =
        action === 'acknowledge'
          ? { action, note: 'Noted.' }
          : { action, reason: 'Accepted for now.', expiresOn: addDays(START.toISOString().slice(0, 10), 30) };
      return stack.postForm(`/vendors/${vendorId}/findings/${record.findingId}`, form, cookie);
    };
  const upload = (vendorId: string) => (cookie: string) =>
    postJson(
      `/vendors/${vendorId}/uploads`,
      {
        kind: 'bridge-letter',
        coversFrom: '2026-10-01',
        coversTo: '2026-12-31',
        issued: '2026-10-02',
        file: { sha256: 'b'.repeat(64), size: 1000 },
      },
      cookie,
    );

  it('a vendor manager decides, records and acknowledges only for their own vendors', async () => {
    const other = /compliance-lead, or vendor-manager of this vendor/;
    await refused(PRIYA, 'tallyworks', review('tallyworks', tallyDoc), other);
    await refused(PRIYA, 'acme-pay', finding('acme-pay', 'category-gap', 'acknowledge'), other);
    await refused(PRIYA, 'tallyworks', upload('tallyworks'), other);
    // The page shows the document, without the decision.
    const page = await (await stack.get(`/review/tallyworks/${tallyDoc}`, cookies[PRIYA])).text();
    expect(page).toContain('id="decision-not-yours"');
    expect(page).not.toContain('value="accept"');
  });

  it('a vendor manager accepts no risk, not even on their own vendor', async () => {
    await refused(
      PRIYA,
      'signalpath',
      finding('signalpath', 'scope-gap', 'accept-risk'),
      /needs the role: <strong>compliance-lead<\/strong>/,
    );
  });

  it('a compliance lead who manages the vendor may not accept its risk (segregation of duties)', async () => {
    await refused(
      HANNAH,
      'quillmail',
      finding('quillmail', 'type1-only', 'accept-risk'),
      /another compliance lead must accept this risk[\s\S]*compliance-lead who does not manage this vendor/,
    );
  });

  it('an auditor reads everything and changes nothing', async () => {
    for (const path of ['/', '/review', '/vendors/tallyworks', `/review/tallyworks/${tallyDoc}`])
      expect((await stack.get(path, cookies[ADA])).status, path).toBe(200);
    await refused(ADA, 'tallyworks', review('tallyworks', tallyDoc), /vendor-manager/);
    await refused(ADA, 'signalpath', finding('signalpath', 'scope-gap', 'acknowledge'), /vendor-manager/);
    await refused(ADA, 'signalpath', finding('signalpath', 'scope-gap', 'accept-risk'), /compliance-lead/);
    await refused(ADA, 'tallyworks', upload('tallyworks'), /vendor-manager/);
  });

  it('what the roles allow still works: the vendor’s own manager, and a lead who does not manage it', async () => {
    expect((await upload('tallyworks')(cookies[MARCUS]!)).status).toBe(201);
    expect((await finding('signalpath', 'scope-gap', 'acknowledge')(cookies[PRIYA]!)).status).toBe(303);
    const closed = await finding('quillmail', 'type1-only', 'accept-risk')(cookies[TARA]!);
    expect(closed.status).toBe(303);
    const events = await stack.embedded.store.events('quillmail');
    expect(events.find((e) => e.type === 'finding-risk-accepted')).toMatchObject({
      actor: { kind: 'staff', id: TARA },
    });
    expect((await review('tallyworks', tallyDoc)(cookies[MARCUS]!)).status).toBe(303);
    expect(
      (await stack.embedded.store.load('tallyworks'))!.documents.find((d) => d.documentId === tallyDoc)
        ?.status,
    ).toBe('rejected');
  });
});

describe('per-link limits on the vendor routes', () => {
  it('answer 429 with Retry-After to a link over its budget, and only to that link', async () => {
    const busy = await stack.tokenFor('grc@vaultline.example');
    const other = await stack.tokenFor('security@brightdesk.example');
    expect((await stack.get(`/u/${busy}`)).status).toBe(200);
    // Use up the rest of this window's budget through the same counter the handler uses.
    const counter = openSessions(stack.embedded.tableName);
    const window = linkWindow(new Date());
    let taken = 0;
    while (await counter.take(hashToken(busy), window, LINK_LIMIT.requests)) taken++;
    expect(taken).toBeLessThanOrEqual(LINK_LIMIT.requests);
    const page = await stack.get(`/u/${busy}`);
    if (linkWindow(new Date()).start !== window.start) return; // the window turned meanwhile: nothing to see
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toContain('Too many requests through this link');
    const api = await fetch(`${stack.url}/u/${busy}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ledgerlineReport()),
    });
    expect(api.status).toBe(429);
    expect(((await api.json()) as { message: string }).message).toMatch(/wait \d+ minute/);
    // Another vendor's link is not affected.
    expect((await stack.get(`/u/${other}`)).status).toBe(200);
  });
});
