// The daily reconciler (EventBridge Scheduler on AWS; the embedded runner's virtual clock locally): every vendor
// must have a live lifecycle. It reads only the sparse due-vendors index (vendors whose next action is at or
// before now), so its cost grows with the vendors due, not with the portfolio. A vendor is in that index from its
// registration until a lifecycle takes it over (the reducer sets nextActionAt to the registration instant); a
// running lifecycle moves it forward on every wait, so what stays behind is a vendor never started, one whose
// lifecycle failed (RecordFailure makes it due at once), or one whose lifecycle died without a trace. Before a
// recorded execution is replaced, Step Functions is asked whether it still runs. Names are deterministic, so a
// reconciler racing another starter never doubles a lifecycle.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { generationOf, lifecycleExecutionName } from '../adapters/sfn/lifecycle.js';
import type { VendorState } from '../core/vendor-state.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';

/**
 * A wake-up less late than this is a lifecycle waking right now (its Plan may be running or retrying): left
 * alone without asking Step Functions.
 */
export const GRACE_MS = 3_600_000;
/**
 * When Step Functions cannot be asked (its answer failed), only a wake-up this late counts as dead: a live
 * lifecycle never lags its own schedule by a day.
 */
export const OVERDUE_MS = 24 * 3_600_000;
/** How many vendors are judged and started at once (StartExecution is throttled per account). */
const CONCURRENCY = 8;
/** Vendors' states read per BatchGetItem round (DynamoDB's limit). */
const PAGE = 100;

/** What the reconciler makes of one due vendor. */
export type Judgement =
  /** No lifecycle was ever recorded: start generation 1 (a duplicate start is refused by name). */
  | { action: 'start'; why: string }
  /** A recorded execution looks dead: start its next generation unless Step Functions says it is running. */
  | { action: 'restart-unless-running'; why: string; execution: string };

/** What to do about this vendor, or null when its lifecycle is alive, waking right now, or deliberately stopped. */
export function judge(state: VendorState, now: Date): Judgement | null {
  if (!state.profile) return null;
  const life = state.lifecycle;
  if (life.stoppedAt) return null;
  if (!life.execution) return { action: 'start', why: 'no lifecycle yet' };
  if (life.failed)
    return {
      action: 'restart-unless-running',
      why: `failed: ${life.failed.error}`,
      execution: life.execution,
    };
  if (state.nextActionAt !== null && Date.parse(state.nextActionAt) < now.getTime() - GRACE_MS)
    return {
      action: 'restart-unless-running',
      why: `overdue since ${state.nextActionAt}`,
      execution: life.execution,
    };
  return null;
}

/** Why this vendor's lifecycle may need (re)starting, or null when it is alive or deliberately stopped. */
export function whyRestart(state: VendorState, now: Date): string | null {
  return judge(state, now)?.why ?? null;
}

export interface ReconcileResult {
  /** Entries read from the due index (the vendors due at or before now). */
  due: number;
  /** Vendors whose state was read and judged. */
  checked: number;
  started: { vendorId: string; execution: string; why: string }[];
  /** Looked dead by the record, but Step Functions says the execution is running: left alone. */
  running: { vendorId: string; execution: string; why: string }[];
  /** The start was refused: an execution of that name already exists (another starter got there first). */
  refused: { vendorId: string; execution: string; why: string }[];
  /** Vendors the reconciler could not handle this time (the next run tries again). */
  errors: { vendorId: string; error: string }[];
}

export async function runReconcile(deps: LifecycleDeps = lifecycleDeps()): Promise<ReconcileResult> {
  const { store, control, clock } = deps;
  if (!control) throw new Error('configuration: STATE_MACHINE_ARN is not set');
  const now = clock.now();
  const due = await store.dueVendors(now);
  const out: ReconcileResult = {
    due: due.length,
    checked: 0,
    started: [],
    running: [],
    refused: [],
    errors: [],
  };
  // The index is keys only and may lag: each due vendor's state is read (consistently) and judged on that.
  const ids = [...new Set(due.map((d) => d.vendorId))];
  for (let i = 0; i < ids.length; i += PAGE) {
    const states = [...(await store.loadMany(ids.slice(i, i + PAGE))).values()];
    out.checked += states.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, states.length) }, async () => {
        while (next < states.length) {
          const state = states[next++]!;
          try {
            await reconcileVendor(state, now, control, out);
          } catch (error) {
            out.errors.push({ vendorId: state.vendorId, error: (error as Error).name });
            logger.error('reconcile: vendor not handled', { vendorId: state.vendorId, error });
          }
        }
      }),
    );
  }
  const byVendor = (a: { vendorId: string }, b: { vendorId: string }) => (a.vendorId < b.vendorId ? -1 : 1);
  for (const list of [out.started, out.running, out.refused, out.errors]) list.sort(byVendor);
  if (out.started.length) logger.warn('restarted lifecycles', { started: out.started });
  if (out.refused.length) logger.warn('lifecycle start refused (name taken)', { refused: out.refused });
  logger.info('reconciled', {
    due: out.due,
    checked: out.checked,
    started: out.started.length,
    running: out.running.length,
    refused: out.refused.length,
    errors: out.errors.length,
  });
  return out;
}

async function reconcileVendor(
  state: VendorState,
  now: Date,
  control: NonNullable<LifecycleDeps['control']>,
  out: ReconcileResult,
): Promise<void> {
  const judgement = judge(state, now);
  if (!judgement) return;
  const { vendorId } = state;
  const { why } = judgement;
  let generation = 1;
  if (judgement.action === 'restart-unless-running') {
    const { execution } = judgement;
    let status: string | undefined;
    let asked = true;
    try {
      status = await control.status(execution);
    } catch (error) {
      // No answer (e.g. DescribeExecution not granted, or Step Functions unavailable): fall back to the record.
      asked = false;
      logger.warn('reconcile: execution status unavailable', { vendorId, execution, error });
    }
    if (status === 'RUNNING') {
      out.running.push({ vendorId, execution, why });
      return;
    }
    if (!asked && !(state.lifecycle.failed || overdueByADay(state, now))) return;
    generation = generationOf(execution) + 1;
  }
  const started = await control.start(vendorId, generation);
  const entry = { vendorId, execution: lifecycleExecutionName(vendorId, generation), why };
  (started.started ? out.started : out.refused).push(entry);
}

function overdueByADay(state: VendorState, now: Date): boolean {
  return state.nextActionAt !== null && Date.parse(state.nextActionAt) < now.getTime() - OVERDUE_MS;
}

/** Throws after the run when some vendors could not be handled, so the failed-invocation alarm fires. */
export const handler = middy(async () => {
  const result = await runReconcile();
  if (result.errors.length > 0)
    throw new Error(
      `reconcile: ${result.errors.length} vendor(s) not handled: ${result.errors
        .slice(0, 10)
        .map((e) => `${e.vendorId} (${e.error})`)
        .join(', ')}`,
    );
  return result;
}).use(injectLambdaContext(logger));
