// The body of every lifecycle sleep (a `lambda:invoke.waitForTaskToken` task whose timeout is the wake-up):
// records the task token on the vendor, so that an upload or a review wakes the lifecycle at once
// (SendTaskSuccess), and the due-vendors index learns the next action date. If the vendor changed since the
// plan was made, it refuses to sleep (VendorChanged), and the state machine re-plans immediately.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ConflictError, ValidationError, type Problem } from '../core/errors.js';
import { event as ev } from '../core/events.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';

export interface WaitEvent {
  vendorId: string;
  generation: number;
  execution: string;
  taskToken: string;
  wakeAt: string | null;
  seenSeq: number;
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
  try {
    // One read of the projection; a lagging one makes the append conflict and the store re-read the log.
    const projected = (await deps.store.loadMany([input.vendorId])).get(input.vendorId);
    await deps.store.update(
      input.vendorId,
      (state) => {
        // Anything recorded since the plan (an upload, a review) means: do not sleep, plan again now.
        if ((state?.seq ?? 0) !== input.seenSeq) throw changed();
        return [waiting];
      },
      {
        actor: { kind: 'workflow', execution: input.execution },
        assumeState: projected ?? null,
        maxAttempts: 2,
      },
    );
  } catch (error) {
    if (error instanceof VendorChanged || error instanceof ConflictError) {
      logger.debug('vendor changed since the plan: re-planning', { vendorId: input.vendorId });
      throw error instanceof VendorChanged ? error : changed();
    }
    throw error;
  }
  return { waiting: true };
}

export const handler = middy(async (event: unknown) => runWait(event)).use(injectLambdaContext(logger));
