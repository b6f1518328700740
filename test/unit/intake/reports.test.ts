// Intake assist on every generated test report (test/support/reports), through the real PDF adapter: each
// field the report states, with the page it is printed on, and nothing else. The pages are the generator's
// explicit page breaks (cover 1, contents 2, opinion letter 3-4, assertion 5, description 6-7, tests 8...).
import { describe, expect, it } from 'vitest';
import { extractReport, type ReportExtraction } from '../../../functions/adapters/pdf/extract-report.js';
import { testReport } from '../../support/reports/reports.js';

async function fieldsOf(name: string) {
  const extraction: ReportExtraction = await extractReport(testReport(name));
  if (!extraction.textLayer) throw new Error(`${name} has no text layer`);
  expect(extraction.truncated).toBe(false);
  return extraction.fields;
}

const ACME_CUECS = [
  {
    id: 'cuec-1',
    text: "User entities are responsible for managing their own users' access to the Acme merchant portal, including removing the access of terminated employees promptly.",
  },
  {
    id: 'cuec-2',
    text: 'User entities are responsible for storing the API credentials issued by Acme securely and rotating them at least annually.',
  },
  {
    id: 'cuec-3',
    text: 'User entities are responsible for notifying Acme of changes to their authorized contacts in a timely manner.',
  },
  {
    id: 'cuec-4',
    text: 'User entities are responsible for reviewing the settlement reports provided by Acme and reporting discrepancies within 30 days.',
  },
];
const ACME_SUBSERVICES = [
  { name: 'Amazon Web Services, Inc.', method: 'carve-out' },
  { name: 'Meridian Data Centers, LLC', method: 'inclusive' },
];

describe('intake assist on the generated reports', () => {
  it('an unqualified SOC 2 Type 2: every field, read from the opinion letter where it states it', async () => {
    expect(await fieldsOf('acme-soc2-type2.pdf')).toEqual({
      kind: { value: 'soc2-type2', page: 1 },
      periodStart: { value: '2025-01-01', page: 3 },
      periodEnd: { value: '2025-12-31', page: 3 },
      issued: { value: '2026-02-14', page: 4 },
      opinion: { value: 'unqualified', page: 4 },
      auditor: { value: 'Example CPA LLP', page: 4 },
      categories: { value: ['security', 'availability', 'confidentiality'], page: 3 },
      exceptions: {
        value: [
          {
            control: 'CC6.2',
            description:
              'For 2 of 25 terminated employees sampled, access to the production VPN was removed 4 and 6 business days after termination.',
            // From Section V, "Management's Responses to Exceptions".
            managementResponse:
              'Access removal is now triggered automatically by the HR system on the termination date, and the two accounts were confirmed unused after termination.',
          },
          {
            control: 'CC8.1',
            description:
              'For 1 of 40 changes sampled, the change was deployed before its approval was recorded.',
            // Beside the result, in the tests of controls.
            managementResponse:
              'The deployment pipeline now blocks a release until the approval is recorded.',
          },
        ],
        page: 8,
        pages: [8, 9],
      },
      cuecs: { value: ACME_CUECS, page: 7, pages: [7, 7, 7, 7] },
      subservices: { value: ACME_SUBSERVICES, page: 3, pages: [3, 3] },
    });
  });

  it('a qualified SOC 2 Type II (compressed, kerned text): the opinion and its basis', async () => {
    expect(await fieldsOf('signalpath-soc2-type2-qualified.pdf')).toEqual({
      kind: { value: 'soc2-type2', page: 1 },
      periodStart: { value: '2024-07-01', page: 3 },
      periodEnd: { value: '2025-06-30', page: 3 },
      issued: { value: '2025-09-03', page: 4 },
      opinion: { value: 'qualified', page: 4 },
      opinionBasis: {
        value:
          'SignalPath states in its description that access of terminated employees to production systems is removed within one business day. However, as noted in Section IV, for 6 of 25 terminated employees sampled, access was removed between 9 and 41 days after termination, and management did not detect this during the period. As a result, controls were not operating effectively to achieve criterion CC6.2 throughout the period.',
        page: 4,
      },
      // Signed "/s/ Brightline Assurance LLP": the firm's name as signed, without the mark.
      auditor: { value: 'Brightline Assurance LLP', page: 4 },
      categories: { value: ['security', 'availability'], page: 3 },
      exceptions: {
        value: [
          {
            control: 'CC6.2',
            description:
              'For 6 of 25 terminated employees sampled, access was removed between 9 and 41 days after termination.',
            managementResponse:
              'SignalPath has connected its HR system to the identity provider so that access ends on the termination date; a weekly reconciliation now detects any account left active.',
          },
        ],
        page: 8,
        pages: [8],
      },
      cuecs: {
        value: [
          {
            id: 'cuec-1',
            text: 'Review the fraud scores returned by the service before declining a transaction on their basis alone.',
          },
          {
            id: 'cuec-2',
            text: 'Restrict the users who may change scoring thresholds in the SignalPath console.',
          },
          {
            id: 'cuec-3',
            text: 'Report suspected model errors to SignalPath support within two business days.',
          },
        ],
        page: 7,
        pages: [7, 7, 7],
      },
      subservices: { value: [{ name: 'Rackspace US, Inc.', method: 'carve-out' }], page: 3, pages: [3] },
    });
  });

  it('a SOC 2 Type I: the "as of" date as periodEnd, a day-first date, a firm without a legal suffix, no exceptions field', async () => {
    expect(await fieldsOf('quillmail-soc2-type1.pdf')).toEqual({
      kind: { value: 'soc2-type1', page: 1 },
      periodEnd: { value: '2025-09-30', page: 2 },
      issued: { value: '2025-11-07', page: 2 },
      opinion: { value: 'unqualified', page: 2 },
      auditor: { value: 'Northgate Assurance', page: 2 },
      // Not the five categories of TSP section 100's title, which every SOC 2 report cites.
      categories: { value: ['security', 'processing-integrity', 'privacy'], page: 2 },
      cuecs: {
        value: [
          {
            id: 'cuec-1',
            text: 'User entities obtain consent from recipients before uploading their contact lists.',
          },
          {
            id: 'cuec-2',
            text: 'User entities remove personal data they no longer need from their campaign lists.',
          },
        ],
        page: 3,
        pages: [3, 3],
      },
      subservices: { value: [{ name: 'Microsoft Azure', method: 'carve-out' }], page: 2, pages: [2] },
    });
  });

  it('a SOC 1 Type 2: no Trust Services Categories, CUECs or subservices (SOC 2 fields), a control-objective exception', async () => {
    expect(await fieldsOf('ledgerline-soc1-type2.pdf')).toEqual({
      kind: { value: 'soc1-type2', page: 1 },
      periodStart: { value: '2024-10-01', page: 2 },
      periodEnd: { value: '2025-09-30', page: 2 },
      issued: { value: '2025-11-20', page: 2 },
      opinion: { value: 'unqualified', page: 2 },
      auditor: { value: 'Harper & Vance CPAs', page: 2 },
      exceptions: {
        value: [
          {
            control: '3.4',
            description: 'For 3 of 40 entries sampled, the second approval was recorded after posting.',
          },
        ],
        page: 3,
        pages: [3],
      },
    });
  });

  it("a bridge letter: the period it covers (not the report's), its date, and nothing of a SOC report", async () => {
    expect(await fieldsOf('acme-bridge-letter.pdf')).toEqual({
      kind: { value: 'bridge-letter', page: 1 },
      coversFrom: { value: '2026-01-01', page: 1 },
      coversTo: { value: '2026-03-31', page: 1 },
      issued: { value: '2026-04-06', page: 1 },
    });
  });

  it('a scanned report: no text layer (a scanner stamp of a few characters does not count)', async () => {
    expect(await extractReport(testReport('cobalt-scanned.pdf'))).toEqual({ textLayer: false, pageCount: 3 });
  });

  it('the 100-page report: the front fields, and each of its 12 exceptions on its own page', async () => {
    const fields = await fieldsOf('acme-soc2-type2-100-pages.pdf');
    expect(fields).toMatchObject({
      kind: { value: 'soc2-type2', page: 1 },
      periodStart: { value: '2025-01-01', page: 3 },
      periodEnd: { value: '2025-12-31', page: 3 },
      opinion: { value: 'unqualified', page: 4 },
      auditor: { value: 'Example CPA LLP', page: 4 },
      cuecs: { value: ACME_CUECS, page: 7 },
      subservices: { value: ACME_SUBSERVICES, page: 3 },
    });
    expect(fields.exceptions?.pages).toEqual([15, 23, 30, 38, 46, 53, 61, 69, 76, 84, 92, 99]);
    expect(fields.exceptions?.value.map((e) => e.control)).toEqual([
      'CC5.7',
      'CC1.6',
      'CC6.5',
      'CC2.4',
      'CC7.3',
      'CC3.2',
      'CC8.1',
      'CC4.8',
      'CC9.7',
      'CC5.6',
      'CC1.5',
      'CC6.4',
    ]);
    expect(fields.exceptions?.value[0]).toEqual({
      control: 'CC5.7',
      description: 'For 1 of 25 occurrences sampled (test 23), the evidence was not retained as described.',
    });
  });

  it('the generator is deterministic: the same bytes on every run', () => {
    expect(Buffer.from(testReport('signalpath-soc2-type2-qualified.pdf'))).toEqual(
      Buffer.from(testReport('signalpath-soc2-type2-qualified.pdf')),
    );
  });
});
