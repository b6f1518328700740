// The deployed artifacts, run here: every function's bundle as CDK built it, on the Lambda Node.js major, with
// exactly the environment the template gives it, against AWS on 127.0.0.1. One vendor goes through what each
// caller sends on AWS: the state machine's Plan, Sleep and RecordFailure tasks (events rendered from the
// definition's own payload templates), the vendor's link, staff sign-in through the embedded OpenID provider (the
// deployment's identity provider here, global-setup.ts) and the staff pages with the session it gave (an API
// Gateway v2 event for every route of the template), the upload rule's event, and the daily schedule's input. A
// function that does not load, needs a variable or a grant the template does not give it, or answers with an error
// page fails here.
import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { DynamoEventStore } from '../../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../../functions/app/vendors.js';
import { systemClock } from '../../functions/ports/clock.js';
import { lifecycleExecutionName } from '../../functions/adapters/sfn/lifecycle.js';
import { parsePortfolio } from '../../functions/core/portfolio.js';
import { importPortfolio } from '../../functions/app/import.js';
import { HTTP_ROUTES, routeKey } from '../../functions/catalog.js';
import { ENV_FOR_NEED, SETTINGS_FOR_NEED } from '../../functions/ports/needs.js';
import { loginAtProvider } from '../support/oidc-login.js';
import { LAMBDA_NODE_MAJOR } from './lambda-node.js';
import {
  deployedMac,
  deployedProvider,
  httpEvent,
  httpRoutes,
  lambdaStates,
  scheduleEvent,
  startDeployed,
  taskEvent,
  uploadEvent,
  type Deployed,
  type HttpOptions,
} from './context.js';
import type { InvokeResult } from './lambda.js';
import type { Json } from './template.js';
import { testReport } from '../support/reports/reports.js';

/**
 * Mismatches known today, each failing exactly as described (so a different failure is still caught), until the
 * handler is fixed; then this test fails and says to remove the entry.
 */
const KNOWN: Record<string, { variable: string; why: string }> = {};

const VENDOR = 'northwind';
const MANAGER = 'priya.raman@bank.example';
const CONTACT = 'security@northwind.example';
const LEAD = 'tara.lind@bank.example';
// A generated SOC 2 Type II report (test/support/reports): intake assist reads it in the deployed function.
const PDF = Buffer.from(testReport('acme-soc2-type2.pdf'));

let d: Deployed;
let store: Vendors;
const exercised = new Set<string>();

beforeAll(async () => {
  d = await startDeployed();
  const [tableId] = d.t.ofType('AWS::DynamoDB::Table')[0]!;
  store = new Vendors(
    new DynamoEventStore({
      tableName: d.t.ref(tableId),
      client: createDynamoClient({ endpoint: d.aws.dynamoEndpoint }),
    }),
    // Sealed with the deployed key on the deployed KMS, as the import command does on AWS.
    { clock: systemClock, mac: deployedMac(d) },
  );
  // A vendor with no report at all: its first plan asks it for one, escalates, and opens a finding.
  const portfolio = parsePortfolio({
    complianceLeadEmail: LEAD,
    vendors: [
      {
        id: VENDOR,
        name: 'Northwind Ledger',
        tier: 'high',
        managerEmail: MANAGER,
        contactEmail: CONTACT,
        dataRegions: ['us'],
        documents: [],
      },
    ],
    subserviceOrganizations: [{ id: 'nimbus-cloud', name: 'Nimbus Cloud', documents: [] }],
  });
  await importPortfolio(store, portfolio, {
    actor: { kind: 'import', by: 'deployed-suite' },
    manageDocuments: true,
  });
}, 120_000);

afterAll(async () => {
  await d?.stop();
});

const fn = (name: string) => {
  const f = d.functions.get(name);
  if (!f) throw new Error(`no deployed function ${name}`);
  return f;
};

async function invoke(name: string, event: Json): Promise<Json> {
  const out: InvokeResult = await fn(name).invoke(event);
  if (!out.ok)
    throw new Error(`${name}: ${out.errorType}: ${out.errorMessage}\n${fn(name).output.slice(-3000)}`);
  return out.result;
}

/** The session cookie (`__Host-bk_session=...`) the sign-in gave the vendor's manager. */
let session = '';

/** A session of `email`, signed in through the provider as the first sign-in test does. */
async function signedInAs(email: string): Promise<string> {
  const start = await http('GET /signin', { query: 'next=%2F' });
  const callback = await loginAtProvider(new URL(start.headers.location).href, email);
  const done = await http('GET /callback', {
    query: callback.search.slice(1),
    cookies: [setCookie(start, '__Host-bk_signin')!.split(';')[0]!],
  });
  expectWorking(done, 303);
  return setCookie(done, '__Host-bk_session')!.split(';')[0]!;
}
const STAFF_ROUTES = new Set(HTTP_ROUTES.filter((r) => r.auth === 'staff').map(routeKey));

async function http(key: string, options: HttpOptions = {}) {
  const route = httpRoutes(d).get(key);
  if (!route) throw new Error(`the template has no route ${key}`);
  expect(route.jwt, `${key} has a JWT authorizer: browsers would get a 401 before the function`).toBe(false);
  exercised.add(key);
  const staff = STAFF_ROUTES.has(key) && session ? { cookies: [session] } : {};
  return { fn: route.fn, ...(await invoke(route.fn, httpEvent(d, key, { ...staff, ...options }))) };
}

const setCookie = (answer: Json, name: string) =>
  (answer.cookies as string[] | undefined)?.find((c) => c.startsWith(`${name}=`));

/** A working function answers with the page it was asked for: never the 500/409 "Something went wrong". */
function expectWorking(response: Json, status: number) {
  if (KNOWN[response.fn]) {
    const known = KNOWN[response.fn]!;
    expect(response.statusCode, `${response.fn} is listed as KNOWN but works: remove it from KNOWN`).toBe(
      409,
    );
    expect(fn(response.fn).output).toContain(`${known.variable} is not set`);
    return;
  }
  expect(response.statusCode, String(response.body).slice(0, 400)).toBe(status);
  expect(String(response.body)).not.toContain('Something went wrong');
}

const state = {
  execution: lifecycleExecutionName(VENDOR, 1),
  plan: undefined as Json,
  token: '',
  uploadId: '',
  uploadKey: '',
  documentId: '',
};
const context = () => ({ Execution: { Name: state.execution }, Task: { Token: 'task-token-1' } });

describe('every function', () => {
  it(`loads on Node.js ${LAMBDA_NODE_MAJOR} with the template's environment`, () => {
    expect(d.functions.size).toBe(d.t.ofType('AWS::Lambda::Function').length);
    for (const f of d.functions.values())
      expect(f.node, f.fn.name).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
  });
});

describe('the lifecycle, as the state machine calls it', () => {
  it('Plan: decides, records and sends the request, and returns the next wake-up', async () => {
    const event = taskEvent(
      d,
      'Plan',
      { vendorId: VENDOR, generation: 1, plan: { action: 'start', loops: 0 } },
      context(),
    );
    expect(event).toEqual({ vendorId: VENDOR, generation: 1, execution: state.execution, loops: 0 });
    state.plan = await invoke('plan', event);
    expect(state.plan.action).toBe('sleep');
    expect(state.plan.sleepSeconds).toBeGreaterThan(0);
    expect(state.plan.sent.length).toBeGreaterThan(0);
    // The result selector of the Plan state reads every field it names.
    const selector = lambdaStates(d).get('Plan')!.state.ResultSelector as Record<string, string>;
    for (const path of Object.values(selector))
      expect(state.plan).toHaveProperty(path.replace('$.Payload.', ''));
    const mails = await d.aws.mailbox.messages();
    const request = mails.find((m) => m.destination.to.includes(CONTACT));
    expect(request, JSON.stringify(mails.map((m) => m.subject))).toBeDefined();
    const from = fn('plan').environment.MAIL_FROM;
    expect(request!.from).toContain(from);
    // The link points at the deployed pages (PUBLIC_BASE_URL from the template).
    const base = fn('plan').environment.PUBLIC_BASE_URL!;
    const link = new RegExp(`${base.replace(/[.]/g, '\\.')}/u/([A-Za-z0-9_-]+)`).exec(
      request!.body.text ?? '',
    );
    expect(link, request!.body.text).not.toBeNull();
    state.token = link![1]!;
  });

  it('Sleep: records the task token and waits', async () => {
    const event = taskEvent(d, 'Sleep', { vendorId: VENDOR, generation: 1, plan: state.plan }, context());
    expect(event.taskToken).toBe('task-token-1');
    expect(await invoke('wait', event)).toEqual({ waiting: true });
    expect((await store.load(VENDOR))!.lifecycle.taskToken).toBe('task-token-1');
  });
});

describe('the vendor, through the upload link', () => {
  it('GET /u/{token}: the upload page', async () => {
    const page = await http('GET /u/{token}', { pathParameters: { token: state.token } });
    expectWorking(page, 200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('POST /u/{token}/uploads: entries and the file’s hash in, a presigned PUT to the bucket out, and the file goes up', async () => {
    const entries = {
      kind: 'soc2-type2',
      periodStart: '2025-10-01',
      periodEnd: '2026-09-30',
      issued: '2026-10-20',
      opinion: 'unqualified',
      auditor: 'Example CPA LLP',
      categories: ['security'],
      regions: 'us',
      exceptions: [],
    };
    const file = { sha256: createHash('sha256').update(PDF).digest('hex'), size: PDF.length };
    const answer = await http('POST /u/{token}/uploads', {
      pathParameters: { token: state.token },
      body: JSON.stringify({ ...entries, file }),
      contentType: 'application/json',
    });
    expectWorking(answer, 201);
    const body = JSON.parse(answer.body);
    state.uploadId = body.uploadId;
    const bucket = fn('vendor-upload').environment.DOCUMENTS_BUCKET!;
    const url = new URL(body.upload.url);
    expect(`${url.protocol}//${url.host}`).toBe(d.aws.endpoints.s3);
    expect(url.pathname).toMatch(new RegExp(`^/${bucket}/uploads/${VENDOR}/`));
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;if-none-match;x-amz-checksum-sha256',
    );
    state.uploadKey = url.pathname.slice(bucket.length + 2);
    const put = await fetch(body.upload.url, { method: 'PUT', headers: body.upload.headers, body: PDF });
    expect(put.ok, await put.text()).toBe(true);
  });

  it('GET /u/{token}/uploads/{uploadId}: the upload is being checked', async () => {
    const status = await http('GET /u/{token}/uploads/{uploadId}', {
      pathParameters: { token: state.token, uploadId: state.uploadId },
    });
    expectWorking(status, 200);
    expect(JSON.parse(status.body).state).toBe('waiting');
  });

  it('GET /assets/{file}: the stylesheet', async () => {
    const css = await http('GET /assets/{file}', { pathParameters: { file: 'app.css' } });
    expectWorking(css, 200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });
});

describe('the upload event', () => {
  it('ingest: checks the file, adds the document, wakes the lifecycle and asks for a review', async () => {
    const bucket = fn('ingest').environment.DOCUMENTS_BUCKET!;
    const result = await invoke('ingest', uploadEvent(d, bucket, state.uploadKey, PDF.length));
    expect(result).toEqual({ outcomes: ['received'] });
    const woken = d.aws.sfnCalls.find((c) => c.operation === 'SendTaskSuccess');
    expect(woken?.body.taskToken).toBe('task-token-1');
    const vendor = await store.load(VENDOR);
    state.documentId = vendor!.documents.find((doc) => doc.status === 'pending-review')!.documentId;
    const mails = await d.aws.mailbox.messages();
    expect(mails.some((m) => m.destination.to.includes(MANAGER) && /review/i.test(m.subject))).toBe(true);
  });
});

describe('intake assist, on the settled intent', () => {
  it('extract: reads the received upload with the deployed bundle and records what it says on the document', async () => {
    const bucket = fn('extract').environment.DOCUMENTS_BUCKET!;
    const intent = `intents/${VENDOR}/${state.uploadId}.json`;
    const result = await invoke('extract', uploadEvent(d, bucket, intent, 500));
    expect(result).toEqual({ outcomes: ['extracted'] });
    const record = (await store.load(VENDOR))!.documents.find((doc) => doc.documentId === state.documentId)!;
    expect(record.extraction).toMatchObject({
      textLayer: true,
      fields: {
        kind: { value: 'soc2-type2', page: 1 },
        periodEnd: { value: '2025-12-31', page: 3 },
        auditor: { value: 'Example CPA LLP', page: 4 },
      },
    });
    // Once read, a redelivery changes nothing.
    expect(await invoke('extract', uploadEvent(d, bucket, intent, 500))).toEqual({ outcomes: ['ignored'] });
  });
});

describe('staff sign-in, through the identity provider', () => {
  it('GET /signin: to the provider with PKCE, state and nonce; GET /callback: a session on the server', async () => {
    const start = await http('GET /signin', { query: 'next=%2Freview' });
    expectWorking(start, 303);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin).toBe(deployedProvider().issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('client_id')).toBe(fn('signin').environment.OIDC_CLIENT_ID);
    const base = fn('signin').environment.PUBLIC_BASE_URL!;
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/callback`);
    // HTTPS on AWS: the cookies are __Host- prefixed and Secure.
    const attempt = setCookie(start, '__Host-bk_signin')!;
    expect(attempt).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/);

    const callback = await loginAtProvider(authorize.href, MANAGER);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${base}/callback`);
    const done = await http('GET /callback', {
      query: callback.search.slice(1),
      cookies: [attempt.split(';')[0]!],
    });
    expectWorking(done, 303);
    expect(done.headers.location).toBe('/review');
    session = setCookie(done, '__Host-bk_session')!.split(';')[0]!;
    expect(session).toMatch(/^__Host-bk_session=[A-Za-z0-9_-]{43}$/);
    // Only the sign-in function read the client secret, and the store holds only the cookie's hash.
    expect(new Set(d.aws.secretReads.map((r) => r.caller))).toEqual(new Set(['signin']));
    const items = await d.aws.dynamo.send(
      new ScanCommand({ TableName: fn('signin').environment.TABLE_NAME }),
    );
    const sessions = (items.Items ?? []).filter((i) => String(i.pk?.S).startsWith('SESSION#'));
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(session.split('=')[1]!);
  });
});

describe('the staff pages', () => {
  it('GET /review: the review queue', async () => {
    expectWorking(await http('GET /review'), 200);
  });

  it('GET /review/{vendorId}/{documentId}: the document, with its download through the server', async () => {
    const page = await http('GET /review/{vendorId}/{documentId}', {
      pathParameters: { vendorId: VENDOR, documentId: state.documentId },
    });
    expectWorking(page, 200);
    expect(page.body).toContain(`/review/${VENDOR}/${state.documentId}/file`);
    // The vendor's period end (2026-09-30) beside the report's (2025-12-31), flagged.
    expect(page.body).toMatch(/data-field="periodEnd" data-agreement="differs"/);
  });

  it('GET /review/{vendorId}/{documentId}/file: the hash checked, then a link to that version in the bucket', async () => {
    const answer = await http('GET /review/{vendorId}/{documentId}/file', {
      pathParameters: { vendorId: VENDOR, documentId: state.documentId },
    });
    expectWorking(answer, 303);
    expect(answer.headers.location).toContain(
      `${d.aws.endpoints.s3}/${fn('review').environment.DOCUMENTS_BUCKET}/`,
    );
  });

  it('POST /review/{vendorId}/{documentId}: a decision redirects back to the document', async () => {
    const answer = await http('POST /review/{vendorId}/{documentId}', {
      pathParameters: { vendorId: VENDOR, documentId: state.documentId },
      body: new URLSearchParams({ decision: 'reject', reason: 'The report is not signed.' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectWorking(answer, 303);
    expect(answer.headers.location).toBe(`/review/${VENDOR}/${state.documentId}`);
  });

  it('POST /review/{vendorId}/{documentId}/cuecs: a rejected document has no CUEC owner to ask', async () => {
    const answer = await http('POST /review/{vendorId}/{documentId}/cuecs', {
      pathParameters: { vendorId: VENDOR, documentId: state.documentId },
      body: new URLSearchParams({ cuec: 'cuec-1' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectWorking(answer, 404);
  });

  it('GET /subservices and GET /subservices/{id}: the organisations and one of them', async () => {
    const list = await http('GET /subservices');
    expectWorking(list, 200);
    expect(list.body).toContain('Nimbus Cloud');
    const one = await http('GET /subservices/{id}', { pathParameters: { id: 'nimbus-cloud' } });
    expectWorking(one, 200);
    expect(one.body).toContain('id="organization-status"');
  });

  it('GET and POST /c/{vendorId}/{token}: a CUEC owner’s link that opens nothing gets the dead-link page', async () => {
    const token = 'A'.repeat(43);
    for (const routeKey of ['GET /c/{vendorId}/{token}', 'POST /c/{vendorId}/{token}']) {
      const answer = await http(routeKey, {
        pathParameters: { vendorId: VENDOR, token },
        ...(routeKey.startsWith('POST')
          ? { body: 'status=in-place', contentType: 'application/x-www-form-urlencoded' }
          : {}),
      });
      expectWorking(answer, 404);
      expect(answer.body).toContain('This link does not work');
    }
  });

  it('GET /: the portfolio', async () => {
    expectWorking(await http('GET /'), 200);
  });

  it('GET /vendors/{vendorId}: one vendor and its audit trail', async () => {
    expectWorking(await http('GET /vendors/{vendorId}', { pathParameters: { vendorId: VENDOR } }), 200);
  });

  it('POST /vendors/{vendorId}/findings/{findingId}: acknowledging a finding redirects to the vendor', async () => {
    const finding = Object.values((await store.load(VENDOR))!.findings).find((f) => f.status === 'open');
    expect(finding).toBeDefined();
    const answer = await http('POST /vendors/{vendorId}/findings/{findingId}', {
      pathParameters: { vendorId: VENDOR, findingId: finding!.findingId },
      body: new URLSearchParams({ action: 'acknowledge', note: 'Vendor contacted.' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectWorking(answer, 303);
  });

  it('GET /findings and GET /vendors/{vendorId}/findings/{findingId}: the register and one finding with its history', async () => {
    const finding = Object.values((await store.load(VENDOR))!.findings).find((f) => f.status !== 'closed');
    expect(finding).toBeDefined();
    const register = await http('GET /findings', { query: `vendor=${VENDOR}` });
    expectWorking(register, 200);
    expect(register.body).toContain(`/vendors/${VENDOR}/findings/${finding!.findingId}`);
    const one = await http('GET /vendors/{vendorId}/findings/{findingId}', {
      pathParameters: { vendorId: VENDOR, findingId: finding!.findingId },
    });
    expectWorking(one, 200);
    expect(one.body).toContain(finding!.code);
  });

  it('POST /vendors/{vendorId}/findings/{findingId}: a risk accepted until a date, and the lifecycle woken to plan its expiry', async () => {
    const before = (await store.load(VENDOR))!;
    const finding = Object.values(before.findings).find(
      (f) => f.status === 'acknowledged' || f.status === 'open',
    );
    expect(finding).toBeDefined();
    const calls = d.aws.sfnCalls.length;
    // The compliance lead (who does not manage this vendor): a manager may accept no risk (spec section 7).
    const lead = await signedInAs(LEAD);
    const answer = await http('POST /vendors/{vendorId}/findings/{findingId}', {
      cookies: [lead],
      pathParameters: { vendorId: VENDOR, findingId: finding!.findingId },
      body: new URLSearchParams({
        action: 'accept-risk',
        reason: 'Compensating control.',
        expiresOn: '2027-01-15',
      }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectWorking(answer, 303);
    const after = (await store.load(VENDOR))!;
    expect(after.findings[finding!.findingId]).toMatchObject({ status: 'risk-accepted' });
    // The vendor's lifecycle is parked on a callback here (the plan ran above): the acceptance wakes it.
    expect(before.lifecycle?.taskToken).toBeDefined();
    expect(d.aws.sfnCalls.slice(calls).some((c) => c.operation === 'SendTaskSuccess')).toBe(true);
  });

  it('POST /vendors/{vendorId}/uploads: a manager records a document the vendor e-mailed; its status', async () => {
    const answer = await http('POST /vendors/{vendorId}/uploads', {
      pathParameters: { vendorId: VENDOR },
      body: JSON.stringify({
        kind: 'bridge-letter',
        coversFrom: '2026-10-01',
        coversTo: '2026-12-31',
        issued: '2026-10-02',
        file: { sha256: 'a'.repeat(64), size: 1000 },
      }),
      contentType: 'application/json',
    });
    expectWorking(answer, 201);
    const { uploadId, upload } = JSON.parse(answer.body);
    expect(new URL(upload.url).pathname).toContain(`/uploads/${VENDOR}/`);
    const status = await http('GET /vendors/{vendorId}/uploads/{uploadId}', {
      pathParameters: { vendorId: VENDOR, uploadId },
    });
    expectWorking(status, 200);
    expect(JSON.parse(status.body).state).toBe('waiting');
  });

  it('GET /forecast: the coverage forecast, and its CSV; GET /?format=csv: the portfolio', async () => {
    expectWorking(await http('GET /forecast'), 200);
    const csv = await http('GET /forecast', { query: 'format=csv&part=months' });
    expectWorking(csv, 200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const portfolio = await http('GET /', { query: 'format=csv' });
    expectWorking(portfolio, 200);
    expect(portfolio.body).toContain(VENDOR);
  });

  it('GET and POST /calendar, then GET /calendar/{token}: the feed behind its link, read only', async () => {
    expectWorking(await http('GET /calendar'), 200);
    const made = await http('POST /calendar', {
      body: new URLSearchParams({ action: 'create' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expectWorking(made, 200);
    const token = /\/calendar\/([0-9a-f]{32}\.[A-Za-z0-9_-]{43}\.ics)"/.exec(made.body)?.[1];
    expect(token).toBeDefined();
    const feed = await http('GET /calendar/{token}', { pathParameters: { token: token! } });
    expectWorking(feed, 200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    // Priya manages the vendor: its open request's due date is in her feed.
    expect(feed.body).toContain(`UID:${VENDOR}-request-due-`);
  });

  it('POST /signout: the session ends on the server; the pages then send the browser to sign in', async () => {
    const out = await http('POST /signout', { cookies: [session] });
    expectWorking(out, 200);
    expect(setCookie(out, '__Host-bk_session')).toMatch(/Max-Age=0$/);
    const after = await http('GET /review', { cookies: [session] });
    expectWorking(after, 303);
    expect(after.headers.location).toBe('/signin?next=%2Freview');
  });

  it('every route of the template was called above', () => {
    expect([...exercised].sort()).toEqual([...httpRoutes(d).keys()].sort());
  });
});

describe('failure and the daily schedule', () => {
  it('RecordFailure: records the failure and alerts the compliance lead', async () => {
    const input = {
      vendorId: VENDOR,
      generation: 1,
      failure: { Error: 'States.TaskFailed', Cause: 'deployed-suite: a task failed after its retries' },
    };
    expect(await invoke('record-failure', taskEvent(d, 'RecordFailure', input, context()))).toEqual({
      recorded: true,
    });
    const mails = await d.aws.mailbox.messages();
    expect(
      mails.some((m) => m.destination.to.includes(LEAD) && /lifecycle/i.test(m.subject + m.body.text)),
    ).toBe(true);
  });

  it('reconcile: on the schedule’s input, restarts the failed lifecycle on the deployed state machine', async () => {
    d.aws.executionStatus = 'FAILED';
    const result = await invoke('reconcile', scheduleEvent(d));
    expect(result.errors).toEqual([]);
    expect(result.started).toEqual([
      expect.objectContaining({ vendorId: VENDOR, execution: lifecycleExecutionName(VENDOR, 2) }),
    ]);
    const [machineId] = d.t.ofType('AWS::StepFunctions::StateMachine')[0]!;
    const start = d.aws.sfnCalls.find((c) => c.operation === 'StartExecution');
    // The variable the reconciler was given names the state machine the template creates.
    expect(start?.body.stateMachineArn).toBe(d.t.ref(machineId));
    expect(JSON.parse(start!.body.input)).toMatchObject({ vendorId: VENDOR, generation: 2 });
    // And the day's checkpoint of the audit trail, in the template's bucket, sealed with the deployed key, locked.
    // The vendor's head and the subservice organisation's.
    expect(result.checkpoint).toMatchObject({
      vendors: 2,
      key: expect.stringMatching(/^checkpoints\/\d{8}T\d{6}Z\.json$/),
    });
    const bucketId = d.t.ofType('AWS::S3::Bucket').find(([, b]) => b.Properties.ObjectLockEnabled)![0];
    const retention = d.aws.s3Retentions.get(`${d.t.ref(bucketId)}/${result.checkpoint.key}`);
    expect(retention).toMatch(/^GOVERNANCE \d{4}-/);
    const { s3CheckpointFiles } = await import('../../functions/adapters/s3/checkpoints.js');
    const { createS3Client } = await import('../../functions/adapters/s3/documents.js');
    const files = s3CheckpointFiles(createS3Client({ endpoint: d.aws.endpoints.s3 }), d.t.ref(bucketId));
    const { latestCheckpoint } = await import('../../functions/app/checkpoints.js');
    expect(await latestCheckpoint(files, deployedMac(d))).toMatchObject({
      key: result.checkpoint.key,
      problems: [],
    });
  });
});

describe('the weekly digest', () => {
  it('reconcile: on the weekly schedule’s input, sends the digest due this week through the staff records', async () => {
    const run = await invoke('reconcile', scheduleEvent(d, 'weekly-digest'));
    expect(run.errors).toEqual([]);
    expect(run.week).toMatch(/^\d{4}-W\d{2}$/);
    // Before Monday's mail hour nothing is due yet; from then on, the vendor's manager and lead get one each.
    if (run.due) {
      expect(run.recipients).toBe(2);
      const mails = await d.aws.mailbox.messages();
      expect(
        mails
          .filter((m) => /weekly digest/.test(m.subject))
          .map((m) => m.destination.to[0])
          .sort(),
      ).toEqual([MANAGER, LEAD].sort());
      // A second invocation (a retry) sends nothing more.
      expect((await invoke('reconcile', scheduleEvent(d, 'weekly-digest'))).sent).toEqual([]);
    }
  });
});

/**
 * The IAM conditions the grants use on DynamoDB, evaluated for one call (dynamodb:LeadingKeys, "Using IAM policy
 * conditions for fine-grained access control" in the DynamoDB Developer Guide): the emulator checks no IAM, so
 * this does. A condition this does not know fails the check.
 */
function conditionHolds(condition: Json, call: { leadingKey?: string }): boolean {
  if (!condition) return true;
  return Object.entries<Json>(condition).every(([operator, keys]) =>
    Object.entries<Json>(keys).every(([key, values]) => {
      if (key !== 'dynamodb:LeadingKeys') return false;
      if (operator === 'Null') return (values === 'true') === (call.leadingKey === undefined);
      if (operator !== 'ForAllValues:StringLike') return false;
      const patterns = [values]
        .flat()
        .map((p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
      return call.leadingKey === undefined || patterns.some((re) => re.test(call.leadingKey!));
    }),
  );
}

describe('configuration and grants', () => {
  /** Every variable the project's functions are configured by: what any function gets, and every need's. */
  const appVariables = () =>
    new Set([
      ...Object.values(ENV_FOR_NEED),
      ...Object.values(SETTINGS_FOR_NEED).flat(),
      'POLICY_JSON',
      ...[...d.functions.values()].flatMap((f) => Object.keys(f.fn.templateEnv)),
    ]);
  /**
   * Variables some functions look for and do without, each with the functions that may. Anything else a function
   * reads among the configuration variables must be in its template environment.
   */
  const OPTIONAL_READS: Record<string, { functions: string[] | 'all'; why: string }> = {
    POLICY_JSON: { functions: 'all', why: 'set only when the deployment overrides the policy' },
  };

  it('no function read a configuration variable the template does not give it', async () => {
    const missing: string[] = [];
    for (const f of d.functions.values()) {
      for (const key of await f.environmentRead()) {
        if (key in f.environment || !appVariables().has(key)) continue;
        const optional = OPTIONAL_READS[key];
        if (optional && (optional.functions === 'all' || optional.functions.includes(f.fn.name))) continue;
        if (KNOWN[f.fn.name]?.variable === key) continue;
        missing.push(
          `${f.fn.name} reads ${key}, which its template environment does not set (if it may do without, ` +
            'list it in OPTIONAL_READS with the reason)',
        );
      }
    }
    expect(missing).toEqual([]);
    for (const [name, known] of Object.entries(KNOWN))
      expect(await fn(name).environmentRead(), `${name}: ${known.why}`).toContain(known.variable);
  });

  it('every DynamoDB call a function made is allowed by its role', () => {
    const denied: string[] = [];
    for (const call of d.aws.dynamoCalls) {
      const f = fn(call.fn).fn;
      const role = d.t.resource(f.role);
      const statements = d.t
        .resolve(role.Properties.Policies ?? [])
        .flatMap((p: Json) => p.PolicyDocument.Statement)
        .filter((s: Json) => s.Effect === 'Allow');
      const action = `dynamodb:${call.operation}`;
      const [tableId] = d.t.ofType('AWS::DynamoDB::Table')[0]!;
      const tableArn = d.t.getAtt(tableId, 'Arn');
      const resources = call.index ? [`${tableArn}/index/${call.index}`] : call.tables.map(() => tableArn);
      for (const resource of resources) {
        const allowed = statements.some(
          (s: Json) =>
            [s.Action].flat().some((a: string) => a === action || a === 'dynamodb:*') &&
            [s.Resource]
              .flat()
              .some(
                (r: string) => r === resource || (r.endsWith('*') && resource.startsWith(r.slice(0, -1))),
              ) &&
            conditionHolds(s.Condition, call),
        );
        if (!allowed) denied.push(`${call.fn}: ${action} on ${resource}`);
      }
    }
    expect(d.aws.dynamoCalls.length).toBeGreaterThan(10);
    expect([...new Set(denied)]).toEqual([]);
    // The sign-in function wrote sessions and sign-ins, and nothing else; the vendor route counted its link.
    const signinKeys = d.aws.dynamoCalls.filter((c) => c.fn === 'signin').map((c) => c.leadingKey);
    expect(signinKeys.length).toBeGreaterThan(2);
    expect(signinKeys.every((k) => /^(SESSION|SIGNIN)#/.test(k ?? ''))).toBe(true);
    expect(d.aws.dynamoCalls.some((c) => c.fn === 'vendor-upload' && c.operation === 'UpdateItem')).toBe(
      true,
    );
    // The CUEC owner's link is counted the same way (its counter item, and nothing else, updated).
    const cuecUpdates = d.aws.dynamoCalls.filter(
      (c) => c.fn === 'cuec-confirm' && c.operation === 'UpdateItem',
    );
    expect(cuecUpdates.length).toBeGreaterThan(0);
    expect(cuecUpdates.every((c) => /^LIMIT#/.test(c.leadingKey ?? ''))).toBe(true);
  });

  it('every secret a function read is granted to it, that secret only', () => {
    expect(d.aws.secretReads.length).toBeGreaterThan(0);
    for (const read of d.aws.secretReads) {
      const role = d.t.resource(fn(read.caller!).fn.role);
      const statements = d.t
        .resolve(role.Properties.Policies ?? [])
        .flatMap((p: Json) => p.PolicyDocument.Statement)
        .filter((s: Json) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(
        statements.flatMap((s: Json) => [s.Resource].flat()),
        read.caller,
      ).toEqual([read.secretId]);
    }
  });
});
