// The vendor's entries beside what intake assist read from its own document: one row per field, each flagged
// where the two disagree, and the document as the manager accepts it when they take the report's value for some
// of them. Pure. Nothing here decides anything: a disagreement is shown, and the manager chooses.
import { ValidationError, type Problem } from '../errors.js';
import { isSocReport, type ReportException, type VendorDocument } from '../portfolio.js';
import type { Cited, ExtractedFields } from './fields.js';
import type { StoredExtraction } from './stored.js';

/** The fields compared, in the order the review shows them. */
export const COMPARED_FIELDS = [
  'kind',
  'periodStart',
  'periodEnd',
  'coversFrom',
  'coversTo',
  'issued',
  'opinion',
  'auditor',
  'categories',
  'exceptions',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

const LABELS: Record<ComparedField, string> = {
  kind: 'Kind',
  periodStart: 'Period start',
  periodEnd: 'Period end (as of, for a Type I)',
  coversFrom: 'Covers from',
  coversTo: 'Covers through',
  issued: 'Report date',
  opinion: 'Opinion',
  auditor: 'Auditor',
  categories: 'Trust Services Categories',
  exceptions: 'Exceptions',
};

export type Agreement = 'agrees' | 'differs' | 'not-in-report' | 'not-entered';

export interface FieldComparison {
  field: ComparedField;
  label: string;
  /** The vendor's entry as shown (null: not entered). */
  entry: string | null;
  /** The report's value as shown (null: the rules did not find it), and the page it was read from. */
  report: string | null;
  page: number | null;
  /** For a list: the page of each item. */
  pages?: number[];
  agreement: Agreement;
  /** The report's value can replace the entry (a different kind cannot: that is another document). */
  takeable: boolean;
}

/** Fields a document of this kind has (a bridge letter its cover; a Type I no start and no tests). */
function fieldsFor(document: VendorDocument): ComparedField[] {
  if (!isSocReport(document)) return ['kind', 'coversFrom', 'coversTo', 'issued'];
  const typeOne = document.kind.endsWith('type1');
  return COMPARED_FIELDS.filter(
    (f) =>
      f !== 'coversFrom' &&
      f !== 'coversTo' &&
      !(typeOne && (f === 'periodStart' || f === 'exceptions')) &&
      !(document.kind.startsWith('soc1') && f === 'categories'),
  );
}

/** An auditor's name compared as a reader would: case, punctuation, "&" and spacing do not matter. */
export function sameFirm(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return norm(a) === norm(b);
}

function exceptionsText(list: readonly ReportException[]): string {
  if (list.length === 0) return 'none';
  const controls = list.map((e) => e.control ?? '?').join(', ');
  return `${list.length} (${controls})`;
}

function sameExceptions(a: readonly ReportException[], b: readonly ReportException[]): boolean {
  if (a.length !== b.length) return false;
  const controls = (l: readonly ReportException[]) =>
    l
      .map((e) => (e.control ?? '').toUpperCase())
      .sort()
      .join('|');
  return controls(a) === controls(b);
}

function entryOf(document: VendorDocument, field: ComparedField): unknown {
  const d = document as unknown as Record<string, unknown>;
  if (field === 'categories' && isSocReport(document)) return document.categories ?? ['security'];
  if (field === 'exceptions' && isSocReport(document)) return document.exceptions ?? [];
  return d[field];
}

function shown(field: ComparedField, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (field === 'categories') return [...(value as string[])].sort().join(', ');
  if (field === 'exceptions') return exceptionsText(value as ReportException[]);
  return String(value);
}

function agree(field: ComparedField, entry: unknown, report: unknown): boolean {
  if (field === 'auditor') return sameFirm(String(entry), String(report));
  if (field === 'categories')
    return shown(field, entry) === shown(field, report) && (entry as string[]).length > 0;
  if (field === 'exceptions') return sameExceptions(entry as ReportException[], report as ReportException[]);
  return entry === report;
}

/** The rows of the comparison; empty when there is nothing to compare (no extraction, or no text layer). */
export function compareWithReport(
  document: VendorDocument,
  extraction: StoredExtraction | undefined,
): FieldComparison[] {
  if (!extraction || !('textLayer' in extraction) || !extraction.textLayer) return [];
  const fields = extraction.fields as Record<string, Cited<unknown> & { pages?: number[] }>;
  return fieldsFor(document).map((field) => {
    const entry = entryOf(document, field);
    const cited = fields[field];
    const report = cited?.value;
    const agreement: Agreement =
      cited === undefined
        ? 'not-in-report'
        : entry === undefined
          ? 'not-entered'
          : agree(field, entry, report)
            ? 'agrees'
            : 'differs';
    return {
      field,
      label: LABELS[field],
      entry: shown(field, entry),
      report: shown(field, report),
      page: cited?.page ?? null,
      ...(cited?.pages ? { pages: [...cited.pages] } : {}),
      agreement,
      takeable: field !== 'kind' && (agreement === 'differs' || agreement === 'not-entered'),
    };
  });
}

/** Where the manager takes which value: `report` for the report's, `entry` for the vendor's. */
export type Takes = Partial<Record<ComparedField, 'entry' | 'report'>>;

/** The comparison rows on which the manager must choose before accepting (a disagreement). */
export function choicesNeeded(rows: readonly FieldComparison[]): ComparedField[] {
  return rows.filter((r) => r.agreement === 'differs' && r.takeable).map((r) => r.field);
}

/**
 * The document with the report's value where the manager took it. Throws ValidationError naming a choice that
 * is not one of the comparison's (an unknown field, a field with nothing to take). The result is validated by
 * the caller with the portfolio's own rules (a taken start after the end is refused there, by name).
 */
export function applyTakes(
  document: VendorDocument,
  extraction: StoredExtraction | undefined,
  takes: Takes,
): VendorDocument {
  const rows = compareWithReport(document, extraction);
  const problems: Problem[] = [];
  const out = structuredClone(document) as unknown as Record<string, unknown>;
  const fields =
    extraction && 'textLayer' in extraction && extraction.textLayer
      ? (extraction.fields as ExtractedFields as Record<string, Cited<unknown>>)
      : {};
  for (const [field, choice] of Object.entries(takes)) {
    const row = rows.find((r) => r.field === field);
    if (choice !== 'report') continue;
    if (!row?.takeable) {
      problems.push({ path: `take.${field}`, message: 'the report gives no value to take for this field' });
      continue;
    }
    out[field] = structuredClone(fields[field]!.value);
  }
  if (problems.length) throw new ValidationError(problems);
  return out as unknown as VendorDocument;
}
