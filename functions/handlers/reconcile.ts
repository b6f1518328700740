// The daily reconciler (EventBridge Scheduler on AWS; the embedded runner's virtual clock locally): every vendor
// must have a live lifecycle. A vendor that never had one, whose lifecycle failed, or whose next action is more
// than a day overdue (its execution died without a trace) gets the next generation started. Names are
// deterministic, so a reconciler racing another starter never doubles a lifecycle.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { generationOf } from '../adapters/sfn/lifecycle.js';
import type { VendorState } from '../core/vendor-state.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';

/** A wake-up this late means nothing is waiting for it any more. */
export const OVERDUE_MS = 24 * 3_600_000;

export interface ReconcileResult {
  checked: number;
  started: { vendorId: string; execution: string; why: string }[];
}

/** Why this vendor's lifecycle needs (re)starting, or null when it is alive or deliberately stopped. */
export function whyRestart(state: VendorState, now: Date): string | null {
  if (!state.profile) return null;
  const life = state.lifecycle;
  if (life.stoppedAt) return null;
  if (!life.execution) return 'no lifecycle yet';
  if (life.failed) return `failed: ${life.failed.error}`;
  if (state.nextActionAt !== null && Date.parse(state.nextActionAt) < now.getTime() - OVERDUE_MS)
    return `overdue since ${state.nextActionAt}`;
  return null;
}

export async function runReconcile(deps: LifecycleDeps = lifecycleDeps()): Promise<ReconcileResult> {
  const { store, control, clock } = deps;
  if (!control) throw new Error('configuration: STATE_MACHINE_ARN is not set');
  const now = clock.now();
  // Overdue or failed vendors come from the sparse due index; vendors never started have no entry there, so the
  // vendor list is read too (one read per vendor per day: $0.25 per million).
  const due = await store.dueVendors(new Date(now.getTime() - OVERDUE_MS));
  const ids = new Set([...due.map((d) => d.vendorId), ...(await store.listVendorIds())]);
  const states = await store.loadMany([...ids]);
  const out: ReconcileResult = { checked: states.size, started: [] };
  for (const [vendorId, state] of states) {
    const why = whyRestart(state, now);
    if (!why) continue;
    const started = await control.start(vendorId, generationOf(state.lifecycle.execution) + 1);
    if (started.started) out.started.push({ vendorId, execution: started.executionName, why });
  }
  if (out.started.length) logger.warn('restarted lifecycles', { started: out.started });
  return out;
}

export const handler = middy(async () => runReconcile()).use(injectLambdaContext(logger));
