// The people's side in a real browser (headless Debian chromium via playwright-core) against the whole local
// stack: the vendor follows the link from the e-mail in the mailbox and uploads a PDF; the manager signs in,
// reviews and accepts; the compliance lead sees the vendor current and the audit trail. Screenshots of every
// page land in test-artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseAtProvider, launchChromium } from '../support/browser.js';
import { PDF, startTestStack, type TestStack } from '../support/people-stack.js';

const ARTIFACTS = new URL('../../test-artifacts/e2e/', import.meta.url).pathname;
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** On the embedded OpenID provider's login page (where any staff page sends a browser without a session). */
async function signIn(page: Page, email: string): Promise<void> {
  await chooseAtProvider(page, stack.oidc.issuer, email);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startTestStack();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

describe('the whole round trip in the browser', () => {
  let uploadUrl: string;

  it('the vendor opens the link from the request e-mail in the mailbox, in a new tab', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/_local/mailbox`);
    const mail = page.locator('.email', { hasText: 'SOC 2 report needed from Ledgerline Core Banking' });
    await mail.first().waitFor();
    // The simulated day it went out, not today's real date.
    expect(await mail.first().locator('.sent-at').textContent()).toMatch(/^2026-11-26 /);
    await shot(page, '01-mailbox');
    const link = mail.first().getByRole('link', { name: /\/u\// });
    uploadUrl = (await link.getAttribute('href'))!;
    expect(uploadUrl).toMatch(new RegExp(`^${stack.url}/u/[A-Za-z0-9_-]{43}$`));
    // The upload page refuses to be framed; the mailbox opens it in a tab of its own.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(uploadUrl);
    await expect.poll(() => tab.locator('h1').textContent()).toMatch(/Ledgerline Core Banking/);
    await tab.close();
  });

  it('uploads a PDF with the report entries and sees the confirmation', async () => {
    const page = await newPage();
    await page.goto(uploadUrl);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/Ledgerline Core Banking/);
    await shot(page, '02-vendor-upload-form');
    await page.selectOption('#kind', 'soc2-type2');
    await page.fill('#periodStart', '2025-10-01');
    await page.fill('#periodEnd', '2026-09-30');
    await page.fill('#issued', '2026-11-20');
    await page.selectOption('#opinion', 'unqualified');
    await page.fill('#auditor', 'Example CPA LLP');
    await page.check('input[name=categories][value=availability]');
    await page.check('input[name=categories][value=processing-integrity]');
    await page.fill('#regions', 'us');
    await page.click('#add-exception');
    await page.fill('.exception [data-field=control]', 'CC7.2');
    await page.fill('.exception [data-field=managementResponse]', 'Alert tuning completed in Q2.');
    await page.setInputFiles('#file', {
      name: 'ledgerline-soc2.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.click('button[type=submit]');
    const status = page.locator('#upload-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/the document was received/);
    expect(await page.locator('#upload-form').isHidden()).toBe(true);
    await shot(page, '03-vendor-confirmation');
  });

  it('the manager signs in, reviews and accepts', async () => {
    await stack.idle();
    const page = await newPage();
    await page.goto(`${stack.url}/review`);
    await shot(page, '04-sign-in');
    await signIn(page, 'priya.raman@bank.example');
    await page.waitForURL(`${stack.url}/review`);
    await shot(page, '05-review-queue');
    await page
      .getByRole('row', { name: /Ledgerline/ })
      .getByRole('link', { name: 'Review' })
      .click();
    await expect
      .poll(() => page.locator('h1').textContent())
      .toMatch(/SOC 2 Type II from Ledgerline Core Banking/);
    await expect.poll(() => page.locator('#preview-h + dl').textContent()).toContain('2027-09-30');
    // The PDF opens through the server, which checks its hash before it hands out a 5-minute link to it.
    const open = await page.getByRole('link', { name: 'Open the PDF' }).getAttribute('href');
    expect(open).toMatch(/^\/review\/ledgerline\/up-[0-9a-f]{24}\/file$/);
    const pdf = await page.request.get(new URL(open!, page.url()).href, { maxRedirects: 0 });
    expect(pdf.status()).toBe(303);
    expect(pdf.headers().location).toMatch(/X-Amz-Expires=300/);
    await shot(page, '06-review');
    for (const box of await page.locator('input[name=check]').all()) await box.check();
    await page.fill('#note', 'CUECs assigned; no carved-out subservice organisations.');
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('accepted');
    await shot(page, '07-accepted');
  });

  it("the vendor's status and the audit trail show it", async () => {
    await stack.idle();
    const page = await newPage();
    await page.goto(`${stack.url}/vendors/ledgerline`);
    await signIn(page, 'tprm@bank.example');
    await page.waitForURL(`${stack.url}/vendors/ledgerline`);
    await expect
      .poll(async () => (await page.locator('#vendor-status').textContent())?.trim())
      .toBe('current');
    await expect
      .poll(async () => (await page.locator('#lapse-date').textContent())?.trim())
      .toBe('2027-09-30');
    const trail = page.locator('#audit-trail');
    await expect.poll(() => trail.textContent()).toContain('accepted');
    await expect
      .poll(() =>
        trail
          .getByRole('row', { name: /The SOC 2 Type II was accepted/ })
          .first()
          .textContent(),
      )
      .toContain('priya.raman@bank.example');
    await shot(page, '08-vendor-current-audit-trail');
    await page.goto(`${stack.url}/`);
    await expect
      .poll(() => page.getByRole('row', { name: /Ledgerline Core Banking/ }).textContent())
      .toContain('current');
    await shot(page, '09-portfolio');
  });

  it('the closed request link now shows the dead-link page', async () => {
    const page = await newPage();
    const response = await page.goto(uploadUrl);
    expect(response?.status()).toBe(404);
    await expect
      .poll(async () => (await page.locator('h1').textContent())?.trim())
      .toBe('This upload link does not work');
    await shot(page, '10-dead-link');
  });
});

describe('safety in the browser', () => {
  it('renders HTML and script typed by a vendor as text', async () => {
    const token = await stack.tokenFor('grc@vaultline.example');
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const page = await newPage();
    await page.goto(`${stack.url}/u/${token}`);
    await page.fill('#periodStart', '2025-08-01');
    await page.fill('#periodEnd', '2026-07-31');
    await page.fill('#issued', '2026-11-01');
    await page.fill('#auditor', payload);
    await page.fill('#regions', `us, ${payload}`);
    await page.click('#add-exception');
    await page.fill('.exception [data-field=control]', payload);
    await page.fill('.exception [data-field=description]', payload);
    await page.fill('.exception [data-field=managementResponse]', payload);
    await page.setInputFiles('#file', {
      name: 'x.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([PDF, Buffer.from('vaultline')]),
    });
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 30_000 })
      .toMatch(/received/);
    await stack.idle();

    const manager = await newPage();
    await manager.goto(`${stack.url}/review`);
    await signIn(manager, 'omar.haddad@bank.example');
    await manager
      .getByRole('row', { name: /Vaultline/ })
      .getByRole('link', { name: 'Review' })
      .click();
    await expect
      .poll(() => manager.locator('#entries-h + dl').textContent())
      .toContain('<img src=x onerror=');
    expect(
      await manager.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await shot(manager, '11-review-inert-html');
    await manager.goto(`${stack.url}/vendors/vaultline`);
    expect(
      await manager.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();

    // Rejecting with a one-click reason: the vendor is told why, and the review shows the decision.
    await manager.getByRole('link', { name: 'review', exact: true }).first().click();
    await manager.locator('.quick-reason').first().click();
    expect(await manager.locator('#reason').inputValue()).toBe('The report is not signed by the auditor.');
    await manager.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => manager.getByRole('status').textContent()).toContain('rejected');
    await shot(manager, '12-rejected');
  });

  it('shows a non-PDF refusal to the vendor', async () => {
    const token = await stack.tokenFor('audit@tallyworks.example');
    const page = await newPage();
    await page.goto(`${stack.url}/u/${token}`);
    await page.fill('#periodStart', '2025-10-01');
    await page.fill('#periodEnd', '2026-09-30');
    await page.fill('#issued', '2026-11-01');
    await page.fill('#auditor', 'Example CPA');
    await page.setInputFiles('#file', {
      name: 'report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('hello'),
    });
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 30_000 })
      .toMatch(/not a PDF/);
    await shot(page, '13-vendor-refused');
  });

  it('sends a review attempt without sign-in to the identity provider, and back to it after', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/review/ledgerline/anything`);
    await expect
      .poll(async () => (await page.locator('h1').textContent())?.trim())
      .toBe('Sign in to Bridgekeeper');
    expect(new URL(page.url()).origin).toBe(stack.oidc.issuer);
    await signIn(page, 'priya.raman@bank.example');
    await page.waitForURL(`${stack.url}/review/ledgerline/anything`);
    expect(await page.locator('h1').textContent()).toBe('Not found');
  });

  it('moves the local clock forward from the bar', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/`);
    await signIn(page, 'tprm@bank.example');
    await page.waitForURL(`${stack.url}/`);
    const before = await page.locator('#local-clock').textContent();
    await page.fill('#jump-days', '3');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect.poll(() => page.locator('#local-clock').textContent()).not.toBe(before);
    await expect.poll(() => page.locator('#local-clock').textContent()).toMatch(/^2026-11-29/);
    await shot(page, '14-clock-jumped');
  });
});
