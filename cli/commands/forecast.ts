// `bridgekeeper forecast`: who loses coverage in the next 30, 60 and 90 days, and coverage by tier over the next
// 12 months, if no new document arrives: the console's forecast, from the table or from a portfolio file.
import { UsageError, type Command } from '../command.js';
import {
  asOfOption,
  formatOption,
  policyOption,
  readInput,
  renderTextTable,
  writeReport,
} from '../report-options.js';
import { STORAGE_HELP, STORAGE_OPTIONS, openStore } from '../storage-options.js';
import { forecastOf } from '../../functions/app/reports.js';
import { forecastChangesTable, forecastMonthsTable } from '../../functions/core/exports.js';
import {
  coveredOf,
  forecastCoverage,
  totalOf,
  type CoverageForecast,
} from '../../functions/core/forecast.js';
import { parsePortfolioJson, TIERS } from '../../functions/core/portfolio.js';

const HELP = `Usage: bridgekeeper forecast [PORTFOLIO.json] [--as-of YYYY-MM-DD] [--policy FILE] [--part changes|months]
                            [--format table|json|csv] [storage options]

What the portfolio looks like if no new report or bridge letter arrives: every vendor whose report lapses or
whose bridge letter ends in the next 30, 60 and 90 days, and the vendors covered per tier on today's date
of each of the next 12 months. The vendors are the table's (as the console shows them), or a portfolio
file's when one is given.

Options:
  --as-of YYYY-MM-DD  Forecast from this day (default: today on the institution's calendar).
  --policy FILE       Policy settings per tier (default: POLICY_JSON, else the spec's numbers).
  --part PART         changes (default): who loses coverage when; months: coverage by tier per month.
                      (json gives both.)
  --format FORMAT     table (default), json or csv.
  -h, --help          Show this help.

${STORAGE_HELP}

Examples:
  bridgekeeper forecast
  bridgekeeper forecast examples/portfolio.json --as-of 2026-11-26 --part months --format csv
`;

function changesText(f: CoverageForecast): string {
  const rows = f.changes.map((c) => [
    `${c.window} d`,
    c.date,
    c.vendorId,
    c.tier,
    c.kind === 'report-lapses' ? 'report lapses' : 'bridge ends',
    c.becomes,
    c.name,
  ]);
  return `${renderTextTable(['within', 'from', 'vendor', 'tier', 'what ends', 'becomes', 'name'], rows)}\n${
    f.changes.length
  } change${f.changes.length === 1 ? '' : 's'} in the next 90 days for ${f.vendors} vendors, as of ${f.today}.\n`;
}

function monthsText(f: CoverageForecast): string {
  const cell = (covered: number, total: number) =>
    total === 0 ? '-' : `${covered}/${total} (${Math.round((100 * covered) / total)}%)`;
  const rows = f.months.map((p) => [
    p.date,
    ...TIERS.map((t) => cell(coveredOf(p.byTier[t]), totalOf(p.byTier[t]))),
    cell(coveredOf(p.total), totalOf(p.total)),
  ]);
  return `${renderTextTable(['date', ...TIERS, 'all'], rows)}\nVendors covered (current, expiring or bridged) of all, by tier.\n`;
}

export const command: Command = {
  name: 'forecast',
  summary: 'Who lapses in the next 30/60/90 days; coverage by tier over 12 months',
  help: HELP,
  options: {
    'as-of': { type: 'string' },
    policy: { type: 'string' },
    part: { type: 'string' },
    format: { type: 'string' },
    ...STORAGE_OPTIONS,
  },
  positionals: [0, 1],
  async run({ values, positionals, io }) {
    const format = formatOption(values);
    const part = (values.part as string | undefined) ?? 'changes';
    if (part !== 'changes' && part !== 'months')
      throw new UsageError(`--part ${part} is not a part (expected changes or months)`);
    const today = asOfOption(values, io.env);
    const policy = await policyOption(values, io);
    let forecast: CoverageForecast;
    const file = positionals[0];
    if (file !== undefined) {
      const portfolio = parsePortfolioJson(await readInput(io.cwd, file, 'portfolio'));
      forecast = forecastCoverage(portfolio.vendors, today, policy);
    } else {
      const opened = await openStore(values, io);
      try {
        forecast = await forecastOf(opened.store, today, policy);
      } finally {
        await opened.close();
      }
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify(forecast, null, 2)}\n`);
    else if (format === 'csv')
      io.stdout.write(
        writeReport(
          'csv',
          part === 'months' ? forecastMonthsTable(forecast) : forecastChangesTable(forecast),
        ),
      );
    else io.stdout.write(part === 'months' ? monthsText(forecast) : changesText(forecast));
    return 0;
  },
};
