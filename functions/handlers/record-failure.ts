// The Catch of every lifecycle task: records the failure in the vendor's audit trail (lifecycle-failed), makes
// the vendor due at once for the daily reconciler (which restarts the lifecycle), and alerts the compliance lead.
// The alert names the error, never its data.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ValidationError } from '../core/errors.js';
import { calendarDateOf } from '../core/dates.js';
import { event as ev, type Actor, type NewEvent } from '../core/events.js';
import { renderLifecycleMail } from '../core/mail/templates.js';
import { lifecycleDeps, logger, type LifecycleDeps } from './runtime.js';
import { deliver } from './plan.js';

export interface RecordFailureEvent {
  vendorId: string;
  generation: number;
  execution: string;
  failure: { Error?: string; Cause?: string } | null;
}

const MAX_CAUSE = 1000;

export async function runRecordFailure(
  raw: unknown,
  deps: LifecycleDeps = lifecycleDeps(),
): Promise<{ recorded: boolean }> {
  const input = (raw ?? {}) as RecordFailureEvent;
  if (typeof input.vendorId !== 'string' || typeof input.execution !== 'string')
    throw new ValidationError([{ path: 'vendorId', message: 'vendorId and execution are required' }]);
  const error = String(input.failure?.Error ?? 'Unknown');
  const cause = String(input.failure?.Cause ?? '').slice(0, MAX_CAUSE);
  logger.error('lifecycle failed', { vendorId: input.vendorId, execution: input.execution, error, cause });
  const actor: Actor = { kind: 'workflow', execution: input.execution };
  const now = deps.clock.now();
  const today = calendarDateOf(now, deps.config.timeZone);
  const key = `${input.vendorId}/failure/${input.execution}`;
  let mail: { to: string; subject: string; text: string; html: string } | undefined;
  const result = await deps.store.update(
    input.vendorId,
    (state): NewEvent[] => {
      mail = undefined;
      if (!state?.profile) return [];
      // A superseded execution's failure is not the vendor's: its successor owns the lifecycle.
      if (state.lifecycle.execution !== undefined && state.lifecycle.execution !== input.execution) return [];
      if (state.lifecycle.failed && state.emails[key]) return [];
      const events: NewEvent[] = [
        ev('lifecycle-failed', { error, cause }),
        ev('next-action-scheduled', { nextActionAt: now.toISOString() }),
      ];
      const to = state.profile.complianceLeadEmail;
      if (to && !state.emails[key]) {
        const rendered = renderLifecycleMail('lifecycle-failed', {
          vendorName: state.profile.name,
          vendorId: state.vendorId,
          date: today,
          lapseDate: null,
          periodEnd: null,
          bridgedUntil: null,
          errorName: error,
        });
        mail = { to, ...rendered };
        events.push(
          ev('email-intended', { key, kind: 'lifecycle-failed', to, subject: rendered.subject, date: today }),
        );
      }
      return events;
    },
    { actor },
  );
  if (result.events.length > 0 && mail) {
    const { to, ...rendered } = mail;
    await deliver(deps, input.vendorId, actor, [{ key, to, mail: rendered }]);
  }
  return { recorded: result.events.length > 0 };
}

export const handler = middy(async (event: unknown) => runRecordFailure(event)).use(
  injectLambdaContext(logger),
);
