// The PDF adapter: page texts out of real (generated) PDFs, every limit enforced, a scan answered as "no text
// layer", every broken or foreign file refused as a ValidationError, and nothing fetched from anywhere.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { PDF_TEXT_LIMITS, readPdfText } from '../../../functions/adapters/pdf/pdf-text.js';
import { renderPdf } from '../../support/reports/pdf-writer.js';
import { testReport } from '../../support/reports/reports.js';

const FIRST = 'The first page of the report says hello to its readers.';
const SECOND = 'The second page (with parentheses and a backslash \\) ends here.';
const para = (text: string) => ({ blocks: [{ kind: 'para' as const, text }] });

async function refusal(bytes: Uint8Array): Promise<string> {
  const error = await readPdfText(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems.map((p) => p.message).join('; ');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readPdfText', () => {
  it("returns each page's text in page order", async () => {
    const text = await readPdfText(
      renderPdf({
        title: 't',
        pages: [para(FIRST), para(SECOND)],
      }),
    );
    expect(text).toEqual({
      textLayer: true,
      pages: [FIRST, SECOND],
      pageCount: 2,
      truncated: false,
    });
  });

  it('a scan (pictures of pages) has no text layer; a few characters of stamp do not make one', async () => {
    expect(await readPdfText(testReport('cobalt-scanned.pdf'))).toEqual({ textLayer: false, pageCount: 3 });
  });

  it('refuses what is not a PDF, an empty file, a broken PDF and a file over the byte limit', async () => {
    expect(await refusal(new Uint8Array(0))).toBe('the file is empty');
    expect(await refusal(new TextEncoder().encode('<html><body>report</body></html>'))).toBe(
      'the file is not a PDF (no %PDF- header)',
    );
    const whole = testReport('acme-soc2-type2.pdf');
    expect(await refusal(whole.slice(0, 2000))).toMatch(/^the file is not a readable PDF/);
    expect(await refusal(new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body at all\n%%EOF'))).toMatch(
      /^the file is not a readable PDF/,
    );
    const limited = await readPdfText(whole, { ...PDF_TEXT_LIMITS, maxBytes: 1000 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ValidationError);
    expect((limited as ValidationError).message).toContain('at most 1000 are read');
  });

  it('reads at most maxPages pages, maxCharsPerPage per page, maxTotalChars in all and for maxMillis, and says it was truncated', async () => {
    const bytes = testReport('acme-soc2-type2-100-pages.pdf');
    const pages = await readPdfText(bytes, { ...PDF_TEXT_LIMITS, maxPages: 5 });
    expect(pages).toMatchObject({ textLayer: true, pageCount: 100, truncated: true });
    expect(pages.textLayer && pages.pages.length).toBe(5);

    const perPage = await readPdfText(bytes, { ...PDF_TEXT_LIMITS, maxCharsPerPage: 300 });
    expect(perPage.textLayer && perPage.pages.length).toBe(100);
    expect(perPage.textLayer && Math.max(...perPage.pages.map((p) => p.length))).toBe(300);
    expect(perPage.textLayer && perPage.truncated).toBe(true);

    const slow = await readPdfText(bytes, { ...PDF_TEXT_LIMITS, maxMillis: 0 });
    expect(slow.textLayer && slow.pages.length).toBe(1);
    expect(slow.textLayer && slow.truncated).toBe(true);

    const total = await readPdfText(bytes, { ...PDF_TEXT_LIMITS, maxTotalChars: 10_000 });
    expect(total.textLayer && total.pages.join('').length).toBe(10_000);
    expect(total.textLayer && total.pages.length).toBeLessThan(100);
    expect(total.textLayer && total.truncated).toBe(true);
  });

  it('fetches nothing: the report is read from its bytes alone', async () => {
    const fetch = vi.fn(() => Promise.reject(new Error('no network')));
    vi.stubGlobal('fetch', fetch);
    const text = await readPdfText(testReport('signalpath-soc2-type2-qualified.pdf'));
    expect(text.textLayer).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("leaves the caller's bytes intact (PDF.js detaches the buffer it is given)", async () => {
    const bytes = testReport('acme-bridge-letter.pdf');
    const copy = Buffer.from(bytes);
    await readPdfText(bytes);
    expect(Buffer.from(bytes)).toEqual(copy);
  });

  it('the PDF.js build has no code-from-data path (no eval, no Function constructor) to switch off', () => {
    const pdfjs = readFileSync(
      new URL('../../../node_modules/unpdf/dist/pdfjs.mjs', import.meta.url),
      'utf8',
    );
    expect(pdfjs).not.toMatch(/[^\w.]eval\(/);
    expect(pdfjs).not.toMatch(/new Function\(/);
  });
});
