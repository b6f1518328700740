// The people's side over HTTP against the whole local stack (dynalite, s3rver, SES mailbox, lifecycle runner):
// upload links, the ingest checks, escaping, staff sign-in, review and the console.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PDF,
  ledgerlineReport,
  startTestStack,
  withoutClockBar,
  type TestStack,
} from '../../support/people-stack.js';
import { handler as reviewHandler } from '../../../functions/handlers/review.js';
import { lambdaContext } from '../../../local/http/gateway.js';
import { uploadKey } from '../../../functions/core/upload-checks.js';

let stack: TestStack;
let deadPage: string;

beforeAll(async () => {
  stack = await startTestStack();
  deadPage = await (await stack.get(`/u/${randomBytes(32).toString('base64url')}`)).text();
});
afterAll(async () => {
  await stack?.stop();
});

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

describe('vendor upload link', () => {
  it('opens the page that says who asks, for what and by when', async () => {
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const response = await stack.get(`/u/${token}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Ledgerline Core Banking');
    expect(html).toContain('priya.raman@bank.example');
    expect(html).toContain('a bridge letter covering 2025-10-01 through today (2026-11-26)');
    expect(html).toMatch(/By<\/dt>\s*<dd><strong>\d{4}-\d{2}-\d{2}<\/strong>/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('gives forged, malformed and unknown tokens one and the same plain page', async () => {
    expect(deadPage).toContain('This upload link does not work');
    for (const token of [randomBytes(32).toString('base64url'), 'abc', '%3Cscript%3E', 'A'.repeat(43)]) {
      const response = await stack.get(`/u/${token}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(deadPage);
    }
    const api = await fetch(`${stack.url}/u/${randomBytes(32).toString('base64url')}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ledgerlineReport()),
    });
    expect(api.status).toBe(404);
  });

  it('names every problem with the entries and creates nothing', async () => {
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const result = await stack.upload(token, ledgerlineReport({ periodEnd: '2026-02-30', auditor: '' }), PDF);
    expect(result.entriesStatus).toBe(400);
    expect(result.entries.problems).toEqual(
      expect.arrayContaining([
        'auditor: is required',
        expect.stringMatching(/^periodEnd: 2026-02-30 is not a date/),
      ]),
    );
  });

  it('refuses a non-PDF, an empty file and a 51 MB file, and says why, before or after the bytes arrive', async () => {
    const token = await stack.tokenFor('audit@tallyworks.example');
    const entries = ledgerlineReport({ categories: ['security'] });
    const notPdf = await stack.upload(token, entries, Buffer.from('<html>not a pdf</html>'));
    expect(notPdf.status).toEqual({ state: 'refused', message: expect.stringContaining('not a PDF') });
    // Declared by the page: refused before anything is signed.
    const empty = await stack.upload(token, entries, Buffer.alloc(0));
    expect(empty.entriesStatus).toBe(400);
    expect(empty.entries).toEqual({ problems: ['file.size: the file is empty'] });
    const big = Buffer.alloc(51 * 1024 * 1024, 0x20);
    PDF.copy(big);
    const declaredBig = await stack.upload(token, entries, big);
    expect(declaredBig.entriesStatus).toBe(400);
    expect(declaredBig.entries).toEqual({ problems: ['file.size: the file is 51.0 MB; the limit is 50 MB'] });
    // A page that lies about the file (the embedded S3 checks no signed length): refused when the bytes arrive.
    const large = await stack.upload(token, entries, big, {
      sha256: createHash('sha256').update(big).digest('hex'),
      size: 1000,
    });
    expect(large.status).toEqual({ state: 'refused', message: expect.stringContaining('limit is 50 MB') });
    // Nothing was kept: no document, and the bytes are gone from the bucket.
    const state = await stack.embedded.store.load('tallyworks');
    expect(state?.documents.filter((d) => d.source === 'upload')).toEqual([]);
    const { uploadId } = large.entries as { uploadId: string };
    const head = await fetch(
      `${stack.s3.endpoint}/bridgekeeper-documents/${uploadKey('tallyworks', uploadId)}`,
      {
        method: 'HEAD',
      },
    );
    expect(head.status).toBe(404);
  });

  it("does not show one vendor's upload through another vendor's link", async () => {
    const tally = await stack.tokenFor('audit@tallyworks.example');
    const vault = await stack.tokenFor('grc@vaultline.example');
    const mine = await stack.upload(
      tally,
      ledgerlineReport({ categories: ['security'] }),
      Buffer.from('nope'),
    );
    const { uploadId } = mine.entries as { uploadId: string };
    const own = await fetch(`${stack.url}/u/${tally}/uploads/${uploadId}`);
    expect(own.status).toBe(200);
    const other = await fetch(`${stack.url}/u/${vault}/uploads/${uploadId}`);
    expect(other.status).toBe(404);
  });
});

describe('HTML and script in vendor-entered fields', () => {
  let documentId: string;
  it('is stored as text and rendered inert on the review page, the console and the e-mail', async () => {
    const token = await stack.tokenFor('security@brightdesk.example');
    const result = await stack.upload(
      token,
      {
        kind: 'soc2-type2',
        periodStart: '2025-10-01',
        periodEnd: '2026-09-30',
        issued: '2026-11-20',
        opinion: 'unqualified',
        auditor: XSS,
        categories: ['security'],
        regions: `us, eu, ${XSS}`,
        exceptions: [{ control: XSS, description: XSS, managementResponse: XSS }],
      },
      Buffer.concat([PDF, Buffer.from('brightdesk')]),
    );
    expect(result.status?.state).toBe('received');
    documentId = String((await stack.embedded.store.load('brightdesk'))!.documents.at(-1)!.documentId);
    const cookie = await stack.signIn('sofia.martins@bank.example');
    for (const path of [`/review/brightdesk/${documentId}`, '/vendors/brightdesk', '/review']) {
      const html = await (await stack.get(path, cookie)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      if (path !== '/review') expect(html).toContain('&lt;script&gt;alert(');
    }
    const mail = (await stack.embedded.mailbox.messages()).find(
      (m) => m.destination.to.includes('sofia.martins@bank.example') && m.subject.startsWith('Review needed'),
    );
    expect(mail).toBeDefined();
    expect(mail!.body.html).toContain(`/review/brightdesk/${documentId}`);
  });

  it('escapes the rejection reason on the vendor page and in the e-mail to the vendor', async () => {
    const cookie = await stack.signIn('sofia.martins@bank.example');
    const response = await stack.postForm(
      `/review/brightdesk/${documentId}`,
      { decision: 'reject', reason: `Unsigned ${XSS}` },
      cookie,
    );
    expect(response.status).toBe(303);
    const token = await stack.tokenFor('security@brightdesk.example');
    const page = await (await stack.get(`/u/${token}`)).text();
    expect(page).toContain('Unsigned &lt;script&gt;');
    expect(page).not.toContain('<script>alert');
    const mail = (await stack.embedded.mailbox.messages()).find(
      (m) =>
        m.destination.to.includes('security@brightdesk.example') &&
        m.subject.includes('could not be accepted'),
    );
    expect(mail?.body.html).toContain('Unsigned &lt;script&gt;');
    expect(mail?.body.html).not.toContain('<script>');
  });
});

describe('the ingest handler', () => {
  it('deletes bytes at a key it never issued, and ignores a redelivered event', async () => {
    const { createS3Client } = await import('../../../functions/adapters/s3/documents.js');
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const client = createS3Client({ endpoint: stack.s3.endpoint });
    const stray = uploadKey('ledgerline', 'f'.repeat(32));
    await client.send(new PutObjectCommand({ Bucket: 'bridgekeeper-documents', Key: stray, Body: PDF }));
    await stack.idle();
    const gone = await fetch(`${stack.s3.endpoint}/bridgekeeper-documents/${stray}`, { method: 'HEAD' });
    expect(gone.status).toBe(404);

    const { handler } = await import('../../../functions/handlers/ingest.js');
    const token = await stack.tokenFor('audit@tallyworks.example');
    const refused = await stack.upload(
      token,
      ledgerlineReport({ categories: ['security'] }),
      Buffer.from('x'),
    );
    const key = uploadKey('tallyworks', (refused.entries as { uploadId: string }).uploadId);
    const again = (await handler(
      { Records: [{ eventName: 'ObjectCreated:Post', s3: { object: { key } } }] } as never,
      lambdaContext('ingest'),
    )) as { outcomes: string[] };
    expect(again.outcomes).toEqual(['ignored']);
  });

  it('keeps the file when the same upload is delivered twice before either run settled it', async () => {
    const { openDocuments } = await import('../../../functions/edge/documents.js');
    const { intentKey } = await import('../../../functions/core/upload-checks.js');
    const { handler } = await import('../../../functions/handlers/ingest.js');
    const token = await stack.tokenFor('grc@vaultline.example');
    const file = Buffer.concat([PDF, Buffer.from('twice')]);
    const done = await stack.upload(token, ledgerlineReport({ categories: ['security'] }), file);
    expect(done.status?.state).toBe('received');
    const { uploadId } = done.entries as { uploadId: string };
    const files = openDocuments(process.env.DOCUMENTS_BUCKET!);
    // As if the second delivery had read the intent before the first one settled it.
    const intent = await files.getJson<Record<string, unknown>>(intentKey('vaultline', uploadId));
    await files.putJson(intentKey('vaultline', uploadId), { ...intent, state: 'waiting' });
    const key = uploadKey('vaultline', uploadId);
    const second = (await handler(
      { Records: [{ eventName: 'ObjectCreated:Post', s3: { object: { key } } }] } as never,
      lambdaContext('ingest'),
    )) as { outcomes: string[] };
    expect(second.outcomes).toEqual(['ignored']);
    expect((await files.head(key))?.size).toBe(file.length);
  });
});

describe('staff sign-in', () => {
  it('keeps staff pages and review decisions behind sign-in', async () => {
    const page = await stack.get('/review');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Freview');
    const before = (await stack.embedded.store.load('ledgerline'))!.seq;
    const post = await stack.postForm('/review/ledgerline/anything', { decision: 'accept' });
    expect(post.status).toBe(401);
    const forged = await stack.postForm(
      '/review/ledgerline/anything',
      { decision: 'accept' },
      'bk_session=e30.AAAA',
    );
    expect(forged.status).toBe(401);
    expect((await stack.embedded.store.load('ledgerline'))!.seq).toBe(before);
    // Sign-in itself goes to the identity provider (the embedded one), with PKCE and state.
    const start = await stack.get('/signin');
    expect(start.status).toBe(303);
    const to = new URL(start.headers.get('location')!);
    expect(to.origin).toBe(stack.oidc.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
  });

  it('sends a handler call without a session to sign-in (the handler itself, as behind API Gateway)', async () => {
    const result = (await reviewHandler(
      {
        version: '2.0',
        routeKey: 'GET /review',
        rawPath: '/review',
        rawQueryString: '',
        headers: {},
        requestContext: { http: { method: 'GET', path: '/review' } },
        isBase64Encoded: false,
      } as never,
      lambdaContext('review'),
    )) as { statusCode: number; headers: Record<string, string> };
    expect(result.statusCode).toBe(303);
    expect(result.headers.location).toBe('/signin?next=%2Freview');
  });
});

describe('evidence that cannot be swapped', () => {
  it('a second write to an upload’s key changes nothing recorded, and the swapped bytes are never served', async () => {
    const { logger } = await import('../../../functions/edge/logger.js');
    const token = await stack.tokenFor('grc@vaultline.example');
    const original = Buffer.concat([PDF, Buffer.from('the report as reviewed')]);
    const done = await stack.upload(token, ledgerlineReport({ categories: ['security'] }), original);
    expect(done.entries).toMatchObject({ uploadId: expect.any(String) });
    expect(done.status?.state).toBe('received');
    const { uploadId } = done.entries as { uploadId: string };
    const key = uploadKey('vaultline', uploadId);
    const recorded = (await stack.embedded.store.load('vaultline'))!.documents.find(
      (d) => d.file?.key === key,
    )!;
    expect(recorded.file!.sha256).toBe(createHash('sha256').update(original).digest('hex'));

    // A new upload request gets a new key: the link cannot aim a second upload at the first one's key.
    const again = await stack.upload(token, ledgerlineReport({ categories: ['security'] }), PDF);
    expect((again.entries as { uploadId: string }).uploadId).not.toBe(uploadId);

    // The attacker re-sends bytes to the first key (S3 would refuse: If-None-Match and the signed checksum; the
    // embedded S3 takes it). The ingest sees the new object and changes nothing.
    const swapped = Buffer.concat([PDF, Buffer.from('a forged report')]);
    const put = await fetch(`${stack.s3.endpoint}/bridgekeeper-documents/${key}`, {
      method: 'PUT',
      body: swapped,
    });
    expect(put.ok).toBe(true);
    await stack.idle();
    const after = (await stack.embedded.store.load('vaultline'))!.documents.find((d) => d.file?.key === key)!;
    expect(after.file).toEqual(recorded.file);

    // The download checks the stored bytes against the recorded hash: refused, and logged for the operators.
    const errors: unknown[] = [];
    const original_ = logger.error.bind(logger);
    logger.error = ((...args: unknown[]) => void errors.push(args)) as typeof logger.error;
    try {
      const cookie = await stack.signIn('priya.raman@bank.example');
      const download = await stack.get(`/review/vaultline/${recorded.documentId}/file`, cookie);
      expect(download.status).toBe(409);
      expect(await download.text()).toContain('no longer matches the file that was received');
      expect(download.headers.get('location')).toBeNull();
    } finally {
      logger.error = original_;
    }
    expect(JSON.stringify(errors)).toContain('download refused: the stored file does not match the hash');
  });
});

describe('review and accept', () => {
  it('shows the preview, insists on the checklist, accepts, and the vendor is current again', async () => {
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const first = await stack.upload(token, ledgerlineReport(), PDF);
    expect(first.status).toEqual({ state: 'received', message: expect.stringContaining('received') });
    const again = await stack.upload(token, ledgerlineReport(), PDF);
    expect(again.status).toEqual({
      state: 'duplicate',
      message: expect.stringContaining('already received'),
    });
    const uploads = (await stack.embedded.store.load('ledgerline'))!.documents.filter(
      (d) => d.source === 'upload',
    );
    expect(uploads).toHaveLength(1);
    const documentId = uploads[0]!.documentId;

    const cookie = await stack.signIn('priya.raman@bank.example');
    const queue = await (await stack.get('/review', cookie)).text();
    expect(queue).toContain(`/review/ledgerline/${documentId}`);
    const review = await (await stack.get(`/review/ledgerline/${documentId}`, cookie)).text();
    expect(review).toContain('<strong>2027-09-30</strong>');
    expect(review).toContain(`href="/review/ledgerline/${documentId}/file"`);
    // Through the server, which checks the hash, then a short-lived link that serves the very bytes uploaded.
    const redirected = await stack.get(`/review/ledgerline/${documentId}/file`, cookie);
    expect(redirected.status).toBe(303);
    const href = redirected.headers.get('location')!;
    expect(href).toContain('X-Amz-Expires=300');
    const pdf = await fetch(href);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF)).toBe(true);
    const checks = [...review.matchAll(/name="check"\s+value="([^"]+)"/g)].map((m) => m[1]!);
    expect(checks.length).toBeGreaterThanOrEqual(7);

    const unchecked = await stack.postForm(
      `/review/ledgerline/${documentId}`,
      { decision: 'accept' },
      cookie,
    );
    expect(unchecked.status).toBe(400);
    expect(await unchecked.text()).toContain('Tick every checklist item');

    const accepted = await stack.postForm(
      `/review/ledgerline/${documentId}`,
      { decision: 'accept', check: checks, note: 'CUECs assigned to IT ops' },
      cookie,
    );
    expect(accepted.status).toBe(303);
    await stack.idle();

    const state = (await stack.embedded.store.load('ledgerline'))!;
    expect(state.documents.find((d) => d.documentId === documentId)?.status).toBe('accepted');
    expect(state.openRequestId).toBeNull();
    const events = await stack.embedded.store.events('ledgerline');
    const decision = events.find((e) => e.type === 'document-accepted');
    expect(decision?.actor).toEqual({ kind: 'staff', id: 'priya.raman@bank.example' });

    const lead = await stack.signIn('tprm@bank.example');
    const vendorPage = await (await stack.get('/vendors/ledgerline', lead)).text();
    expect(vendorPage).toMatch(/id="vendor-status"><span class="badge s-current">current<\/span>/);
    expect(vendorPage).toContain('priya.raman@bank.example');
    expect(vendorPage).toContain('The SOC 2 Type II was accepted');
    expect(vendorPage).toMatch(/id="chain-status">\s*Hash chain verified: \d+ events/);

    const told = (await stack.embedded.mailbox.messages()).filter((m) =>
      m.destination.to.includes('assurance@ledgerline.example'),
    );
    expect(told.at(-1)?.subject).toBe('Your SOC 2 Type II was accepted');

    // The request closed with the acceptance: its link is dead, with the same page as any other dead link.
    const closed = await stack.get(`/u/${token}`);
    expect(closed.status).toBe(404);
    expect(await closed.text()).toBe(deadPage);
  });
});

describe('compliance console', () => {
  it('acknowledges a finding with a note, recorded with the lead as actor', async () => {
    const lead = await stack.signIn('tprm@bank.example');
    const register = await (await stack.get('/findings?vendor=tallyworks', lead)).text();
    const match = /href="\/vendors\/tallyworks\/findings\/([^"]+)"/.exec(register);
    expect(match).not.toBeNull();
    const findingPage = await (await stack.get(`/vendors/tallyworks/findings/${match![1]}`, lead)).text();
    expect(findingPage).toContain('id="acknowledge-form"');
    const response = await stack.postForm(
      `/vendors/tallyworks/findings/${match![1]}`,
      { action: 'acknowledge', note: 'SOC 2 requested via procurement' },
      lead,
    );
    expect(response.status).toBe(303);
    const events = await stack.embedded.store.events('tallyworks');
    expect(events.at(-1)).toMatchObject({
      type: 'finding-acknowledged',
      actor: { kind: 'staff', id: 'tprm@bank.example' },
    });
    const blank = await stack.postForm(
      `/vendors/tallyworks/findings/${match![1]}`,
      { action: 'close', note: '' },
      lead,
    );
    expect(blank.status).toBe(400);
  });
});

describe('local clock control', () => {
  it('moves to the next due event for signed-in staff only, from this site only', async () => {
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      origin: stack.url,
    };
    const anonymous = await fetch(`${stack.url}/_local/clock`, { method: 'POST', headers, body: 'next=1' });
    expect(anonymous.status).toBe(401);
    const cookie = await stack.signIn('tprm@bank.example');
    const before = stack.embedded.clock.now().getTime();
    const crossSite = await fetch(`${stack.url}/_local/clock`, {
      method: 'POST',
      headers: { ...headers, cookie, origin: 'http://evil.example' },
      body: 'next=1',
    });
    expect(crossSite.status).toBe(403);
    // Refused: the clock did not jump (between jumps it runs with the real time, a few milliseconds here).
    expect(stack.embedded.clock.now().getTime() - before).toBeLessThan(60_000);
    const moved = await fetch(`${stack.url}/_local/clock`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: 'next=1',
    });
    expect(moved.status).toBe(200);
    const { now } = (await moved.json()) as { now: string };
    expect(Date.parse(now)).toBeGreaterThan(before);
    const bad = await stack.postForm('/_local/clock', { days: '0' }, cookie);
    expect(bad.status).toBe(400);
  });
});

describe('expired link', () => {
  it('dies after 90 days even while its request is open, with the same page', async () => {
    const token = await stack.tokenFor('grc@vaultline.example');
    expect((await stack.get(`/u/${token}`)).status).toBe(200);
    // Move the clock past the link's life without running the lifecycle (which would send a new link).
    stack.embedded.clock.set(new Date(stack.embedded.clock.now().getTime() + 91 * 86_400_000));
    const expired = await stack.get(`/u/${token}`);
    expect(expired.status).toBe(404);
    expect(withoutClockBar(await expired.text())).toBe(withoutClockBar(deadPage));
  });
});
