// What the manager records at review (core/review-entries.ts) and the comparison with the read report
// (core/intake/compare.ts): every bound and every rule of the new inputs, each with the message it gives.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import {
  applyTakes,
  choicesNeeded,
  compareWithReport,
  sameFirm,
} from '../../../functions/core/intake/compare.js';
import {
  storedExtraction,
  STORED_EXTRACTION_BYTES,
  type StoredExtraction,
} from '../../../functions/core/intake/stored.js';
import {
  acceptedDocument,
  initialRows,
  organizationIdFor,
  parseReviewEntries,
  REVIEW_LIMITS,
  type ReviewEntries,
} from '../../../functions/core/review-entries.js';
import type { SocReport, VendorDocument } from '../../../functions/core/portfolio.js';

const entered: SocReport = {
  kind: 'soc2-type2',
  periodStart: '2025-10-01',
  periodEnd: '2026-09-30',
  issued: '2026-11-20',
  opinion: 'unqualified',
  auditor: 'Example CPA, LLP',
  categories: ['security', 'availability'],
};
const read: StoredExtraction = {
  textLayer: true,
  pageCount: 9,
  pagesRead: 9,
  truncated: false,
  fields: {
    kind: { value: 'soc2-type2', page: 1 },
    periodStart: { value: '2025-10-01', page: 3 },
    periodEnd: { value: '2026-08-31', page: 3 },
    opinion: { value: 'qualified', page: 4 },
    auditor: { value: 'example cpa llp', page: 4 },
    categories: { value: ['availability', 'security'], page: 3 },
    exceptions: {
      value: [{ control: 'CC6.1', description: 'x', managementResponse: 'y' }],
      page: 8,
      pages: [8],
    },
    cuecs: { value: [{ id: 'cuec-1', text: 'Review access.' }], page: 7, pages: [7] },
    subservices: {
      value: [
        { name: 'Nimbus Cloud', method: 'carve-out' },
        { name: 'Amazon Web Services, Inc.', method: 'carve-out' },
      ],
      page: 3,
      pages: [3, 3],
    },
  },
};

/** A form from name -> values. */
function form(fields: Record<string, string | string[]>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
  return params;
}
const options = {
  known: new Set(['nimbus-cloud']),
  isVendor: (id: string) => id === 'acme-pay',
  withSection9: true,
};
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('compareWithReport: each field beside the report, flagged', () => {
  it('flags a different date and opinion, agrees on a firm spelled differently and on categories in any order', () => {
    const rows = compareWithReport(entered, read);
    const by = Object.fromEntries(rows.map((r) => [r.field, r]));
    expect(by.periodEnd).toMatchObject({
      entry: '2026-09-30',
      report: '2026-08-31',
      page: 3,
      agreement: 'differs',
      takeable: true,
    });
    expect(by.opinion?.agreement).toBe('differs');
    expect(by.auditor?.agreement).toBe('agrees');
    expect(by.categories?.agreement).toBe('agrees');
    expect(by.periodStart?.agreement).toBe('agrees');
    // The vendor entered no exceptions (none), the report has one: a disagreement, with its page.
    expect(by.exceptions).toMatchObject({
      entry: 'none',
      report: '1 (CC6.1)',
      agreement: 'differs',
      pages: [8],
    });
    expect(by.issued).toMatchObject({ agreement: 'not-in-report', takeable: false });
    expect(choicesNeeded(rows)).toEqual(['periodEnd', 'opinion', 'exceptions']);
  });

  it('never offers the report’s kind (another kind is another document), and compares nothing without text', () => {
    const rows = compareWithReport(
      { ...entered, kind: 'soc2-type1', periodStart: undefined } as SocReport,
      read,
    );
    expect(rows.find((r) => r.field === 'kind')).toMatchObject({ agreement: 'differs', takeable: false });
    expect(rows.map((r) => r.field)).not.toContain('periodStart');
    expect(compareWithReport(entered, { textLayer: false, pageCount: 3 })).toEqual([]);
    expect(compareWithReport(entered, { failed: 'not a PDF' })).toEqual([]);
    expect(compareWithReport(entered, undefined)).toEqual([]);
  });

  it('compares a bridge letter on its cover and date only', () => {
    const letter: VendorDocument = {
      kind: 'bridge-letter',
      coversFrom: '2026-10-01',
      coversTo: '2026-12-31',
    };
    const rows = compareWithReport(letter, {
      ...read,
      fields: { kind: { value: 'bridge-letter', page: 1 }, coversTo: { value: '2027-01-31', page: 1 } },
    } as StoredExtraction);
    expect(rows.map((r) => [r.field, r.agreement])).toEqual([
      ['kind', 'agrees'],
      ['coversFrom', 'not-in-report'],
      ['coversTo', 'differs'],
      ['issued', 'not-in-report'],
    ]);
  });

  it('sameFirm ignores case, punctuation and "&", not the words', () => {
    expect(sameFirm('Smith & Jones, LLP', 'smith and jones llp')).toBe(true);
    expect(sameFirm('Smith Jones LLP', 'Smith Jonas LLP')).toBe(false);
  });

  it('applyTakes takes the report’s value only where chosen, and refuses a choice with nothing to take', () => {
    const taken = applyTakes(entered, read, { periodEnd: 'report', opinion: 'entry' }) as SocReport;
    expect(taken.periodEnd).toBe('2026-08-31');
    expect(taken.opinion).toBe('unqualified');
    expect(problemsOf(() => applyTakes(entered, read, { issued: 'report' }))).toEqual([
      'take.issued: the report gives no value to take for this field',
    ]);
    expect(problemsOf(() => applyTakes(entered, read, { kind: 'report' }))).toHaveLength(1);
  });
});

describe('parseReviewEntries: the CUEC and subservice rows', () => {
  it('reads filled rows, skips blank ones, and keeps owner and status optional', () => {
    const entries = parseReviewEntries(
      form({
        'cuec-id': ['CUEC-1', '', 'CUEC-2'],
        'cuec-text': ['Review access.', '', 'Rotate keys.'],
        'cuec-owner': ['iam@bank.example', '', ''],
        'cuec-status': ['in-place', '', ''],
        'sub-org': ['nimbus-cloud', 'new', ''],
        'sub-new-id': ['', 'aws', ''],
        'sub-new-name': ['', 'Amazon Web Services', ''],
        'sub-method': ['carve-out', 'inclusive', ''],
        'take.periodEnd': 'report',
      }),
      options,
    );
    expect(entries).toEqual({
      takes: { periodEnd: 'report' },
      cuecs: [
        { id: 'CUEC-1', text: 'Review access.', owner: 'iam@bank.example', status: 'in-place' },
        { id: 'CUEC-2', text: 'Rotate keys.' },
      ],
      subservices: [
        { id: 'nimbus-cloud', method: 'carve-out' },
        { id: 'aws', method: 'inclusive' },
      ],
      newOrganizations: [{ id: 'aws', name: 'Amazon Web Services' }],
    });
  });

  it('names every problem of every row at once', () => {
    expect(
      problemsOf(() =>
        parseReviewEntries(
          form({
            'cuec-id': ['', 'X', 'X', 'y'.repeat(65)],
            'cuec-text': ['text', '', 'again', 'z'],
            'cuec-owner': ['', 'nobody', '', ''],
            'cuec-status': ['', '', 'sort-of', ''],
            'sub-org': ['ghost', 'new', 'new', 'new', 'nimbus-cloud', 'nimbus-cloud'],
            'sub-new-id': ['', 'Bad Id', 'nimbus-cloud', 'acme-pay', '', ''],
            'sub-new-name': ['', '', 'Nimbus again', 'Acme', '', ''],
            'sub-method': ['carve-out', 'carve-out', 'carve-out', 'carve-out', 'both', 'inclusive'],
            'take.opinion': 'mine',
          }),
          options,
        ),
      ),
    ).toEqual([
      'take.opinion: choose the vendor’s entry or the report’s value',
      'CUEC 1 id: give the report’s label for it (e.g. CUEC-3)',
      'CUEC 2 text: give the control’s text as the report states it',
      'CUEC 2 owner: nobody is not an e-mail address',
      'CUEC 3 id: X is already CUEC 2',
      'CUEC 3 status: choose one of: in-place, not-in-place, not-applicable',
      'CUEC 4 id: at most 64 characters',
      'subservice organisation 1: ghost is not a subservice organisation on record',
      'subservice organisation 2 id: Bad Id is not an id (1-64 of a-z, 0-9 and -, starting with a letter or digit)',
      'subservice organisation 2 name: give the organisation’s name',
      'subservice organisation 3 id: nimbus-cloud already exists: pick it from the list',
      "subservice organisation 4 id: acme-pay is a vendor's id; give the organisation its own",
      'subservice organisation 5 method: choose carve-out or inclusive',
      'subservice organisation 6: nimbus-cloud is already subservice organisation 5',
    ]);
  });

  it('bounds the rows: at most 100 CUECs and 50 subservice organisations, each text bounded', () => {
    const many = Array.from({ length: REVIEW_LIMITS.cuecs + 1 }, (_, i) => `C${i}`);
    expect(
      problemsOf(() => parseReviewEntries(form({ 'cuec-id': many, 'cuec-text': many }), options)),
    ).toEqual([`cuecs: at most ${REVIEW_LIMITS.cuecs} CUECs per report`]);
    const orgs = Array.from({ length: REVIEW_LIMITS.subservices + 1 }, (_, i) => `org-${i}`);
    expect(
      problemsOf(() =>
        parseReviewEntries(
          form({
            'sub-org': orgs.map(() => 'new'),
            'sub-new-id': orgs,
            'sub-new-name': orgs,
            'sub-method': orgs.map(() => 'carve-out'),
          }),
          options,
        ),
      ),
    ).toEqual([`subservices: at most ${REVIEW_LIMITS.subservices} subservice organisations per report`]);
    expect(
      problemsOf(() =>
        parseReviewEntries(
          form({ 'cuec-id': 'C1', 'cuec-text': 'x'.repeat(REVIEW_LIMITS.cuecText + 1) }),
          options,
        ),
      ),
    ).toEqual([`CUEC 1 text: at most ${REVIEW_LIMITS.cuecText} characters`]);
  });

  it('without the section (a bridge letter, an organisation’s report) reads the choices only', () => {
    expect(
      parseReviewEntries(form({ 'cuec-id': 'C1', 'take.coversTo': 'report' }), {
        ...options,
        withSection9: false,
      }),
    ).toEqual({ takes: { coversTo: 'report' }, newOrganizations: [] });
  });

  it('organizationIdFor makes an id from a printed name', () => {
    expect(organizationIdFor('Amazon Web Services, Inc.')).toBe('amazon-web-services-inc');
    expect(organizationIdFor('Crème Brûlée Hosting GmbH')).toBe('creme-brulee-hosting-gmbh');
    expect(organizationIdFor('***')).toBe('organization');
    expect(organizationIdFor('x'.repeat(80))).toHaveLength(64);
  });
});

describe('acceptedDocument: the entries, the choices and the rows, held to the portfolio’s rules', () => {
  const entries = (over: Partial<ReviewEntries> = {}): ReviewEntries => ({
    takes: {},
    cuecs: [{ id: 'C1', text: 'Review access.' }],
    subservices: [{ id: 'aws', method: 'carve-out' }],
    newOrganizations: [{ id: 'aws', name: 'AWS' }],
    ...over,
  });

  it('records CUECs and subservices on a SOC 2 report, a new organisation counting as known', () => {
    expect(acceptedDocument(entered, read, entries(), new Set())).toEqual({
      ...entered,
      subservices: [{ id: 'aws', method: 'carve-out' }],
      cuecs: [{ id: 'C1', text: 'Review access.' }],
    });
  });

  it('refuses what the portfolio refuses: a taken date that breaks the period, a document over 16 KB', () => {
    const early: StoredExtraction = {
      ...read,
      fields: { ...(read as { fields: object }).fields, periodEnd: { value: '2025-01-31', page: 3 } },
    } as StoredExtraction;
    expect(
      problemsOf(() =>
        acceptedDocument(entered, early, entries({ takes: { periodEnd: 'report' } }), new Set()),
      ),
    ).toEqual(['periodEnd: 2025-01-31 is before periodStart 2025-10-01']);
    const long = Array.from({ length: 10 }, (_, i) => ({ id: `C${i}`, text: 'x'.repeat(1900) }));
    expect(problemsOf(() => acceptedDocument(entered, read, entries({ cuecs: long }), new Set()))[0]).toMatch(
      /^: is too large \(\d+ bytes as JSON; at most 16384\)/,
    );
  });

  it('leaves CUECs and subservices off an organisation’s own report', () => {
    const doc = acceptedDocument(entered, read, { takes: {}, newOrganizations: [] }, new Set(), 'aws');
    expect(doc).toEqual(entered);
  });
});

describe('initialRows: what the form starts with', () => {
  it('pre-fills from the report with pages, matching a printed name to an organisation on record', () => {
    const rows = initialRows(entered, read, [{ id: 'nimbus-cloud', name: 'Nimbus Cloud' }]);
    expect(rows.cuecs[0]).toEqual({ id: 'cuec-1', text: 'Review access.', owner: '', status: '', page: 7 });
    expect(rows.cuecs).toHaveLength(1 + 2);
    expect(rows.subservices.slice(0, 2)).toEqual([
      { printed: 'Nimbus Cloud', page: 3, pick: 'nimbus-cloud', newId: '', newName: '', method: 'carve-out' },
      {
        printed: 'Amazon Web Services, Inc.',
        page: 3,
        pick: 'new',
        newId: 'amazon-web-services-inc',
        newName: 'Amazon Web Services, Inc.',
        method: 'carve-out',
      },
    ]);
  });
  it('prefers what the document already records', () => {
    const recorded = { ...entered, cuecs: [{ id: 'A', text: 'T', owner: 'o@bank.example' }] };
    expect(initialRows(recorded, read, []).cuecs[0]).toEqual({
      id: 'A',
      text: 'T',
      owner: 'o@bank.example',
      status: '',
    });
  });
});

describe('storedExtraction: bounded to fit the record', () => {
  it('cuts the longest lists from the end (pages kept aligned) until the answer fits, and says so', () => {
    const exceptions = Array.from({ length: 200 }, (_, i) => ({
      control: `CC${i}`,
      description: 'd'.repeat(900),
      managementResponse: 'r'.repeat(900),
    }));
    const stored = storedExtraction({
      ...read,
      fields: {
        ...(read as { fields: object }).fields,
        exceptions: { value: exceptions, page: 8, pages: exceptions.map(() => 8) },
      },
    } as StoredExtraction);
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(STORED_EXTRACTION_BYTES);
    if (!('textLayer' in stored) || !stored.textLayer) throw new Error('expected fields');
    expect(stored.trimmed).toBe(true);
    const kept = stored.fields.exceptions!;
    expect(kept.value.length).toBe(kept.pages.length);
    expect(kept.value[0]?.control).toBe('CC0');
    expect(stored.fields.cuecs?.value).toHaveLength(1);
  });
  it('keeps a small answer whole, and bounds a failure’s reason', () => {
    expect(storedExtraction(read)).toEqual(read);
    expect(storedExtraction({ failed: 'x'.repeat(5000) })).toEqual({ failed: 'x'.repeat(300) });
  });
});
