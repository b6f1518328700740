// The Catch of every lifecycle task: records the failure in the vendor's audit trail (lifecycle-failed), makes
// the vendor due at once for the daily reconciler (which restarts the lifecycle), and alerts the compliance lead.
// The alert names the error, never its data.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LIFECYCLE_FUNCTIONS } from '../catalog.js';
import { deliver, type MailDeps } from '../app/outbox.js';
import type { Vendors } from '../app/vendors.js';
import { failureEmailKey, recordFailure } from '../core/commands/lifecycle.js';
import { toSend } from '../core/commands/outbox.js';
import { ValidationError } from '../core/errors.js';
import type { Actor } from '../core/events.js';
import type { Clock } from '../ports/clock.js';
import { readConfig } from '../edge/config.js';
import { logger } from '../edge/logger.js';
import { openMailer } from '../edge/mailer.js';
import { clock, lazy, withFaults } from '../edge/runtime.js';
import { openVendors } from '../edge/vendors.js';

export interface RecordFailureDeps {
  vendors: Vendors;
  /** The failure alert carries no link: no MAC key. */
  mail: MailDeps;
  clock: Clock;
}

const deps = lazy((): RecordFailureDeps => {
  const config = readConfig(process.env, LIFECYCLE_FUNCTIONS.recordFailure.needs);
  return {
    vendors: withFaults('vendors', openVendors(config)),
    mail: {
      mailer: withFaults('mailer', openMailer(config)),
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.timeZone,
    },
    clock,
  };
});

export interface RecordFailureEvent {
  vendorId: string;
  generation: number;
  execution: string;
  failure: { Error?: string; Cause?: string } | null;
}

export async function runRecordFailure(
  raw: unknown,
  d: RecordFailureDeps = deps(),
): Promise<{ recorded: boolean }> {
  const input = (raw ?? {}) as RecordFailureEvent;
  if (typeof input.vendorId !== 'string' || typeof input.execution !== 'string')
    throw new ValidationError([{ path: 'vendorId', message: 'vendorId and execution are required' }]);
  const error = String(input.failure?.Error ?? 'Unknown');
  const cause = String(input.failure?.Cause ?? '');
  logger.error('lifecycle failed', { vendorId: input.vendorId, execution: input.execution, error, cause });
  const actor: Actor = { kind: 'workflow', execution: input.execution };
  const now = d.clock.now();
  const result = await d.vendors.update(
    input.vendorId,
    (state) =>
      recordFailure(state, { execution: input.execution, error, cause, now, timeZone: d.mail.timeZone }),
    { actor },
  );
  // This failure's alert, also when an earlier attempt recorded it and stopped before sending.
  const keys = new Set([failureEmailKey(input.vendorId, input.execution)]);
  await deliver(d.vendors, d.mail, result.state, toSend(result.state, now, { keys }), actor);
  return { recorded: result.events.length > 0 };
}

export const handler = middy(async (event: unknown) => runRecordFailure(event)).use(
  injectLambdaContext(logger),
);
