// `bridgekeeper findings`: the findings register from the table, as the console's download gives it.
import { UsageError, type Command } from '../command.js';
import {
  asOfOption,
  formatOption,
  policyOption,
  renderTextTable,
  timeZoneOf,
  writeReport,
} from '../report-options.js';
import { STORAGE_HELP, STORAGE_OPTIONS, openStore } from '../storage-options.js';
import { registerEntries, REGISTER_STATES } from '../../functions/app/reports.js';
import { registerTable } from '../../functions/core/exports.js';
import type { FindingStatus } from '../../functions/core/vendor-state.js';

const HELP = `Usage: bridgekeeper findings [--state STATE] [--overdue] [--vendor ID] [--as-of YYYY-MM-DD]
                            [--policy FILE] [--format table|json|csv] [storage options]

The findings register: every finding on record with its vendor, severity, state, owner, the day it opened, its
due date (the one a compliance lead assigned, else by severity: critical 30 days, high 60, medium 90, low 180)
and whether it is overdue. Overdue first, then by due date. Cells that would start a spreadsheet formula are
neutralised in CSV.

Options:
  --state STATE       open, acknowledged, remediating, risk-accepted, closed, or all (default: all but
                      closed).
  --overdue           Only findings past their due date.
  --vendor ID         Only this vendor's findings.
  --as-of YYYY-MM-DD  The day "overdue" is judged on (default: today on the institution's calendar,
                      INSTITUTION_TIME_ZONE, else UTC).
  --policy FILE       Policy settings per tier (default: POLICY_JSON, else the spec's numbers).
  --format FORMAT     table (default), json or csv.
  -h, --help          Show this help.

${STORAGE_HELP}

Examples:
  bridgekeeper findings --overdue
  bridgekeeper findings --state all --format csv > findings.csv
`;

function statesOf(state: string | undefined): readonly FindingStatus[] {
  if (state === undefined) return REGISTER_STATES.filter((s) => s !== 'closed');
  if (state === 'all') return REGISTER_STATES;
  if ((REGISTER_STATES as readonly string[]).includes(state)) return [state as FindingStatus];
  throw new UsageError(`--state ${state} is not a state (expected ${REGISTER_STATES.join(', ')} or all)`);
}

export const command: Command = {
  name: 'findings',
  summary: 'The findings register (table, JSON or CSV)',
  help: HELP,
  options: {
    state: { type: 'string' },
    overdue: { type: 'boolean' },
    vendor: { type: 'string' },
    'as-of': { type: 'string' },
    policy: { type: 'string' },
    format: { type: 'string' },
    ...STORAGE_OPTIONS,
  },
  positionals: [0, 0],
  async run({ values, io }) {
    const format = formatOption(values);
    const states = statesOf(values.state as string | undefined);
    const today = asOfOption(values, io.env);
    const timeZone = timeZoneOf(io.env);
    const vendor = values.vendor as string | undefined;
    const policy = await policyOption(values, io);
    const opened = await openStore(values, io);
    try {
      const entries = (await registerEntries(opened.store, { today, timeZone, policy, states })).filter(
        (e) => (!values.overdue || e.overdue) && (vendor === undefined || e.vendorId === vendor),
      );
      if (format !== 'table') io.stdout.write(writeReport(format, registerTable(entries)));
      else {
        io.stdout.write(
          renderTextTable(
            ['vendor', 'finding', 'severity', 'state', 'opened', 'due', 'overdue', 'name'],
            entries.map((e) => [
              e.vendorId,
              e.code,
              e.severity,
              e.state,
              e.openedOn,
              e.dueDate,
              e.overdue ? 'OVERDUE' : '',
              e.vendorName,
            ]),
          ),
        );
        const overdue = entries.filter((e) => e.overdue).length;
        io.stdout.write(
          `\n${entries.length} finding${entries.length === 1 ? '' : 's'}, ${overdue} overdue, as of ${today}.\n`,
        );
      }
      return 0;
    } finally {
      await opened.close();
    }
  },
};
