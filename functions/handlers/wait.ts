// The body of every lifecycle sleep (a `lambda:invoke.waitForTaskToken` task whose timeout is the wake-up):
// records the task token on the vendor, so that an upload or a review wakes the lifecycle at once
// (SendTaskSuccess), and the due-vendors index learns the next action date. If the vendor changed since the
// plan was made, it does not sleep: it completes its own task token, and the state machine re-plans at once, as
// on any early wake-up. (Not an error: the function's Errors alarm is for errors.)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LIFECYCLE_FUNCTIONS } from '../catalog.js';
import { recordSent } from '../app/outbox.js';
import type { Vendors } from '../app/vendors.js';
import { recordWait, VendorChanged } from '../core/commands/lifecycle.js';
import type { SentEmail } from '../core/commands/outbox.js';
import { ConflictError, ValidationError, type Problem } from '../core/errors.js';
import { emptyState } from '../core/vendor-state.js';
import { readConfig } from '../edge/config.js';
import { logger } from '../edge/logger.js';
import { lazy, withFaults } from '../edge/runtime.js';
import { createLifecycleControl, createSfnClient, type LifecycleControl } from '../adapters/sfn/lifecycle.js';
import { openVendors } from '../edge/vendors.js';

export interface WaitDeps {
  vendors: Vendors;
  control: Pick<LifecycleControl, 'resume'>;
}

const deps = lazy((): WaitDeps => {
  const config = readConfig(process.env, LIFECYCLE_FUNCTIONS.wait.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    control: createLifecycleControl({ client: createSfnClient(), stateMachineArn: config.stateMachineArn }),
  };
});

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

export async function runWait(raw: unknown, d: WaitDeps = deps()): Promise<{ waiting: boolean }> {
  const input = parseWaitEvent(raw);
  const sent = input.sent ?? [];
  const actor = { kind: 'workflow' as const, execution: input.execution };
  // One read of the projection; a lagging one makes the commit conflict and the loop re-read the log.
  const projected = (await d.vendors.loadMany([input.vendorId])).get(input.vendorId);
  try {
    await d.vendors.update(input.vendorId, (state) => recordWait(state, { ...input, sent }), {
      actor,
      assumeState: projected ?? null,
      maxAttempts: 2,
    });
  } catch (error) {
    if (!(error instanceof VendorChanged || error instanceof ConflictError)) throw error;
    logger.debug('vendor changed since the plan: re-planning', { vendorId: input.vendorId });
    // The plan's e-mails went out: record them now, whatever changed.
    const current = (await d.vendors.load(input.vendorId)) ?? emptyState(input.vendorId);
    await recordSent(d.vendors, current, sent, actor);
    // The sleep ends here: its task's output is what an early SendTaskSuccess from a change would give.
    await d.control.resume(input.taskToken, 'vendor-changed');
    return { waiting: false };
  }
  return { waiting: true };
}

export const handler = middy(async (event: unknown) => runWait(event)).use(injectLambdaContext(logger));
