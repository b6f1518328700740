// The Plan task: loads the vendor, asks the pure core what is due today, records it (with e-mail intents) in one
// append, sends the e-mails, and tells the state machine when to wake up next. Safe to retry: what was recorded
// is never planned again, and an e-mail whose intent is on record is never sent a second time.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ValidationError, type Problem } from '../core/errors.js';
import { addDays, calendarDateOf, instantAt, type CalendarDate } from '../core/dates.js';
import { event as ev, type Actor, type NewEvent } from '../core/events.js';
import { planDay, type PlanAction, type PlanDecision } from '../core/plan.js';
import { settingsFor } from '../core/policy.js';
import { linkExpiresAt, newUploadLink } from '../core/upload-link.js';
import { portfolioVendor, type VendorState } from '../core/vendor-state.js';
import { renderLifecycleMail, type LifecycleMailKind, type RenderedMail } from '../core/mail/templates.js';
import { generationOf, lifecycleExecutionName } from '../adapters/sfn/lifecycle.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';

/** A Standard execution lives at most a year: hand over to a successor well before that. */
export const MAX_EXECUTION_DAYS = 330;
/** ... and well before 25,000 history events (a loop costs about 15). */
export const MAX_LOOPS = 1000;
const DAY_MS = 86_400_000;

export interface PlanEvent {
  vendorId: string;
  generation: number;
  execution: string;
  loops?: number;
}

export interface PlanResult {
  action: 'sleep' | 'continue' | 'end';
  /** Seconds until the wake-up (at least 1): the Sleep task's timeout. */
  sleepSeconds: number;
  /** ISO instant of the wake-up (null when ending). */
  wakeAt: string | null;
  successor: { name: string; generation: number };
  loops: number;
  /** The vendor's seq after this plan's writes (the wait refuses to sleep if it moved). */
  seenSeq: number;
  /**
   * E-mails sent by this plan and not yet recorded `email-sent`: the wait records them in the same append as the
   * task token (one DynamoDB write less per e-mail). Empty unless the action is 'sleep'.
   */
  sent: SentEmail[];
  /** Why (for the logs and tests). */
  reason: string;
}

export function parsePlanEvent(input: unknown): PlanEvent {
  const problems: Problem[] = [];
  const e = (input ?? {}) as Record<string, unknown>;
  if (typeof e.vendorId !== 'string' || e.vendorId === '')
    problems.push({ path: 'vendorId', message: 'required' });
  if (!Number.isInteger(e.generation) || (e.generation as number) < 1)
    problems.push({ path: 'generation', message: 'a positive integer is required' });
  if (typeof e.execution !== 'string' || e.execution === '')
    problems.push({ path: 'execution', message: 'required' });
  if (e.loops !== undefined && e.loops !== null && !Number.isInteger(e.loops))
    problems.push({ path: 'loops', message: 'an integer is expected' });
  if (problems.length) throw new ValidationError(problems);
  return {
    vendorId: e.vendorId as string,
    generation: e.generation as number,
    execution: e.execution as string,
    loops: (e.loops as number | undefined) ?? 0,
  };
}

/** An e-mail to send once its intent is on record. */
interface Outgoing {
  key: string;
  to: string;
  mail: RenderedMail;
}

export function emailKey(vendorId: string, cycle: number, kind: string, date: CalendarDate): string {
  return `${vendorId}/${cycle}/${kind}/${date}`;
}

/** Turns the plan's actions into events (and the e-mails that go with them). */
function eventsFor(
  decision: PlanDecision,
  state: VendorState,
  deps: LifecycleDeps,
  now: Date,
  outgoing: Outgoing[],
): NewEvent[] {
  const { today, cycle, coverage } = decision;
  const profile = state.profile!;
  const events: NewEvent[] = [];
  let requestCount = Object.keys(state.requests).length;
  const base = {
    vendorName: profile.name,
    vendorId: state.vendorId,
    date: today,
    lapseDate: coverage.lapseDate,
    periodEnd: coverage.periodEnd,
    bridgedUntil: coverage.bridgedUntil,
    consoleUrl: `${deps.config.publicBaseUrl}/vendors/${encodeURIComponent(state.vendorId)}`,
  };
  const mail = (
    kind: LifecycleMailKind,
    to: string,
    extra: Partial<typeof base> & Record<string, unknown> = {},
  ) => {
    const key = emailKey(state.vendorId, cycle, kind, today);
    const rendered = renderLifecycleMail(kind, { ...base, ...extra });
    outgoing.push({ key, to, mail: rendered });
    events.push(ev('email-intended', { key, kind, to, subject: rendered.subject, date: today }));
  };
  const openRequest = (dueDate: CalendarDate) => {
    const link = newUploadLink();
    const requestId = `${state.vendorId}-r${++requestCount}`;
    const expires = linkExpiresAt(now);
    events.push(
      ev('request-opened', {
        requestId,
        cycle,
        lapseDate: coverage.lapseDate,
        dueDate,
        tokenHash: link.tokenHash,
        expiresAt: expires.toISOString(),
      }),
    );
    return {
      requestId,
      uploadUrl: `${deps.config.publicBaseUrl}/u/${link.token}`,
      linkExpires: calendarDateOf(new Date(expires.getTime() - 1), deps.config.timeZone),
    };
  };
  for (const action of decision.actions as PlanAction[]) {
    switch (action.type) {
      case 'manager-reminder':
        events.push(ev('manager-reminder', { date: today, to: action.to, cycle }));
        mail('manager-reminder', action.to);
        break;
      case 'vendor-request': {
        const link = openRequest(action.dueDate);
        events.push(ev('vendor-request', { date: today, to: action.to, cycle, requestId: link.requestId }));
        mail('vendor-request', action.to, { dueDate: action.dueDate, ...link, consoleUrl: undefined });
        break;
      }
      case 'vendor-follow-up': {
        // The token is never stored, so a follow-up carries a fresh link: the request is re-issued under it.
        events.push(ev('request-closed', { requestId: action.requestId, reason: 'link-reissued' }));
        const link = openRequest(action.dueDate);
        events.push(ev('vendor-follow-up', { date: today, to: action.to, cycle, requestId: link.requestId }));
        mail('vendor-follow-up', action.to, { dueDate: action.dueDate, ...link, consoleUrl: undefined });
        break;
      }
      case 'close-request':
        events.push(ev('request-closed', { requestId: action.requestId, reason: action.reason }));
        break;
      case 'open-finding':
        events.push(
          ev('finding-opened', {
            findingId: `${action.code}-${today}`,
            code: action.code,
            severity: action.severity,
          }),
        );
        break;
      case 'escalation':
        events.push(ev('escalation', { date: today, to: action.to, cycle, code: action.code }));
        mail('escalation', action.to, { findingCode: action.code });
        break;
      case 'close-finding':
        events.push(ev('finding-closed', { findingId: action.findingId, reason: action.reason }));
        break;
      case 'finding-closed-notice':
        events.push(ev('finding-closed-notice', { date: today, to: action.to, cycle, code: action.code }));
        mail('finding-closed-notice', action.to, { findingCode: action.code });
        break;
    }
  }
  return events;
}

/** A message handed to the mail service: what `email-sent` records. */
export interface SentEmail {
  key: string;
  messageId: string;
}

/** Sends the e-mails whose intents this invocation recorded (never any other: at most once). */
export async function sendAll(
  deps: Pick<LifecycleDeps, 'mailer'>,
  outgoing: Outgoing[],
): Promise<SentEmail[]> {
  const sent: SentEmail[] = [];
  for (const o of outgoing) {
    const { messageId } = await deps.mailer.send({ to: o.to, ...o.mail });
    sent.push({ key: o.key, messageId });
  }
  return sent;
}

/** The `email-sent` events still missing from the vendor's record. */
export function sentEvents(state: VendorState | undefined, sent: readonly SentEmail[]): NewEvent[] {
  return sent
    .filter((m) => state?.emails[m.key] && !state.emails[m.key]!.sentAt)
    .map((m) => ev('email-sent', { key: m.key, messageId: m.messageId }));
}

/** Records e-mails as sent (one append). */
export async function recordSent(
  deps: Pick<LifecycleDeps, 'store'>,
  vendorId: string,
  actor: Actor,
  sent: readonly SentEmail[],
  /** The vendor's state right after the intents were recorded (saves a read; a stale one just re-reads). */
  assumeState?: VendorState,
): Promise<VendorState | undefined> {
  if (sent.length === 0) return undefined;
  const result = await deps.store.update(vendorId, (s) => sentEvents(s, sent), {
    actor,
    ...(assumeState ? { assumeState } : {}),
  });
  return result.state;
}

/** Sends, then records them sent. */
export async function deliver(
  deps: Pick<LifecycleDeps, 'store' | 'mailer'>,
  vendorId: string,
  actor: Actor,
  outgoing: Outgoing[],
  assumeState?: VendorState,
): Promise<VendorState | undefined> {
  return recordSent(deps, vendorId, actor, await sendAll(deps, outgoing), assumeState);
}

function result(
  input: PlanEvent,
  action: PlanResult['action'],
  reason: string,
  seenSeq: number,
  wake?: Date,
  now?: Date,
  sent: SentEmail[] = [],
): PlanResult {
  const next = input.generation + 1;
  return {
    action,
    sleepSeconds: wake && now ? Math.max(1, Math.ceil((wake.getTime() - now.getTime()) / 1000)) : 1,
    wakeAt: wake ? wake.toISOString() : null,
    successor: { name: lifecycleExecutionName(input.vendorId, next), generation: next },
    loops: (input.loops ?? 0) + 1,
    seenSeq,
    sent,
    reason,
  };
}

export async function runPlan(raw: unknown, deps: LifecycleDeps = lifecycleDeps()): Promise<PlanResult> {
  const input = parsePlanEvent(raw);
  const { store, clock, config } = deps;
  const actor: Actor = { kind: 'workflow', execution: input.execution };
  const now = clock.now();
  // The projection alone (one read, no log-tail query): if it lags the log, the append below conflicts and the
  // store re-reads the log, so nothing is decided on stale data.
  let state = (await store.loadMany([input.vendorId])).get(input.vendorId);
  if (!state?.profile) return result(input, 'end', 'unknown vendor', state?.seq ?? 0);

  // One execution per vendor: the newest generation owns the lifecycle; an older one bows out.
  const owner = state.lifecycle.execution;
  if (owner !== input.execution) {
    if (owner !== undefined && generationOf(owner) >= input.generation)
      return result(input, 'end', `superseded by ${owner}`, state.seq);
    state = (
      await store.append(
        input.vendorId,
        [ev('lifecycle-started', { execution: input.execution, cycle: input.generation })],
        { actor, expectedSeq: state.seq },
      )
    ).state;
  }

  const today = calendarDateOf(now, config.timeZone);
  const outgoing: Outgoing[] = [];
  let decision: PlanDecision | undefined;
  const appended = await store.update(
    input.vendorId,
    (s) => {
      if (!s?.profile) return [];
      outgoing.length = 0;
      decision = planDay({
        vendor: portfolioVendor(s)!,
        state: s,
        today,
        settings: settingsFor(config.policy, s.profile.tier),
        complianceLead: s.profile.complianceLeadEmail,
      });
      return eventsFor(decision, s, deps, now, outgoing);
    },
    // Decide on the state just read (one read less); a change in between makes the append conflict and re-read.
    { actor, assumeState: state },
  );
  state = appended.state;
  if (appended.events.length === 0) outgoing.length = 0;
  const sent = await sendAll(deps, outgoing);
  if (decision && decision.actions.length > 0)
    logger.debug('planned', {
      vendorId: input.vendorId,
      today,
      actions: decision.actions.map((a) => a.type),
    });

  // Hand over to the next generation before the execution's year (or history) runs out.
  const startedAt = state.lifecycle.startedAt ? Date.parse(state.lifecycle.startedAt) : now.getTime();
  const horizon = new Date(startedAt + MAX_EXECUTION_DAYS * DAY_MS);
  if (now.getTime() >= horizon.getTime() || (input.loops ?? 0) + 1 >= MAX_LOOPS) {
    state = (await recordSent(deps, input.vendorId, actor, sent, state)) ?? state;
    return result(input, 'continue', 'execution age or history limit', state.seq);
  }

  const wakeOn = decision?.wakeOn ?? null;
  let wake = wakeOn ? instantAt(wakeOn, config.mailHour, config.timeZone) : horizon;
  // Woken before the mail hour of a due day (a change at night): the day's work is done; still wake at the hour.
  if (wake.getTime() <= now.getTime()) wake = instantAt(addDays(today, 1), config.mailHour, config.timeZone);
  if (wake.getTime() > horizon.getTime()) wake = horizon;
  return result(input, 'sleep', wakeOn ? `next due ${wakeOn}` : 'nothing due', state.seq, wake, now, sent);
}

export const handler = middy(async (event: unknown) => runPlan(event)).use(injectLambdaContext(logger));
