// What the people's-side handlers (vendor upload, review, console, ingest) share, built once per module from
// the environment on first use (so the local front can set the environment first). The clock is the lifecycle
// runtime's: the local stack's virtual clock moves the pages' "today" too.
import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { clock, lazy } from './runtime.js';
import { createVendorStore } from '../adapters/dynamodb/vendor-store.js';
import { createS3Client, s3DocumentFiles } from '../adapters/s3/documents.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentFiles } from '../ports/document-files.js';
import type { VendorStore } from '../ports/vendor-store.js';
import {
  DEFAULT_POLICY,
  parsePolicyJson,
  settingsFor,
  type Policy,
  type PolicySettings,
} from '../core/policy.js';
import { calendarDateOf, isTimeZone, type CalendarDate } from '../core/dates.js';
import type { VendorState } from '../core/vendor-state.js';
import type { Tier } from '../core/portfolio.js';
import { logger } from './http.js';
import type { Mailer } from '../ports/mailer.js';
import { createSesMailer } from '../adapters/ses/mailer.js';

/** Wakes a vendor's sleeping lifecycle so that it re-plans now (an upload arrived, a decision was made). */
export type WakeLifecycle = (state: VendorState, reason: string) => Promise<void>;

export interface PeopleDeps {
  store: VendorStore;
  files: DocumentFiles;
  clock: Clock;
  policy: Policy;
  timeZone: string;
  wake: WakeLifecycle;
  mailer: Mailer;
  /** Where the pages live (links in e-mails); '' when unknown (links are then left out). */
  publicBaseUrl: string;
}

export function today(deps: Pick<PeopleDeps, 'clock' | 'timeZone'>): CalendarDate {
  return calendarDateOf(deps.clock.now(), deps.timeZone);
}

export function settingsOf(deps: Pick<PeopleDeps, 'policy'>, tier: Tier): PolicySettings {
  return settingsFor(deps.policy, tier);
}

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`configuration: ${name} is not set`);
  return value;
}

/**
 * SendTaskSuccess on the task token the vendor's sleeping lifecycle left on its record. A token that is gone
 * (the workflow woke on its own meanwhile) is not an error: the next Plan sees the change anyway.
 */
export function sfnWake(client: SFNClient): WakeLifecycle {
  return async (state, reason) => {
    const taskToken = state.lifecycle.taskToken;
    if (!taskToken) return;
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ woken: reason }) }));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken') {
        logger.info('lifecycle was no longer waiting on that token', { vendorId: state.vendorId, reason });
        return;
      }
      throw error;
    }
  };
}

function isLocal(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
}

const mailer = lazy(() =>
  createSesMailer({
    from: env('MAIL_FROM'),
    ...(process.env.MAIL_CONFIGURATION_SET ? { configurationSet: process.env.MAIL_CONFIGURATION_SET } : {}),
  }),
);

/** The real dependencies, from the environment (TABLE_NAME, DOCUMENTS_BUCKET, INSTITUTION_TIME_ZONE, POLICY_JSON). */
export const peopleDeps = lazy((): PeopleDeps => {
  const timeZone = process.env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(timeZone))
    throw new Error(`configuration: INSTITUTION_TIME_ZONE ${timeZone} is not a time zone`);
  const sfnEndpoint = process.env.AWS_ENDPOINT_URL_SFN;
  const sfn = new SFNClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(isLocal(sfnEndpoint) && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  return {
    store: createVendorStore({ tableName: env('TABLE_NAME'), clock }),
    files: s3DocumentFiles(createS3Client(), env('DOCUMENTS_BUCKET')),
    clock,
    policy: process.env.POLICY_JSON ? parsePolicyJson(process.env.POLICY_JSON) : DEFAULT_POLICY,
    timeZone,
    wake: sfnWake(sfn),
    // Mail is sent by the ingest and review handlers only; the others never touch it (lazily required).
    mailer: {
      send: (email) => mailer().send(email),
    },
    publicBaseUrl: (process.env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, ''),
  };
});

/**
 * Wakes the lifecycle now if it can. A failure is logged, not thrown: what happened is already recorded, and the
 * lifecycle sees it at its next scheduled wake-up at the latest (the daily reconciler restarts a dead one).
 */
export async function wakeSoon(
  deps: Pick<PeopleDeps, 'wake'>,
  state: VendorState,
  reason: string,
): Promise<void> {
  try {
    await deps.wake(state, reason);
  } catch (error) {
    logger.error('could not wake the lifecycle; it will see the change at its next wake-up', {
      vendorId: state.vendorId,
      reason,
      error: error as Error,
    });
  }
}
