import { describe, expect, it } from 'vitest';
import {
  parseJsonText,
  parsePortfolio,
  parsePortfolioJson,
  validateDocument,
  validateVendor,
} from '../../../functions/core/portfolio.js';
import { ValidationError, type Problem } from '../../../functions/core/errors.js';

function vendor(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme-pay',
    name: 'Acme Payments',
    tier: 'critical',
    managerEmail: 'jane.doe@bank.example',
    contactEmail: 'security@acme.example',
    documents: [
      {
        kind: 'soc2-type2',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        issued: '2026-02-14',
        opinion: 'unqualified',
        auditor: 'Example CPA LLP',
      },
      { kind: 'bridge-letter', coversFrom: '2026-01-01', coversTo: '2026-03-31', issued: '2026-04-02' },
    ],
    ...overrides,
  };
}

function portfolio(...vendors: unknown[]): Record<string, unknown> {
  return { complianceLeadEmail: 'tprm@bank.example', vendors };
}

/** The problems parsePortfolio refuses `input` with (fails the test when it accepts it). */
function problemsOf(input: unknown): Problem[] {
  try {
    parsePortfolio(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems;
  }
  throw new Error('input was accepted');
}

function paths(input: unknown): string[] {
  return problemsOf(input).map((p) => p.path);
}

describe('portfolio schema (spec section 1)', () => {
  it('accepts the spec example and normalizes documents', () => {
    const p = parsePortfolio(
      portfolio(
        vendor({
          complianceLeadEmail: 'lead@bank.example',
          dataRegions: ['us', 'eu'],
          requiredCategories: ['availability', 'confidentiality'],
          contractRenewal: '2027-03-01',
        }),
        { ...vendor({ id: 'beta' }), documents: undefined },
      ),
    );
    expect(p.vendors).toHaveLength(2);
    expect(p.vendors[0]?.documents).toHaveLength(2);
    expect(p.vendors[0]?.contractRenewal).toBe('2027-03-01');
    expect(p.vendors[1]?.documents).toEqual([]);
    expect(p.complianceLeadEmail).toBe('tprm@bank.example');
  });

  it('refuses an impossible date with the spec message', () => {
    const problems = problemsOf(
      portfolio(
        vendor({
          documents: [
            {
              kind: 'soc2-type2',
              periodStart: '2024-03-01',
              periodEnd: '2025-02-30',
              opinion: 'unqualified',
            },
          ],
        }),
      ),
    );
    expect(problems).toEqual([
      {
        path: 'vendors[0].documents[0].periodEnd',
        message: expect.stringContaining('2025-02-30 is not a date'),
      },
    ]);
  });

  it('refuses dates outside 1900-2999 (typos that would overflow the arithmetic)', () => {
    const problems = problemsOf(
      portfolio(
        vendor({
          contractRenewal: '9999-12-31',
          documents: [
            {
              kind: 'soc2-type2',
              periodStart: '1899-12-31',
              periodEnd: '2025-06-30',
              opinion: 'unqualified',
            },
          ],
        }),
      ),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'vendors[0].contractRenewal: 9999-12-31 is out of range (expected a year from 1900 to 2999)',
      'vendors[0].documents[0].periodStart: 1899-12-31 is out of range (expected a year from 1900 to 2999)',
    ]);
  });

  it('refuses unknown tier, kind, opinion and category', () => {
    expect(
      paths(
        portfolio(
          vendor({
            tier: 'gold',
            requiredCategories: ['security', 'uptime'],
            documents: [
              { kind: 'soc3', periodEnd: '2025-12-31' },
              {
                kind: 'soc2-type2',
                periodStart: '2025-01-01',
                periodEnd: '2025-12-31',
                opinion: 'clean',
                categories: ['security', 'avail'],
              },
            ],
          }),
        ),
      ),
    ).toEqual([
      'vendors[0].tier',
      'vendors[0].requiredCategories[1]',
      'vendors[0].documents[0].kind',
      'vendors[0].documents[1].opinion',
      'vendors[0].documents[1].categories[1]',
    ]);
  });

  it('refuses periodEnd before periodStart and coversTo before coversFrom', () => {
    const problems = problemsOf(
      portfolio(
        vendor({
          documents: [
            {
              kind: 'soc2-type2',
              periodStart: '2025-06-30',
              periodEnd: '2025-01-01',
              opinion: 'unqualified',
            },
            { kind: 'bridge-letter', coversFrom: '2026-01-01', coversTo: '2025-12-31' },
          ],
        }),
      ),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'vendors[0].documents[0].periodEnd',
      'vendors[0].documents[1].coversTo',
    ]);
    expect(problems[0]?.message).toContain('before periodStart 2025-06-30');
    expect(problems[1]?.message).toContain('before coversFrom 2026-01-01');
  });

  it('accepts a one-day Type II period and a one-day bridge letter', () => {
    expect(() =>
      parsePortfolio(
        portfolio(
          vendor({
            documents: [
              {
                kind: 'soc2-type2',
                periodStart: '2025-06-30',
                periodEnd: '2025-06-30',
                opinion: 'unqualified',
              },
              { kind: 'bridge-letter', coversFrom: '2025-07-01', coversTo: '2025-07-01' },
            ],
          }),
        ),
      ),
    ).not.toThrow();
  });

  it('refuses a duplicate vendor id, naming the first', () => {
    const problems = problemsOf(portfolio(vendor(), vendor({ id: 'other' }), vendor()));
    expect(problems).toEqual([
      {
        path: 'vendors[2].id',
        message: expect.stringContaining('duplicate vendor id acme-pay (first at vendors[0])'),
      },
    ]);
  });

  it('refuses malformed e-mail addresses wherever they are', () => {
    expect(
      paths({
        complianceLeadEmail: 'tprm-at-bank',
        vendors: [
          vendor({ managerEmail: 'jane@', contactEmail: 'a b@acme.example', complianceLeadEmail: 'x@y' }),
        ],
      }),
    ).toEqual([
      'complianceLeadEmail',
      'vendors[0].managerEmail',
      'vendors[0].contactEmail',
      'vendors[0].complianceLeadEmail',
    ]);
  });

  it('refuses unknown fields at every level, naming the field', () => {
    expect(
      paths({
        ...portfolio(
          vendor({
            nmae: 'typo',
            documents: [
              {
                kind: 'soc2-type2',
                periodStart: '2025-01-01',
                periodEnd: '2025-12-31',
                opinion: 'unqualified',
                signed: true,
                exceptions: [{ control: 'CC6.1', response: 'x' }],
              },
              {
                kind: 'bridge-letter',
                coversFrom: '2026-01-01',
                coversTo: '2026-02-01',
                opinion: 'unqualified',
              },
            ],
          }),
        ),
        owner: 'me',
      }),
    ).toEqual([
      'owner',
      'vendors[0].nmae',
      'vendors[0].documents[0].signed',
      'vendors[0].documents[0].exceptions[0].response',
      'vendors[0].documents[1].opinion',
    ]);
  });

  it('refuses wrong types and missing required fields', () => {
    const problems = problemsOf(
      portfolio(
        { id: 'x', tier: 'low', managerEmail: 'a@b.example', contactEmail: 'c@d.example', documents: {} },
        vendor({
          name: 42,
          dataRegions: 'us',
          documents: [{ kind: 'soc2-type1', opinion: 'unqualified' }, 'x'],
        }),
        'not a vendor',
      ),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'vendors[0].name: is required',
      'vendors[0].documents: must be an array of documents, not a object',
      'vendors[1].name: must be a string, not a number',
      'vendors[1].dataRegions: must be an array of region names, not a string',
      'vendors[1].documents[0].periodEnd: is required',
      'vendors[1].documents[1]: must be a document (an object), not a string',
      'vendors[2]: must be a vendor (an object), not a string',
    ]);
  });

  it('refuses an id that breaks the pattern', () => {
    for (const id of ['Acme', '-acme', 'acme_pay', '', 'a'.repeat(65), 'acme pay']) {
      expect(paths(portfolio(vendor({ id }))), id).toEqual(['vendors[0].id']);
    }
    for (const id of ['a', '1password', 'a'.repeat(64), 'x-1-'])
      expect(() => parsePortfolio(portfolio(vendor({ id })))).not.toThrow();
  });

  it('refuses a periodStart on a Type I and requires one on a Type II', () => {
    const problems = problemsOf(
      portfolio(
        vendor({
          documents: [
            {
              kind: 'soc2-type1',
              periodStart: '2025-01-01',
              periodEnd: '2025-06-30',
              opinion: 'unqualified',
            },
            { kind: 'soc2-type2', periodEnd: '2025-06-30', opinion: 'unqualified' },
          ],
        }),
      ),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'vendors[0].documents[0].periodStart',
      'vendors[0].documents[1].periodStart',
    ]);
    expect(problems[0]?.message).toContain('soc2-type2');
  });

  it('refuses a report issued before its period ended', () => {
    expect(
      paths(
        portfolio(
          vendor({
            documents: [
              {
                kind: 'soc2-type2',
                periodStart: '2025-01-01',
                periodEnd: '2025-12-31',
                issued: '2025-12-30',
                opinion: 'unqualified',
              },
            ],
          }),
        ),
      ),
    ).toEqual(['vendors[0].documents[0].issued']);
  });

  it('needs a compliance lead on the portfolio or on each vendor', () => {
    expect(
      paths({ vendors: [vendor(), vendor({ id: 'b', complianceLeadEmail: 'l@bank.example' })] }),
    ).toEqual(['vendors[0].complianceLeadEmail']);
  });

  it('refuses a non-object portfolio and a missing vendors array', () => {
    expect(problemsOf([]).map((p) => p.message)).toEqual([expect.stringContaining('must be a JSON object')]);
    expect(paths({ complianceLeadEmail: 'a@b.example' })).toEqual(['vendors']);
    expect(paths({ complianceLeadEmail: 'a@b.example', vendors: {} })).toEqual(['vendors']);
  });

  it('accepts a blank managementResponse (that is a finding, not bad input)', () => {
    const problems: Problem[] = [];
    const doc = validateDocument(
      {
        kind: 'soc2-type2',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        opinion: 'qualified',
        exceptions: [{ control: 'CC6.1', managementResponse: '  ' }, {}],
      },
      'd',
      problems,
    );
    expect(problems).toEqual([]);
    expect(doc).toMatchObject({ exceptions: [{ control: 'CC6.1', managementResponse: '  ' }, {}] });
  });

  it('validateVendor appends to a shared list and returns undefined on problems', () => {
    const problems: Problem[] = [{ path: 'earlier', message: 'kept' }];
    expect(validateVendor(vendor({ tier: 'x' }), 'rows[7]', problems)).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual(['earlier', 'rows[7].tier']);
    expect(validateVendor(vendor(), 'rows[8]', problems)?.id).toBe('acme-pay');
  });
});

describe('portfolio JSON text', () => {
  it('names line and column of a syntax error', () => {
    const cases: [string, string][] = [
      ['{\n  "vendors": [\n    {"id": }\n  ]\n}', 'line 3, column 12'],
      ['{\n "a": 1,\n}', 'line 3, column 1'],
      ['{"vendors": [', 'line 1, column 14'],
      ['', 'line 1, column 1'],
      ['{"a":tru}', 'line 1, column 9'],
    ];
    for (const [text, where] of cases) {
      try {
        parseJsonText(text, 'the portfolio');
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems[0]?.message, text).toContain(where);
        expect((error as ValidationError).problems[0]?.message).toContain('the portfolio is not valid JSON');
      }
    }
  });

  it('ignores a UTF-8 byte-order mark', () => {
    expect(parsePortfolioJson(`\ufeff${JSON.stringify(portfolio(vendor()))}`).vendors).toHaveLength(1);
  });
});
