import { describe, expect, it } from 'vitest';
import { documentFromEntries } from '../../../functions/core/upload-entries.js';
import { ValidationError } from '../../../functions/core/errors.js';

const today = '2026-11-26';

function problems(input: unknown): string[] {
  try {
    documentFromEntries(input, today);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('upload entries', () => {
  it('turns a Type II report form into a spec document', () => {
    const doc = documentFromEntries(
      {
        kind: 'soc2-type2',
        periodStart: '2025-11-01',
        periodEnd: '2026-10-31',
        issued: '2026-11-20',
        opinion: 'unqualified',
        auditor: ' Example CPA LLP ',
        categories: ['security', 'availability'],
        regions: 'US, eu, us',
        exceptions: [
          { control: 'CC6.1', description: '', managementResponse: 'Fixed.' },
          { control: '', description: '', managementResponse: '' },
        ],
      },
      today,
    );
    expect(doc).toEqual({
      kind: 'soc2-type2',
      periodStart: '2025-11-01',
      periodEnd: '2026-10-31',
      issued: '2026-11-20',
      opinion: 'unqualified',
      auditor: 'Example CPA LLP',
      categories: ['security', 'availability'],
      regions: ['us', 'eu'],
      exceptions: [{ control: 'CC6.1', managementResponse: 'Fixed.' }],
    });
  });

  it('turns a bridge letter form into a spec document', () => {
    expect(
      documentFromEntries(
        { kind: 'bridge-letter', coversFrom: '2026-11-01', coversTo: '2026-11-25', issued: '' },
        today,
      ),
    ).toEqual({ kind: 'bridge-letter', coversFrom: '2026-11-01', coversTo: '2026-11-25' });
  });

  it('names every problem by field', () => {
    const found = problems({
      kind: 'soc2-type2',
      periodStart: '2026-02-30',
      periodEnd: '2027-01-01',
      issued: '2027-01-02',
      opinion: 'great',
      categories: [],
    });
    expect(found).toContain('auditor: is required');
    expect(found).toContain('categories: tick at least one Trust Services Category (security)');
    expect(found.some((p) => p.startsWith('periodStart:') && p.includes('not a date'))).toBe(true);
    expect(found.some((p) => p.startsWith('opinion:'))).toBe(true);
    expect(found).toContain('periodEnd: 2027-01-01 is in the future (today is 2026-11-26)');
    // A report date after today is taken: the document counts from that date.
    expect(found.some((p) => p.startsWith('issued:'))).toBe(false);
  });

  it('takes a document as a portfolio writes it, held to the same upload rules', () => {
    const document = {
      kind: 'soc2-type2',
      periodStart: '2025-10-01',
      periodEnd: '2026-09-30',
      opinion: 'unqualified',
    };
    expect(documentFromEntries({ document }, '2026-11-26')).toEqual(document);
    expect(problems({ document: { ...document, kind: 'soc1-type2' } })).toEqual([
      'document.kind: soc1-type2 cannot be uploaded (send a SOC 2 Type II report, a SOC 2 Type I report or a bridge letter)',
    ]);
    expect(problems({ document: { ...document, periodEnd: '2027-01-01' } })).toEqual([
      'periodEnd: 2027-01-01 is in the future (today is 2026-11-26)',
    ]);
    expect(problems({ document, extra: 1 })).toEqual([
      'extra: unknown field (send the document and its file)',
    ]);
    expect(problems({ document: { ...document, colour: 'red' } })).toEqual([
      'document.colour: unknown field',
    ]);
  });

  it('refuses an unknown kind, a non-object and a letter that ends before it starts', () => {
    expect(problems({ kind: 'soc1-type2' })[0]).toMatch(/^kind:/);
    expect(problems('x')[0]).toMatch(/object/);
    expect(
      problems({ kind: 'bridge-letter', coversFrom: '2026-11-01', coversTo: '2026-10-01' }).some((p) =>
        p.startsWith('coversTo:'),
      ),
    ).toBe(true);
  });
});
