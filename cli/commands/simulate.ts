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
import type { StoredEvent } from '../../functions/core/events.js';
import {
  parseJsonText,
  parsePortfolio,
  validateDocument,
  type Portfolio,
  type VendorDocument,
} from '../../functions/core/portfolio.js';
import { portfolioVendor, type VendorState } from '../../functions/core/vendor-state.js';
import { INGEST_FUNCTION } from '../../functions/catalog.js';

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
    // A second event of a type on one date (a new cycle's, on the day its basis took effect) is not shown twice.
    if ((e.data as { repeat?: true }).repeat) continue;
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
  /** Scripted events the people's side refused (as a person would have been told). */
  refused: { index: number; message: string }[];
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
  /** 'memory' (default): the in-memory store, mailbox and documents; 'dynamodb': embedded dynalite and SES. */
  storage?: 'memory' | 'dynamodb';
  /** Runs the daily reconciler at this hour of each virtual day, as the schedule does on AWS (default: not run). */
  reconcileDailyAtHour?: number;
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
  const { importPortfolio } = await import('../../functions/app/import.js');
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
    storage: options.dynamodbEndpoint ? 'dynamodb' : (options.storage ?? 'memory'),
    documentsInMemory: true,
    ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
    ...(options.reconcileDailyAtHour !== undefined
      ? { reconcileDailyAtHour: options.reconcileDailyAtHour }
      : {}),
  });
  try {
    if (options.onStart) await options.onStart(stack);
    const { store, runner, lifecycle } = stack;
    const { portfolio } = options;
    // Import: exactly what `bridgekeeper import` records.
    await importPortfolio(store, portfolio, {
      actor: { kind: 'import', by: 'simulate' },
      manageDocuments: true,
    });
    // Scripted uploads and reviews, at noon on their date (after the day's mail has gone out), through the
    // people's-side handlers (core/commands/people.ts), as a vendor and a manager would.
    const people = new ScriptedPeople(stack, timeZone);
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
      runner.schedule(instantAt(s.date, 12, timeZone), () => people.apply(s), s.vendorId);
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
    return {
      lines: lines.map(({ rank: _rank, n: _n, ...line }) => line),
      stats: { ...runner.stats },
      refused: people.refused,
    };
  } finally {
    await stack.stop();
  }
}

/**
 * The session a scripted review or staff upload acts with: the vendor's own manager, signed in (a session in the
 * store the handlers read, as the sign-in handler would have written it).
 */
async function managerSession(state: VendorState, tableName: string, now: Date): Promise<string> {
  const { openSessions } = await import('../../functions/edge/sessions.js');
  const { newCookieSecret, storeKeyOf } = await import('../../functions/edge/session.js');
  const { SESSION_HOURS } = await import('../../functions/core/staff-sign-in.js');
  const secret = newCookieSecret();
  await openSessions(tableName).saveSession(storeKeyOf(secret)!, {
    member: {
      email: state.profile!.managerEmail.toLowerCase(),
      name: 'Vendor manager (simulated)',
      roles: ['vendor-manager'],
    },
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
  });
  return `bk_session=${secret}`;
}

/** A minimal PDF for a scripted upload: the ingest checks the bytes, not the content. */
const SCRIPTED_PDF = (s: ScriptedEvent) =>
  Buffer.from(`%PDF-1.7\n% simulate events[${s.index}] ${s.vendorId} ${s.date}\n%%EOF\n`, 'latin1');

/**
 * What a vendor and a manager do, done through the same HTTP handlers and the same ingest the people's side uses
 * (in-process, with the events API Gateway and S3 would deliver): the vendor uploads through its request's link
 * (a manager records it when no request is open), the file lands, the ingest records it; the manager reviews.
 */
class ScriptedPeople {
  readonly refused: { index: number; message: string }[] = [];
  private gateway?: typeof import('../../local/http/gateway.js');

  constructor(
    private readonly stack: import('../../local/embedded.js').EmbeddedStack,
    private readonly timeZone: string,
  ) {}

  private async http(
    method: 'GET' | 'POST',
    path: string,
    body: string,
    contentType: string,
    staffFor?: VendorState,
  ): Promise<{ statusCode: number; body: string }> {
    this.gateway ??= await import('../../local/http/gateway.js');
    const g = this.gateway;
    const table = (this.routes ??= new g.RouteTable());
    const matched = table.match(method, path);
    if (!matched) throw new Error(`simulate: no route ${method} ${path}`);
    const handler = await (this.handlers ??= new g.HandlerModules()).get(matched.route.entry);
    // A staff request as a browser on the pages sends it: from the pages' origin, with the session cookie.
    const origin = new URL(process.env.PUBLIC_BASE_URL || 'http://127.0.0.1:3000').origin;
    const event = g.eventOf({
      method,
      url: new URL(path, origin),
      headers: { 'content-type': contentType, host: new URL(origin).host, origin },
      ...(staffFor ? { cookies: [await managerSession(staffFor, this.stack.tableName, new Date())] } : {}),
      body: Buffer.from(body, 'utf8'),
      matched,
      now: this.stack.clock.now(),
    });
    const result = (await handler(event, g.lambdaContext(matched.route.entry))) as {
      statusCode?: number;
      body?: string;
    };
    return { statusCode: result.statusCode ?? 200, body: result.body ?? '' };
  }

  private routes?: import('../../local/http/gateway.js').RouteTable;
  private handlers?: import('../../local/http/gateway.js').HandlerModules;

  private refuse(s: ScriptedEvent, what: string, response: { statusCode: number; body: string }) {
    let message = `${response.statusCode}`;
    try {
      const parsed = JSON.parse(response.body) as { problems?: string[]; message?: string };
      message = parsed.problems?.join('; ') ?? parsed.message ?? message;
    } catch {
      message = response.body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300);
    }
    this.refused.push({ index: s.index, message: `${what}: ${message}` });
    process.stderr.write(`simulate: events[${s.index}] (${s.vendorId}, ${s.date}): ${what}: ${message}\n`);
  }

  async apply(s: ScriptedEvent): Promise<void> {
    if (s.upload) await this.upload(s, s.upload);
    if (s.review) await this.review(s, s.review);
  }

  private async upload(s: ScriptedEvent, document: VendorDocument): Promise<void> {
    const { store, macKey } = this.stack;
    const state = await store.load(s.vendorId);
    if (!state?.profile) return;
    const request = state.openRequestId ? state.requests[state.openRequestId] : undefined;
    const pdf = SCRIPTED_PDF(s);
    const { createHash } = await import('node:crypto');
    const body = JSON.stringify({
      document,
      file: { sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length },
    });
    let response;
    // The vendor follows the link in its request e-mail (minted the way the e-mail's was) while it works; without
    // a live link (no request open, or its link ran out while follow-ups paused) it sends the document to its
    // manager, who records it.
    const { openMac } = await import('../../functions/edge/mac.js');
    const { linkMessage, linkVerdict } = await import('../../functions/core/upload-link.js');
    const token = request
      ? await openMac(macKey).sign(linkMessage(s.vendorId, request.requestId, request.nonce))
      : undefined;
    if (request && token && linkVerdict(token, request, this.stack.clock.now()) === 'live') {
      response = await this.http('POST', `/u/${token}/uploads`, body, 'application/json');
    } else {
      response = await this.http(
        'POST',
        `/vendors/${encodeURIComponent(s.vendorId)}/uploads`,
        body,
        'application/json',
        state,
      );
    }
    if (response.statusCode !== 201) return this.refuse(s, 'upload refused', response);
    const { upload } = JSON.parse(response.body) as { upload: { url: string } };
    const key = new URL(upload.url).pathname.slice(1);
    // The browser's upload, then S3's ObjectCreated notification to the ingest function.
    const { memoryDocuments } = await import('../../functions/adapters/memory/documents.js');
    memoryDocuments(process.env.DOCUMENTS_BUCKET!).put(key, pdf);
    this.gateway ??= await import('../../local/http/gateway.js');
    const ingest = await (this.handlers ??= new this.gateway.HandlerModules()).get(INGEST_FUNCTION.entry);
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: process.env.DOCUMENTS_BUCKET }, object: { key, size: 0 } },
        },
      ],
    };
    // S3 invokes the ingest asynchronously: Lambda retries a failed invocation twice, then gives it to the
    // dead-letter queue.
    for (let attempt = 1; ; attempt++) {
      try {
        await ingest(event, this.gateway.lambdaContext('ingest'));
        return;
      } catch (error) {
        if (attempt === 3) {
          process.stderr.write(
            `simulate: events[${s.index}]: the ingest failed 3 times (${(error as Error).name}); dead-lettered\n`,
          );
          return;
        }
      }
    }
  }

  private async review(s: ScriptedEvent, decision: 'accept' | 'reject'): Promise<void> {
    const state = await this.stack.store.load(s.vendorId);
    const pending =
      state?.documents.filter((d) => d.status === 'pending-review' && d.source === 'upload') ?? [];
    const record = pending[pending.length - 1];
    if (!state?.profile || !record) {
      process.stderr.write(
        `simulate: events[${s.index}]: ${s.vendorId} has no document waiting for review\n`,
      );
      return;
    }
    // A reviewer who checked every item of the checklist the review page shows.
    const { reviewChecklist } = await import('../../functions/core/review.js');
    const { assessVendor } = await import('../../functions/core/assess.js');
    const { settingsFor, parsePolicyJson, DEFAULT_POLICY } = await import('../../functions/core/policy.js');
    const policy = process.env.POLICY_JSON ? parsePolicyJson(process.env.POLICY_JSON) : DEFAULT_POLICY;
    const vendor = portfolioVendor(state)!;
    const today = calendarDateOf(this.stack.clock.now(), this.timeZone);
    const basis = assessVendor(vendor, today, settingsFor(policy, vendor.tier)).basis;
    const form = new URLSearchParams({ decision });
    if (decision === 'reject') form.set('reason', s.reason ?? '');
    else
      for (const item of reviewChecklist(vendor, record.document, basis?.periodEnd ?? null))
        form.append('check', item.id);
    const response = await this.http(
      'POST',
      `/review/${encodeURIComponent(s.vendorId)}/${encodeURIComponent(record.documentId)}`,
      form.toString(),
      'application/x-www-form-urlencoded',
      state,
    );
    if (response.statusCode !== 303) this.refuse(s, 'review refused', response);
  }
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
    io.stderr.write(`${summaryLine(portfolio.vendors.length, from, to, lines)}\n`);
    return 0;
  },
};

/** The closing line on stderr: how much happened, by event type. */
export function summaryLine(vendors: number, from: string, to: string, lines: TimelineLine[]): string {
  const byType = new Map<string, number>();
  for (const l of lines) byType.set(l.type, (byType.get(l.type) ?? 0) + 1);
  const counts = [...byType.entries()].map(([type, n]) => `${n} ${type}`).join(', ');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `simulate: ${plural(vendors, 'vendor')}, ${from} to ${to}: ${plural(lines.length, 'event')}${counts ? ` (${counts})` : ''}`;
}
