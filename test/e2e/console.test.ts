// The compliance lead's console in a real browser (headless Debian chromium via playwright-core) against the whole
// local stack: filter the portfolio, open the register, and follow one finding from open to risk-accepted and,
// once the local clock passes the expiry, open again. Screenshots of each page land in test-artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseAtProvider, launchChromium } from '../support/browser.js';
import { addDays } from '../../functions/core/dates.js';
import { START, startTestStack, type TestStack } from '../support/people-stack.js';

const ARTIFACTS = new URL('../../test-artifacts/e2e/', import.meta.url).pathname;
const TODAY = START.toISOString().slice(0, 10);

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

async function signedIn(path: string, email: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${stack.url}${path}`);
  // Through the embedded OpenID provider's login page, as on AWS through the bank's.
  await chooseAtProvider(page, stack.oidc.issuer, email);
  await page.waitForURL(`${stack.url}${path}`);
  return page;
}

/** The status column of every row on the portfolio page. */
const statuses = (page: Page) => page.locator('#portfolio tbody tr td:nth-child(3) .badge').allTextContents();

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

describe('the portfolio', () => {
  it('filters by status from the form and from a count, and pages through', async () => {
    const page = await signedIn('/', 'tprm@bank.example');
    await expect.poll(async () => (await statuses(page)).length).toBeGreaterThan(5);
    await shot(page, 'console-01-portfolio');
    await page.selectOption('#status', 'stale');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/status=stale/);
    const stale = await statuses(page);
    expect(stale.length).toBeGreaterThan(0);
    expect(new Set(stale)).toEqual(new Set(['stale']));
    await shot(page, 'console-02-portfolio-stale');
    // The count cards link to the same filtered views.
    await page.getByRole('link', { name: /\d+ current: show them/ }).click();
    await page.waitForURL(/status=current/);
    expect(new Set(await statuses(page))).toEqual(new Set(['current']));
    // A critical tier filter and a search by name.
    await page.goto(`${stack.url}/?tier=critical`);
    expect(new Set(await page.locator('#portfolio tbody tr td:nth-child(2)').allTextContents())).toEqual(
      new Set(['critical']),
    );
    await page.fill('#q', 'ledger');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect
      .poll(() => page.locator('#portfolio tbody tr').allTextContents())
      .toEqual([expect.stringContaining('Ledgerline Core Banking')]);
    // Pages of five, followed to the end, list every vendor once.
    await page.goto(`${stack.url}/?size=5`);
    const names: string[] = [];
    for (let n = 0; n < 10; n++) {
      names.push(...(await page.locator('#portfolio tbody tr td:first-child a').allTextContents()));
      const next = page.locator('#next-page');
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForLoadState();
    }
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(new Set(names).size).toBe(names.length);
  });

  it('shows a manager “my vendors”', async () => {
    const page = await signedIn('/', 'priya.raman@bank.example');
    await page.getByRole('link', { name: 'My vendors' }).click();
    await page.waitForURL(/manager=priya.raman%40bank.example/);
    const managers = await page.locator('#portfolio tbody tr td:first-child .small').allTextContents();
    expect(managers.length).toBeGreaterThan(0);
    expect(new Set(managers.map((m) => m.trim()))).toEqual(new Set(['priya.raman@bank.example']));
    await shot(page, 'console-03-my-vendors');
  });
});

describe('a finding, from open to risk-accepted to open again', () => {
  it('is accepted by the compliance lead, and opens again after the expiry on the local clock', async () => {
    const page = await signedIn('/findings', 'tprm@bank.example');
    await shot(page, 'console-04-register');
    await page.selectOption('#severity', 'high');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/severity=high/);
    await page
      .getByRole('row', { name: /SignalPath/ })
      .filter({ hasText: 'scope-gap' })
      .getByRole('link', { name: 'scope-gap' })
      .click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/scope-gap/);
    await expect.poll(() => page.locator('#finding-state').textContent()).toMatch(/open/);
    expect(await page.locator('#finding-explanation').textContent()).toMatch(/region/);
    await shot(page, 'console-05-finding-open');

    const expiresOn = addDays(TODAY, 2);
    await page.fill('#reason', 'EU data is tokenised before it reaches SignalPath.');
    await page.fill('#expiresOn', expiresOn);
    await page.getByRole('button', { name: 'Accept the risk' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Risk accepted');
    await expect.poll(() => page.locator('#finding-state').textContent()).toMatch(/risk-accepted/);
    await expect.poll(() => page.locator('#risk-acceptance').textContent()).toContain(`until ${expiresOn}`);
    await expect
      .poll(() => page.locator('#finding-history').textContent())
      .toContain(`risk accepted until ${expiresOn}`);
    await shot(page, 'console-06-finding-risk-accepted');

    // Three days later on the local clock: the acceptance ended yesterday, so the finding is open again.
    await page.fill('#jump-days', '3');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect
      .poll(() => page.locator('#local-clock').textContent())
      .toMatch(new RegExp(`^${addDays(TODAY, 3)}`));
    await stack.idle();
    await page.reload();
    await expect
      .poll(() => page.locator('#finding-state').textContent())
      .toMatch(/open\s+.*risk acceptance expired/s);
    await expect.poll(() => page.locator('#finding-history').textContent()).toContain('open again');
    await shot(page, 'console-07-finding-open-again');

    // The compliance lead was told.
    const mailbox = await newPage();
    await mailbox.goto(`${stack.mailboxUrl}/`);
    await mailbox.locator('.email', { hasText: 'Risk acceptance expired: SignalPath' }).first().waitFor();
    await shot(mailbox, 'console-08-mailbox-risk-expired');
  });

  it('offers a vendor manager only what their role allows, and says which role the rest needs', async () => {
    const page = await signedIn('/findings?vendor=signalpath', 'priya.raman@bank.example');
    await page.getByRole('link', { name: 'many-exceptions' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/many-exceptions/);
    expect(await page.locator('#acknowledge-form').count()).toBe(1);
    expect(await page.locator('#accept-form').count()).toBe(0);
    expect(await page.locator('#not-allowed').textContent()).toContain('needs the role compliance-lead');
    await shot(page, 'console-09-finding-as-manager');
  });
});
