// The deeper review over HTTP against the whole local stack (dynalite, s3rver, SES mailbox, lifecycle runner):
// intake assist reads the uploaded report and the review page flags where the vendor's entries disagree; the
// manager records the report's CUECs and subservice organisations and accepts; the carved-out organisation with
// no report is asked for through the vendor, whose upload for it becomes the organisation's own document; a
// CUEC owner confirms a status through the e-mailed link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerlineReport, startTestStack, type TestStack } from '../../support/people-stack.js';
import { testReport } from '../../support/reports/reports.js';

let stack: TestStack;
let cookie: string;
let documentId: string;
const ACME = Buffer.from(testReport('acme-soc2-type2.pdf'));
const AWS = 'amazon-web-services-inc';

beforeAll(async () => {
  stack = await startTestStack();
  cookie = await stack.signIn('priya.raman@bank.example');
});
afterAll(async () => {
  await stack?.stop();
});

const checksOf = (page: string) => [...page.matchAll(/name="check"\s+value="([^"]+)"/g)].map((m) => m[1]!);
/** The review form as the page would send it (its rows), with these fields set. */
function formOf(page: string, extra: Record<string, string | string[]>): Record<string, string[]> {
  const form: Record<string, string[]> = {};
  const add = (name: string, value: string) => (form[name] ??= []).push(value);
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#96;/g, '`')
      .replace(/&amp;/g, '&');
  for (const m of page.matchAll(
    /<(input|textarea|select)\b([^>]*?)(?:\/>|>)([\s\S]*?)(?=<\/textarea>|<\/select>|)/g,
  )) {
    const [, tag, attrs] = m;
    const name = /name="([^"]+)"/.exec(attrs!)?.[1];
    if (!name || !/^(cuec-|sub-)/.test(name)) continue;
    if (tag === 'input') add(name, decode(/value="([^"]*)"/.exec(attrs!)?.[1] ?? ''));
  }
  for (const m of page.matchAll(/<textarea name="(cuec-text)"[^>]*>([\s\S]*?)<\/textarea>/g))
    add(m[1]!, decode(m[2]!));
  for (const m of page.matchAll(/<select\s+name="((?:cuec|sub)-[a-z-]+)"[\s\S]*?<\/select>/g)) {
    const selected = /<option value="([^"]*)"\s+selected/.exec(m[0]);
    add(m[1]!, selected ? decode(selected[1]!) : '');
  }
  return { ...form, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [v].flat()])) };
}

describe('intake assist on the review page', () => {
  it('reads the uploaded report and flags each field where the vendor’s entries disagree with it', async () => {
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const upload = await stack.upload(token, ledgerlineReport(), ACME);
    expect(upload.status?.state).toBe('received');
    const record = (await stack.embedded.store.load('ledgerline'))!.documents.find(
      (d) => d.source === 'upload',
    )!;
    documentId = record.documentId;
    expect(record.extraction).toMatchObject({
      textLayer: true,
      fields: { periodEnd: { value: '2025-12-31' } },
    });

    const page = await (await stack.get(`/review/ledgerline/${documentId}`, cookie)).text();
    expect(page).toContain('Read from the PDF');
    for (const field of ['periodStart', 'periodEnd', 'issued', 'categories', 'exceptions'])
      expect(page, field).toMatch(new RegExp(`data-field="${field}" data-agreement="differs"`));
    for (const field of ['kind', 'opinion', 'auditor'])
      expect(page, field).toMatch(new RegExp(`data-field="${field}" data-agreement="agrees"`));
    // The report's CUECs and subservice organisations pre-fill the form, each with its page; nothing accepted.
    expect(page).toContain('value="cuec-1"');
    expect(page).toContain('from the report, p. 7');
    expect(page).toMatch(/Amazon Web Services, Inc\. <span class="small muted">p\. 3<\/span>/);
    expect(page).toContain(`value="${AWS}"`);
    expect(record.status).toBe('pending-review');
  });

  it('previews the findings the entered CUECs and carve-outs would raise, without recording anything', async () => {
    const page = await (await stack.get(`/review/ledgerline/${documentId}`, cookie)).text();
    const before = (await stack.embedded.store.events('ledgerline')).length;
    const preview = await stack.postForm(
      `/review/ledgerline/${documentId}`,
      formOf(page, { decision: 'preview' }),
      cookie,
    );
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('id="preview-note"');
    // Four CUECs without owners, and AWS (new: no report on record) carved out.
    expect(html).toMatch(
      /Findings raised<\/dt>\s*<dd>\s*<ul>[\s\S]*cuec-unowned[\s\S]*subservice-uncovered[\s\S]*<\/ul>/,
    );
    expect((await stack.embedded.store.events('ledgerline')).length).toBe(before);
  });

  it('refuses to accept until every disagreement is decided, and names bad CUEC and subservice rows', async () => {
    const page = await (await stack.get(`/review/ledgerline/${documentId}`, cookie)).text();
    const form = formOf(page, { decision: 'accept', check: checksOf(page) });
    const undecided = await stack.postForm(`/review/ledgerline/${documentId}`, form, cookie);
    expect(undecided.status).toBe(400);
    expect(await undecided.text()).toContain(
      'choose which to accept (periodStart, periodEnd, issued, categories, exceptions)',
    );
    const bad = await stack.postForm(
      `/review/ledgerline/${documentId}`,
      {
        ...form,
        'cuec-owner': ['not-an-email', '', '', '', '', ''],
        'sub-method': ['sideways', 'inclusive', ''],
      },
      cookie,
    );
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('CUEC 1 owner: not-an-email is not an e-mail address');
    expect(text).toContain('subservice organisation 1 method: choose carve-out or inclusive');
    expect(
      (await stack.embedded.store.load('ledgerline'))!.documents.find((d) => d.documentId === documentId)!
        .status,
    ).toBe('pending-review');
  });

  it('accepts with the manager’s choices: the document records the CUECs and subservices, AWS is registered', async () => {
    const page = await (await stack.get(`/review/ledgerline/${documentId}`, cookie)).text();
    const owners = [
      'iam@bank.example',
      'it-ops@bank.example',
      'treasury@bank.example',
      'finance@bank.example',
      '',
      '',
    ];
    const takes = Object.fromEntries(
      ['periodStart', 'periodEnd', 'issued', 'categories', 'exceptions'].map((f) => [`take.${f}`, 'entry']),
    );
    const form = formOf(page, {
      decision: 'accept',
      check: checksOf(page),
      ...takes,
      'take.exceptions': 'report',
    });
    form['cuec-owner'] = owners;
    form['cuec-status'] = ['in-place', 'in-place', 'not-in-place', '', '', ''];
    const accepted = await stack.postForm(`/review/ledgerline/${documentId}`, form, cookie);
    expect(accepted.status, await accepted.clone().text()).toBe(303);
    await stack.idle();
    const state = (await stack.embedded.store.load('ledgerline'))!;
    const doc = state.documents.find((d) => d.documentId === documentId)!;
    expect(doc.status).toBe('accepted');
    expect(doc.document).toMatchObject({
      periodEnd: '2026-09-30',
      subservices: [
        { id: AWS, method: 'carve-out' },
        { id: 'meridian-data-centers-llc', method: 'inclusive' },
      ],
      cuecs: [
        { id: 'cuec-1', owner: 'iam@bank.example', status: 'in-place' },
        { id: 'cuec-2', owner: 'it-ops@bank.example', status: 'in-place' },
        { id: 'cuec-3', owner: 'treasury@bank.example', status: 'not-in-place' },
        { id: 'cuec-4', owner: 'finance@bank.example' },
      ],
    });
    // The report's exceptions were taken (two, with their responses), the vendor's none replaced.
    expect((doc.document as { exceptions?: unknown[] }).exceptions).toHaveLength(2);
    expect(await stack.embedded.store.listSubserviceOrganizationIds()).toEqual([
      AWS,
      'meridian-data-centers-llc',
    ]);
    const lead = await stack.signIn('tprm@bank.example');
    const vendor = await (await stack.get('/vendors/ledgerline', lead)).text();
    expect(vendor).toContain('subservice-uncovered');
    expect(vendor).toContain('cuec-not-in-place');
    // The carve-out, with its own coverage and a link to its page.
    expect(vendor).toMatch(
      /id="carved-out">[\s\S]*href="\/subservices\/amazon-web-services-inc"[\s\S]*s-missing/,
    );
  });

  it('asks the carved-out organisation’s report through the vendor; the vendor’s upload for it becomes AWS’s own', async () => {
    const mails = await stack.embedded.mailbox.messages();
    const ask = mails.find((m) => /Subservice organisation reports needed from Ledgerline/.test(m.subject));
    expect(ask, mails.map((m) => m.subject).join('\n')).toBeDefined();
    expect(ask!.body.text).toContain('Amazon Web Services, Inc.');
    const token = /\/u\/([A-Za-z0-9_-]{43})/.exec(ask!.body.text ?? '')![1]!;
    const uploadPage = await (await stack.get(`/u/${token}`)).text();
    expect(uploadPage).toContain('id="organizations-asked"');
    expect(uploadPage).toMatch(
      new RegExp(
        `<option value="${AWS}">\\s*Amazon Web Services, Inc\\. \\(subservice organisation, asked for\\)`,
      ),
    );
    // A Type I of the organisation does not count, and this link takes no document of the vendor's own.
    const typeOne = await stack.upload(
      token,
      { ...ledgerlineReport({ kind: 'soc2-type1' }), for: AWS },
      Buffer.from('%PDF-1.7 aws type1'),
    );
    expect(typeOne.entriesStatus).toBe(400);
    const own = await stack.upload(token, ledgerlineReport(), Buffer.from('%PDF-1.7 own'));
    expect(own.entries).toMatchObject({
      problems: ['for: choose the subservice organisation the document is for'],
    });
    const awsReport = ledgerlineReport({
      periodStart: '2025-07-01',
      periodEnd: '2026-06-30',
      issued: '2026-08-01',
    });
    const sent = await stack.upload(
      token,
      { ...awsReport, for: AWS },
      Buffer.from('%PDF-1.7 the AWS SOC 2 report'),
    );
    expect(sent.status?.state).toBe('received');
    const pending = (await stack.embedded.store.load('ledgerline'))!.documents.find(
      (d) => d.organizationId === AWS,
    )!;
    const page = await (await stack.get(`/review/ledgerline/${pending.documentId}`, cookie)).text();
    expect(page).toContain('id="for-organization"');
    // If accepted, the vendor's subservice-uncovered clears.
    expect(page).toMatch(/Findings cleared<\/dt>\s*<dd>\s*<ul>[\s\S]*subservice-uncovered/);
    const accept = await stack.postForm(
      `/review/ledgerline/${pending.documentId}`,
      { decision: 'accept', check: checksOf(page) },
      cookie,
    );
    expect(accept.status, await accept.clone().text()).toBe(303);
    await stack.idle();
    const aws = (await stack.embedded.store.load(AWS))!;
    expect(aws.documents).toEqual([
      expect.objectContaining({
        documentId: pending.documentId,
        status: 'accepted',
        via: { vendorId: 'ledgerline', documentId: pending.documentId },
      }),
    ]);
    const ledgerline = (await stack.embedded.store.load('ledgerline'))!;
    expect(ledgerline.openSubserviceRequestId).toBeNull();
    const orgPage = await (await stack.get(`/subservices/${AWS}`, cookie)).text();
    expect(orgPage).toMatch(/id="organization-status"><span class="badge s-current">current/);
    expect(orgPage).toMatch(/Concentration: 1 vendor depend/);
    expect(orgPage).toContain('href="/vendors/ledgerline"');
    const list = await (await stack.get('/subservices', cookie)).text();
    expect(list).toMatch(new RegExp(`data-organization="${AWS}"[\\s\\S]*?class="dependents">1<`));
  });

  it('e-mails a CUEC owner a link; the answer is an audit event by the owner and the link then dies', async () => {
    const asked = await stack.postForm(`/review/ledgerline/${documentId}/cuecs`, { cuec: 'cuec-3' }, cookie);
    expect(asked.status).toBe(303);
    const mail = (await stack.embedded.mailbox.messages()).find((m) =>
      m.destination.to.includes('treasury@bank.example'),
    );
    expect(mail?.subject).toContain('cuec-3');
    const link = new RegExp(`${stack.url}(/c/ledgerline/[A-Za-z0-9_-]{43})`).exec(mail!.body.text ?? '')![1]!;
    const page = await (await stack.get(link)).text();
    expect(page).toContain('User entities are responsible for notifying Acme');
    const bad = await stack.postForm(link, { status: 'maybe' });
    expect(bad.status).toBe(400);
    const answered = await stack.postForm(link, { status: 'in-place', note: 'Runbook updated in November.' });
    expect(answered.status).toBe(200);
    const events = await stack.embedded.store.events('ledgerline');
    const answer = events.find((e) => e.type === 'cuec-status-confirmed');
    expect(answer).toMatchObject({
      actor: { kind: 'cuec-link', owner: 'treasury@bank.example' },
      data: { cuecId: 'cuec-3', status: 'in-place', note: 'Runbook updated in November.' },
    });
    const state = (await stack.embedded.store.load('ledgerline'))!;
    const cuec3 = (
      state.documents.find((d) => d.documentId === documentId)!.document as {
        cuecs: { id: string; status?: string }[];
      }
    ).cuecs.find((c) => c.id === 'cuec-3');
    expect(cuec3?.status).toBe('in-place');
    expect((await stack.get(link)).status).toBe(404);
    expect((await stack.postForm(link, { status: 'not-in-place' })).status).toBe(404);
  });

  it('refuses to ask a CUEC owner for someone who is neither the vendor’s manager nor a compliance lead', async () => {
    const other = await stack.signIn('omar.haddad@bank.example');
    const before = (await stack.embedded.store.events('ledgerline')).length;
    const refused = await stack.postForm(`/review/ledgerline/${documentId}/cuecs`, { cuec: 'cuec-1' }, other);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('compliance-lead, or vendor-manager of this vendor');
    expect((await stack.embedded.store.events('ledgerline')).length).toBe(before);
    // The page shows that person no button to ask.
    const page = await (await stack.get(`/review/ledgerline/${documentId}`, other)).text();
    expect(page).toContain('id="cuec-owners"');
    expect(page).not.toContain('Ask the owner to confirm');
  });
});
