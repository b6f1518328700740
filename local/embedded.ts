// The embedded stack: dynalite (DynamoDB), the SES v2 mailbox, the lifecycle runner with its virtual clock and
// the runner's Step Functions endpoint, all on loopback. It sets the SDK's standard AWS_ENDPOINT_URL_* variables
// and the handlers' configuration, and installs the virtual clock in the handlers' runtime, so the handlers run
// unchanged. `npm start` adds S3 and the HTTP front on top; `simulate` and the tests use it as is.
import { createDynamoClient } from '../functions/adapters/dynamodb/client.js';
import { ensureTable } from '../functions/adapters/dynamodb/table.js';
import { createVendorStore } from '../functions/adapters/dynamodb/vendor-store.js';
import {
  createLifecycleControl,
  createSfnClient,
  generationOf,
  type LifecycleControl,
} from '../functions/adapters/sfn/lifecycle.js';
import { addDays, calendarDateOf, instantAt } from '../functions/core/dates.js';
import { logger, resetRuntime, useClock } from '../functions/handlers/runtime.js';
import type { VendorStore } from '../functions/ports/vendor-store.js';
import type { Clock } from '../functions/ports/clock.js';
import { startDynamoDb } from './dynamodb.js';
import { synthesizeLifecycle } from './runner/definition.js';
import { LifecycleRunner, VirtualClock } from './runner/runner.js';
import { startSfnEndpoint } from './runner/sfn-endpoint.js';
import { startSesMailbox, type SesMailbox } from './ses.js';

export interface EmbeddedStackOptions {
  /** Keep DynamoDB data here (default: in memory). */
  dataDir?: string;
  /** Use this DynamoDB endpoint instead of starting dynalite here (the bench runs it in another process). */
  dynamodbEndpoint?: string;
  /** The virtual clock to drive (default: one starting now). */
  clock?: VirtualClock;
  /** Where the clock starts when none is given. */
  start?: Date;
  tableName?: string;
  /**
   * Each vendor on its own virtual time (see LifecycleRunner `independentLanes`): much faster for many vendors;
   * scheduled events must name their vendor, so no daily reconciler. Default false.
   */
  independentLanes?: boolean;
  /** Run the reconciler every virtual day at this hour (default: not scheduled). */
  reconcileDailyAtHour?: number;
  /** Base URL of the people's side in e-mails (default http://127.0.0.1:3000). */
  publicBaseUrl?: string;
  /** Extra environment for the handlers (POLICY_JSON, INSTITUTION_TIME_ZONE, MAIL_HOUR, ...). */
  env?: Record<string, string>;
}

export interface EmbeddedStack {
  endpoints: { dynamodb: string; ses: string; sfn: string };
  tableName: string;
  clock: VirtualClock;
  runner: LifecycleRunner;
  mailbox: SesMailbox;
  store: VendorStore;
  lifecycle: LifecycleControl;
  /** Starts generation 1 of a vendor's lifecycle (refused, not doubled, if it exists). */
  startLifecycle(vendorId: string): Promise<void>;
  /** Runs the reconciler handler once, now (as the daily schedule does). */
  reconcile(): Promise<unknown>;
  /** Clock control for the local console: to the next wake-up, by whole days, or to an instant. */
  advanceToNextWakeUp(): Promise<Date | undefined>;
  advanceDays(days: number): Promise<Date>;
  runUntil(instant: Date): Promise<void>;
  stop(): Promise<void>;
}

const ENV_KEYS = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SESV2',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_REGION',
  'TABLE_NAME',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'STATE_MACHINE_ARN',
];

export async function startEmbeddedStack(options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> {
  const clock = options.clock ?? new VirtualClock(options.start ?? new Date());
  const tableName = options.tableName ?? 'bridgekeeper';
  const stops: (() => Promise<void>)[] = [];
  const saved = Object.fromEntries(
    [...ENV_KEYS, ...Object.keys(options.env ?? {})].map((k) => [k, process.env[k]]),
  );
  let previousClock: Clock | undefined;
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    if (previousClock) useClock(previousClock);
    resetRuntime();
  };
  try {
    const dynamo = options.dynamodbEndpoint
      ? { endpoint: options.dynamodbEndpoint }
      : await startDynamoDb(options.dataDir ? { dataDir: options.dataDir } : {});
    if ('stop' in dynamo) stops.push(dynamo.stop);
    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    await ensureTable(client, tableName);
    const mailbox = await startSesMailbox();
    stops.push(mailbox.stop);
    const lifecycle = await synthesizeLifecycle();
    if (options.independentLanes && options.reconcileDailyAtHour !== undefined)
      throw new Error(
        'embedded stack: the daily reconciler needs the global clock (independentLanes: false)',
      );
    const runner = new LifecycleRunner({
      lifecycle,
      clock,
      independentLanes: options.independentLanes ?? false,
    });
    stops.push(() => runner.close());
    const sfn = await startSfnEndpoint(runner);
    stops.push(sfn.stop);

    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: mailbox.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      TABLE_NAME: tableName,
      MAIL_FROM: process.env.MAIL_FROM ?? 'bridgekeeper@bank.example',
      PUBLIC_BASE_URL: options.publicBaseUrl ?? 'http://127.0.0.1:3000',
      STATE_MACHINE_ARN: lifecycle.stateMachineArn,
      ...options.env,
    });
    previousClock = useClock(clock);
    resetRuntime();

    const store = createVendorStore({ tableName, client, clock });
    const control = createLifecycleControl({
      client: createSfnClient({ endpoint: sfn.endpoint }),
      stateMachineArn: lifecycle.stateMachineArn,
    });
    const reconcile = async () => {
      const { runReconcile } = await import('../functions/handlers/reconcile.js');
      return runReconcile();
    };
    if (options.reconcileDailyAtHour !== undefined) {
      const hour = options.reconcileDailyAtHour;
      const tz = process.env.INSTITUTION_TIME_ZONE || 'UTC';
      const scheduleFrom = (day: string) => {
        runner.schedule(instantAt(day, hour, tz), async () => {
          await reconcile().catch((error) => logger.error('reconcile failed', { error }));
          scheduleFrom(addDays(day, 1));
        });
      };
      const today = calendarDateOf(clock.now(), tz);
      scheduleFrom(instantAt(today, hour, tz) > clock.now() ? today : addDays(today, 1));
    }

    // Executions live in this process only: after a restart on kept data, every lifecycle that was running
    // continues as its next generation (its first Plan catches up on whatever fell due meanwhile).
    if (options.dataDir) {
      const states = await store.loadMany(await store.listVendorIds());
      for (const [vendorId, state] of states)
        if (state.lifecycle.execution && !state.lifecycle.stoppedAt)
          await control.start(vendorId, generationOf(state.lifecycle.execution) + 1);
      await runner.idle();
    }

    return {
      endpoints: { dynamodb: dynamo.endpoint, ses: mailbox.endpoint, sfn: sfn.endpoint },
      tableName,
      clock,
      runner,
      mailbox,
      store,
      lifecycle: control,
      async startLifecycle(vendorId) {
        await control.start(vendorId, 1);
        await runner.idle();
      },
      reconcile,
      advanceToNextWakeUp: () => runner.step(),
      async advanceDays(days) {
        const target = new Date(clock.now().getTime() + days * 86_400_000);
        await runner.runUntil(target);
        return target;
      },
      runUntil: (instant) => runner.runUntil(instant),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
