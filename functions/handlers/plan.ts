// The Plan task: loads the vendor, asks the core what is due today, records it (with the e-mails' outbox intents)
// in one commit, sends the e-mails, and tells the state machine when to wake up next. Safe to retry: what was
// recorded is never planned again, and the outbox sends each recorded intent (including any an earlier run left
// unsent) before it plans.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { randomBytes } from 'node:crypto';
import { LIFECYCLE_FUNCTIONS } from '../catalog.js';
import { deliver, recordSent, sendEmails, type MailDeps } from '../app/outbox.js';
import { subserviceIndexFor } from '../app/subservices.js';
import type { Vendors } from '../app/vendors.js';
import {
  decidePlan,
  linkWanted,
  planEvents,
  startLifecycle,
  type NewLink,
} from '../core/commands/lifecycle.js';
import { toSend, type SentEmail } from '../core/commands/outbox.js';
import { addDays, calendarDateOf, instantAt } from '../core/dates.js';
import { ValidationError, type Problem } from '../core/errors.js';
import type { Actor } from '../core/events.js';
import type { PlanDecision } from '../core/plan.js';
import { settingsFor } from '../core/policy.js';
import { hashToken, linkExpiresAt, linkMessage } from '../core/upload-link.js';
import { LIFECYCLE_MAIL_KINDS } from '../core/mail/templates.js';
import { carvedOutStandings } from '../core/subservices.js';
import { portfolioVendor, type VendorState } from '../core/vendor-state.js';
import { lifecycleExecutionName } from '../adapters/sfn/lifecycle.js';
import type { Clock } from '../ports/clock.js';
import type { Mac } from '../ports/mac.js';
import { readConfig, type Config } from '../edge/config.js';
import { logger } from '../edge/logger.js';
import { openMac } from '../edge/mac.js';
import { openMailer } from '../edge/mailer.js';
import { clock, lazy, withFaults } from '../edge/runtime.js';
import { openVendors } from '../edge/vendors.js';

/** A Standard execution lives at most a year: hand over to a successor well before that. */
export const MAX_EXECUTION_DAYS = 330;
/** ... and well before 25,000 history events (a loop costs about 15). */
export const MAX_LOOPS = 1000;
const DAY_MS = 86_400_000;

export interface PlanDeps {
  vendors: Vendors;
  mail: MailDeps & { mac: Mac };
  clock: Clock;
  config: Pick<Config, 'timeZone' | 'mailHour' | 'policy' | 'publicBaseUrl'>;
}

const deps = lazy((): PlanDeps => {
  const config = readConfig(process.env, LIFECYCLE_FUNCTIONS.plan.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    mail: {
      mailer: withFaults('mailer', openMailer(config)),
      mac: openMac(config.macKey),
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.timeZone,
    },
    clock,
    config,
  };
});

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

/** A fresh link for a request: the token is the MAC of the request and a random nonce (core/upload-link.ts). */
async function mintLink(d: PlanDeps, state: VendorState, requestId: string, now: Date): Promise<NewLink> {
  const nonce = randomBytes(16).toString('hex');
  const token = await d.mail.mac.sign(linkMessage(state.vendorId, requestId, nonce));
  return { requestId, nonce, tokenHash: hashToken(token), expiresAt: linkExpiresAt(now).toISOString() };
}

export async function runPlan(raw: unknown, d: PlanDeps = deps()): Promise<PlanResult> {
  const input = parsePlanEvent(raw);
  const { vendors, config } = d;
  const actor: Actor = { kind: 'workflow', execution: input.execution };
  const now = d.clock.now();
  // The projection alone (one read, no log-tail query): if it lags the log, the commit below conflicts and the
  // loop re-reads the log, so nothing is decided on stale data.
  let state = (await vendors.loadMany([input.vendorId])).get(input.vendorId);
  const start = startLifecycle(state, input);
  if (start.outcome === 'unknown-vendor') return result(input, 'end', 'unknown vendor', state?.seq ?? 0);
  if (start.outcome === 'superseded')
    return result(input, 'end', `superseded by ${state!.lifecycle.execution}`, state!.seq);
  if (start.events.length)
    state = (await vendors.append(input.vendorId, start.events, { actor, expectedSeq: state!.seq })).state;

  // Mail an earlier run recorded but did not send (it stopped, or SES failed), and anyone's mail left unsent past
  // its grace period: sent first.
  state = await deliver(vendors, d.mail, state!, toSend(state!, now, { kinds: LIFECYCLE_MAIL_KINDS }), actor);

  const today = calendarDateOf(now, config.timeZone);
  let decision: PlanDecision | undefined;
  const committed = await vendors.update(
    input.vendorId,
    async (s) => {
      if (!s?.profile) return [];
      const settings = settingsFor(config.policy, s.profile.tier);
      // Section 9: the standings of the subservice organisations the vendor's reports name (no read for a
      // vendor whose reports name none), so the plan can ask for the carved-out ones without a current report.
      const vendor = portfolioVendor(s)!;
      const index = await subserviceIndexFor(vendors, [vendor], today, config.policy);
      const context = {
        today,
        now,
        timeZone: config.timeZone,
        settings,
        publicBaseUrl: config.publicBaseUrl,
        subservices: carvedOutStandings(vendor, index, today, settings),
      };
      decision = decidePlan(s, context);
      const wanted = linkWanted(s, decision, now);
      const link = wanted ? await mintLink(d, s, wanted, now) : undefined;
      return planEvents(s, decision, context, link);
    },
    // Decide on the state just read (one read less); a change in between makes the commit conflict and re-read.
    { actor, assumeState: state! },
  );
  state = committed.state;
  const keys = new Set(committed.events.flatMap((e) => (e.type === 'email-intended' ? [e.data.key] : [])));
  const { sent, error } = await sendEmails(d.mail, state, toSend(state, now, { keys }));
  if (error !== undefined) {
    // Record what did go out before reporting the failure (the retry sends only the rest).
    await recordSent(vendors, state, sent, actor);
    throw error;
  }
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
    state = await recordSent(vendors, state, sent, actor);
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
