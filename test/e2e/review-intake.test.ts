// Intake assist and the deeper review in a real browser (headless Debian chromium via playwright-core) against
// the whole local stack: a vendor uploads a generated SOC 2 report (test/support/reports) whose text disagrees
// with what it types; intake assist reads it; the manager sees each disagreement flagged beside the vendor's
// entry, cannot accept before choosing, takes the report's values, records CUEC owners and the subservice
// organisations, previews the findings and accepts. The injection report is shown inert. Screenshots land in
// test-artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseAtProvider, launchChromium } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/people-stack.js';
import { testReport } from '../support/reports/reports.js';

const ARTIFACTS = new URL('../../test-artifacts/e2e/', import.meta.url).pathname;
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}intake-${name}.png`, fullPage: true });

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

const row = (page: Page, field: string) => page.locator(`#comparison tr[data-field="${field}"]`);

describe('the review page beside the report', () => {
  it('the vendor uploads its report, typing entries that disagree with it', async () => {
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const page = await newPage();
    await page.goto(`${stack.url}/u/${token}`);
    await page.fill('#periodStart', '2025-10-01');
    await page.fill('#periodEnd', '2026-09-30');
    await page.fill('#issued', '2026-11-20');
    await page.selectOption('#opinion', 'unqualified');
    await page.fill('#auditor', 'Example CPA LLP');
    await page.check('input[name=categories][value=availability]');
    await page.setInputFiles('#file', {
      name: 'ledgerline-soc2.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(testReport('acme-soc2-type2.pdf')),
    });
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 30_000 })
      .toMatch(/the document was received/);
    await stack.idle();
  });

  it('flags each disagreement beside the vendor’s entry, and nothing is accepted until the manager chooses', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/review`);
    await signIn(page, 'priya.raman@bank.example');
    await page.waitForURL(`${stack.url}/review`);
    await page
      .getByRole('row', { name: /Ledgerline/ })
      .getByRole('link', { name: 'Review' })
      .click();
    await expect.poll(() => page.locator('#extraction-status').textContent()).toContain('Read from the PDF');
    // The flags, as the manager sees them.
    await expect.poll(() => row(page, 'periodEnd').locator('.badge').textContent()).toBe('differs');
    expect(await row(page, 'periodEnd').locator('td.entry').textContent()).toContain('2026-09-30');
    expect(await row(page, 'periodEnd').locator('td.report').textContent()).toMatch(/2025-12-31\s*p\. 3/);
    for (const field of ['periodStart', 'issued', 'categories', 'exceptions'])
      expect(await row(page, field).locator('.badge').textContent(), field).toBe('differs');
    for (const field of ['kind', 'opinion', 'auditor'])
      expect(await row(page, field).locator('.badge').textContent(), field).toBe('agrees');
    expect(await page.locator('#comparison .badge', { hasText: 'differs' }).count()).toBe(5);
    // Neither value is chosen for the manager.
    expect(await page.locator('#comparison input[type=radio]:checked').count()).toBe(0);
    await shot(page, '01-flags');

    for (const box of await page.locator('input[name=check]').all()) await box.check();
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Where the report disagrees with the vendor');
    const pending = (await stack.embedded.store.load('ledgerline'))!.documents.find(
      (d) => d.source === 'upload',
    );
    expect(pending?.status).toBe('pending-review');
    await shot(page, '02-choose-first');
  });

  it('takes the report’s values, records owners, previews the findings and accepts', async () => {
    const page = await newPage();
    await page.goto(`${stack.url}/review`);
    await signIn(page, 'priya.raman@bank.example');
    await page.waitForURL(`${stack.url}/review`);
    await page
      .getByRole('row', { name: /Ledgerline/ })
      .getByRole('link', { name: 'Review' })
      .click();
    for (const field of ['periodStart', 'periodEnd', 'issued', 'categories', 'exceptions'])
      await row(page, field).locator('input[value=report]').check();
    // The report's CUECs and subservice organisations are pre-filled (with their pages); owners are the bank's.
    expect(await page.locator('input[name=cuec-id]').first().inputValue()).toBe('cuec-1');
    await page.locator('input[name=cuec-owner]').first().fill('iam@bank.example');
    await page.locator('select[name=cuec-status]').first().selectOption('in-place');
    expect(await page.locator('input[name=sub-new-name]').first().inputValue()).toBe(
      'Amazon Web Services, Inc.',
    );
    await page.getByRole('button', { name: 'Preview the findings with these entries' }).click();
    await expect.poll(() => page.locator('#preview-note').isVisible()).toBe(true);
    const raised = page.locator('#preview-h ~ dl dt:has-text("Findings raised") + dd');
    await expect.poll(() => raised.textContent()).toContain('cuec-unowned');
    expect(await raised.textContent()).toContain('subservice-uncovered');
    // The choices survive the preview.
    expect(await row(page, 'periodEnd').locator('input[value=report]').isChecked()).toBe(true);
    await shot(page, '03-preview');

    for (const box of await page.locator('input[name=check]').all()) await box.check();
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('accepted');
    await stack.idle();
    const record = (await stack.embedded.store.load('ledgerline'))!.documents.find(
      (d) => d.source === 'upload',
    )!;
    expect(record.document).toMatchObject({
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      issued: '2026-02-14',
      cuecs: [
        { id: 'cuec-1', owner: 'iam@bank.example', status: 'in-place' },
        { id: 'cuec-2' },
        { id: 'cuec-3' },
        { id: 'cuec-4' },
      ],
      subservices: [
        { id: 'amazon-web-services-inc', method: 'carve-out' },
        { id: 'meridian-data-centers-llc', method: 'inclusive' },
      ],
    });
    await expect.poll(() => page.locator('#cuec-owners').textContent()).toContain('iam@bank.example');
    await shot(page, '04-accepted');

    await page.goto(`${stack.url}/subservices/amazon-web-services-inc`);
    await expect.poll(() => page.locator('#dependents').textContent()).toContain('Ledgerline Core Banking');
    await shot(page, '05-subservice-organisation');
  });
});

describe('the injection report', () => {
  it('shows the report’s markup, script and template text as text: nothing runs, nothing is parsed', async () => {
    const token = await stack.tokenFor('compliance@paperclip.example');
    const entries = {
      kind: 'soc2-type2',
      periodStart: '2025-03-01',
      periodEnd: '2026-02-28',
      issued: '2026-04-02',
      opinion: 'unqualified',
      auditor: 'Honest Assurance LLP',
      categories: ['security', 'confidentiality'],
      regions: '',
      exceptions: [],
    };
    const upload = await stack.upload(token, entries, Buffer.from(testReport('harborview-injection.pdf')));
    expect(upload.status?.state).toBe('received');
    await stack.idle();
    const page = await newPage();
    await page.goto(`${stack.url}/review`);
    await signIn(page, 'marcus.lee@bank.example');
    await page.waitForURL(`${stack.url}/review`);
    await page
      .getByRole('row', { name: /Paperclip/ })
      .getByRole('link', { name: 'Review' })
      .click();
    await expect
      .poll(() => row(page, 'auditor').locator('td.report').textContent())
      .toContain('<script>alert(1)</script> Assurance LLP');
    expect(await row(page, 'auditor').locator('.badge').textContent()).toBe('differs');
    const texts = await page
      .locator('textarea[name=cuec-text]')
      .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(texts[0]).toContain('<img src=x onerror=alert(1)>');
    expect(texts[1]).toContain('${process.exit(1)}');
    // No element came from the report: the only scripts are the page's own; no img, svg or iframe at all.
    expect(
      await page.evaluate(`({
        inline: document.querySelectorAll('script:not([src])').length,
        scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
        foreign: document.querySelectorAll('img, svg, iframe, b[onmouseover]').length,
      })`),
    ).toEqual({ inline: 0, scripts: ['/assets/review.js'], foreign: 0 });
    await page.locator('#comparison').hover();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await shot(page, '06-injection-inert');
  });
});
