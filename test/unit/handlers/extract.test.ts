// Intake assist's function (functions/handlers/extract.ts) on the in-memory store and bucket, with the real PDF
// adapter on the generated reports: it reads only an upload the ingest accepted, checks the bytes against the hash
// recorded, records what the report says once, a scan as having no text, and report text as plain data; the
// review page then shows it escaped (the injection report rendered inert).
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDocuments } from '../../../functions/adapters/memory/documents.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { documentIdFor, recordUpload } from '../../../functions/core/commands/people.js';
import { compareWithReport } from '../../../functions/core/intake/compare.js';
import { initialRows } from '../../../functions/core/review-entries.js';
import { previewAcceptance, reviewChecklist } from '../../../functions/core/review.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { portfolioVendor } from '../../../functions/core/vendor-state.js';
import { logger } from '../../../functions/edge/logger.js';
import { extractForIntent } from '../../../functions/handlers/extract.js';
import { systemClock } from '../../../functions/ports/clock.js';
import { reviewPage } from '../../../functions/web/review-pages.js';
import { registered } from '../storage/fixtures.js';
import { testMac } from '../../support/mac.js';
import { testReport } from '../../support/reports/reports.js';

logger.setLogLevel('SILENT');

let vendors: Vendors;
let files: MemoryDocuments;
const actor = { kind: 'workflow' as const, execution: 'test' };
const UPLOAD = '0123456789abcdef0123456789abcdef';
const intentKey = `intents/acme/${UPLOAD}.json`;
const entries = {
  kind: 'soc2-type2' as const,
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  issued: '2026-02-14',
  opinion: 'unqualified' as const,
  auditor: 'Example CPA LLP',
};

beforeEach(async () => {
  vendors = new Vendors(new MemoryEventStore(), { clock: systemClock, mac: testMac() });
  files = new MemoryDocuments('test');
  await vendors.update('acme', () => [registered('acme')], { actor });
});

/** An accepted upload as the ingest leaves it: the file, its document pending review, the intent received. */
async function received(bytes: Uint8Array, state: 'received' | 'waiting' = 'received') {
  const key = `uploads/acme/${UPLOAD}.pdf`;
  const versionId = files.put(key, Buffer.from(bytes));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await vendors.update(
    'acme',
    (s) =>
      recordUpload(s, {
        document: entries,
        file: { key, sha256, size: bytes.length, versionId },
        date: '2026-03-01',
        publicBaseUrl: '',
      }).events,
    { actor },
  );
  await files.putJson(intentKey, {
    vendorId: 'acme',
    uploadId: UPLOAD,
    key,
    state,
    documentId: documentIdFor(sha256),
  });
  return { key, documentId: documentIdFor(sha256) };
}

const recordOf = async (documentId: string) =>
  (await vendors.load('acme'))!.documents.find((d) => d.documentId === documentId)!;

describe('the extraction function', () => {
  it('records the report’s fields on the pending document once; a redelivery changes nothing', async () => {
    const { documentId } = await received(testReport('acme-soc2-type2.pdf'));
    expect(await extractForIntent({ vendors, files }, intentKey)).toBe('extracted');
    const record = await recordOf(documentId);
    expect(record.extraction).toMatchObject({
      textLayer: true,
      fields: { periodEnd: { value: '2025-12-31', page: 3 }, auditor: { value: 'Example CPA LLP', page: 4 } },
    });
    const events = (await vendors.events('acme')).length;
    expect(await extractForIntent({ vendors, files }, intentKey)).toBe('ignored');
    expect((await vendors.events('acme')).length).toBe(events);
  });

  it('reads nothing for an upload not (yet) accepted, or a key that is not an intent', async () => {
    await received(testReport('acme-soc2-type2.pdf'), 'waiting');
    expect(await extractForIntent({ vendors, files }, intentKey)).toBe('ignored');
    expect(await extractForIntent({ vendors, files }, 'intents/acme/../../x.json')).toBe('ignored');
    expect(await extractForIntent({ vendors, files }, `uploads/acme/${UPLOAD}.pdf`)).toBe('ignored');
  });

  it('records a scan as having no text layer (the review falls back to manual entry)', async () => {
    const scan = await received(testReport('cobalt-scanned.pdf'));
    await extractForIntent({ vendors, files }, intentKey);
    expect((await recordOf(scan.documentId)).extraction).toEqual({ textLayer: false, pageCount: 3 });
  });

  it('refuses bytes that are not the file the ingest hashed (swapped in the bucket): nothing is read', async () => {
    const { key, documentId } = await received(testReport('acme-soc2-type2.pdf'));
    const record = await recordOf(documentId);
    // The recorded version is replaced by other bytes under the same version (a store that keeps none).
    files.put(key, Buffer.from(testReport('harborview-injection.pdf')));
    const reads: number[] = [];
    await extractForIntent(
      {
        vendors,
        files: {
          ...files,
          getJson: (k: string) => files.getJson(k),
          readStart: async () => Buffer.from(testReport('harborview-injection.pdf')),
        } as never,
        read: async (b) => (reads.push(b.length), { failed: 'must not be read' }),
      },
      intentKey,
    );
    expect(reads).toEqual([]);
    expect((await recordOf(record.documentId)).extraction).toEqual({
      failed: 'the stored file no longer matches the file that was received',
    });
  });
});

describe('the injection report, read and shown on the review page', () => {
  it('renders every hostile value as inert text: no element, attribute or script comes from the report', async () => {
    const { documentId } = await received(testReport('harborview-injection.pdf'));
    await extractForIntent({ vendors, files }, intentKey);
    const state = (await vendors.load('acme'))!;
    const record = state.documents.find((d) => d.documentId === documentId)!;
    const vendor = portfolioVendor(state)!;
    const page = reviewPage(
      { name: 'Priya' },
      {
        vendorId: 'acme',
        vendorName: vendor.name,
        tier: vendor.tier,
        record,
        downloadUrl: undefined,
        checklist: reviewChecklist(vendor, record.document, null),
        preview: previewAcceptance(vendor, record.document, '2026-03-01', DEFAULT_SETTINGS),
        asOf: '2026-03-01',
        mayDecide: true,
        comparison: compareWithReport(record.document, record.extraction),
        rows: initialRows(record.document, record.extraction, []),
        section9: true,
        organizations: [],
      },
    ).value;
    // The auditor the report prints, beside the vendor's entry, as text.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Assurance LLP');
    expect(page).toMatch(/data-field="auditor" data-agreement="differs"/);
    // The CUEC texts in the form, escaped (the textarea cannot be closed from inside).
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('${process.exit(1)}');
    expect(page).toContain('{{constructor.constructor(&quot;alert(1)&quot;)()}}');
    // Nothing executable: no script but the page's own, no event handler, no iframe, svg or img from the report.
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script src="/assets/review.js" defer>']);
    expect(page).not.toMatch(/<(img|svg|iframe|b)\b[^>]*on\w+=/i);
    expect(page).not.toMatch(/<[^>]*\son(error|load|mouseover)=/i);
    expect(page).not.toMatch(/<\/textarea><svg/);
    expect(page).not.toContain('<iframe');
  });
});
