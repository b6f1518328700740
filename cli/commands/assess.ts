// `bridgekeeper assess PORTFOLIO.json [--as-of D] [--policy FILE] [--format json|table]` (spec section 4).
// Pure: reads files, runs the core, prints. It never touches the AWS SDK, so it starts fast and stays quiet.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { assessPortfolio, type PortfolioAssessment } from '../../functions/core/assess.js';
import { calendarDateOf, isCalendarDate, isTimeZone, type CalendarDate } from '../../functions/core/dates.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../../functions/core/policy.js';
import { isInRangeDate, parsePortfolioJson, type Portfolio } from '../../functions/core/portfolio.js';
import { ValidationError, type Problem } from '../../functions/core/errors.js';
import { systemClock, type Clock } from '../../functions/ports/clock.js';
import { renderAssessmentTable } from '../table.js';

const HELP = `Usage: bridgekeeper assess PORTFOLIO.json [--as-of YYYY-MM-DD] [--policy FILE] [--format json|table]

Assess every vendor of a portfolio: its SOC 2 basis report, lapse date, bridge letter cover, status
(current, expiring, bridged, stale, missing) and findings, as docs/policy.md defines them. When the
portfolio lists subservice organisations, each is assessed too, and every vendor whose basis carves
some out lists them (see examples/portfolio-fourth-parties.json).

Options:
  --as-of YYYY-MM-DD  The review date (default: today on the institution's calendar, from
                      INSTITUTION_TIME_ZONE, else UTC). Documents issued after it are ignored.
  --policy FILE       Policy settings per tier: {"defaults": {...}, "tiers": {"critical": {...}}}
                      (see examples/policy.json). Default: the spec's numbers.
  --format FORMAT     json (default): the assessment document, vendors in input order.
                      table: one row per vendor, most urgent first.
  -h, --help          Show this help.

Bad input is refused whole: exit 2, every problem on stderr named by its JSON path, nothing on stdout.

Examples:
  bridgekeeper assess examples/portfolio.json --as-of 2026-11-26
  bridgekeeper assess examples/portfolio.json --policy examples/policy.json --format table
`;

async function readInput(cwd: string, file: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read the ${what} ${file}: ${reason}`);
  }
}

/** Today on the institution's calendar: the CLI's default review date. */
export function today(clock: Clock, env: NodeJS.ProcessEnv): CalendarDate {
  const zone = env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(zone)) throw new UsageError(`INSTITUTION_TIME_ZONE ${zone} is not a time zone`);
  return calendarDateOf(clock.now(), zone);
}

/**
 * The document as spec section 4 shows it, one vendor per line: readable, diffable, and fast to write for
 * 100,000 vendors (one string, one write).
 */
export function formatAssessmentJson(doc: PortfolioAssessment): string {
  const list = (items: readonly unknown[]) =>
    items.length === 0 ? '[]' : `[\n    ${items.map((v) => JSON.stringify(v)).join(',\n    ')}\n  ]`;
  // Section 9's list only when the portfolio has the field: without it, the document is section 4's, unchanged.
  const organizations =
    doc.subserviceOrganizations === undefined
      ? ''
      : `\n  "subserviceOrganizations": ${list(doc.subserviceOrganizations)},`;
  return `{\n  "asOf": ${JSON.stringify(doc.asOf)},\n  "vendors": ${list(doc.vendors)},${organizations}\n  "summary": ${JSON.stringify(doc.summary)}\n}\n`;
}

export const command: Command = {
  name: 'assess',
  summary: 'Assess every vendor of a portfolio as of a date',
  help: HELP,
  options: {
    'as-of': { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string' },
  },
  positionals: [1, 1],
  async run({ values, positionals, io }) {
    const file = positionals[0] as string;
    const format = (values.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'table')
      throw new UsageError(`--format ${format} is not a format (expected json or table)`);
    const asOfFlag = values['as-of'] as string | undefined;
    if (asOfFlag !== undefined && !isCalendarDate(asOfFlag))
      throw new UsageError(`--as-of ${asOfFlag} is not a date (expected a real calendar date YYYY-MM-DD)`);
    if (asOfFlag !== undefined && !isInRangeDate(asOfFlag))
      throw new UsageError(`--as-of ${asOfFlag} is out of range (expected a year from 1900 to 2999)`);
    const asOf = asOfFlag ?? today(systemClock, io.env);

    // Both files are read and validated before anything is refused, so every problem shows in one run.
    const policyFile = values.policy as string | undefined;
    const policyText =
      policyFile === undefined ? undefined : await readInput(io.cwd, policyFile, 'policy file');
    const portfolioText = await readInput(io.cwd, file, 'portfolio');
    const problems: Problem[] = [];
    let policy: Policy = DEFAULT_POLICY;
    if (policyText !== undefined) {
      try {
        policy = parsePolicyJson(policyText);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // Policy paths are prefixed so they cannot be mistaken for the portfolio's.
        for (const p of error.problems)
          problems.push({ path: p.path ? `policy:${p.path}` : 'policy', message: p.message });
      }
    }
    let portfolio: Portfolio | undefined;
    try {
      portfolio = parsePortfolioJson(portfolioText);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0 || portfolio === undefined) throw new ValidationError(problems);

    const doc = assessPortfolio(portfolio, asOf, policy);
    if (format === 'json') io.stdout.write(formatAssessmentJson(doc));
    else
      io.stdout.write(
        renderAssessmentTable(doc, portfolio, { color: io.stdout.isTTY === true && !io.env.NO_COLOR }),
      );
    return 0;
  },
};
