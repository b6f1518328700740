// The portfolio as two spreadsheets: vendors.csv (one row per vendor) and documents.csv (one row per document,
// linked by vendorId). Lists in a cell are separated by `;`. The rows are assembled into the portfolio JSON shape
// and validated by parsePortfolio, so the messages are assess's; each problem's JSON path is then mapped back onto
// the file, row and column it came from (`vendors.csv row 7 (tier): ...`).
import { parseCsv, splitList, type CsvTable } from './csv.js';
import { ValidationError, type Problem } from './errors.js';
import { parsePortfolio, type Portfolio } from './portfolio.js';

export const VENDOR_COLUMNS = [
  'id',
  'name',
  'tier',
  'managerEmail',
  'contactEmail',
  'complianceLeadEmail',
  'dataRegions',
  'requiredCategories',
  'contractRenewal',
] as const;

export const DOCUMENT_COLUMNS = [
  'vendorId',
  'kind',
  'periodStart',
  'periodEnd',
  'issued',
  'opinion',
  'auditor',
  'categories',
  'regions',
  'exceptions',
  'coversFrom',
  'coversTo',
] as const;

const VENDOR_LISTS = new Set(['dataRegions', 'requiredCategories']);
const DOCUMENT_LISTS = new Set(['categories', 'regions']);

export interface CsvFile {
  /** How messages name the file (its base name). */
  name: string;
  text: string;
}

export interface CsvPortfolioInput {
  vendors: CsvFile;
  documents?: CsvFile;
  /** The portfolio-wide compliance lead (the CLI's --compliance-lead). */
  complianceLeadEmail?: string;
}

/**
 * `CC6.1: Access review automated in Q3.` -> {control, managementResponse}; the text before the first colon is
 * the control, the rest the management response (absent when blank). Items are `;`-separated.
 */
export function parseExceptions(cell: string): { control: string; managementResponse?: string }[] {
  return splitList(cell).map((item) => {
    const colon = item.indexOf(':');
    if (colon < 0) return { control: item };
    const control = item.slice(0, colon).trim();
    const response = item.slice(colon + 1).trim();
    return response ? { control, managementResponse: response } : { control };
  });
}

function headerProblems(
  table: CsvTable,
  file: string,
  known: readonly string[],
  required: string[],
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  table.header.forEach((column) => {
    if (!known.includes(column))
      problems.push({
        path: `${file} row 1 (${column})`,
        message: `unknown column (expected some of: ${known.join(', ')})`,
      });
    else if (seen.has(column))
      problems.push({ path: `${file} row 1 (${column})`, message: 'column appears twice' });
    seen.add(column);
  });
  for (const column of required)
    if (!seen.has(column))
      problems.push({ path: `${file} row 1`, message: `the ${column} column is required` });
  return problems;
}

function rowObject(header: string[], cells: string[], lists: Set<string>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const raw = (cells[i] ?? '').trim();
    if (raw === '') return; // an empty cell is an absent field
    if (lists.has(column)) object[column] = splitList(raw);
    else if (column === 'exceptions') object[column] = parseExceptions(raw);
    else object[column] = raw;
  });
  return object;
}

/** Validates the two files together; returns the portfolio or throws every problem, located in the files. */
export function parsePortfolioCsv(input: CsvPortfolioInput): Portfolio {
  const problems: Problem[] = [];
  const tables: { vendors?: CsvTable; documents?: CsvTable } = {};
  for (const key of ['vendors', 'documents'] as const) {
    const file = input[key];
    if (!file) continue;
    try {
      tables[key] = parseCsv(file.text, file.name);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  const vendorsFile = input.vendors.name;
  const documentsFile = input.documents?.name ?? 'documents.csv';
  if (tables.vendors) problems.push(...headerProblems(tables.vendors, vendorsFile, VENDOR_COLUMNS, ['id']));
  if (tables.documents)
    problems.push(...headerProblems(tables.documents, documentsFile, DOCUMENT_COLUMNS, ['vendorId', 'kind']));
  if (problems.length > 0 || !tables.vendors) throw new ValidationError(problems);

  // Build the JSON shape, remembering where each vendor and document came from.
  const vendorRows: number[] = [];
  const documentRows: number[][] = [];
  const vendors: Record<string, unknown>[] = [];
  const indexById = new Map<string, number>();
  for (const record of tables.vendors.records) {
    const vendor = rowObject(tables.vendors.header, record.cells, VENDOR_LISTS);
    if (typeof vendor.id === 'string' && !indexById.has(vendor.id)) indexById.set(vendor.id, vendors.length);
    vendorRows.push(record.row);
    documentRows.push([]);
    vendors.push(vendor);
  }
  if (tables.documents) {
    const vendorIdColumn = tables.documents.header.indexOf('vendorId');
    for (const record of tables.documents.records) {
      const vendorId = (record.cells[vendorIdColumn] ?? '').trim();
      const index = indexById.get(vendorId);
      if (index === undefined) {
        problems.push({
          path: `${documentsFile} row ${record.row} (vendorId)`,
          message: vendorId ? `no vendor ${vendorId} in ${vendorsFile}` : 'is required',
        });
        continue;
      }
      const { vendorId: _vendorId, ...document } = rowObject(
        tables.documents.header,
        record.cells,
        DOCUMENT_LISTS,
      );
      const vendor = vendors[index] as { documents?: unknown[] };
      (vendor.documents ??= []).push(document);
      documentRows[index]?.push(record.row);
    }
  }
  const raw: Record<string, unknown> = { vendors };
  if (input.complianceLeadEmail !== undefined) raw.complianceLeadEmail = input.complianceLeadEmail;

  const locate = (path: string): string => {
    const m = /^vendors\[(\d+)\](?:\.documents\[(\d+)\])?(?:\.([A-Za-z]+))?/.exec(path);
    if (!m) return path === 'complianceLeadEmail' ? '--compliance-lead' : path;
    const v = Number(m[1]);
    const column = m[3];
    if (m[2] !== undefined) {
      const row = documentRows[v]?.[Number(m[2])];
      return `${documentsFile} row ${row ?? '?'}${column ? ` (${column})` : ''}`;
    }
    return `${vendorsFile} row ${vendorRows[v] ?? '?'}${column && column !== 'documents' ? ` (${column})` : ''}`;
  };
  try {
    const portfolio = parsePortfolio(raw);
    if (problems.length > 0) throw new ValidationError(problems);
    return portfolio;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Paths inside messages too ("first at vendors[0]") become rows.
    const located = error.problems.map((p) => ({
      path: locate(p.path),
      message: p.message
        .replace(/vendors\[\d+\](?:\.documents\[\d+\])?/g, (m) => locate(m))
        // In CSV terms, the portfolio's lead is the --compliance-lead flag.
        .replace('when the portfolio has no complianceLeadEmail', 'when --compliance-lead is not given'),
    }));
    const all = error.problems === problems ? problems : [...located, ...problems];
    throw new ValidationError(sortByRow(all, [vendorsFile, documentsFile]));
  }
}

/** Problems in file order, then row order, so the analyst can work down the sheet. */
function sortByRow(problems: Problem[], files: string[]): Problem[] {
  const key = (p: Problem): [number, number] => {
    const m = /^(.*?) row (\d+)/.exec(p.path);
    return m ? [files.indexOf(m[1] ?? ''), Number(m[2])] : [-1, 0];
  };
  // Array.prototype.sort is stable: problems on one row keep assess's order.
  return [...problems].sort((a, b) => {
    const [fa, ra] = key(a);
    const [fb, rb] = key(b);
    return fa - fb || ra - rb;
  });
}
