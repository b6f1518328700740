import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, splitList } from '../../../functions/core/csv.js';
import { ValidationError } from '../../../functions/core/errors.js';
import { parseExceptions, parsePortfolioCsv } from '../../../functions/core/portfolio-csv.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const HEADER = 'id,name,tier,managerEmail,contactEmail';
const row = (id: string, tier = 'high') => `${id},Vendor ${id},${tier},m@bank.example,c@${id}.example`;

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const table = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,\n', 'f.csv');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.records.map((r) => r.cells)).toEqual([
      ['x, y', 'say "hi"\nthere'],
      ['last', ''],
    ]);
    expect(table.records[1]!.row).toBe(4);
  });

  it('names the file and row of a malformed record', () => {
    expect(problems(() => parseCsv('a,b\n1,2,3\n', 'f.csv'))).toEqual([
      'f.csv row 2: has 3 fields; the header has 2',
    ]);
    expect(problems(() => parseCsv('a\n"open\n', 'f.csv'))[0]).toMatch(
      /f.csv row 2: a quoted field is never closed/,
    );
    expect(problems(() => parseCsv('a\nx"y\n', 'f.csv'))[0]).toMatch(
      /row 2: a quote inside an unquoted field/,
    );
    expect(problems(() => parseCsv('', 'f.csv'))).toEqual(['f.csv: is empty (expected a header row)']);
  });

  it('splits list cells on ; and writes fields back', () => {
    expect(splitList(' us ; eu;; ')).toEqual(['us', 'eu']);
    expect(splitList('a\\;b;c')).toEqual(['a;b', 'c']);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it('reads exceptions as CONTROL: response', () => {
    expect(parseExceptions('CC6.1: Fixed in Q3.; CC7.2:; A1.2')).toEqual([
      { control: 'CC6.1', managementResponse: 'Fixed in Q3.' },
      { control: 'CC7.2' },
      { control: 'A1.2' },
    ]);
  });
});

describe('parsePortfolioCsv', () => {
  it('assembles vendors and their documents, lists and the portfolio lead', () => {
    const portfolio = parsePortfolioCsv({
      vendors: {
        name: 'vendors.csv',
        text: `${HEADER},dataRegions\n${row('acme')},us;eu\n${row('beta')},\n`,
      },
      documents: {
        name: 'documents.csv',
        text:
          'vendorId,kind,periodStart,periodEnd,opinion,categories,exceptions,coversFrom,coversTo\n' +
          'acme,soc2-type2,2025-01-01,2025-12-31,unqualified,security;availability,CC6.1: done,,\n' +
          'acme,bridge-letter,,,,,,2026-01-01,2026-03-31\n',
      },
      complianceLeadEmail: 'lead@bank.example',
    });
    expect(portfolio.complianceLeadEmail).toBe('lead@bank.example');
    expect(portfolio.vendors.map((v) => [v.id, v.documents.length, v.dataRegions])).toEqual([
      ['acme', 2, ['us', 'eu']],
      ['beta', 0, undefined],
    ]);
    expect(portfolio.vendors[0]!.documents[0]).toMatchObject({
      categories: ['security', 'availability'],
      exceptions: [{ control: 'CC6.1', managementResponse: 'done' }],
    });
  });

  it("names file, row and column with assess's messages", () => {
    const found = problems(() =>
      parsePortfolioCsv({
        vendors: {
          name: 'vendors.csv',
          text: `${HEADER},shoeSize\n${row('acme')},1\n${row('beta', 'huge')},\n${row('acme')},\n`,
        },
        documents: {
          name: 'documents.csv',
          text: 'vendorId,kind,periodEnd,opinion\nbeta,soc2-type2,2025-02-30,unqualified\nghost,soc2-type1,2025-01-01,unqualified\n',
        },
        complianceLeadEmail: 'lead@bank.example',
      }),
    );
    expect(found[0]).toMatch(/^vendors.csv row 1 \(shoeSize\): unknown column/);
    expect(found).toHaveLength(1); // header problems stop before the rows are read
    const rows = problems(() =>
      parsePortfolioCsv({
        vendors: {
          name: 'vendors.csv',
          text: `${HEADER}\n${row('acme')}\n${row('beta', 'huge')}\n${row('acme')}\n`,
        },
        documents: {
          name: 'documents.csv',
          text: 'vendorId,kind,periodEnd,opinion\nbeta,soc2-type1,2025-02-30,unqualified\nghost,soc2-type1,2025-01-01,unqualified\n',
        },
        complianceLeadEmail: 'lead@bank.example',
      }),
    );
    expect(rows).toContainEqual(expect.stringMatching(/^vendors.csv row 3 \(tier\): .*huge/));
    expect(rows).toContainEqual(
      'vendors.csv row 4 (id): duplicate vendor id acme (first at vendors.csv row 2)',
    );
    expect(rows).toContainEqual(
      expect.stringMatching(/^documents.csv row 2 \(periodEnd\): 2025-02-30 is not a date/),
    );
    expect(rows).toContainEqual('documents.csv row 3 (vendorId): no vendor ghost in vendors.csv');
  });

  it('asks for a compliance lead when neither the row nor --compliance-lead gives one', () => {
    const found = problems(() =>
      parsePortfolioCsv({ vendors: { name: 'v.csv', text: `${HEADER}\n${row('acme')}\n` } }),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^v.csv row 2 \(complianceLeadEmail\): is required when --compliance-lead is not given/,
      ),
    ]);
  });
});
