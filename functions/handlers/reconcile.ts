// The daily reconciler (EventBridge Scheduler on AWS; the embedded runner's virtual clock locally): every vendor
// must have a live lifecycle. It reads only the sparse due-vendors index (vendors whose next action is at or
// before now), so its cost grows with the vendors due, not with the portfolio. A vendor is in that index from its
// registration until a lifecycle takes it over (the reducer sets nextActionAt to the registration instant); a
// running lifecycle moves it forward on every wait, so what stays behind is a vendor never started, one whose
// lifecycle failed (RecordFailure makes it due at once), or one whose lifecycle died without a trace. Before a
// recorded execution is replaced, Step Functions is asked whether it still runs. Names are deterministic, so a
// reconciler racing another starter never doubles a lifecycle.
//
// It is also the outbox's last resort: a vendor with an e-mail intent left unsent past its grace period is in the
// due index from then on (core/vendor-state.ts nextActionAt), and the reconciler sends it.
//
// And it sends the weekly digest (functions/app/digest.ts): the weekly schedule invokes it with
// `detailType: 'weekly-digest'` on the digest's weekday at the mail hour, and every daily run after that in the
// same week sends whatever digest is still due (one per person per ISO week, whoever runs).
//
// Last, it writes the day's checkpoint of the audit trail (core/checkpoint.ts): every vendor's head, sealed and
// locked in the documents bucket. Its log line carries `checkpointAgeHours` (0 when written, else the hours since
// the last one), which the CheckpointNotWritten alarm watches.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LIFECYCLE_FUNCTIONS } from '../catalog.js';
import { runDigests, type DigestDeps, type DigestRun } from '../app/digest.js';
import { deliver, type MailDeps } from '../app/outbox.js';
import type { Vendors } from '../app/vendors.js';
import { toSend } from '../core/commands/outbox.js';
import type { VendorState } from '../core/vendor-state.js';
import {
  createLifecycleControl,
  createSfnClient,
  generationOf,
  lifecycleExecutionName,
  type LifecycleControl,
} from '../adapters/sfn/lifecycle.js';
import type { Clock } from '../ports/clock.js';
import { readConfig } from '../edge/config.js';
import { logger } from '../edge/logger.js';
import { openMac } from '../edge/mac.js';
import { openMailer } from '../edge/mailer.js';
import { openStaffRecords } from '../edge/staff-records.js';
import { openCheckpoints } from '../edge/documents.js';
import { takeCheckpoint } from '../app/checkpoints.js';
import { checkpointInstant } from '../core/checkpoint.js';
import type { CheckpointFiles } from '../ports/checkpoint-files.js';
import type { Mac } from '../ports/mac.js';
import { clock, lazy, withFaults } from '../edge/runtime.js';
import { openVendors } from '../edge/vendors.js';

export interface ReconcileDeps {
  vendors: Vendors;
  control: LifecycleControl;
  mail: MailDeps;
  clock: Clock;
  /** The weekly digest (absent: none is sent). */
  digest?: Pick<DigestDeps, 'staff' | 'policy' | 'mailHour' | 'weekday'>;
}

/** Where the day's checkpoint goes, how long it is locked, and the key that seals it. */
export interface CheckpointStepDeps {
  vendors: Vendors;
  files: CheckpointFiles;
  retentionDays: number;
  mac: Mac;
  clock: Clock;
}

const deps = lazy((): ReconcileDeps => {
  const config = readConfig(process.env, LIFECYCLE_FUNCTIONS.reconcile.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    control: createLifecycleControl({ client: createSfnClient(), stateMachineArn: config.stateMachineArn }),
    mail: {
      mailer: withFaults('mailer', openMailer(config)),
      mac: openMac(config.macKey),
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.timeZone,
    },
    clock,
    digest: {
      staff: openStaffRecords(config),
      policy: config.policy,
      mailHour: config.mailHour,
      weekday: config.digestWeekday,
    },
  };
});

const checkpointDeps = lazy((): CheckpointStepDeps => {
  const config = readConfig(process.env, LIFECYCLE_FUNCTIONS.reconcile.needs);
  return {
    vendors: deps().vendors,
    files: openCheckpoints(config.documentsBucket),
    retentionDays: config.evidenceRetentionDays,
    mac: openMac(config.macKey),
    clock,
  };
});

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
  // The lifecycle's own schedule (not an unsent e-mail's, which the outbox pass below takes care of).
  if (state.scheduledAt !== null && Date.parse(state.scheduledAt) < now.getTime() - GRACE_MS)
    return {
      action: 'restart-unless-running',
      why: `overdue since ${state.scheduledAt}`,
      execution: life.execution,
    };
  return null;
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
  /** E-mails found unsent past their grace period, and sent now. */
  mailed: { vendorId: string; keys: string[] }[];
  /** Vendors the reconciler could not handle this time (the next run tries again). */
  errors: { vendorId: string; error: string }[];
  /** The weekly digest's pass (when configured). */
  digest?: DigestRun;
}

export async function runReconcile(d: ReconcileDeps = deps()): Promise<ReconcileResult> {
  const { vendors, control } = d;
  const now = d.clock.now();
  const due = await vendors.dueVendors(now);
  const out: ReconcileResult = {
    due: due.length,
    checked: 0,
    started: [],
    running: [],
    refused: [],
    mailed: [],
    errors: [],
  };
  // The index is keys only and may lag: each due vendor's state is read (consistently) and judged on that.
  const ids = [...new Set(due.map((d) => d.vendorId))];
  for (let i = 0; i < ids.length; i += PAGE) {
    const states = [...(await vendors.loadMany(ids.slice(i, i + PAGE))).values()];
    out.checked += states.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, states.length) }, async () => {
        while (next < states.length) {
          const state = states[next++]!;
          try {
            const unsent = toSend(state, now);
            if (unsent.length) {
              await deliver(vendors, d.mail, state, unsent, { kind: 'workflow', execution: 'reconcile' });
              out.mailed.push({ vendorId: state.vendorId, keys: unsent.map((e) => e.key) });
            }
            await reconcileVendor(state, now, control, out);
          } catch (error) {
            out.errors.push({ vendorId: state.vendorId, error: (error as Error).name });
            logger.error('reconcile: vendor not handled', { vendorId: state.vendorId, error });
          }
        }
      }),
    );
  }
  if (d.digest) out.digest = await digestPass(d);
  const byVendor = (a: { vendorId: string }, b: { vendorId: string }) => (a.vendorId < b.vendorId ? -1 : 1);
  for (const list of [out.started, out.running, out.refused, out.mailed, out.errors]) list.sort(byVendor);
  if (out.mailed.length) logger.warn('sent e-mails left unsent', { mailed: out.mailed });
  if (out.started.length) logger.warn('restarted lifecycles', { started: out.started });
  if (out.refused.length) logger.warn('lifecycle start refused (name taken)', { refused: out.refused });
  logger.info('reconciled', {
    due: out.due,
    checked: out.checked,
    started: out.started.length,
    running: out.running.length,
    refused: out.refused.length,
    mailed: out.mailed.length,
    errors: out.errors.length,
  });
  return out;
}

async function reconcileVendor(
  state: VendorState,
  now: Date,
  control: LifecycleControl,
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
  // A name already taken by an execution that has ended (a generation that failed before it was recorded on
  // the vendor) can never be started again (Step Functions keeps closed names for 90 days): move on to the next
  // generation. A name taken by a running execution is that lifecycle: leave it.
  for (let tries = 0; tries < MAX_GENERATION_SKIPS; tries++, generation++) {
    const name = lifecycleExecutionName(vendorId, generation);
    const started = await control.start(vendorId, generation);
    if (started.started) {
      out.started.push({ vendorId, execution: name, why });
      return;
    }
    if ((await control.status(name)) === 'RUNNING') {
      out.refused.push({ vendorId, execution: name, why });
      return;
    }
  }
  throw new Error(`no free execution name after ${MAX_GENERATION_SKIPS} generations`);
}

/**
 * Writes the day's checkpoint (after the reconcile pass: its cost is one head read per vendor, the only part of
 * the reconciler that grows with the portfolio). Logs its age for the CheckpointNotWritten alarm either way.
 */
export async function writeDailyCheckpoint(
  d: CheckpointStepDeps = checkpointDeps(),
): Promise<{ key: string; vendors: number } | { error: string }> {
  const now = d.clock.now();
  try {
    const taken = await takeCheckpoint(d);
    logger.info('checkpoint written', {
      checkpoint: taken.key,
      vendors: taken.vendors,
      checkpointAgeHours: 0,
    });
    return { key: taken.key, vendors: taken.vendors };
  } catch (error) {
    const last = await d.files.list().then(
      (keys) => keys.at(-1),
      () => undefined,
    );
    const age = last
      ? (now.getTime() - checkpointInstant(last).getTime()) / 3_600_000
      : NO_CHECKPOINT_AGE_HOURS;
    logger.error('checkpoint not written', {
      error,
      lastCheckpoint: last,
      checkpointAgeHours: Math.round(age),
    });
    return { error: (error as Error).name };
  }
}

/** The age logged when no checkpoint exists at all (and writing one failed): far past the alarm's threshold. */
const NO_CHECKPOINT_AGE_HOURS = 99_999;

/** Closed generations skipped at most in one run (each is one failed start before a lifecycle is recorded). */
const MAX_GENERATION_SKIPS = 5;

function overdueByADay(state: VendorState, now: Date): boolean {
  return state.scheduledAt !== null && Date.parse(state.scheduledAt) < now.getTime() - OVERDUE_MS;
}

/** The digest's pass, logged; a failure to read the portfolio is one error of the run, not a lost run. */
export async function digestPass(d: ReconcileDeps): Promise<DigestRun | undefined> {
  if (!d.digest) return undefined;
  try {
    const run = await runDigests({ ...d.digest, vendors: d.vendors, mail: d.mail, clock: d.clock });
    if (run.due)
      logger.info('weekly digest', {
        week: run.week,
        recipients: run.recipients,
        intended: run.intended.length,
        sent: run.sent.length,
        errors: run.errors.length,
      });
    if (run.errors.length)
      logger.error('weekly digest: not all sent', { week: run.week, errors: run.errors });
    return run;
  } catch (error) {
    logger.error('weekly digest failed', { error });
    return {
      week: '',
      due: true,
      recipients: 0,
      intended: [],
      sent: [],
      errors: [{ to: '*', error: (error as Error).name }],
    };
  }
}

/** What the schedules send: the daily run's input, or the weekly digest's. */
interface ScheduleInput {
  detailType?: string;
}

/** Throws after the run when some vendors or digests could not be handled, so the failed-invocation alarm fires. */
export const handler = middy(async (event: ScheduleInput | undefined) => {
  if (event?.detailType === 'weekly-digest') {
    const run = await digestPass(deps());
    if (run && run.errors.length > 0)
      throw new Error(`weekly digest: ${run.errors.length} not sent (the daily run sends them)`);
    return run;
  }
  const result = await runReconcile();
  const checkpoint = await writeDailyCheckpoint();
  if ('error' in checkpoint)
    throw new Error(`reconcile: the audit trail's checkpoint was not written (${checkpoint.error})`);
  const failures = [
    ...result.errors.map((e) => `${e.vendorId} (${e.error})`),
    ...(result.digest?.errors ?? []).map(
      (e) => `digest to ${e.to === '*' ? 'everyone' : 'one person'} (${e.error})`,
    ),
  ];
  if (failures.length > 0)
    throw new Error(
      `reconcile: ${failures.length} vendor(s) or digest(s) not handled: ${failures.slice(0, 10).join(', ')}`,
    );
  return { ...result, checkpoint };
}).use(injectLambdaContext(logger));
