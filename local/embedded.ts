// The embedded stack: dynalite (DynamoDB), the SES v2 mailbox, the lifecycle runner with its virtual clock and
// the runner's Step Functions endpoint, all on loopback. It sets the SDK's standard AWS_ENDPOINT_URL_* variables
// and the handlers' configuration, and installs the virtual clock in the handlers' runtime, so the handlers run
// unchanged. `npm start` adds S3 and the HTTP front on top; the tests use it as is. `simulate` runs it with the
// in-memory store, mailbox and documents instead of the servers (`storage: 'memory'`): the same handlers and
// commands, with nothing on the wire but the runner's Step Functions endpoint.
import { randomBytes } from 'node:crypto';
import { createDynamoClient } from '../functions/adapters/dynamodb/client.js';
import { ensureTable } from '../functions/adapters/dynamodb/table.js';
import { dropMemoryDocuments } from '../functions/adapters/memory/documents.js';
import { dropMemoryCheckpoints } from '../functions/adapters/memory/checkpoints.js';
import { dropMemoryEventStore } from '../functions/adapters/memory/event-store.js';
import { dropMemoryMac } from '../functions/adapters/memory/mac.js';
import { dropMemoryMailbox, memoryMailbox } from '../functions/adapters/memory/mailbox.js';
import { dropMemorySessions } from '../functions/adapters/memory/sessions.js';
import {
  createLifecycleControl,
  createSfnClient,
  generationOf,
  type LifecycleControl,
} from '../functions/adapters/sfn/lifecycle.js';
import type { Vendors } from '../functions/app/vendors.js';
import { addDays, calendarDateOf, instantAt } from '../functions/core/dates.js';
import { isoWeekOf } from '../functions/core/digest.js';
import { logger } from '../functions/edge/logger.js';
import { resetRuntime, useClock } from '../functions/edge/runtime.js';
import { MEMORY_ENDPOINT, openVendors } from '../functions/edge/vendors.js';
import type { Clock } from '../functions/ports/clock.js';
import { LOCAL_MAC_KEY, startKms } from './kms.js';
import { synthesizeLifecycle } from './runner/definition.js';
import { LifecycleRunner, VirtualClock } from './runner/runner.js';
import { startSfnEndpoint } from './runner/sfn-endpoint.js';
import type { SesMailbox } from './ses.js';

export interface EmbeddedStackOptions {
  /** Keep DynamoDB data here (default: in memory). */
  dataDir?: string;
  /**
   * 'dynamodb' (default): dynalite and the SES mailbox over the wire. 'memory': the in-memory store, mailbox and
   * documents behind the same ports (simulate; the store passes the DynamoDB adapter's conformance suite).
   */
  storage?: 'dynamodb' | 'memory';
  /** Documents in memory whatever the storage (`simulate`, which has no browser and no S3 server). */
  documentsInMemory?: boolean;
  /** The embedded KMS's master secret (kept with the data); default: a fresh one for this run. */
  kmsSecretFile?: string;
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
  /**
   * Run the reconciler's weekly digest as the weekly schedule does on AWS: on DIGEST_WEEKDAY at MAIL_HOUR of the
   * handlers' environment (default: not scheduled; needs the global clock, as the daily run does).
   */
  weeklyDigest?: boolean;
  /** Base URL of the people's side in e-mails (default http://127.0.0.1:3000). */
  publicBaseUrl?: string;
  /** Extra environment for the handlers (POLICY_JSON, INSTITUTION_TIME_ZONE, MAIL_HOUR, ...). */
  env?: Record<string, string>;
}

export interface EmbeddedStack {
  endpoints: { dynamodb: string; ses: string; sfn: string; kms: string };
  tableName: string;
  clock: VirtualClock;
  runner: LifecycleRunner;
  mailbox: Pick<SesMailbox, 'endpoint' | 'messages' | 'clear' | 'remember'>;
  store: Vendors;
  /** The MAC key the handlers mint upload links with (a key ARN of the embedded KMS). */
  macKey: string;
  lifecycle: LifecycleControl;
  /** Starts generation 1 of a vendor's lifecycle (refused, not doubled, if it exists). */
  startLifecycle(vendorId: string): Promise<void>;
  /** Runs the reconciler handler once, now (as the daily schedule does). */
  reconcile(): Promise<unknown>;
  /** Runs the weekly digest once, now (as the weekly schedule does). */
  digest(): Promise<unknown>;
  /** Clock control for the local console: by whole days, or to an instant. */
  advanceDays(days: number): Promise<Date>;
  runUntil(instant: Date): Promise<void>;
  stop(): Promise<void>;
}

const ENV_KEYS = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SESV2',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_KMS',
  'MAC_KEY_ID',
  'DOCUMENTS_BUCKET',
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
  const memory = options.storage === 'memory';
  try {
    let dynamoEndpoint = MEMORY_ENDPOINT;
    let mailbox: EmbeddedStack['mailbox'] = memoryMailboxView(MAIL_FROM);
    if (memory) {
      // Each run starts empty: a fresh table, mailbox and bucket behind the names the handlers are given.
      dropMemoryEventStore(tableName);
      dropMemoryMailbox(MAIL_FROM);
      dropMemorySessions(tableName);
      stops.push(async () => {
        dropMemoryEventStore(tableName);
        dropMemoryMailbox(MAIL_FROM);
        dropMemorySessions(tableName);
      });
    }
    // Documents (and the audit checkpoints beside them) in memory unless a bucket is configured: the people's
    // stack configures its S3 after this starts (the handlers read their configuration on first use).
    const documentsInMemory =
      memory ||
      options.documentsInMemory ||
      (!process.env.DOCUMENTS_BUCKET && !options.env?.DOCUMENTS_BUCKET);
    if (documentsInMemory) {
      dropMemoryDocuments(MEMORY_BUCKET);
      dropMemoryCheckpoints(MEMORY_BUCKET);
      stops.push(async () => dropMemoryCheckpoints(MEMORY_BUCKET));
      stops.push(async () => dropMemoryDocuments(MEMORY_BUCKET));
    }
    if (!memory) {
      // Loaded only when used: `simulate` on the in-memory store never pays for the servers' modules.
      const { startDynamoDb } = await import('./dynamodb.js');
      const { startSesMailbox } = await import('./ses.js');
      const dynamo = options.dynamodbEndpoint
        ? { endpoint: options.dynamodbEndpoint }
        : await startDynamoDb(options.dataDir ? { dataDir: options.dataDir } : {});
      if ('stop' in dynamo) stops.push(dynamo.stop);
      dynamoEndpoint = dynamo.endpoint;
      const client = createDynamoClient({ endpoint: dynamo.endpoint });
      await ensureTable(client, tableName);
      client.destroy();
      // Its relay notes each message's send time on the virtual clock.
      const ses = await startSesMailbox({ clock });
      stops.push(ses.stop);
      mailbox = ses;
    }
    const lifecycle = await synthesizeLifecycle();
    if (options.independentLanes && (options.reconcileDailyAtHour !== undefined || options.weeklyDigest))
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

    // The MAC key: the embedded KMS over the wire, or this process's memory for `simulate` (a round trip per
    // commit would be most of its time).
    let kmsEndpoint = MEMORY_ENDPOINT;
    const macKey = LOCAL_MAC_KEY;
    if (memory) {
      dropMemoryMac(macKey);
      stops.push(async () => dropMemoryMac(macKey));
    } else {
      // With kept data, the key is kept too (beside it unless named): records stay verifiable across restarts.
      const secretFile =
        options.kmsSecretFile ?? (options.dataDir ? `${options.dataDir}-kms.secret` : undefined);
      const kms = await startKms(secretFile ? { secretFile } : {});
      stops.push(kms.stop);
      kmsEndpoint = kms.endpoint;
    }
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SESV2: mailbox.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      AWS_ENDPOINT_URL_KMS: kmsEndpoint,
      ...(documentsInMemory ? { AWS_ENDPOINT_URL_S3: MEMORY_ENDPOINT, DOCUMENTS_BUCKET: MEMORY_BUCKET } : {}),
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      TABLE_NAME: tableName,
      MAIL_FROM,
      MAC_KEY_ID: macKey,
      PUBLIC_BASE_URL: options.publicBaseUrl ?? 'http://127.0.0.1:3000',
      STATE_MACHINE_ARN: lifecycle.stateMachineArn,
      ...options.env,
    });
    previousClock = useClock(clock);
    resetRuntime();

    const store = openVendors({ tableName, macKey, timeZone: process.env.INSTITUTION_TIME_ZONE || 'UTC' });
    const control = createLifecycleControl({
      client: createSfnClient({ endpoint: sfn.endpoint }),
      stateMachineArn: lifecycle.stateMachineArn,
    });
    const reconcile = async () => {
      const { handler } = await import('../functions/handlers/reconcile.js');
      return handler({}, lambdaContext('reconcile'));
    };
    const digest = async () => {
      const { handler } = await import('../functions/handlers/reconcile.js');
      return handler({ detailType: 'weekly-digest' }, lambdaContext('reconcile'));
    };
    if (options.weeklyDigest) {
      const tz = process.env.INSTITUTION_TIME_ZONE || 'UTC';
      const hour = Number(process.env.MAIL_HOUR ?? '9');
      const weekday = Number(process.env.DIGEST_WEEKDAY ?? '1');
      // The digest's next instant: its weekday of this week, or of the next one once that has passed.
      const dueIn = (day: string) => instantAt(addDays(isoWeekOf(day).monday, weekday - 1), hour, tz);
      const scheduleWeek = (day: string) => {
        runner.schedule(dueIn(day), async () => {
          await digest().catch((error) => logger.error('weekly digest failed', { error }));
          scheduleWeek(addDays(day, 7));
        });
      };
      const today = calendarDateOf(clock.now(), tz);
      scheduleWeek(dueIn(today) > clock.now() ? today : addDays(today, 7));
    }
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
      endpoints: { dynamodb: dynamoEndpoint, ses: mailbox.endpoint, sfn: sfn.endpoint, kms: kmsEndpoint },
      tableName,
      clock,
      runner,
      mailbox,
      store,
      macKey,
      lifecycle: control,
      async startLifecycle(vendorId) {
        await control.start(vendorId, 1);
        await runner.idle();
      },
      reconcile,
      digest,
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

const MAIL_FROM = 'bridgekeeper@bank.example';
const MEMORY_BUCKET = 'bridgekeeper-documents';

/** The in-memory mailbox, seen as the SES mailbox's web view sees its store. */
function memoryMailboxView(name: string): EmbeddedStack['mailbox'] {
  return {
    endpoint: MEMORY_ENDPOINT,
    async messages() {
      return memoryMailbox(name).sent.map((m, i) => ({
        messageId: m.messageId,
        from: name,
        destination: { to: [m.to], cc: [], bcc: [] },
        subject: m.subject,
        body: { text: m.text, html: m.html },
        at: i,
      }));
    },
    async clear() {
      memoryMailbox(name).sent.length = 0;
    },
    // Nothing to restore: the in-memory mailbox lives for one run.
    remember() {},
  };
}

/** The Lambda context the runner and the local front pass to handlers. */
function lambdaContext(name: string) {
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomBytes(16).toString('hex'),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
