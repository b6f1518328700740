// Roles in a real browser (headless Debian chromium via playwright-core) against the whole local stack: each
// person signs in through the embedded OpenID provider's login page, as on AWS through the bank's, and sees only
// the actions their role allows (spec section 7): a vendor manager decides and acknowledges only for their own
// vendors and accepts no risk; a compliance lead does all of it, except accepting the risk of a vendor they manage;
// an auditor reads and changes nothing, and the server refuses what the page does not offer; a person without a
// role is refused after signing in. Screenshots land in test-artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseAtProvider, launchChromium } from '../support/browser.js';
import { PDF, ledgerlineReport, startTestStack, type TestStack } from '../support/people-stack.js';

const ARTIFACTS = new URL('../../test-artifacts/e2e/', import.meta.url).pathname;

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ledgerDoc = '';
let tallyDoc = '';

/** A fresh browser (no cookies) that signs in as `email` on the way to `path`. */
async function signedIn(email: string, path = '/'): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${stack.url}${path}`);
  await chooseAtProvider(page, stack.oidc.issuer, email);
  await page.waitForURL((url) => url.origin === stack.url);
  return page;
}

const count = (page: Page, selector: string) => page.locator(selector).count();

/** The page of the vendor's finding of this code (the lifecycle records it on the day), where its actions are. */
async function findingPage(vendorId: string, code: string): Promise<string> {
  const state = await stack.embedded.store.load(vendorId);
  const record = Object.values(state!.findings).find((f) => f.code === code && f.status !== 'closed');
  if (!record) throw new Error(`no ${code} finding on record for ${vendorId}`);
  return `${stack.url}/vendors/${vendorId}/findings/${record.findingId}`;
}
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startTestStack();
  browser = await launchChromium();
  // Two documents waiting: one on Priya Raman's vendor, one on Marcus Lee's.
  await stack.upload(await stack.tokenFor('assurance@ledgerline.example'), ledgerlineReport(), PDF);
  await stack.upload(
    await stack.tokenFor('audit@tallyworks.example'),
    ledgerlineReport({ categories: ['security'] }),
    Buffer.concat([PDF, Buffer.from('tallyworks')]),
  );
  const pending = async (vendorId: string) =>
    (await stack.embedded.store.load(vendorId))!.documents.find((d) => d.status === 'pending-review')!
      .documentId;
  ledgerDoc = await pending('ledgerline');
  tallyDoc = await pending('tallyworks');
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

describe('what each role sees', () => {
  it('a vendor manager: decides and acknowledges for their own vendors only, accepts no risk', async () => {
    const page = await signedIn('priya.raman@bank.example', '/review');
    expect(page.url()).toBe(`${stack.url}/review`);
    await expect.poll(() => page.locator('.who').textContent()).toContain('Priya Raman');
    await page.goto(`${stack.url}/review/ledgerline/${ledgerDoc}`);
    expect(await count(page, 'button[value=accept]')).toBe(1);
    expect(await count(page, 'button[value=reject]')).toBe(1);
    await shot(page, 'roles-01-manager-own-document');
    await page.goto(`${stack.url}/review/tallyworks/${tallyDoc}`);
    expect(await count(page, 'button[value=accept]')).toBe(0);
    expect(await page.locator('#decision-not-yours').isVisible()).toBe(true);
    await shot(page, 'roles-02-manager-other-document');
    await page.goto(await findingPage('signalpath', 'scope-gap'));
    expect(await count(page, '#acknowledge-form')).toBe(1);
    expect(await count(page, '#accept-form')).toBe(0);
    await page.goto(await findingPage('acme-pay', 'category-gap'));
    expect(await count(page, '#acknowledge-form')).toBe(0);
    expect(await count(page, '#accept-form')).toBe(0);
  });

  it('a compliance lead: decides on any document, acknowledges and accepts risks', async () => {
    const page = await signedIn('tprm@bank.example');
    await expect.poll(() => page.locator('.who').textContent()).toContain('Tara Lind');
    await page.goto(`${stack.url}/review/tallyworks/${tallyDoc}`);
    expect(await count(page, 'button[value=accept]')).toBe(1);
    await page.goto(await findingPage('signalpath', 'scope-gap'));
    expect(await count(page, '#acknowledge-form')).toBe(1);
    expect(await count(page, '#assign-form')).toBe(1);
    expect(await count(page, '#accept-form')).toBe(1);
    await shot(page, 'roles-03-lead-finding');
  });

  it('a compliance lead who manages the vendor: acknowledges, but another lead must accept its risk', async () => {
    const page = await signedIn('hannah.kowalski@bank.example', '/');
    await page.goto(await findingPage('quillmail', 'type1-only'));
    expect(await count(page, '#acknowledge-form')).toBe(1);
    expect(await count(page, '#accept-form')).toBe(0);
    await page.goto(await findingPage('acme-pay', 'category-gap'));
    expect(await count(page, '#accept-form')).toBe(1);
  });

  it('an auditor: reads every page, is offered no action, and the server refuses one sent anyway', async () => {
    const page = await signedIn('audit@bank.example');
    await expect.poll(() => page.locator('.who').textContent()).toContain('Ada Okafor');
    const scopeGap = await findingPage('signalpath', 'scope-gap');
    for (const url of [
      `${stack.url}/`,
      `${stack.url}/vendors/signalpath`,
      scopeGap,
      `${stack.url}/review/ledgerline/${ledgerDoc}`,
    ]) {
      await page.goto(url);
      expect(await count(page, 'form[action^="/vendors"] button, form[action^="/review"] button'), url).toBe(
        0,
      );
    }
    await shot(page, 'roles-04-auditor-review');
    const before = (await stack.embedded.store.load('signalpath'))!.seq;
    // From the page itself (same origin, the session cookie): only the role rules stand in the way.
    const status = await page.evaluate(
      (path) =>
        fetch(path, {
          method: 'POST',
          body: new URLSearchParams({
            action: 'accept-risk',
            reason: 'sent by hand',
            expiresOn: '2027-01-15',
          }),
        }).then((r) => r.status),
      new URL(scopeGap).pathname,
    );
    expect(status).toBe(403);
    expect((await stack.embedded.store.load('signalpath'))!.seq).toBe(before);
  });

  it('a person without a Bridgekeeper role: a 403 page after sign-in that names the roles', async () => {
    const page = await signedIn('victor.grey@bank.example');
    expect(await page.locator('h1').textContent()).toBe('Not allowed');
    expect(await page.locator('#needs-role').textContent()).toContain(
      'vendor-manager, compliance-lead or auditor',
    );
    await shot(page, 'roles-05-no-role');
  });

  it('signs out on the server, then signs in as someone else through the provider', async () => {
    const page = await signedIn('priya.raman@bank.example');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('You are signed out');
    // The provider still knows Priya; "someone else" asks it to sign a person in afresh (prompt=login).
    await page.getByRole('link', { name: 'Sign in as someone else' }).click();
    await chooseAtProvider(page, stack.oidc.issuer, 'tprm@bank.example');
    await page.waitForURL(`${stack.url}/`);
    await expect.poll(() => page.locator('.who').textContent()).toContain('Tara Lind');
  });
});
