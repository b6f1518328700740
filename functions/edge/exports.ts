// The pages' exports: `?format=csv|json` on a console page answers with the same data as a download instead of
// the page. Every CSV goes through core/csv.ts (cells that would start a formula are neutralised).
import { ValidationError } from '../core/errors.js';
import { writeCsv, type ExportTable } from '../core/csv.js';
import type { HttpEvent, HttpResult } from './http.js';

export type PageFormat = 'html' | 'csv' | 'json';

/** The `format` the request asks for (html when absent); anything else is refused, naming what is allowed. */
export function pageFormat(event: HttpEvent): PageFormat {
  const format = event.queryStringParameters?.format;
  if (format === undefined || format === '' || format === 'html') return 'html';
  if (format === 'csv' || format === 'json') return format;
  throw new ValidationError([{ path: 'format', message: `${format} is not csv or json` }]);
}

/** A query parameter that must be one of `allowed` (the first when absent). */
export function choice<T extends string>(event: HttpEvent, name: string, allowed: readonly T[]): T {
  const value = event.queryStringParameters?.[name];
  if (value === undefined || value === '') return allowed[0]!;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError([{ path: name, message: `${value} is not one of ${allowed.join(', ')}` }]);
}

/** A positive page number (1 when absent). */
export function pageNumber(event: HttpEvent, name = 'page'): number {
  const value = event.queryStringParameters?.[name];
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new ValidationError([{ path: name, message: `${value} is not a page number` }]);
  return n;
}

const DOWNLOAD_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** A file name safe in a Content-Disposition header: letters, digits, dot, dash and underscore only. */
function fileName(base: string, extension: string): string {
  return `${base.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100)}.${extension}`;
}

export function csvDownload(base: string, table: ExportTable): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(base, 'csv')}"`,
      ...DOWNLOAD_HEADERS,
    },
    body: writeCsv(table),
  };
}

export function jsonDownload(base: string, value: unknown): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(base, 'json')}"`,
      ...DOWNLOAD_HEADERS,
    },
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}
