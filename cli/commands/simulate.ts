// `bridgekeeper simulate PORTFOLIO.json --from D1 --to D2 [--events EVENTS.json]` (spec section 6): the deployed
// lifecycle definition, run by the embedded runner with the real handlers on a fresh in-memory stack and a
// virtual clock, prints what happened as JSON lines in date order. Not a second implementation of the timeline.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { ValidationError, type Problem } from '../../functions/core/errors.js';
import {
  addDays,
  calendarDateOf,
  instantAt,
  isCalendarDate,
  type CalendarDate,
} from '../../functions/core/dates.js';
import { event as ev, type NewEvent, type StoredEvent } from '../../functions/core/events.js';
import { importEvents } from '../../functions/core/import-diff.js';
import {
  parseJsonText,
  parsePortfolio,
  validateDocument,
  type Portfolio,
  type VendorDocument,
} from '../../functions/core/portfolio.js';
import type { VendorState } from '../../functions/core/vendor-state.js';

export interface ScriptedEvent {
  date: CalendarDate;
  vendorId: string;
  upload?: VendorDocument;
  review?: 'accept' | 'reject';
  reason?: string;
  /** Position in the file (ties on a date keep file order). */
  index: number;
}

const EVENT_FIELDS = new Set(['date', 'vendorId', 'upload', 'review', 'reason']);

/** Checks EVENTS.json against the portfolio; every problem is named by its path. */
export function parseEvents(input: unknown, portfolio: Portfolio): ScriptedEvent[] {
  const problems: Problem[] = [];
  const ids = new Set(portfolio.vendors.map((v) => v.id));
  const root = input as { events?: unknown } | null;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new ValidationError([{ path: '', message: 'expected an object with an "events" array' }]);
  }
  for (const key of Object.keys(root))
    if (key !== 'events') problems.push({ path: key, message: 'unknown field' });
  if (!Array.isArray(root.events)) {
    problems.push({ path: 'events', message: 'an array is required' });
    throw new ValidationError(problems);
  }
  const out: ScriptedEvent[] = [];
  root.events.forEach((raw: unknown, index: number) => {
    const at = `events[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ path: at, message: 'an object is required' });
      return;
    }
    const e = raw as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(e))
      if (!EVENT_FIELDS.has(key)) problems.push({ path: `${at}.${key}`, message: 'unknown field' });
    if (!isCalendarDate(e.date))
      problems.push({ path: `${at}.date`, message: `${JSON.stringify(e.date)} is not a date` });
    if (typeof e.vendorId !== 'string' || !ids.has(e.vendorId))
      problems.push({
        path: `${at}.vendorId`,
        message: `${JSON.stringify(e.vendorId)} is not a vendor of the portfolio`,
      });
    let upload: VendorDocument | undefined;
    if (e.upload !== undefined) upload = validateDocument(e.upload, `${at}.upload`, problems);
    if (e.review !== undefined && e.review !== 'accept' && e.review !== 'reject')
      problems.push({
        path: `${at}.review`,
        message: `${JSON.stringify(e.review)} is not "accept" or "reject"`,
      });
    if (e.review === 'reject' && (typeof e.reason !== 'string' || e.reason.trim() === ''))
      problems.push({ path: `${at}.reason`, message: 'a rejection needs a reason for the vendor' });
    if (e.reason !== undefined && typeof e.reason !== 'string')
      problems.push({ path: `${at}.reason`, message: 'a string is required' });
    if (e.upload === undefined && e.review === undefined)
      problems.push({ path: at, message: 'an event needs an upload, a review or both' });
    if (problems.length > before) return;
    out.push({
      date: e.date as string,
      vendorId: e.vendorId as string,
      ...(upload ? { upload } : {}),
      ...(e.review ? { review: e.review as 'accept' | 'reject' } : {}),
      ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      index,
    });
  });
  if (problems.length) throw new ValidationError(problems);
  return out;
}

/** One line of the output (spec section 6). */
export interface TimelineLine {
  date: CalendarDate;
  type: string;
  vendorId: string;
  to: string;
  code?: string;
}

const PRINTED = new Set([
  'manager-reminder',
  'vendor-request',
  'vendor-follow-up',
  'document-received',
  'document-accepted',
  'document-rejected',
  'finding-opened',
  'escalation',
  'finding-closed',
]);

/** The spec-6 lines of one vendor's event log (the log is the source of truth). */
export function timelineOf(events: StoredEvent[], timeZone: string): TimelineLine[] {
  const lines: TimelineLine[] = [];
  let profile: { managerEmail: string; contactEmail: string; complianceLeadEmail?: string } | undefined;
  const codes = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'vendor-registered') profile = e.data.profile;
    if (e.type === 'vendor-updated' && profile) profile = { ...profile, ...(e.data.changes as object) };
    if (e.type === 'finding-opened') codes.set(e.data.findingId, e.data.code);
    if (!PRINTED.has(e.type)) continue;
    const date = calendarDateOf(new Date(e.at), timeZone);
    const base = { vendorId: e.vendorId };
    switch (e.type) {
      case 'manager-reminder':
      case 'vendor-request':
      case 'vendor-follow-up':
      case 'document-received':
      case 'escalation':
        lines.push({ date: e.data.date, type: e.type, ...base, to: e.data.to });
        break;
      case 'document-accepted':
      case 'document-rejected':
        lines.push({ date, type: e.type, ...base, to: profile?.contactEmail ?? '' });
        break;
      case 'finding-opened':
        lines.push({
          date,
          type: e.type,
          ...base,
          to: profile?.complianceLeadEmail ?? '',
          code: e.data.code,
        });
        break;
      case 'finding-closed':
        lines.push({
          date,
          type: e.type,
          ...base,
          to: profile?.complianceLeadEmail ?? '',
          code: codes.get(e.data.findingId) ?? '',
        });
        break;
    }
  }
  return lines;
}

export interface SimulationResult {
  lines: TimelineLine[];
  /** Runner counters, for the bench. */
  stats: import('../../local/runner/runner.js').RunnerStats;
}

export interface SimulationOptions {
  portfolio: Portfolio;
  from: CalendarDate;
  to: CalendarDate;
  events?: ScriptedEvent[];
  timeZone?: string;
  mailHour?: number;
  /** Per-tier policy settings (the POLICY_JSON the handlers read), as JSON text. */
  policyJson?: string;
  /** Each vendor on its own virtual time (default true); false runs every vendor on one global clock. */
  independentLanes?: boolean;
  /** An external DynamoDB endpoint (the bench runs dynalite in its own process, on the other core). */
  dynamodbEndpoint?: string;
  /** Called once the stack is up, before the import (the bench puts a counting proxy in front of DynamoDB). */
  onStart?: (stack: import('../../local/embedded.js').EmbeddedStack) => Promise<void>;
  /** Called with the running stack before it stops (tests inspect the mailbox and the store). */
  inspect?: (stack: import('../../local/embedded.js').EmbeddedStack) => Promise<void>;
}

/** Runs the whole lifecycle over [from, to] on a fresh embedded stack. */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  // The handlers' logger reads its level once, when first loaded: keep their INFO lines off stdout.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { startEmbeddedStack } = await import('../../local/embedded.js');
  const { VirtualClock } = await import('../../local/runner/runner.js');
  const timeZone = options.timeZone ?? 'UTC';
  const mailHour = options.mailHour ?? 9;
  const clock = new VirtualClock(instantAt(options.from, 0, timeZone));
  const stack = await startEmbeddedStack({
    clock,
    env: {
      INSTITUTION_TIME_ZONE: timeZone,
      MAIL_HOUR: String(mailHour),
      ...(options.policyJson ? { POLICY_JSON: options.policyJson } : {}),
    },
    // Vendors share nothing in a simulation: each runs on its own virtual time (same events, no waiting).
    independentLanes: options.independentLanes ?? true,
    ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
  });
  try {
    if (options.onStart) await options.onStart(stack);
    const { store, runner, lifecycle } = stack;
    const { portfolio } = options;
    // Import: the same events `bridgekeeper import` records.
    for (const vendor of portfolio.vendors) {
      const events = importEvents(vendor, undefined, portfolio, { manageDocuments: true });
      await store.append(vendor.id, events, { actor: { kind: 'import', by: 'simulate' }, expectedSeq: 0 });
    }
    // Scripted uploads and reviews, at noon on their date (after the day's mail has gone out).
    const scripted = [...(options.events ?? [])].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index,
    );
    for (const s of scripted) {
      if (s.date < options.from || s.date > options.to) {
        process.stderr.write(
          `simulate: events[${s.index}] on ${s.date} is outside --from/--to; not applied\n`,
        );
        continue;
      }
      runner.schedule(instantAt(s.date, 12, timeZone), () => applyScripted(stack, s, timeZone), s.vendorId);
    }
    for (const vendor of portfolio.vendors) await lifecycle.start(vendor.id, 1);
    // Through the end of the last day.
    await runner.runUntil(new Date(instantAt(addDays(options.to, 1), 0, timeZone).getTime() - 1));
    if (options.inspect) await options.inspect(stack);

    const order = new Map(portfolio.vendors.map((v, i) => [v.id, i]));
    const lines: (TimelineLine & { rank: number; n: number })[] = [];
    let n = 0;
    for (const vendor of portfolio.vendors)
      for (const line of timelineOf(await store.events(vendor.id), timeZone))
        if (line.date >= options.from && line.date <= options.to)
          lines.push({ ...line, rank: order.get(vendor.id)!, n: n++ });
    lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank || a.n - b.n));
    return { lines: lines.map(({ rank: _rank, n: _n, ...line }) => line), stats: { ...runner.stats } };
  } finally {
    await stack.stop();
  }
}

/** What the people's side does on an upload and on a review: record it, then wake the lifecycle. */
async function applyScripted(
  stack: import('../../local/embedded.js').EmbeddedStack,
  s: ScriptedEvent,
  timeZone: string,
): Promise<void> {
  const { store, lifecycle, clock } = stack;
  const date = calendarDateOf(clock.now(), timeZone);
  let documentId: string | undefined;
  if (s.upload) {
    const upload = s.upload;
    const result = await store.update(
      s.vendorId,
      (state): NewEvent[] => {
        if (!state?.profile) return [];
        documentId = `upload-${state.documents.length + 1}`;
        return [
          ev('document-added', { documentId, document: upload, source: 'upload', status: 'pending-review' }),
          ev('document-received', {
            date,
            to: state.profile.managerEmail,
            documentId,
            ...(state.openRequestId ? { requestId: state.openRequestId } : {}),
          }),
        ];
      },
      { actor: { kind: 'vendor-link', requestId: 'simulate' } },
    );
    await lifecycle.wake(result.state, 'document-received');
  }
  if (s.review) {
    const decision = s.review;
    const result = await store.update(
      s.vendorId,
      (state): NewEvent[] => {
        const pending = latestPending(state);
        if (!state?.profile || !pending) return [];
        if (decision === 'accept')
          return [ev('document-accepted', { documentId: pending, note: 'simulated review' })];
        return [
          ev('document-rejected', { documentId: pending, reason: s.reason ?? '' }),
          ev('document-rejected-notice', { date, to: state.profile.contactEmail, documentId: pending }),
        ];
      },
      { actor: { kind: 'staff', id: 'simulate' } },
    );
    if (result.events.length === 0)
      process.stderr.write(
        `simulate: events[${s.index}]: ${s.vendorId} has no document waiting for review\n`,
      );
    await lifecycle.wake(result.state, decision === 'accept' ? 'document-accepted' : 'document-rejected');
  }
  void documentId;
}

function latestPending(state: VendorState | undefined): string | undefined {
  const pending = state?.documents.filter((d) => d.status === 'pending-review') ?? [];
  return pending[pending.length - 1]?.documentId;
}

async function readJson(file: string, cwd: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseJsonText(text, file);
}

export const command: Command = {
  name: 'simulate',
  summary: 'Run the lifecycle workflow over a virtual calendar',
  help: `Usage: bridgekeeper simulate PORTFOLIO.json --from YYYY-MM-DD --to YYYY-MM-DD [--events EVENTS.json]

Runs the lifecycle state machine (the synthesized, deployable definition) with the real handlers on a fresh
in-memory embedded stack whose clock starts at --from, applies the scripted uploads and reviews of EVENTS.json on
their dates, and prints one JSON object per line, in date order:
  {"date":"2026-11-01","type":"manager-reminder","vendorId":"acme-pay","to":"jane.doe@bank.example"}
Finding events carry "code". Nothing else is written to stdout.

Options:
  --from DATE        first simulated day (required)
  --to DATE          last simulated day, included (required)
  --events FILE      {"events":[{"date","vendorId","upload":{document},"review":"accept"|"reject","reason"}]}
  --policy FILE      per-tier policy settings (as for assess; default: the spec's numbers)
  --time-zone TZ     the institution's calendar (default: INSTITUTION_TIME_ZONE or UTC)

Exit status: 0 done; 2 bad input (every problem named by its JSON path on stderr, nothing on stdout).

Example:
  bridgekeeper simulate examples/portfolio.json --from 2026-09-01 --to 2027-09-01
`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    events: { type: 'string' },
    policy: { type: 'string' },
    'time-zone': { type: 'string' },
  },
  positionals: [1, 1],
  async run({ values, positionals, io }) {
    const from = values.from as string | undefined;
    const to = values.to as string | undefined;
    if (from === undefined) throw new UsageError('--from YYYY-MM-DD is required');
    if (to === undefined) throw new UsageError('--to YYYY-MM-DD is required');
    if (!isCalendarDate(from)) throw new UsageError(`--from ${from} is not a date (YYYY-MM-DD)`);
    if (!isCalendarDate(to)) throw new UsageError(`--to ${to} is not a date (YYYY-MM-DD)`);
    if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
    const timeZone = (values['time-zone'] as string | undefined) ?? (io.env.INSTITUTION_TIME_ZONE || 'UTC');
    const { isTimeZone } = await import('../../functions/core/dates.js');
    if (!isTimeZone(timeZone)) throw new UsageError(`--time-zone ${timeZone} is not a time zone`);
    const portfolio = parsePortfolio(await readJson(positionals[0]!, io.cwd, 'the portfolio'));
    const eventsFile = values.events as string | undefined;
    const events = eventsFile
      ? parseEvents(await readJson(eventsFile, io.cwd, 'the events file'), portfolio)
      : [];
    const policyFile = values.policy as string | undefined;
    let policyJson: string | undefined;
    if (policyFile) {
      policyJson = JSON.stringify(await readJson(policyFile, io.cwd, 'the policy file'));
      const { parsePolicyJson } = await import('../../functions/core/policy.js');
      parsePolicyJson(policyJson); // refuses a bad policy before anything runs (exit 2, problems named)
    }
    const { lines } = await simulate({
      portfolio,
      from,
      to,
      events,
      timeZone,
      ...(policyJson ? { policyJson } : {}),
    });
    io.stdout.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return 0;
  },
};
