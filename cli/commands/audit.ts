// `bridgekeeper audit verify [--vendor ID]` checks every vendor's trail (chain, seals, projection) and the table
// against the latest checkpoint, naming each problem; `bridgekeeper audit checkpoint` writes a checkpoint;
// `bridgekeeper audit export --vendor ID` writes the evidence for an auditor.
import { UsageError, type Command, type CommandIo } from '../command.js';
import { STORAGE_HELP, STORAGE_OPTIONS, openStore, type OpenedStore } from '../storage-options.js';
import { canonicalJson, type ChainProblem } from '../../functions/core/audit-chain.js';
import { auditTrail, auditVendor } from '../../functions/app/audit.js';
import { takeCheckpoint } from '../../functions/app/checkpoints.js';
import { readConfig } from '../../functions/edge/config.js';
import { systemClock } from '../../functions/ports/clock.js';
import { calendarDateOf, isCalendarDate, isTimeZone } from '../../functions/core/dates.js';
import { NotFoundError } from '../../functions/core/errors.js';
import type { Actor, StoredEvent } from '../../functions/core/events.js';
import { csvField } from '../../functions/core/csv.js';
import type { Vendors } from '../../functions/app/vendors.js';

const HELP = `Usage: bridgekeeper audit verify [--vendor ID] [storage options]
       bridgekeeper audit checkpoint [storage options]
       bridgekeeper audit export --vendor ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format jsonl|csv]
                                 [storage options]

verify: recomputes the SHA-256 chain of every vendor's event log (or one vendor's) and checks it against
  the head the vendor's record holds, checks the service's seal on the last commit and on the projected
  state, checks that the projected state is what the log yields, and compares the table with the latest
  checkpoint (a vendor missing, a head behind it, a checkpointed event rewritten). Exit 0 with "N events in
  M vendors verified"; exit 1 naming each vendor and seq that was edited, deleted, inserted, reordered or
  forged. On AWS, DOCUMENTS_BUCKET names the bucket the checkpoints are in (without it, none is compared).
checkpoint: writes a checkpoint (every vendor's head seq and hash, the time, the previous checkpoint's hash),
  sealed with the service's key and locked in the documents bucket (the daily reconciler writes one on AWS).
export: one vendor's events in order (each with its actor, time, hash and previous hash) on stdout, as
  JSON lines (default) or CSV, optionally limited to the events of some days (institution calendar,
  INSTITUTION_TIME_ZONE, else UTC). The chain is verified too: exit 1 (after the export) if it is broken.

Options:
  --vendor ID         The vendor (all vendors for verify when absent).
  --from, --to DATE   export: first and last day to include.
  --format FORMAT     export: jsonl (default) or csv.
  -h, --help          Show this help.

${STORAGE_HELP}

Examples:
  bridgekeeper audit verify
  bridgekeeper audit verify --data-dir .data
  bridgekeeper audit checkpoint
  bridgekeeper audit export --vendor acme-pay --from 2026-01-01 --format csv > acme-pay-2026.csv
`;

function describe(problem: ChainProblem): string {
  return `${problem.vendorId} ${problem.message}`;
}

function actorId(actor: Actor | undefined): string {
  switch (actor?.kind) {
    case 'staff':
      return actor.id;
    case 'vendor-link':
      return actor.requestId;
    case 'workflow':
      return actor.execution ?? '';
    case 'import':
      return actor.by;
    default:
      return '';
  }
}

const CSV_COLUMNS = ['vendorId', 'seq', 'at', 'type', 'actorKind', 'actorId', 'data', 'prevHash', 'hash'];

export function exportLines(events: StoredEvent[], format: 'jsonl' | 'csv'): string {
  if (format === 'jsonl') return events.map((e) => `${canonicalJson(e)}\n`).join('');
  const rows = events.map((e) =>
    [
      e.vendorId,
      String(e.seq),
      e.at,
      e.type,
      e.actor.kind,
      actorId(e.actor),
      canonicalJson(e.data),
      e.prevHash,
      e.hash,
    ]
      .map(csvField)
      .join(','),
  );
  return `${CSV_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}

async function runVerify(opened: OpenedStore, vendor: string | undefined, io: CommandIo): Promise<number> {
  const audit = await auditTrail(opened.store, {
    ...(vendor ? { vendorIds: [vendor] } : {}),
    ...(opened.checkpoints ? { checkpoints: { files: opened.checkpoints, mac: opened.mac } } : {}),
  });
  const { reports } = audit;
  if (
    vendor &&
    reports[0]?.events === 0 &&
    reports[0].problems.length === 0 &&
    !audit.checkpointProblems.length
  )
    throw new NotFoundError(`no vendor ${vendor} in the table`);
  const problems = reports.flatMap((r) => r.problems).map(describe);
  problems.push(...audit.checkpointProblems.map((p) => p.message));
  const events = reports.reduce((n, r) => n + r.events, 0);
  for (const problem of problems) io.stdout.write(`${problem}\n`);
  const against = audit.checkpoint
    ? `checkpoint ${audit.checkpoint.key}`
    : opened.checkpoints
      ? 'no checkpoint yet'
      : 'no checkpoints compared (DOCUMENTS_BUCKET not set)';
  if (problems.length > 0) {
    const broken = new Set([
      ...reports.filter((r) => r.problems.length > 0).map((r) => r.vendorId),
      ...audit.checkpointProblems.map((p) => p.vendorId ?? '(checkpoint)'),
    ]).size;
    io.stdout.write(
      `${problems.length} problem(s) in ${broken} of ${reports.length} vendors; the trail was altered\n`,
    );
    return 1;
  }
  io.stdout.write(`${events} events in ${reports.length} vendors verified\n`);
  io.stderr.write(`compared with ${against}\n`);
  return 0;
}

async function runCheckpoint(opened: OpenedStore, io: CommandIo): Promise<number> {
  const { evidenceRetentionDays: retentionDays } = readConfig(io.env, []);
  const taken = await takeCheckpoint({
    vendors: opened.store,
    files: opened.checkpoints!,
    mac: opened.mac,
    clock: systemClock,
    retentionDays,
  });
  io.stdout.write(
    `checkpoint ${taken.key}: ${taken.vendors} vendors, locked for ${retentionDays} days` +
      `${taken.previous ? `, after ${taken.previous}` : ' (the first)'}\n`,
  );
  return 0;
}

async function runExport(store: Vendors, values: Record<string, unknown>, io: CommandIo): Promise<number> {
  const vendor = values.vendor as string | undefined;
  if (!vendor) throw new UsageError('export needs --vendor ID');
  const format = (values.format as string | undefined) ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv')
    throw new UsageError(`--format: '${format}' is not jsonl or csv`);
  const from = values.from as string | undefined;
  const to = values.to as string | undefined;
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (value !== undefined && !isCalendarDate(value))
      throw new UsageError(`${flag}: ${value} is not a date (YYYY-MM-DD)`);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const zone = io.env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(zone)) throw new UsageError(`INSTITUTION_TIME_ZONE ${zone} is not a time zone`);

  const { report, events: stored } = await auditVendor(store, vendor);
  if (stored.length === 0 && report.problems.length === 0)
    throw new NotFoundError(`no vendor ${vendor} in the table`);
  // Exported as stored, in storage order (a tampered log is shown as it is, and flagged below).
  const all = stored.filter((e) => typeof e === 'object' && e !== null) as StoredEvent[];
  const events = all.filter((e) => {
    const at = new Date(e.at);
    if (Number.isNaN(at.getTime())) return !from && !to;
    const day = calendarDateOf(at, zone);
    return (!from || day >= from) && (!to || day <= to);
  });
  io.stdout.write(exportLines(events, format));
  if (report.problems.length > 0) {
    for (const problem of report.problems) io.stderr.write(`${describe(problem)}\n`);
    io.stderr.write(
      `bridgekeeper audit: the trail of ${vendor} was altered; the export above shows it as stored\n`,
    );
    return 1;
  }
  io.stderr.write(
    `${events.length} of ${all.length} events exported; chain verified, head ${report.headHash}\n`,
  );
  return 0;
}

export const command: Command = {
  name: 'audit',
  summary: 'Verify or export the tamper-evident audit trail',
  help: HELP,
  options: {
    vendor: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    ...STORAGE_OPTIONS,
  },
  positionals: [1, 1],
  async run({ values, positionals, io }) {
    const action = positionals[0];
    if (action !== 'verify' && action !== 'export' && action !== 'checkpoint')
      throw new UsageError(
        `unknown action '${action}': use 'audit verify', 'audit checkpoint' or 'audit export'`,
      );
    if (action !== 'export' && (values.from || values.to || values.format))
      throw new UsageError('--from, --to and --format are for audit export');
    if (action === 'checkpoint' && values.vendor)
      throw new UsageError('a checkpoint covers every vendor: --vendor is for verify and export');
    const opened = await openStore(values, io, {
      ...(action === 'verify' ? { checkpoints: 'optional' as const } : {}),
      ...(action === 'checkpoint' ? { checkpoints: true } : {}),
    });
    try {
      if (action === 'checkpoint') return await runCheckpoint(opened, io);
      return action === 'verify'
        ? await runVerify(opened, values.vendor as string | undefined, io)
        : await runExport(opened.store, values, io);
    } finally {
      await opened.close();
    }
  },
};
