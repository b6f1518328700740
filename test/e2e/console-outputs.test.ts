// The compliance lead's outputs in a real browser against the whole local stack: the coverage forecast (SVG chart,
// table, CSV download), the portfolio download, the calendar link and its feed, a vendor's paged audit trail, and
// the weekly digest in the mailbox after the clock reaches Monday's mail hour. Screenshots of every new page land
// in test-artifacts/e2e/.
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseAtProvider, launchChromium } from '../support/browser.js';
import { parseCsv } from '../../functions/core/csv.js';
import { startTestStack, type TestStack } from '../support/people-stack.js';

const ARTIFACTS = new URL('../../test-artifacts/e2e/', import.meta.url).pathname;
let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Clicks a download link (by its href) and reads the file the browser saved. */
async function download(href: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`a[href="${href}"]`).click(),
  ]);
  return readFileSync((await file.path())!, 'utf8');
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startTestStack();
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await page.goto(`${stack.url}/`);
  // The embedded OpenID provider's page: pick the person.
  await chooseAtProvider(page, stack.oidc.issuer, 'tprm@bank.example');
  await page.waitForURL(`${stack.url}/`);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

describe('the compliance lead’s outputs', () => {
  it('opens the coverage forecast: who lapses next, and the chart with its table', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Forecast' }).click();
    await page.waitForURL(`${stack.url}/forecast`);
    expect(await page.locator('h1').textContent()).toBe('Coverage forecast as of 2026-11-26');
    const chart = page.getByRole('img', { name: /Share of vendors covered, by tier/ });
    await expect.poll(() => chart.isVisible()).toBe(true);
    expect(await page.locator('#forecast-table tbody tr').count()).toBe(13);
    // Ledgerline's bridge letter ends within 30 days (its report period ended 2025-09-30).
    await expect.poll(() => page.locator('#within-30').textContent()).toContain('Ledgerline Core Banking');
    await shot('20-forecast');
  });

  it('exports the forecast as CSV, neutralised and matching the page', async () => {
    const csv = parseCsv(await download('/forecast?format=csv&part=changes'), 'forecast.csv');
    expect(csv.header).toEqual([
      'vendorId',
      'name',
      'tier',
      'managerEmail',
      'change',
      'lastCoveredDay',
      'date',
      'becomes',
      'inDays',
      'withinDays',
    ]);
    const rows = await page.locator('#within-30 tbody tr, #within-60 tbody tr, #within-90 tbody tr').count();
    expect(csv.records).toHaveLength(rows);
    const months = parseCsv(await download('/forecast?format=csv&part=months'), 'months.csv');
    expect(months.records).toHaveLength(13 * 5);
  });

  it('exports the portfolio and the findings register from the portfolio page', async () => {
    await page.goto(`${stack.url}/`);
    const portfolio = parseCsv(await download('/?format=csv'), 'portfolio.csv');
    expect(portfolio.records.map((r) => r.cells[0])).toContain('ledgerline');
    const register = parseCsv(await download('/findings?format=csv'), 'findings.csv');
    expect(register.header).toContain('dueDate');
  });

  it('pages a vendor’s audit trail and explains each event', async () => {
    await page.goto(`${stack.url}/vendors/ledgerline`);
    const trail = page.locator('#audit-trail');
    await expect.poll(() => trail.textContent()).toContain('The vendor was added to the portfolio');
    await expect
      .poll(async () => (await page.locator('.pager').first().textContent())?.replace(/\s+/g, ' '))
      .toMatch(/Events \d+–\d+ of \d+ \(page 1 of \d+\)/);
    await shot('21-vendor-audit-trail');
  });

  it('makes a calendar link, whose feed a calendar can read', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
    await page.waitForURL(`${stack.url}/calendar`);
    await shot('22-calendar-none');
    await page.getByRole('button', { name: 'Make my calendar link' }).click();
    const url = await page.locator('#feed-url').inputValue();
    expect(url).toMatch(new RegExp(`^${stack.url}/calendar/[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}\\.ics$`));
    await shot('23-calendar-link');
    const feed = await page.request.get(url);
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR\r\n/);
  });

  it('reads the weekly digest in the mailbox once the clock reaches Monday’s mail hour', async () => {
    await page.goto(`${stack.url}/`);
    await page.fill('#jump-days', '4');
    await page.getByRole('button', { name: 'Go' }).click();
    await expect.poll(() => page.locator('#local-clock').textContent()).toMatch(/^2026-11-30/);
    await page.getByRole('link', { name: 'Mailbox' }).click();
    const digest = page.locator('.email', { hasText: 'Bridgekeeper weekly digest 2026-W49' }).filter({
      hasText: 'tprm@bank.example',
    });
    await expect.poll(() => digest.count()).toBe(1);
    expect(await digest.locator('.sent-at').textContent()).toBe('2026-11-30 09:00');
    expect(await digest.textContent()).toContain('Lapsing in the next 30 days');
    await digest.screenshot({ path: `${ARTIFACTS}24-mailbox-digest.png` });
  });
});
