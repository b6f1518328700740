// Everything `npm start` runs, as one function the start command and the browser tests share: the embedded
// stack (DynamoDB, SES mailbox, lifecycle runner + virtual clock, SFN endpoint), the local S3 whose
// ObjectCreated notifications call the ingest handler in-process, the embedded OpenID provider with the local
// staff and the Secrets Manager holding its client secret, and the HTTP front in front of the page handlers.
// Everything listens on 127.0.0.1.
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { startEmbeddedStack, type EmbeddedStack } from './embedded.js';
import { ENDPOINTS_FILE, type EmbeddedEndpoints } from './endpoints.js';
import { VirtualClock } from './runner/runner.js';
import { startS3, type LocalS3 } from './s3.js';
import { startHttpFront, type ClockControl, type HttpFront } from './http/server.js';
import { HandlerModules, lambdaContext } from './http/gateway.js';
import { loadStaff, type LocalStaffConfig } from './config/index.js';
import { startLocalOidc, type LocalOidcProvider } from './oidc.js';
import { LOCAL_CLIENT_SECRET_ARN, startSecrets } from './secrets.js';
import { EXTRACT_FUNCTION, INGEST_FUNCTION } from '../functions/catalog.js';
import { generationOf } from '../functions/adapters/sfn/lifecycle.js';
import { importPortfolio } from '../functions/app/import.js';
import { parsePortfolioJson } from '../functions/core/portfolio.js';
import { resetRuntime } from '../functions/edge/runtime.js';
import { systemClock } from '../functions/ports/clock.js';
import { sessionMember } from '../functions/edge/session.js';
import { openSessions } from '../functions/edge/sessions.js';
import { rolesOf } from '../functions/core/roles.js';
import { createSesClient } from '../functions/adapters/ses/mailer.js';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SesMailbox, StoredMail } from './ses.js';

/**
 * The local mailbox lives in memory; its messages are kept in the data directory so that a restart still shows
 * the request e-mails (and their upload links, which exist nowhere else: only their hashes are stored).
 */
async function restoreMailbox(
  file: string | undefined,
  mailbox: Pick<SesMailbox, 'endpoint' | 'remember'>,
): Promise<void> {
  if (!file || !existsSync(file)) return;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as StoredMail[];
  const client = createSesClient({ endpoint: mailbox.endpoint });
  for (const mail of saved) {
    const { MessageId } = await client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: mail.destination.to },
        Content: {
          Simple: {
            Subject: { Data: mail.subject },
            Body: {
              ...(mail.body.text ? { Text: { Data: mail.body.text } } : {}),
              ...(mail.body.html ? { Html: { Data: mail.body.html } } : {}),
            },
          },
        },
      }),
    );
    // The message keeps the simulated time it was first sent at, not the restart's.
    if (MessageId && mail.sentAt) mailbox.remember(MessageId, mail.sentAt);
  }
}

async function saveMailbox(file: string | undefined, mailbox: Pick<SesMailbox, 'messages'>): Promise<void> {
  if (!file) return;
  writeFileSync(file, JSON.stringify(await mailbox.messages()));
}

export const DOCUMENTS_BUCKET = 'bridgekeeper-documents';

export interface PeopleStackOptions {
  /** Project root (handler entries, examples/). */
  root: string;
  /** Persist everything here (dynamodb/, s3/, clock.json); in memory / temp dirs when absent. */
  dataDir?: string;
  /** HTTP front port (0: any free port). */
  port?: number;
  /** Portfolio to import when the table is empty (first run). */
  seedPortfolio?: string;
  /** Where the virtual clock starts on a first run (default: now). */
  start?: Date;
  /** Who the embedded OpenID provider signs in, and the group-to-role mapping (default local/config/staff.json). */
  staff?: LocalStaffConfig;
  timeZone?: string;
  onError?: (error: unknown) => void;
}

export interface PeopleStack {
  url: string;
  mailboxUrl: string;
  embedded: EmbeddedStack;
  s3: LocalS3;
  front: HttpFront;
  /** The embedded OpenID provider the sign-in handler talks to. */
  oidc: LocalOidcProvider;
  /** Vendors imported on this start (0 on a restart). */
  seeded: number;
  /** Lifecycles (re)started on this start. */
  started: number;
  /** Waits until every ingest under way and every due lifecycle step has run. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The next instant something is actually due: the earliest next action of any vendor after `now` (the vendors'
 * own schedule, the due index), not the runner's next timer (the daily reconciler would make that every day).
 */
export async function nextDue(stack: Pick<EmbeddedStack, 'store'>, now: Date): Promise<Date | undefined> {
  const [next] = await stack.store.dueVendors(new Date('9999-12-31T23:59:59Z'), { after: now, limit: 1 });
  return next ? new Date(next.nextActionAt) : undefined;
}

function loadClock(file: string | undefined, fallback: Date): Date {
  if (!file || !existsSync(file)) return fallback;
  const saved = Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { now?: string }).now ?? '');
  return Number.isNaN(saved) ? fallback : new Date(saved);
}

export async function startPeopleStack(options: PeopleStackOptions): Promise<PeopleStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  const clockFile = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  const mailFile = options.dataDir ? join(options.dataDir, 'mailbox.json') : undefined;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const saveClock = () => {
    if (clockFile) writeFileSync(clockFile, JSON.stringify({ now: clock.now().toISOString() }));
  };
  // The virtual time survives restarts: jumping a year ahead and restarting stays a year ahead.
  const clock = new VirtualClock(loadClock(clockFile, options.start ?? new Date()));
  let embedded: EmbeddedStack | undefined;
  const inFlight = new Set<Promise<unknown>>();
  const pendingIngests = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  // A jump holds the clock still while the runner moves it; between jumps it runs with the real time.
  const control: ClockControl = {
    now: () => clock.now(),
    advanceDays: (days) =>
      clock.whileStill(async () => {
        await embedded!.advanceDays(days);
        await pendingIngests();
        saveClock();
        await saveMailbox(mailFile, embedded!.mailbox);
      }),
    advanceToNext: () =>
      clock.whileStill(async () => {
        const to = await nextDue(embedded!, clock.now());
        if (to) await embedded!.runUntil(to);
        await embedded!.runner.idle();
        await pendingIngests();
        saveClock();
        await saveMailbox(mailFile, embedded!.mailbox);
        return to;
      }),
  };

  const staff = options.staff ?? loadStaff();
  let sessions: ReturnType<typeof openSessions> | undefined;
  try {
    // The front first: its port is the one a person asked for, and a taken port should fail before anything else.
    const front = await startHttpFront({
      root: options.root,
      port: options.port ?? 0,
      // The handlers' own session check (the same table, the same clock), for the local clock controls.
      signedIn: async (cookie) =>
        sessions !== undefined &&
        (await sessionMember(
          { headers: { cookie: cookie ?? '' } },
          {
            sessions,
            clock: systemClock,
            publicBaseUrl: front.url,
          },
        )) !== undefined,
      clock: control,
      mailbox: () => embedded?.mailbox,
      timeZone: options.timeZone ?? 'UTC',
      ...(options.onError ? { onError: options.onError } : {}),
    });
    stops.push(front.stop);

    // The bank's identity provider, played by a real OpenID provider on loopback; its client secret lives in the
    // embedded Secrets Manager, where the sign-in handler reads it as it reads the deployed one on AWS.
    const oidc = await startLocalOidc({
      staff: staff.staff,
      redirectUris: [`${front.url}/callback`],
      describeGroups: (groups) => rolesOf(groups, staff.roleMapping).join(', ') || 'no Bridgekeeper role',
    });
    stops.push(oidc.stop);
    const secrets = await startSecrets({ [LOCAL_CLIENT_SECRET_ARN]: oidc.clientSecret });
    stops.push(secrets.stop);

    embedded = await startEmbeddedStack({
      ...(options.dataDir
        ? { dataDir: join(options.dataDir, 'dynamodb'), kmsSecretFile: join(options.dataDir, 'kms.secret') }
        : {}),
      clock,
      publicBaseUrl: front.url,
      reconcileDailyAtHour: 6,
      weeklyDigest: true,
      env: {
        INSTITUTION_TIME_ZONE: options.timeZone ?? 'UTC',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        OIDC_ISSUER: oidc.issuer,
        OIDC_CLIENT_ID: oidc.clientId,
        OIDC_CLIENT_SECRET_ARN: LOCAL_CLIENT_SECRET_ARN,
        OIDC_GROUPS_CLAIM: 'groups',
        STAFF_ROLE_MAPPING: JSON.stringify(staff.roleMapping),
      },
    });
    stops.push(embedded.stop);
    sessions = openSessions(embedded.tableName);
    await restoreMailbox(mailFile, embedded.mailbox);
    const mailbox = embedded.mailbox;
    // Saved before the mailbox stops (stops run in reverse order).
    stops.push(() => saveMailbox(mailFile, mailbox));

    const modules = new HandlerModules();
    const s3 = await startS3({
      ...(options.dataDir ? { dataDir: join(options.dataDir, 's3') } : {}),
      buckets: [DOCUMENTS_BUCKET],
      allowedOrigins: [front.url, front.url.replace('127.0.0.1', 'localhost')],
      // The bucket notifications: the same ingest and intake-assist handlers the infra subscribes to the bucket.
      onObjectCreated: (event: S3Event) => {
        const key = event.Records[0]?.s3.object.key ?? '';
        const target = [INGEST_FUNCTION, EXTRACT_FUNCTION].find((f) => key.startsWith(f.prefix));
        if (!target) return;
        const run = modules
          .get(target.entry)
          .then((handler) => handler(event, lambdaContext(target === INGEST_FUNCTION ? 'ingest' : 'extract')))
          .catch((error: unknown) => options.onError?.(error));
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      },
    });
    stops.push(s3.stop);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      DOCUMENTS_BUCKET,
    });
    resetRuntime();
    if (options.dataDir) {
      // The CLI on the same data directory (audit verify, checkpoint, export) uses these servers while this runs:
      // the embedded DynamoDB keeps its files to itself. Removed on stop; a stale file names a dead pid.
      const endpointsFile = join(options.dataDir, ENDPOINTS_FILE);
      const endpoints: EmbeddedEndpoints = {
        dynamodb: embedded.endpoints.dynamodb,
        kms: embedded.endpoints.kms,
        s3: s3.endpoint,
        tableName: embedded.tableName,
        macKey: embedded.macKey,
        documentsBucket: DOCUMENTS_BUCKET,
        pid: process.pid,
      };
      writeFileSync(endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);
      stops.push(async () => rmSync(endpointsFile, { force: true }));
    }

    // First run: the example portfolio. Later runs: whatever is stored.
    let seeded = 0;
    const ids = await embedded.store.listVendorIds();
    if (ids.length === 0 && options.seedPortfolio) {
      const portfolio = parsePortfolioJson(readFileSync(options.seedPortfolio, 'utf8'));
      await importPortfolio(embedded.store, portfolio, {
        actor: { kind: 'import', by: 'npm start' },
        manageDocuments: true,
      });
      seeded = portfolio.vendors.length;
    }
    // The runner starts empty on every start: each vendor's lifecycle continues from its stored state in the
    // next generation (deterministic names: a vendor is never doubled).
    let started = 0;
    const states = await embedded.store.loadMany(await embedded.store.listVendorIds());
    for (const [vendorId, state] of states) {
      if (!state.profile || state.lifecycle.stoppedAt) continue;
      const result = await embedded.lifecycle.start(vendorId, generationOf(state.lifecycle.execution) + 1);
      if (result.started) started++;
    }
    await embedded.runner.idle();
    saveClock();
    // From here on, what people do while the clock is not jumping happens at distinct, real instants.
    clock.flowWithRealTime();

    const stack = embedded;
    return {
      url: front.url,
      mailboxUrl: stack.endpoints.ses,
      embedded: stack,
      s3,
      front,
      oidc,
      seeded,
      started,
      async idle() {
        await pendingIngests();
        await stack.runner.idle();
        await pendingIngests();
      },
      async stop() {
        saveClock();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
