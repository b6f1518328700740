// Roles in a real browser (headless Debian chromium via playwright-core) against the whole local stack: each
// person signs in through the embedded OpenID provider's login page, as on AWS through the bank's, and sees only
// the actions their role allows (spec section 7): a vendor manager decides and acknowledges only for their own
// vendors and accepts no risk; a compliance lead does all of it, except accepting the risk of a vendor they manage;
// an auditor reads and changes nothing, and the server refuses what the page does not offer; a person without a
// role is refused after signing in. Screenshots land in test-artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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
  await page.waitForURL(new RegExp(`^${stack.oidc.issuer}/interaction/`));
  await page.click(`button[value="${email}"]`);
  await page.waitForURL((url) => url.origin === stack.url);
  return page;
}

const count = (page: Page, selector: string) => page.locator(selector).count();
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startTestStack();
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
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
    await page.goto(`${stack.url}/vendors/signalpath`);
    expect(await count(page, 'button[value=acknowledge]')).toBeGreaterThan(0);
    expect(await count(page, 'button[value=close]')).toBe(0);
    await page.goto(`${stack.url}/vendors/acme-pay`);
    expect(await count(page, 'button[value=acknowledge]')).toBe(0);
    expect(await count(page, 'button[value=close]')).toBe(0);
  });

  it('a compliance lead: decides on any document, acknowledges and accepts risks', async () => {
    const page = await signedIn('tprm@bank.example');
    await expect.poll(() => page.locator('.who').textContent()).toContain('Tara Lind');
    await page.goto(`${stack.url}/review/tallyworks/${tallyDoc}`);
    expect(await count(page, 'button[value=accept]')).toBe(1);
    await page.goto(`${stack.url}/vendors/signalpath`);
    expect(await count(page, 'button[value=acknowledge]')).toBeGreaterThan(0);
    expect(await count(page, 'button[value=close]')).toBeGreaterThan(0);
    await shot(page, 'roles-03-lead-vendor');
  });

  it('a compliance lead who manages the vendor: acknowledges, but another lead must accept its risk', async () => {
    const page = await signedIn('hannah.kowalski@bank.example', '/vendors/quillmail');
    expect(await count(page, 'button[value=acknowledge]')).toBeGreaterThan(0);
    expect(await count(page, 'button[value=close]')).toBe(0);
    await page.goto(`${stack.url}/vendors/acme-pay`);
    expect(await count(page, 'button[value=close]')).toBeGreaterThan(0);
  });

  it('an auditor: reads every page, is offered no action, and the server refuses one sent anyway', async () => {
    const page = await signedIn('audit@bank.example');
    await expect.poll(() => page.locator('.who').textContent()).toContain('Ada Okafor');
    for (const path of ['/', '/vendors/signalpath', `/review/ledgerline/${ledgerDoc}`]) {
      await page.goto(`${stack.url}${path}`);
      expect(
        await count(page, 'button[value=acknowledge], button[value=close], button[value=accept]'),
        path,
      ).toBe(0);
    }
    await shot(page, 'roles-04-auditor-review');
    const before = (await stack.embedded.store.load('signalpath'))!.seq;
    // From the page itself (same origin, the session cookie): only the role rules stand in the way.
    const status = await page.evaluate(() =>
      fetch('/vendors/signalpath/findings/new-scope-gap', {
        method: 'POST',
        body: new URLSearchParams({ action: 'close', note: 'sent by hand' }),
      }).then((r) => r.status),
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
    await page.waitForURL(new RegExp(`^${stack.oidc.issuer}/interaction/`));
    await page.click('button[value="tprm@bank.example"]');
    await page.waitForURL(`${stack.url}/`);
    await expect.poll(() => page.locator('.who').textContent()).toContain('Tara Lind');
  });
});
