// The little condition language the stores share: what a store checks on an item's flat fields after its key
// range (DynamoDB's FilterExpression, the in-memory store's own loop), so that both answer a page the same way.

export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Where<F extends string = string> =
  | { all: Where<F>[] }
  | { any: Where<F>[] }
  | { field: F; op: Comparison; value: string }
  | { field: F; op: 'exists' | 'missing' }
  | { field: F; op: 'contains'; value: string };

/** Whether an item's flat fields (absent: null) meet the condition. */
export function matchesWhere(
  fields: Readonly<Record<string, string | null | undefined>>,
  where: Where,
): boolean {
  if ('all' in where) return where.all.every((w) => matchesWhere(fields, w));
  if ('any' in where) return where.any.some((w) => matchesWhere(fields, w));
  const value = fields[where.field] ?? null;
  switch (where.op) {
    case 'exists':
      return value !== null;
    case 'missing':
      return value === null;
    case 'contains':
      return value !== null && value.includes(where.value);
    case '=':
      return value === where.value;
    case '<>':
      // As DynamoDB's `<>`: an absent attribute is not equal to anything.
      return value === null || value !== where.value;
    case '<':
      return value !== null && value < where.value;
    case '<=':
      return value !== null && value <= where.value;
    case '>':
      return value !== null && value > where.value;
    case '>=':
      return value !== null && value >= where.value;
  }
}

/** All of the conditions (none: undefined). */
export function allOf<F extends string>(conditions: Where<F>[]): Where<F> | undefined {
  return conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { all: conditions };
}

/** The page sizes a portfolio or register page may be asked for (default 50). */
export const PAGE_SIZE = { default: 50, min: 5, max: 100 } as const;

/** A page size from a query parameter (a problem is added when it is out of bounds). */
export function pageSizeOf(value: string | undefined, problems: { path: string; message: string }[]): number {
  if (value === undefined || value === '') return PAGE_SIZE.default;
  const n = Number(value);
  if (!Number.isInteger(n) || n < PAGE_SIZE.min || n > PAGE_SIZE.max) {
    problems.push({ path: 'size', message: `a page holds ${PAGE_SIZE.min} to ${PAGE_SIZE.max} rows` });
    return PAGE_SIZE.default;
  }
  return n;
}
