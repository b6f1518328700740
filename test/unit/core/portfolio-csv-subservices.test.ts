// Spec section 9 as spreadsheets: subservices.csv (subservice organisations and their documents) and the
// `subservices` and `cuecs` columns of documents.csv, each problem named by file, row and column.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import {
  parseCuecs,
  parsePortfolioCsv,
  parseSubservices,
  type CsvPortfolioInput,
} from '../../../functions/core/portfolio-csv.js';
import { parsePortfolioJson } from '../../../functions/core/portfolio.js';

function problems(input: CsvPortfolioInput): string[] {
  try {
    parsePortfolioCsv(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const VENDORS = {
  name: 'vendors.csv',
  text:
    'id,name,tier,managerEmail,contactEmail\n' +
    'acme,Acme,high,m@bank.example,c@acme.example\n' +
    'beta,Beta,low,m@bank.example,c@beta.example\n',
};
const ORGS = {
  name: 'subservices.csv',
  text:
    'id,name,kind,periodStart,periodEnd,opinion\n' +
    'nimbus-cloud,Nimbus Cloud,soc2-type2,2025-01-01,2025-12-31,unqualified\n' +
    'ironvault-dc,IronVault,,,,\n',
};
const DOC_HEADER = 'vendorId,kind,periodStart,periodEnd,opinion,subservices,cuecs\n';
const docs = (...rows: string[]) => ({ name: 'documents.csv', text: DOC_HEADER + rows.join('\n') + '\n' });
/** The three files; `subservices` 'none' leaves the third out. */
const input = (documents = docs(), subservices: typeof ORGS | 'none' = ORGS): CsvPortfolioInput => ({
  vendors: VENDORS,
  documents,
  ...(subservices === 'none' ? {} : { subservices }),
  complianceLeadEmail: 'lead@bank.example',
});

describe('the cell encodings', () => {
  it('reads subservices as ID: method, and an item without a colon as an id without a method', () => {
    expect(
      parseSubservices('nimbus-cloud: carve-out; ironvault-dc:inclusive; quartz-print; : inclusive'),
    ).toEqual([
      { id: 'nimbus-cloud', method: 'carve-out' },
      { id: 'ironvault-dc', method: 'inclusive' },
      { id: 'quartz-print' },
      { method: 'inclusive' },
    ]);
  });

  it('reads CUECs as ID: text | owner | status, with \\; and \\| inside the text and empty parts absent', () => {
    expect(
      parseCuecs(
        'C1: Review access: quarterly\\; sign off. | iam@bank.example | in-place; C2: A \\| B; C3: Text | | not-applicable; C4',
      ),
    ).toEqual({
      cuecs: [
        {
          id: 'C1',
          text: 'Review access: quarterly; sign off.',
          owner: 'iam@bank.example',
          status: 'in-place',
        },
        { id: 'C2', text: 'A | B' },
        { id: 'C3', text: 'Text', status: 'not-applicable' },
        { id: 'C4' },
      ],
      problems: [],
    });
  });

  it('names an item with too many | parts', () => {
    expect(parseCuecs('C1: ok; C2: a | b | c | d').problems).toEqual([
      'item 2: has 4 |-separated parts (expected ID: text | owner | status; write \\| for a | inside the text)',
    ]);
  });
});

describe('given valid files', () => {
  it('when parsed, then organisations, their documents, carve-outs and CUECs are assembled', () => {
    const p = parsePortfolioCsv(
      input(
        docs(
          'acme,soc2-type2,2025-01-01,2025-12-31,unqualified,nimbus-cloud: carve-out; ironvault-dc: inclusive,C1: Review access. | iam@bank.example | in-place',
        ),
      ),
    );
    expect(p.subserviceOrganizations).toEqual([
      {
        id: 'nimbus-cloud',
        name: 'Nimbus Cloud',
        documents: [
          { kind: 'soc2-type2', periodStart: '2025-01-01', periodEnd: '2025-12-31', opinion: 'unqualified' },
        ],
      },
      { id: 'ironvault-dc', name: 'IronVault', documents: [] },
    ]);
    expect(p.vendors[0]?.documents[0]).toMatchObject({
      subservices: [
        { id: 'nimbus-cloud', method: 'carve-out' },
        { id: 'ironvault-dc', method: 'inclusive' },
      ],
      cuecs: [{ id: 'C1', text: 'Review access.', owner: 'iam@bank.example', status: 'in-place' }],
    });
  });

  it('when no subservices file is given, then the portfolio has no subserviceOrganizations field', () => {
    expect('subserviceOrganizations' in parsePortfolioCsv(input(docs(), 'none'))).toBe(false);
  });

  it('reads an organisation over several rows, its name given once or repeated', () => {
    const p = parsePortfolioCsv(
      input(docs(), {
        name: 'subservices.csv',
        text:
          'id,name,kind,periodStart,periodEnd,opinion,coversFrom,coversTo\n' +
          'nimbus-cloud,,soc2-type2,2025-01-01,2025-12-31,unqualified,,\n' +
          'nimbus-cloud,Nimbus Cloud,bridge-letter,,,,2026-01-01,2026-06-30\n' +
          'nimbus-cloud,Nimbus Cloud,,,,,,\n',
      }),
    );
    expect(p.subserviceOrganizations?.map((o) => [o.id, o.name, o.documents.map((d) => d.kind)])).toEqual([
      ['nimbus-cloud', 'Nimbus Cloud', ['soc2-type2', 'bridge-letter']],
    ]);
  });

  it('reads examples/fourth-parties/*.csv as exactly examples/portfolio-fourth-parties.json', () => {
    const read = (path: string) =>
      readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8');
    const csv = parsePortfolioCsv({
      vendors: { name: 'vendors.csv', text: read('fourth-parties/vendors.csv') },
      documents: { name: 'documents.csv', text: read('fourth-parties/documents.csv') },
      subservices: { name: 'subservices.csv', text: read('fourth-parties/subservices.csv') },
      complianceLeadEmail: 'tprm@bank.example',
    });
    expect(csv).toEqual(parsePortfolioJson(read('portfolio-fourth-parties.json')));
  });
});

describe('given bad section 9 cells in documents.csv, the problem names file, row, column and item', () => {
  it('an unknown subservice organisation, in subservices.csv or with no such file at all', () => {
    const row = 'acme,soc2-type2,2025-01-01,2025-12-31,unqualified,nimbus-clod: carve-out,';
    expect(problems(input(docs(row)))).toEqual([
      'documents.csv row 2 (subservices): item 1, id: nimbus-clod is not a subservice organisation of the portfolio (not in subservices.csv)',
    ]);
    expect(problems(input(docs(row), 'none'))).toEqual([
      'documents.csv row 2 (subservices): item 1, id: nimbus-clod is not a subservice organisation of the portfolio (no subservices file was given)',
    ]);
  });

  it('a bad or missing method, a duplicate in the cell', () => {
    expect(
      problems(
        input(
          docs(
            'acme,soc2-type2,2025-01-01,2025-12-31,unqualified,nimbus-cloud: carved; ironvault-dc; ironvault-dc: inclusive,',
          ),
        ),
      ),
    ).toEqual([
      'documents.csv row 2 (subservices): item 1, method: carved is not a subservice method (expected one of: carve-out, inclusive)',
      'documents.csv row 2 (subservices): item 2, method: is required',
      'documents.csv row 2 (subservices): item 3, id: duplicate subservice organisation ironvault-dc in this report (first at item 2)',
    ]);
  });

  it('a bad owner or status, a missing text, a duplicate id, too many parts', () => {
    expect(
      problems(
        input(
          docs(
            'beta,soc2-type2,2025-01-01,2025-12-31,unqualified,,C1: a | iam-at-bank | done; C2; C1: again; C4: a | b | c | d',
          ),
        ),
      ),
    ).toEqual([
      'documents.csv row 2 (cuecs): item 1, owner: iam-at-bank is not an e-mail address',
      'documents.csv row 2 (cuecs): item 1, status: done is not a CUEC status (expected one of: in-place, not-in-place, not-applicable)',
      'documents.csv row 2 (cuecs): item 2, text: is required',
      'documents.csv row 2 (cuecs): item 3, id: duplicate CUEC id C1 in this report (first at item 1)',
      'documents.csv row 2 (cuecs): item 4: has 4 |-separated parts (expected ID: text | owner | status; write \\| for a | inside the text)',
    ]);
  });

  it('CUECs or subservices on a SOC 1 report', () => {
    expect(problems(input(docs('acme,soc1-type2,2025-01-01,2025-12-31,unqualified,,C1: a')))).toEqual([
      'documents.csv row 2 (cuecs): is recorded on SOC 2 reports only (this is a soc1-type2 report)',
    ]);
  });

  it('a vendorId that is a subservice organisation says where its documents go', () => {
    expect(problems(input(docs('nimbus-cloud,soc2-type2,2025-01-01,2025-12-31,unqualified,,')))).toEqual([
      'documents.csv row 2 (vendorId): no vendor nimbus-cloud in vendors.csv (it is a subservice organisation: its documents go in subservices.csv)',
    ]);
  });
});

describe('given a bad subservices.csv, the problem names its row and column', () => {
  const orgs = (text: string) => ({ name: 'subservices.csv', text });

  it('an unknown column, a missing id column', () => {
    expect(problems(input(docs(), orgs('id,name,tier\nx,X,high\n')))).toEqual([
      expect.stringMatching(
        /^subservices.csv row 1 \(tier\): unknown column \(expected some of: id, name, kind, /,
      ),
    ]);
    expect(problems(input(docs(), orgs('name\nX\n')))).toEqual([
      'subservices.csv row 1: the id column is required',
    ]);
  });

  it('a missing id or name, two names for one id, a bad id, a bad document, an id that is a vendor’s', () => {
    expect(
      problems(
        input(
          docs(),
          orgs(
            'id,name,kind,periodEnd,opinion\n' +
              ',Orphan,,,\n' +
              'nameless,,,,\n' +
              'nimbus-cloud,Nimbus Cloud,soc2-type1,2025-02-30,unqualified\n' +
              'nimbus-cloud,Nimbus,,,\n' +
              'Bad Id,Bad,,,\n' +
              'acme,Acme as a subservice,,,\n',
          ),
        ),
      ),
    ).toEqual([
      'subservices.csv row 2 (id): is required',
      'subservices.csv row 3 (name): is required',
      'subservices.csv row 4 (periodEnd): 2025-02-30 is not a date (expected a real calendar date YYYY-MM-DD)',
      'subservices.csv row 5 (name): Nimbus differs from the name on row 4 (Nimbus Cloud): rows with the same id are one organisation, with one name',
      'subservices.csv row 6 (id): Bad Id is not a subservice organisation id (1-64 of a-z, 0-9 and -, starting with a letter or digit)',
      'subservices.csv row 7 (id): acme is already the id of vendors.csv row 2 (a subservice organisation needs an id of its own)',
    ]);
  });
});
