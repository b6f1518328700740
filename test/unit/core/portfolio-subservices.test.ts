// Spec section 9 in the portfolio schema: subserviceOrganizations, a SOC 2 report's subservices and cuecs,
// refused as in section 1 (every problem named by its JSON path, unknown fields refused, nothing partial).
import { describe, expect, it } from 'vitest';
import { ValidationError, type Problem } from '../../../functions/core/errors.js';
import {
  parsePortfolio,
  SECTION9_LIMITS,
  validateDocument,
  type SocReport,
} from '../../../functions/core/portfolio.js';

function report(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'soc2-type2',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    opinion: 'unqualified',
    ...extra,
  };
}

function vendor(documents: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme-pay',
    name: 'Acme Payments',
    tier: 'critical',
    managerEmail: 'jane.doe@bank.example',
    contactEmail: 'security@acme.example',
    documents,
    ...extra,
  };
}

const cloud = { id: 'nimbus-cloud', name: 'Nimbus Cloud', documents: [report()] };
const colo = { id: 'ironvault-dc', name: 'IronVault Data Centers' };

/** A one-vendor portfolio; `organizations` 'absent' leaves the subserviceOrganizations field out. */
function portfolio(documents: unknown[], organizations: unknown = [cloud, colo]): Record<string, unknown> {
  return {
    complianceLeadEmail: 'tprm@bank.example',
    vendors: [vendor(documents)],
    ...(organizations === 'absent' ? {} : { subserviceOrganizations: organizations }),
  };
}

function problemsOf(input: unknown): string[] {
  try {
    parsePortfolio(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('input was accepted');
}

describe('section 9 fields: accepted and normalized', () => {
  it('given organisations, carve-outs and CUECs, when parsed, then they are kept as written', () => {
    const p = parsePortfolio(
      portfolio([
        report({
          subservices: [
            { id: 'nimbus-cloud', method: 'carve-out' },
            { id: 'ironvault-dc', method: 'inclusive' },
          ],
          cuecs: [
            {
              id: 'CUEC-1',
              text: 'Review user access quarterly.',
              owner: 'iam@bank.example',
              status: 'in-place',
            },
            { id: 'CUEC-2', text: 'Encrypt files before upload.' },
          ],
        }),
      ]),
    );
    expect(p.subserviceOrganizations).toEqual([
      { ...cloud, documents: [report()] },
      { ...colo, documents: [] },
    ]);
    const basis = p.vendors[0]?.documents[0] as SocReport;
    expect(basis.subservices).toEqual([
      { id: 'nimbus-cloud', method: 'carve-out' },
      { id: 'ironvault-dc', method: 'inclusive' },
    ]);
    expect(basis.cuecs).toEqual([
      { id: 'CUEC-1', text: 'Review user access quarterly.', owner: 'iam@bank.example', status: 'in-place' },
      { id: 'CUEC-2', text: 'Encrypt files before upload.' },
    ]);
  });

  it('given no subserviceOrganizations field, then the portfolio has none (not an empty list)', () => {
    const p = parsePortfolio(portfolio([report()], 'absent'));
    expect('subserviceOrganizations' in p).toBe(false);
    expect(parsePortfolio(portfolio([report()], [])).subserviceOrganizations).toEqual([]);
  });

  it('accepts section 9 fields on a SOC 2 Type I and on a subservice organisation’s own report', () => {
    expect(() =>
      parsePortfolio(
        portfolio(
          [
            {
              kind: 'soc2-type1',
              periodEnd: '2025-06-30',
              opinion: 'unqualified',
              subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }],
              cuecs: [{ id: '1', text: 'x' }],
            },
          ],
          [
            cloud,
            { ...colo, documents: [report({ subservices: [{ id: 'nimbus-cloud', method: 'inclusive' }] })] },
          ],
        ),
      ),
    ).not.toThrow();
  });
});

describe('subserviceOrganizations: refused when malformed', () => {
  it('names each problem of an organisation by its path', () => {
    expect(
      problemsOf(
        portfolio(
          [],
          [
            { id: 'Nimbus Cloud', name: 'Nimbus', documents: [] },
            { id: 'ok-org', documents: {} },
            {
              id: 'other',
              name: '  ',
              documents: [{ kind: 'soc2-type2', periodEnd: '2025-02-30' }],
              tier: 'x',
            },
            'not an organisation',
          ],
        ),
      ),
    ).toEqual([
      'subserviceOrganizations[0].id: Nimbus Cloud is not a subservice organisation id (1-64 of a-z, 0-9 and -, starting with a letter or digit)',
      'subserviceOrganizations[1].name: is required',
      'subserviceOrganizations[1].documents: must be an array of documents, not a object',
      'subserviceOrganizations[2].tier: unknown field',
      'subserviceOrganizations[2].name: must not be blank',
      'subserviceOrganizations[2].documents[0].periodStart: is required',
      'subserviceOrganizations[2].documents[0].periodEnd: 2025-02-30 is not a date (expected a real calendar date YYYY-MM-DD)',
      'subserviceOrganizations[2].documents[0].opinion: is required',
      'subserviceOrganizations[3]: must be a subservice organisation (an object), not a string',
    ]);
  });

  it('refuses a list that is not an array, and one longer than the bound', () => {
    expect(problemsOf(portfolio([], { id: 'x' }))).toEqual([
      'subserviceOrganizations: must be an array of subservice organisations, not a object',
    ]);
    const many = Array.from({ length: SECTION9_LIMITS.subserviceOrganizations + 1 }, (_, i) => ({
      id: `org-${i}`,
      name: `Org ${i}`,
    }));
    expect(problemsOf(portfolio([], many))).toEqual([
      'subserviceOrganizations: has 10,001 subservice organisations (at most 10000)',
    ]);
    expect(() => parsePortfolio(portfolio([], many.slice(1)))).not.toThrow();
  });

  it('refuses a duplicate organisation id, naming the first', () => {
    expect(problemsOf(portfolio([], [cloud, colo, { ...cloud, name: 'Nimbus again' }]))).toEqual([
      'subserviceOrganizations[2].id: duplicate subservice organisation id nimbus-cloud (first at subserviceOrganizations[0])',
    ]);
  });

  it('refuses an organisation id that is already a vendor id', () => {
    expect(problemsOf(portfolio([], [{ id: 'acme-pay', name: 'Acme as a subservice' }]))).toEqual([
      'subserviceOrganizations[0].id: acme-pay is already the id of vendors[0] (a subservice organisation needs an id of its own)',
    ]);
  });

  it('refuses a too-long organisation name like a vendor name', () => {
    expect(problemsOf(portfolio([], [{ id: 'long', name: 'n'.repeat(501) }]))).toEqual([
      'subserviceOrganizations[0].name: is too long (at most 500 characters)',
    ]);
  });

  it('refuses an organisation whose own report names the organisation itself', () => {
    expect(
      problemsOf(
        portfolio(
          [],
          [{ ...cloud, documents: [report({ subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }] })] }],
        ),
      ),
    ).toEqual([
      'subserviceOrganizations[0].documents[0].subservices[0].id: nimbus-cloud is the organisation this report is about; it cannot be its own subservice organisation',
    ]);
  });
});

describe('subservices on a report: refused when malformed', () => {
  const at = 'vendors[0].documents[0].subservices';

  it('refuses an id that is not a subservice organisation of the portfolio, and a bad method', () => {
    expect(
      problemsOf(
        portfolio([
          report({
            subservices: [
              { id: 'ghost-host', method: 'carve-out' },
              { id: 'nimbus-cloud', method: 'carved' },
              { id: 'Nimbus', method: 'inclusive' },
              { method: 'inclusive' },
              { id: 'ironvault-dc' },
              { id: 'ironvault-dc', method: 'inclusive', note: 'x' },
              'nimbus-cloud',
            ],
          }),
        ]),
      ),
    ).toEqual([
      `${at}[0].id: ghost-host is not a subservice organisation of the portfolio (not in subserviceOrganizations)`,
      `${at}[1].method: carved is not a subservice method (expected one of: carve-out, inclusive)`,
      `${at}[2].id: Nimbus is not a subservice organisation id (1-64 of a-z, 0-9 and -, starting with a letter or digit)`,
      `${at}[3].id: is required`,
      `${at}[4].method: is required`,
      `${at}[5].note: unknown field`,
      `${at}[5].id: duplicate subservice organisation ironvault-dc in this report (first at ${at}[4])`,
      `${at}[6]: must be a subservice organisation reference (an object), not a string`,
    ]);
  });

  it('refuses any reference when the portfolio has no subserviceOrganizations', () => {
    expect(
      problemsOf(
        portfolio([report({ subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }] })], 'absent'),
      ),
    ).toEqual([
      `${at}[0].id: nimbus-cloud is not a subservice organisation of the portfolio (not in subserviceOrganizations)`,
    ]);
  });

  it('refuses a reference to a malformed organisation only for the organisation’s own problem', () => {
    expect(
      problemsOf(
        portfolio(
          [report({ subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }] })],
          [{ id: 'nimbus-cloud' }],
        ),
      ),
    ).toEqual(['subserviceOrganizations[0].name: is required']);
  });

  it('refuses a list that is not an array and one longer than the bound', () => {
    expect(problemsOf(portfolio([report({ subservices: { id: 'nimbus-cloud' } })]))).toEqual([
      `${at}: must be an array of subservice organisations ({"id", "method"}), not a object`,
    ]);
    const many = Array.from({ length: 101 }, () => ({ id: 'nimbus-cloud', method: 'carve-out' }));
    expect(problemsOf(portfolio([report({ subservices: many })]))).toEqual([
      `${at}: has 101 subservice organisations (at most 100)`,
    ]);
  });
});

describe('cuecs on a report: refused when malformed', () => {
  const at = 'vendors[0].documents[0].cuecs';

  it('names each problem of a CUEC by its path', () => {
    expect(
      problemsOf(
        portfolio([
          report({
            cuecs: [
              { id: 'CUEC-1', text: 'Review access.', owner: 'iam-at-bank', status: 'done' },
              { text: 'No id.' },
              { id: 'CUEC-3' },
              { id: 'CUEC-1', text: 'Same id again.' },
              { id: ' ', text: '' },
              { id: 'CUEC-6', text: 'x', due: '2026-01-01' },
              { id: 7, text: 'Numbered.' },
              'Review access.',
            ],
          }),
        ]),
      ),
    ).toEqual([
      `${at}[0].owner: iam-at-bank is not an e-mail address`,
      `${at}[0].status: done is not a CUEC status (expected one of: in-place, not-in-place, not-applicable)`,
      `${at}[1].id: is required`,
      `${at}[2].text: is required`,
      `${at}[3].id: duplicate CUEC id CUEC-1 in this report (first at ${at}[0])`,
      `${at}[4].id: must not be blank`,
      `${at}[4].text: must not be blank`,
      `${at}[5].due: unknown field`,
      `${at}[6].id: must be a string, not a number`,
      `${at}[7]: must be a CUEC (an object), not a string`,
    ]);
  });

  it('bounds the id at 64 characters, the text at 2000 and the list at 500', () => {
    const ok = { id: 'i'.repeat(64), text: 't'.repeat(2000) };
    expect(() => parsePortfolio(portfolio([report({ cuecs: [ok] })]))).not.toThrow();
    expect(
      problemsOf(portfolio([report({ cuecs: [{ id: 'i'.repeat(65), text: 't'.repeat(2001) }] })])),
    ).toEqual([
      `${at}[0].id: is too long (65 characters; at most 64)`,
      `${at}[0].text: is too long (2001 characters; at most 2000)`,
    ]);
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `C${i}`, text: 'x' }));
    expect(() => parsePortfolio(portfolio([report({ cuecs: list(500) })]))).not.toThrow();
    expect(problemsOf(portfolio([report({ cuecs: list(501) })]))).toEqual([
      `${at}: has 501 CUECs (at most 500)`,
    ]);
    expect(problemsOf(portfolio([report({ cuecs: 'CUEC-1' })]))).toEqual([
      `${at}: must be an array of CUECs ({"id", "text", "owner", "status"}), not a string`,
    ]);
  });

  it('accepts every status and no status', () => {
    const cuecs = ['in-place', 'not-in-place', 'not-applicable', undefined].map((status, i) =>
      status === undefined ? { id: `C${i}`, text: 'x' } : { id: `C${i}`, text: 'x', status },
    );
    expect(() => parsePortfolio(portfolio([report({ cuecs })]))).not.toThrow();
  });
});

describe('section 9 fields belong on SOC 2 reports only', () => {
  it('refuses subservices and cuecs on a SOC 1 report, naming its kind', () => {
    const soc1 = {
      kind: 'soc1-type2',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      opinion: 'unqualified',
      subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }],
      cuecs: [{ id: 'CUEC-1', text: 'x' }],
    };
    expect(problemsOf(portfolio([soc1, { ...soc1, kind: 'soc1-type1', periodStart: undefined }]))).toEqual([
      'vendors[0].documents[0].subservices: is recorded on SOC 2 reports only (this is a soc1-type2 report)',
      'vendors[0].documents[0].cuecs: is recorded on SOC 2 reports only (this is a soc1-type2 report)',
      'vendors[0].documents[1].subservices: is recorded on SOC 2 reports only (this is a soc1-type1 report)',
      'vendors[0].documents[1].cuecs: is recorded on SOC 2 reports only (this is a soc1-type1 report)',
    ]);
  });

  it('refuses them on a bridge letter as unknown fields', () => {
    expect(
      problemsOf(
        portfolio([
          {
            kind: 'bridge-letter',
            coversFrom: '2026-01-01',
            coversTo: '2026-06-30',
            subservices: [],
            cuecs: [],
          },
        ]),
      ),
    ).toEqual([
      'vendors[0].documents[0].subservices: unknown field',
      'vendors[0].documents[0].cuecs: unknown field',
    ]);
  });

  it('validateDocument without a portfolio context knows no subservice organisation (an upload names none)', () => {
    const problems: Problem[] = [];
    expect(
      validateDocument(
        report({ subservices: [{ id: 'nimbus-cloud', method: 'carve-out' }] }),
        'document',
        problems,
      ),
    ).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual(['document.subservices[0].id']);
    expect(validateDocument(report({ cuecs: [{ id: 'C1', text: 'x' }] }), 'document', [])).toMatchObject({
      cuecs: [{ id: 'C1', text: 'x' }],
    });
  });
});
