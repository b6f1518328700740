// The body of every lifecycle sleep (a `lambda:invoke.waitForTaskToken` task whose timeout is the wake-up):
// records the task token on the vendor, so that an upload or a review wakes the lifecycle at once
// (SendTaskSuccess), and the due-vendors index learns the next action date. If the vendor changed since the
// plan was made, it refuses to sleep (VendorChanged), and the state machine re-plans immediately.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ConflictError, ValidationError, type Problem } from '../core/errors.js';
import { event as ev } from '../core/events.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';
import { recordSent, sentEvents, type SentEmail } from './plan.js';

export interface WaitEvent {
  vendorId: string;
  generation: number;
  execution: string;
  taskToken: string;
  wakeAt: string | null;
  seenSeq: number;
  /** E-mails the plan sent, to record as sent with the token (see PlanResult.sent). */
  sent?: SentEmail[];
}

/** The error name the state machine catches to re-plan at once (workflows/lifecycle.ts VENDOR_CHANGED). */
export class VendorChanged extends Error {
  override readonly name = 'VendorChanged';
}

export function parseWaitEvent(input: unknown): WaitEvent {
  const e = (input ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const field of ['vendorId', 'execution', 'taskToken'] as const)
    if (typeof e[field] !== 'string' || e[field] === '') problems.push({ path: field, message: 'required' });
  if (!Number.isInteger(e.generation))
    problems.push({ path: 'generation', message: 'an integer is required' });
  if (!Number.isInteger(e.seenSeq)) problems.push({ path: 'seenSeq', message: 'an integer is required' });
  if (
    e.sent !== undefined &&
    (!Array.isArray(e.sent) ||
      !e.sent.every((m) => typeof m?.key === 'string' && typeof m?.messageId === 'string'))
  )
    problems.push({ path: 'sent', message: 'a list of {key, messageId} is expected' });
  if (e.wakeAt !== null && (typeof e.wakeAt !== 'string' || Number.isNaN(Date.parse(e.wakeAt))))
    problems.push({ path: 'wakeAt', message: 'an ISO instant or null is required' });
  if (problems.length) throw new ValidationError(problems);
  return e as unknown as WaitEvent;
}

export async function runWait(
  raw: unknown,
  deps: LifecycleDeps = lifecycleDeps(),
): Promise<{ waiting: true }> {
  const input = parseWaitEvent(raw);
  const waiting = ev('lifecycle-waiting', {
    taskToken: input.taskToken,
    wakeAt: input.wakeAt,
    waitingFor: 'due-date-or-change',
  });
  const changed = () => new VendorChanged(`vendor ${input.vendorId} changed since seq ${input.seenSeq}`);
  const sent = input.sent ?? [];
  const actor = { kind: 'workflow' as const, execution: input.execution };
  try {
    // One read of the projection; a lagging one makes the append conflict and the store re-read the log.
    const projected = (await deps.store.loadMany([input.vendorId])).get(input.vendorId);
    await deps.store.update(
      input.vendorId,
      (state) => {
        // Anything recorded since the plan (an upload, a review) means: do not sleep, plan again now.
        if ((state?.seq ?? 0) !== input.seenSeq) throw changed();
        return [...sentEvents(state, sent), waiting];
      },
      { actor, assumeState: projected ?? null, maxAttempts: 2 },
    );
  } catch (error) {
    if (error instanceof VendorChanged || error instanceof ConflictError) {
      logger.debug('vendor changed since the plan: re-planning', { vendorId: input.vendorId });
      // The plan's e-mails went out: record them now, whatever changed.
      await recordSent(deps, input.vendorId, actor, sent);
      throw error instanceof VendorChanged ? error : changed();
    }
    throw error;
  }
  return { waiting: true };
}

export const handler = middy(async (event: unknown) => runWait(event)).use(injectLambdaContext(logger));
