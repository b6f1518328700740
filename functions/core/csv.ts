// A small RFC 4180 reader for the spreadsheets vendor managers keep: comma-separated, fields optionally in double
// quotes ("" inside quotes is one quote, quoted fields may span lines), CRLF or LF, a UTF-8 BOM tolerated.
import { ValidationError, type Problem } from './errors.js';

export interface CsvRecord {
  /** The spreadsheet row number: the header is row 1. */
  row: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

/** Parses CSV text; throws ValidationError naming the file, row and what is wrong. */
export function parseCsv(text: string, fileName: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRecord[] = [];
  const problems: Problem[] = [];
  let cells: string[] = [];
  let cell = '';
  let row = 1;
  let rowStart = 1;
  let i = 0;
  let quotedCell = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    quotedCell = false;
  };
  const endRow = () => {
    endCell();
    // A blank line (one empty cell) is not a record.
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ row: rowStart, cells });
    cells = [];
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '"' && cell === '' && !quotedCell) {
      // A quoted field: up to the closing quote that is not doubled.
      quotedCell = true;
      i++;
      let closed = false;
      while (i < body.length) {
        const q = body[i];
        if (q === '"') {
          if (body[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        cell += q;
        i++;
      }
      if (!closed) {
        problems.push({ path: `${fileName} row ${rowStart}`, message: 'a quoted field is never closed' });
        break;
      }
      const next = body[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        problems.push({
          path: `${fileName} row ${rowStart}`,
          message: 'text after a closing quote (write "" for a quote inside a quoted field)',
        });
        while (i < body.length && body[i] !== ',' && body[i] !== '\n') i++;
      }
      continue;
    }
    if (c === ',') {
      endCell();
      i++;
    } else if (c === '\r' && body[i + 1] === '\n') {
      i++;
    } else if (c === '\n') {
      endRow();
      row++;
      rowStart = row;
      i++;
    } else {
      if (c === '"' && !quotedCell)
        problems.push({
          path: `${fileName} row ${rowStart}`,
          message: 'a quote inside an unquoted field (quote the whole field and double the quote)',
        });
      cell += c;
      i++;
    }
  }
  if (cell !== '' || cells.length > 0 || quotedCell) endRow();
  if (problems.length > 0) throw new ValidationError(dedupe(problems));
  const [first, ...records] = rows;
  if (!first) throw new ValidationError([{ path: fileName, message: 'is empty (expected a header row)' }]);
  const header = first.cells.map((h) => h.trim());
  for (const record of records)
    if (record.cells.length !== header.length)
      problems.push({
        path: `${fileName} row ${record.row}`,
        message: `has ${record.cells.length} fields; the header has ${header.length}`,
      });
  if (problems.length > 0) throw new ValidationError(problems);
  return { header, records };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Splits a list cell on `;` (a `\;` is a literal semicolon), trimming items and dropping empty ones. */
export function splitList(cell: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '\\' && cell[i + 1] === ';') {
      current += ';';
      i++;
    } else if (c === ';') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// Writing. Every export goes through here, so that no cell can become a spreadsheet formula.

/**
 * Characters that make Excel, LibreOffice Calc and Google Sheets read a cell as a formula when they lead it
 * (`=HYPERLINK(...)`, `=cmd|' /c calc'!A1`, `@SUM(...)`): equals, plus, minus, at, tab and carriage return as the
 * OWASP "CSV Injection" page lists them (https://owasp.org/www-community/attacks/CSV_Injection), with line feed
 * and NUL as the OWASP ASVS (V1.2.10) adds. Vendor names, notes and reasons are typed by people outside the
 * compliance team: a compliance lead must be able to open any export safely.
 */
const FORMULA_LEAD = /^[=+\-@\t\r\n\0]/;

/**
 * A text cell as spreadsheets will read it: one leading formula character neutralised with a single quote (the
 * OWASP remedy: the spreadsheet shows the text, not a formula's result), then quoted when it holds a comma, a
 * quote, a line break or edge spaces (RFC 4180: quotes doubled). A semicolon or a tab is quoted too: a spreadsheet
 * whose locale separates lists with semicolons (most of Europe) opens the file splitting on them, and an unquoted
 * `Acme;=HYPERLINK(...)` would be two cells, the second a formula.
 */
export function csvField(value: string): string {
  const text = FORMULA_LEAD.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell of an export: text is neutralised (csvField); numbers and booleans the code computed are written as is. */
export type CsvCell = string | number | boolean | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return csvField(value);
}

/** A table for export: the same columns serve the CSV header and the JSON records' keys. */
export interface ExportTable {
  columns: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

/** RFC 4180 text: a header row, CRLF line ends, every cell through csvCell. */
export function writeCsv(table: ExportTable): string {
  const line = (cells: readonly CsvCell[]) => `${cells.map(csvCell).join(',')}\r\n`;
  let out = line(table.columns);
  for (const row of table.rows) out += line(row);
  return out;
}

/** The same table as JSON records (one object per row, keyed by column; empty cells are null). */
export function tableRecords(table: ExportTable): Record<string, string | number | boolean | null>[] {
  return table.rows.map((row) => {
    const record: Record<string, string | number | boolean | null> = {};
    table.columns.forEach((column, i) => (record[column] = row[i] ?? null));
    return record;
  });
}
