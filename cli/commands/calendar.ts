// `bridgekeeper calendar --staff EMAIL`: the calendar feed that person's secret link serves, written to stdout
// or a file (to import once, or to check what the feed holds).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.js';
import { policyOption, timeZoneOf } from '../report-options.js';
import { STORAGE_HELP, STORAGE_OPTIONS, openStore } from '../storage-options.js';
import { calendarFeed } from '../../functions/app/calendar.js';
import { systemClock } from '../../functions/ports/clock.js';

const HELP = `Usage: bridgekeeper calendar --staff EMAIL [--out FILE] [--policy FILE] [storage options]

The iCalendar (RFC 5545) feed of a member of staff: the lapse dates, bridge letter ends, request due dates
and finding due dates of the vendors they manage or are the compliance lead of, one all-day event each,
with the same UIDs as the feed behind their secret link (so a calendar updates, never duplicates).

Options:
  --staff EMAIL   Whose feed.
  --out FILE      Write it to FILE (default: stdout).
  --policy FILE   Policy settings per tier (default: POLICY_JSON, else the spec's numbers).
  -h, --help      Show this help.

Events link to the console when PUBLIC_BASE_URL is set. Dates are on the institution's calendar
(INSTITUTION_TIME_ZONE, else UTC).

${STORAGE_HELP}

Examples:
  bridgekeeper calendar --staff lead@bank.example --out lead.ics
`;

const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@]+\.[^\s@]+$/;

export const command: Command = {
  name: 'calendar',
  summary: "Write a member of staff's calendar feed (iCalendar)",
  help: HELP,
  options: {
    staff: { type: 'string' },
    out: { type: 'string' },
    policy: { type: 'string' },
    ...STORAGE_OPTIONS,
  },
  positionals: [0, 0],
  async run({ values, io }) {
    const staff = values.staff as string | undefined;
    if (!staff) throw new UsageError('--staff EMAIL is required: whose calendar?');
    if (!EMAIL.test(staff)) throw new UsageError(`--staff ${staff} is not an e-mail address`);
    const timeZone = timeZoneOf(io.env);
    const policy = await policyOption(values, io);
    const opened = await openStore(values, io);
    let ics: string;
    try {
      ics = await calendarFeed(opened.store, staff, {
        now: systemClock.now(),
        timeZone,
        policy,
        publicBaseUrl: (io.env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, ''),
      });
    } finally {
      await opened.close();
    }
    const out = values.out as string | undefined;
    if (out === undefined) io.stdout.write(ics);
    else {
      await writeFile(resolve(io.cwd, out), ics);
      const events = ics.match(/^BEGIN:VEVENT\r$/gm)?.length ?? 0;
      io.stderr.write(`${events} event${events === 1 ? '' : 's'} written to ${out}\n`);
    }
    return 0;
  },
};
