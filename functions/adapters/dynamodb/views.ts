// The portfolio's and the register's stored views on DynamoDB: which items carry which `viewPk`/`viewSk` (one
// overloaded index, `views`), the flat attributes a FilterExpression checks, and the page cursor (the query's
// LastEvaluatedKey, checked when it comes back). docs/data-model.md lists the items and the access patterns.
import { ValidationError } from '../../core/errors.js';
import type { RegisterField } from '../../core/findings.js';
import type { Where } from '../../core/query.js';
import {
  nameOrderKey,
  urgencyKey,
  type SummaryField,
  type SummaryView,
  type VendorSummary,
} from '../../core/summary.js';

/**
 * The views a vendor's summary is in besides the main one (which rides on its STATE item): each an item of its
 * own, written when the summary changes.
 */
export function summaryViews(
  summary: VendorSummary,
): { view: Exclude<SummaryView, 'all'>; viewPk: string; viewSk: string }[] {
  return [
    { view: 'name', viewPk: viewPartition('name'), viewSk: nameOrderKey(summary) },
    {
      view: 'manager',
      viewPk: viewPartition('manager', summary.managerEmail.toLowerCase()),
      viewSk: urgencyKey(summary),
    },
  ];
}

export function viewPartition(view: SummaryView, value?: string): string {
  switch (view) {
    case 'all':
      return 'PORTFOLIO';
    case 'name':
      return 'PORTFOLIO#NAME';
    case 'manager':
      return `PORTFOLIO#MANAGER#${value ?? ''}`;
  }
}

/** The active findings (not closed), by due date. */
export const REGISTER_PARTITION = 'REGISTER';

/** The item attribute behind each flat field a condition names. */
export const SUMMARY_ATTRIBUTES: Record<SummaryField, string> = {
  lapseDate: 'sLapse',
  coverageEnd: 'sEnd',
  tier: 'sTier',
  manager: 'sManager',
  lead: 'sLead',
  codes: 'sCodes',
  open: 'sOpen',
};

export const REGISTER_ATTRIBUTES: Record<RegisterField, string> = {
  status: 'rStatus',
  severity: 'rSeverity',
  owner: 'rOwner',
  dueDate: 'rDue',
};

/** Flat fields as item attributes (absent values are left out, so `attribute_not_exists` means null). */
export function flatAttributes<F extends string>(
  fields: Record<F, string | null>,
  names: Record<F, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields) as [F, string | null][])
    if (value !== null) out[names[field]] = value;
  return out;
}

/** A condition as a FilterExpression with its placeholders. */
export function filterExpression<F extends string>(
  where: Where<F> | undefined,
  names: Record<F, string>,
): { FilterExpression?: string; names: Record<string, string>; values: Record<string, string> } {
  if (!where) return { names: {}, values: {} };
  const attributeNames: Record<string, string> = {};
  const values: Record<string, string> = {};
  let n = 0;
  const build = (w: Where<F>): string => {
    if ('all' in w) return `(${w.all.map(build).join(' AND ')})`;
    if ('any' in w) return `(${w.any.map(build).join(' OR ')})`;
    const name = `#f${n}`;
    attributeNames[name] = names[w.field];
    const value = `:f${n++}`;
    switch (w.op) {
      case 'exists':
        return `attribute_exists(${name})`;
      case 'missing':
        return `attribute_not_exists(${name})`;
      case 'contains':
        values[value] = w.value;
        return `contains(${name}, ${value})`;
      default:
        values[value] = w.value;
        return `${name} ${w.op} ${value}`;
    }
  };
  return { FilterExpression: build(where), names: attributeNames, values };
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** The key a query's page link must hold to be handed to DynamoDB as its ExclusiveStartKey. */
export interface CursorShape {
  /** The partition being queried. */
  partition: { attribute: string; value: string };
  /** Every key attribute of the item: the table's (pk, sk), and the index's when the query reads one. */
  keys: readonly string[];
  /** The query's sort key condition: the start key must meet it. */
  sortKey?: { attribute: string; prefix?: string; from?: string; to?: string };
}

/**
 * A cursor from a page link: exactly the key attributes of the query's items, strings, in the partition being
 * queried and within its sort key condition. DynamoDB answers any other ExclusiveStartKey with a
 * ValidationException ("The provided starting key is invalid", "... does not match the range key predicate";
 * docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html, ExclusiveStartKey), which would be a 500:
 * a link edited by hand, or one of another view, is refused here as the person's error instead.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: CursorShape,
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const invalid = () =>
    new ValidationError([
      { path: 'cursor', message: 'this page link is not valid: start again from the first page' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (
    entries.length !== shape.keys.length ||
    entries.some(([k, v]) => !shape.keys.includes(k) || typeof v !== 'string' || v.length > 1100)
  )
    throw invalid();
  const key = parsed as Record<string, string>;
  if (key[shape.partition.attribute] !== shape.partition.value) throw invalid();
  const sort = shape.sortKey;
  const at = sort && key[sort.attribute];
  if (
    sort &&
    at !== undefined &&
    ((sort.prefix !== undefined && !at.startsWith(sort.prefix)) ||
      (sort.from !== undefined && at < sort.from) ||
      (sort.to !== undefined && at > sort.to))
  )
    throw invalid();
  return key;
}
