// What the report commands (findings, forecast, calendar) share: the review date, the policy, the output format,
// and a plain text table for a person at a terminal.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type CommandIo } from './command.js';
import { writeCsv, tableRecords, type ExportTable } from '../functions/core/csv.js';
import { calendarDateOf, isCalendarDate, isTimeZone, type CalendarDate } from '../functions/core/dates.js';
import { ValidationError } from '../functions/core/errors.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../functions/core/policy.js';
import { isInRangeDate } from '../functions/core/portfolio.js';
import { systemClock } from '../functions/ports/clock.js';

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function formatOption(values: Record<string, unknown>): ReportFormat {
  const format = (values.format as string | undefined) ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format ${format} is not a format (expected table, json or csv)`);
  return format as ReportFormat;
}

/** The institution's time zone (INSTITUTION_TIME_ZONE, else UTC). */
export function timeZoneOf(env: NodeJS.ProcessEnv): string {
  const zone = env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(zone)) throw new UsageError(`INSTITUTION_TIME_ZONE ${zone} is not a time zone`);
  return zone;
}

/** `--as-of`, else today on the institution's calendar. */
export function asOfOption(values: Record<string, unknown>, env: NodeJS.ProcessEnv): CalendarDate {
  const flag = values['as-of'] as string | undefined;
  if (flag === undefined) return calendarDateOf(systemClock.now(), timeZoneOf(env));
  if (!isCalendarDate(flag))
    throw new UsageError(`--as-of ${flag} is not a date (expected a real calendar date YYYY-MM-DD)`);
  if (!isInRangeDate(flag))
    throw new UsageError(`--as-of ${flag} is out of range (expected a year from 1900 to 2999)`);
  return flag;
}

export async function readInput(cwd: string, file: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UsageError(`cannot read the ${what} ${file}: ${reason ?? (error as Error).message}`);
  }
}

/** `--policy FILE`, else the deployment's POLICY_JSON, else the spec's defaults. */
export async function policyOption(
  values: Record<string, unknown>,
  io: Pick<CommandIo, 'cwd' | 'env'>,
): Promise<Policy> {
  const file = values.policy as string | undefined;
  const text = file !== undefined ? await readInput(io.cwd, file, 'policy file') : io.env.POLICY_JSON;
  if (text === undefined || text === '') return DEFAULT_POLICY;
  try {
    return parsePolicyJson(text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.problems.map((p) => ({ path: p.path ? `policy:${p.path}` : 'policy', message: p.message })),
    );
  }
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A text table: the columns given, each cell cut to `width`, control characters (terminal escapes) replaced. */
export function renderTextTable(
  columns: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
  width = 40,
): string {
  const text = (v: string | number | boolean | null | undefined) => {
    const s = v === null || v === undefined || v === '' ? '-' : String(v).replace(CONTROL, '?');
    return s.length > width ? `${s.slice(0, width - 1)}…` : s;
  };
  const cells = rows.map((r) => r.map(text));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

/** An export table in the asked format; `table` picks the columns a person reads at a terminal. */
export function writeReport(format: Exclude<ReportFormat, 'table'>, table: ExportTable): string {
  return format === 'csv' ? writeCsv(table) : `${JSON.stringify(tableRecords(table), null, 2)}\n`;
}
