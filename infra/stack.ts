// BridgekeeperStack: the whole deployment, one construct per concern. The catalogs the other parts of the
// project publish decide what is built: LIFECYCLE_FUNCTIONS (the state machine's Lambdas and the reconciler),
// HTTP_ROUTES (the HTTP API) and INGEST_FUNCTION (the upload trigger); the table's shape comes from the storage
// adapter, so the local stack and AWS cannot drift apart.
import { CfnOutput, Duration, Lazy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTableInput, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table.js';
import { intentKey, uploadKey } from '../functions/core/upload-checks.js';
import { EXTRACT_FUNCTION, HTTP_ROUTES, INGEST_FUNCTION, type HttpRoute } from '../functions/catalog.js';
import type { Need } from '../functions/ports/needs.js';
import { LIFECYCLE_FUNCTIONS } from '../workflows/lifecycle.js';
import type { BridgekeeperConfig } from './config.js';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { Data, type TableSchema } from './constructs/data.js';
import { Documents } from './constructs/documents.js';
import { Functions, type FunctionSpec } from './constructs/functions.js';
import { MacKey, OperationsKey } from './constructs/keys.js';
import { Mail } from './constructs/mail.js';
import { Schedule } from './constructs/schedule.js';
import { Workflow, lifecycleStateMachineArn } from './constructs/workflow.js';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Functions that need more than the 30 s default: the daily pass over every vendor, hashing an upload. */
const TIMEOUTS: Record<string, Duration> = {
  reconcile: Duration.minutes(15),
  ingest: Duration.minutes(2),
};

/** The parts of the project the stack is built from; tests pass small fakes. */
export interface Catalogs {
  lifecycle: Record<string, { entry: string; needs: readonly Need[] }>;
  routes: readonly HttpRoute[];
  ingest: { entry: string; prefix: string; needs: readonly Need[] };
  /** Intake assist: its own function, on the received intents (its memory and timeout are its own). */
  extract?: {
    entry: string;
    prefix: string;
    needs: readonly Need[];
    memorySize: number;
    timeoutSeconds: number;
  };
  /** Object key prefixes behind documents:read/write (derived from the core's key functions). */
  documentPrefixes: readonly string[];
  tableSchema: TableSchema;
}

/** 'uploads/v/u.pdf' -> 'uploads/'. */
const prefixOf = (key: string) => `${key.slice(0, key.indexOf('/'))}/`;

export const PROJECT_CATALOGS: Catalogs = {
  lifecycle: LIFECYCLE_FUNCTIONS,
  routes: HTTP_ROUTES,
  ingest: INGEST_FUNCTION,
  extract: EXTRACT_FUNCTION,
  documentPrefixes: [prefixOf(uploadKey('v', 'u')), prefixOf(intentKey('v', 'u'))],
  tableSchema: createTableInput('bridgekeeper') as TableSchema,
};

export interface BridgekeeperStackProps extends StackProps {
  config: BridgekeeperConfig;
  catalogs?: Partial<Catalogs>;
  projectRoot?: string;
}

/** `functions/handlers/vendor-upload.ts` -> `vendor-upload`. */
export const functionNameOf = (entry: string) => path.basename(entry).replace(/\.[cm]?[jt]s$/, '');

export class BridgekeeperStack extends Stack {
  readonly data: Data;
  readonly documents: Documents;
  readonly mail: Mail;
  readonly functions: Functions;
  readonly workflow?: Workflow;
  readonly api: Api;
  readonly schedule?: Schedule;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: BridgekeeperStackProps) {
    super(scope, id, {
      description:
        'Bridgekeeper: SOC 2 coverage lifecycle for third-party risk (tables, documents, workflow)',
      terminationProtection: props.config.terminationProtection,
      ...props,
    });
    // For cost allocation and the bank's data inventory: vendor assurance records are confidential.
    Tags.of(this).add('application', 'bridgekeeper');
    Tags.of(this).add('data-classification', 'confidential');
    const { config } = props;
    const catalogs = { ...PROJECT_CATALOGS, ...props.catalogs };
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;

    // The API's endpoint is only known once the API exists (it is built from the functions): read it lazily.
    const baseUrl = Lazy.string({ produce: () => config.publicBaseUrl ?? this.api.url });

    this.data = new Data(this, 'Data', { schema: catalogs.tableSchema, timeToLiveAttribute: TTL_ATTRIBUTE });
    const opsKey = new OperationsKey(this, 'OperationsKey').key;
    const macKey = new MacKey(this, 'MacKey').key;
    this.documents = new Documents(this, 'Documents', {
      key: this.data.key,
      uploadOrigin: config.publicBaseUrl ? new URL(config.publicBaseUrl).origin : baseUrl,
      accessLogRetentionDays: config.logRetentionDays,
    });
    this.mail = new Mail(this, 'Mail', {
      identity: config.mailIdentity,
      from: config.mailFrom,
      createIdentity: config.createMailIdentity,
      key: opsKey,
      operatorEmail: config.operatorEmail,
    });

    this.functions = new Functions(this, 'Functions', {
      projectRoot,
      logKey: opsKey,
      logRetentionDays: config.logRetentionDays,
      reservedConcurrency: config.reservedConcurrency,
      environment: {
        INSTITUTION_TIME_ZONE: config.institutionTimeZone,
        MAIL_HOUR: String(config.mailHour),
        DIGEST_WEEKDAY: String(config.digestWeekday),
        EVIDENCE_RETENTION_DAYS: String(config.objectLockRetentionDays),
        PUBLIC_BASE_URL: baseUrl,
        ...(config.policyJson ? { POLICY_JSON: config.policyJson } : {}),
      },
      targets: {
        table: this.data.table,
        indexNames: this.data.indexNames,
        dataKey: this.data.key,
        documents: this.documents.bucket,
        uploadPrefix: catalogs.ingest.prefix,
        documentPrefixes: catalogs.documentPrefixes,
        mail: {
          from: config.mailFrom,
          identityArn: this.mail.identityArn,
          configurationSetName: this.mail.configurationSetName,
          configurationSetArn: this.mail.configurationSetArn,
        },
        stateMachineArn: lifecycleStateMachineArn(this),
        macKey,
        oidc: {
          issuer: config.oidcIssuer,
          clientId: config.oidcClientId,
          clientSecretArn: config.oidcClientSecretArn,
          ...(config.oidcClientSecretKeyArn ? { clientSecretKeyArn: config.oidcClientSecretKeyArn } : {}),
          groupsClaim: config.oidcGroupsClaim,
          roleMapping: config.staffRoleMapping,
        },
      },
    });

    // A handler the catalogue names must exist: a missing one fails the synth, naming it (never a stack that
    // deploys without a function it routes to).
    const add = (name: string, spec: FunctionSpec) => {
      if (!existsSync(path.join(projectRoot, spec.entry)))
        throw new Error(`catalogue: ${spec.entry} (function ${name}) is listed but does not exist`);
      return this.functions.addFunction(name, { timeout: TIMEOUTS[name], ...spec });
    };

    const lifecycle = Object.fromEntries(
      Object.entries(catalogs.lifecycle).map(([name, spec]) => [name, add(name, spec)]),
    );
    const { plan, wait, recordFailure, reconcile } = lifecycle;
    if (plan && wait && recordFailure) {
      this.workflow = new Workflow(this, 'Workflow', {
        functions: { plan, wait, recordFailure },
        logKey: opsKey,
        logRetentionDays: config.logRetentionDays,
      });
    }
    if (reconcile) {
      this.schedule = new Schedule(this, 'Schedule', {
        reconciler: reconcile,
        timeZone: config.institutionTimeZone,
        hour: config.reconcileHour,
        digest: { weekday: config.digestWeekday, hour: config.mailHour },
      });
    }

    const ingest = add(functionNameOf(catalogs.ingest.entry), catalogs.ingest);
    if (ingest) this.documents.onObjectCreated(catalogs.ingest.prefix, ingest);
    if (catalogs.extract) {
      const spec = catalogs.extract;
      const extract = add(functionNameOf(spec.entry), {
        entry: spec.entry,
        needs: spec.needs,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds),
        description: 'Bridgekeeper intake assist: reads an accepted upload and records its fields for review',
      });
      this.documents.onObjectCreated(spec.prefix, extract, 'IntentSettled');
    }

    // One function per handler module; its needs are the union of its routes' needs.
    const routeNeeds = new Map<string, Set<Need>>();
    for (const route of catalogs.routes) {
      const needs = routeNeeds.get(route.entry) ?? new Set<Need>();
      route.needs.forEach((n) => needs.add(n));
      routeNeeds.set(route.entry, needs);
    }
    const routeFunctions = new Map<string, ReturnType<typeof add>>();
    for (const [entry, needs] of routeNeeds) {
      routeFunctions.set(entry, add(functionNameOf(entry), { entry, needs: [...needs].sort() }));
    }
    this.api = new Api(this, 'Api', {
      routes: catalogs.routes.filter((r) => routeFunctions.get(r.entry)),
      functionFor: (entry) => routeFunctions.get(entry)!,
      publicRateLimit: config.publicRateLimit,
      publicBurstLimit: config.publicBurstLimit,
      logKey: opsKey,
      logRetentionDays: config.logRetentionDays,
      ...(config.customDomainName && config.customDomainCertificateArn
        ? {
            customDomain: {
              domainName: config.customDomainName,
              certificateArn: config.customDomainCertificateArn,
            },
          }
        : {}),
    });

    this.alarms = new Alarms(this, 'Alarms', {
      key: opsKey,
      operatorEmail: config.operatorEmail,
      stateMachine: this.workflow?.stateMachine,
      functions: this.functions.all.map(({ name, fn }) => ({ name, fn })),
      reconciler: reconcile,
      reconcilerLogGroup: this.functions.get('reconcile')?.logGroup,
      deadLetters: this.functions.deadLetters,
      configurationSetName: this.mail.configurationSetName,
    });

    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    if (this.api.domain) {
      // The DNS record to publish for the custom domain: a CNAME (or Route 53 alias) to this name.
      new CfnOutput(this, 'CustomDomainTarget', {
        description: `CNAME or alias target for ${config.customDomainName}`,
        value: this.api.domain.regionalDomainName,
      });
    }
    if (reconcile) new CfnOutput(this, 'ReconcileFunctionName', { value: reconcile.functionName });
    new CfnOutput(this, 'DocumentsBucket', { value: this.documents.bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: lifecycleStateMachineArn(this) });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'MailConfigurationSet', { value: this.mail.configurationSetName });
  }
}
