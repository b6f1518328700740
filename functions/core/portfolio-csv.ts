// The portfolio as spreadsheets: vendors.csv (one row per vendor), documents.csv (one row per document, linked by
// vendorId) and, for spec section 9, subservices.csv (one row per document of a subservice organisation, with the
// organisation's id and name on each row). Lists in a cell are separated by `;`. The rows are assembled into the
// portfolio JSON shape and validated by parsePortfolio, so the messages are assess's; each problem's JSON path is
// then mapped back onto the file, row and column it came from (`vendors.csv row 7 (tier): ...`).
import { parseCsv, splitList, type CsvTable } from './csv.js';
import { ValidationError, type Problem } from './errors.js';
import {
  BRIDGE_LETTER_FIELD_NAMES,
  parsePortfolio,
  SOC_REPORT_FIELD_NAMES,
  VENDOR_FIELD_NAMES,
  type Portfolio,
} from './portfolio.js';

/** vendors.csv: a vendor's fields (its documents are the other file's rows). */
export const VENDOR_COLUMNS: readonly string[] = VENDOR_FIELD_NAMES.filter((f) => f !== 'documents');

/** documents.csv: the vendor's id, then every field of a SOC report or a bridge letter. */
export const DOCUMENT_COLUMNS: readonly string[] = [
  'vendorId',
  ...new Set<string>([...SOC_REPORT_FIELD_NAMES, ...BRIDGE_LETTER_FIELD_NAMES]),
];

/** subservices.csv: the organisation on every row, then the columns of documents.csv (but vendorId). */
export const SUBSERVICE_COLUMNS: readonly string[] = [
  'id',
  'name',
  ...DOCUMENT_COLUMNS.filter((c) => c !== 'vendorId'),
];

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
  /** The subservice organisations and their documents (spec section 9). Absent: the portfolio has none. */
  subservices?: CsvFile;
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

/**
 * `nimbus-cloud: carve-out; ironvault-dc: inclusive` -> [{id, method}]: the subservice organisation's id, a colon,
 * and how the report treats it. An item without a colon is an id without a method (refused by the validator).
 */
export function parseSubservices(cell: string): { id?: string; method?: string }[] {
  return splitList(cell).map((item) => {
    const colon = item.indexOf(':');
    const id = (colon < 0 ? item : item.slice(0, colon)).trim();
    const method = colon < 0 ? '' : item.slice(colon + 1).trim();
    return { ...(id ? { id } : {}), ...(method ? { method } : {}) };
  });
}

/** Splits on `|` that is not written `\|` (which stands for a `|` inside the text). */
function splitPipes(item: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < item.length; i++) {
    const c = item[i];
    if (c === '\\' && item[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '|') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

export interface ParsedCuecs {
  cuecs: { id?: string; text?: string; owner?: string; status?: string }[];
  /** Items that do not read as `ID: text | owner | status`, as messages. */
  problems: string[];
}

/**
 * `CUEC-1: Review access quarterly. | iam@bank.example | in-place; CUEC-2: Encrypt uploads.` -> the CUECs: the
 * id, a colon, the text, then optionally `| owner` and `| status` (an empty part is absent: `CUEC-3: text | |
 * not-applicable`). Write `\;` for a semicolon and `\|` for a bar inside the text.
 */
export function parseCuecs(cell: string): ParsedCuecs {
  const problems: string[] = [];
  const cuecs = splitList(cell).map((item, i) => {
    const colon = item.indexOf(':');
    const id = (colon < 0 ? item : item.slice(0, colon)).trim();
    const parts = colon < 0 ? [] : splitPipes(item.slice(colon + 1));
    if (parts.length > 3) {
      problems.push(
        `item ${i + 1}: has ${parts.length} |-separated parts (expected ID: text | owner | status; write \\| for a | inside the text)`,
      );
      // Reported once, here: the item is kept whole as its text so that its parts are not judged as well.
      return { ...(id ? { id } : {}), text: item.slice(colon + 1).trim() };
    }
    const [text = '', owner = '', status = ''] = parts;
    return {
      ...(id ? { id } : {}),
      ...(text ? { text } : {}),
      ...(owner ? { owner } : {}),
      ...(status ? { status } : {}),
    };
  });
  return { cuecs, problems };
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

function rowObject(
  header: string[],
  cells: string[],
  lists: Set<string>,
  onProblem: (column: string, message: string) => void = () => {},
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const raw = (cells[i] ?? '').trim();
    if (raw === '') return; // an empty cell is an absent field
    if (lists.has(column)) object[column] = splitList(raw);
    else if (column === 'exceptions') object[column] = parseExceptions(raw);
    else if (column === 'subservices') object[column] = parseSubservices(raw);
    else if (column === 'cuecs') {
      const parsed = parseCuecs(raw);
      object[column] = parsed.cuecs;
      for (const message of parsed.problems) onProblem(column, message);
    } else object[column] = raw;
  });
  return object;
}

/**
 * Validates the files together (vendors, documents, subservice organisations); returns the portfolio or throws
 * every problem, located in the files.
 */
export function parsePortfolioCsv(input: CsvPortfolioInput): Portfolio {
  const problems: Problem[] = [];
  const tables: { vendors?: CsvTable; documents?: CsvTable; subservices?: CsvTable } = {};
  for (const key of ['vendors', 'documents', 'subservices'] as const) {
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
  const subservicesFile = input.subservices?.name ?? 'subservices.csv';
  if (tables.vendors) problems.push(...headerProblems(tables.vendors, vendorsFile, VENDOR_COLUMNS, ['id']));
  if (tables.documents)
    problems.push(...headerProblems(tables.documents, documentsFile, DOCUMENT_COLUMNS, ['vendorId', 'kind']));
  if (tables.subservices)
    problems.push(...headerProblems(tables.subservices, subservicesFile, SUBSERVICE_COLUMNS, ['id']));
  if (problems.length > 0 || !tables.vendors) throw new ValidationError(problems);

  // Build the JSON shape, remembering where each vendor, organisation and document came from.
  const cellProblem = (file: string, row: number) => (column: string, message: string) =>
    problems.push({ path: `${file} row ${row} (${column})`, message });
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
  const subserviceIds = new Set<string>();
  if (tables.subservices) {
    const idColumn = tables.subservices.header.indexOf('id');
    for (const record of tables.subservices.records) subserviceIds.add((record.cells[idColumn] ?? '').trim());
  }
  if (tables.documents) {
    const vendorIdColumn = tables.documents.header.indexOf('vendorId');
    for (const record of tables.documents.records) {
      const vendorId = (record.cells[vendorIdColumn] ?? '').trim();
      const index = indexById.get(vendorId);
      if (index === undefined) {
        problems.push({
          path: `${documentsFile} row ${record.row} (vendorId)`,
          message: !vendorId
            ? 'is required'
            : subserviceIds.has(vendorId)
              ? `no vendor ${vendorId} in ${vendorsFile} (it is a subservice organisation: its documents go in ${subservicesFile})`
              : `no vendor ${vendorId} in ${vendorsFile}`,
        });
        continue;
      }
      const { vendorId: _vendorId, ...document } = rowObject(
        tables.documents.header,
        record.cells,
        DOCUMENT_LISTS,
        cellProblem(documentsFile, record.row),
      );
      const vendor = vendors[index] as { documents?: unknown[] };
      (vendor.documents ??= []).push(document);
      documentRows[index]?.push(record.row);
    }
  }

  // subservices.csv: rows with the same id are one organisation (in the order first seen); a row whose document
  // columns are all empty names an organisation without documents.
  const organizationRows: number[] = [];
  const organizationDocumentRows: number[][] = [];
  const organizations: { id: string; name?: string; documents: unknown[] }[] = [];
  if (tables.subservices) {
    const nameRowByIndex: number[] = [];
    const indexByOrganization = new Map<string, number>();
    for (const record of tables.subservices.records) {
      const { id, name, ...document } = rowObject(
        tables.subservices.header,
        record.cells,
        DOCUMENT_LISTS,
        cellProblem(subservicesFile, record.row),
      );
      if (typeof id !== 'string') {
        problems.push({ path: `${subservicesFile} row ${record.row} (id)`, message: 'is required' });
        continue;
      }
      let index = indexByOrganization.get(id);
      if (index === undefined) {
        index = organizations.length;
        indexByOrganization.set(id, index);
        organizations.push({ id, documents: [] });
        organizationRows.push(record.row);
        organizationDocumentRows.push([]);
      }
      const organization = organizations[index] as (typeof organizations)[number];
      if (typeof name === 'string') {
        if (organization.name === undefined) {
          organization.name = name;
          nameRowByIndex[index] = record.row;
        } else if (organization.name !== name)
          problems.push({
            path: `${subservicesFile} row ${record.row} (name)`,
            message: `${name} differs from the name on row ${nameRowByIndex[index]} (${organization.name}): rows with the same id are one organisation, with one name`,
          });
      }
      if (Object.keys(document).length > 0) {
        organization.documents.push(document);
        organizationDocumentRows[index]?.push(record.row);
      }
    }
  }
  const raw: Record<string, unknown> = { vendors };
  if (input.complianceLeadEmail !== undefined) raw.complianceLeadEmail = input.complianceLeadEmail;
  if (tables.subservices) raw.subserviceOrganizations = organizations;

  const locate = (path: string): string => {
    const m = /^(vendors|subserviceOrganizations)\[(\d+)\](?:\.documents\[(\d+)\])?(?:\.([A-Za-z]+))?/.exec(
      path,
    );
    if (!m) return path === 'complianceLeadEmail' ? '--compliance-lead' : path;
    const i = Number(m[2]);
    const column = m[4];
    const vendorSide = m[1] === 'vendors';
    if (m[3] !== undefined) {
      const row = (vendorSide ? documentRows : organizationDocumentRows)[i]?.[Number(m[3])];
      return `${vendorSide ? documentsFile : subservicesFile} row ${row ?? '?'}${column ? ` (${column})` : ''}`;
    }
    const row = (vendorSide ? vendorRows : organizationRows)[i];
    const file = vendorSide ? vendorsFile : subservicesFile;
    return `${file} row ${row ?? '?'}${column && column !== 'documents' ? ` (${column})` : ''}`;
  };
  // Inside a `subservices` or `cuecs` cell, a problem names the item (`item 2, owner: ...`).
  const ITEM =
    /^(?:vendors|subserviceOrganizations)\[\d+\]\.documents\[\d+\]\.(?:subservices|cuecs)\[(\d+)\](?:\.(\w+))?$/;
  try {
    const portfolio = parsePortfolio(raw);
    if (problems.length > 0) throw new ValidationError(problems);
    return portfolio;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const located = error.problems.map((p) => {
      const item = ITEM.exec(p.path);
      const message = p.message
        // Items named in messages ("first at ...cuecs[0]") are items of the same cell.
        .replace(
          /(?:vendors|subserviceOrganizations)\[\d+\]\.documents\[\d+\]\.(?:subservices|cuecs)\[(\d+)\]/g,
          (_m, k: string) => `item ${Number(k) + 1}`,
        )
        // Paths inside messages too ("first at vendors[0]") become rows.
        .replace(/(?:vendors|subserviceOrganizations)\[\d+\](?:\.documents\[\d+\])?/g, (m) => locate(m))
        // In CSV terms, the portfolio's lead is the --compliance-lead flag.
        .replace('when the portfolio has no complianceLeadEmail', 'when --compliance-lead is not given')
        .replace(
          '(not in subserviceOrganizations)',
          input.subservices ? `(not in ${subservicesFile})` : '(no subservices file was given)',
        );
      return {
        path: locate(p.path),
        message: item ? `item ${Number(item[1]) + 1}${item[2] ? `, ${item[2]}` : ''}: ${message}` : message,
      };
    });
    const all = error.problems === problems ? problems : [...located, ...problems];
    throw new ValidationError(sortByRow(all, [vendorsFile, documentsFile, subservicesFile]));
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
