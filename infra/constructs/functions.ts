// The functions: every Lambda of Bridgekeeper is made here, with one set of defaults (Node.js 22 on arm64,
// esbuild-bundled with the SDK, JSON logs to an encrypted log group with retention, a dead-letter queue) and with
// exactly the permissions its declared needs call for. Each Need brings its environment variable and its grant
// together, so a handler can neither reach a resource it was not configured for nor be configured for one it
// cannot reach.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import { ROLL_CALL_PARTITION_PREFIX } from '../../functions/adapters/dynamodb/table.js';
import { LIMIT_PREFIX, SESSION_PREFIX, SIGN_IN_PREFIX } from '../../functions/adapters/dynamodb/sessions.js';
import type { RoleMapping } from '../../functions/core/staff-sign-in.js';
import { CHECKPOINT_PREFIX } from '../../functions/core/checkpoint.js';
import { ENV_FOR_NEED, type Need } from '../../functions/ports/needs.js';
import { cdkBundling } from '../bundling.js';
import { acknowledge, wildcardResourceFinding } from '../nag.js';

export const HANDLER_METADATA_KEY = 'Bridgekeeper::Handler';

export interface FunctionSpec {
  /** Handler module relative to the project root, e.g. 'functions/handlers/reconcile.ts'. */
  entry: string;
  needs: readonly Need[];
  description?: string;
  timeout?: Duration;
  memorySize?: number;
}

/** What the needs point at. */
export interface FunctionTargets {
  table: dynamodb.ITable;
  indexNames: readonly string[];
  dataKey: kms.IKey;
  documents: s3.IBucket;
  /** Key prefix vendors upload to with a presigned POST, e.g. 'uploads/'. */
  uploadPrefix: string;
  /** Key prefixes documents:read and documents:write reach (uploads and the server's upload intents). */
  documentPrefixes: readonly string[];
  mail: { from: string; identityArn: string; configurationSetName: string; configurationSetArn: string };
  /** The lifecycle state machine's ARN, built from its fixed name (no reference: the machine invokes us). */
  stateMachineArn: string;
  /** The HMAC key that mints upload-link tokens (mac:sign). */
  macKey: kms.IKey;
  /** The bank's OpenID provider and Bridgekeeper's client at it (oidc:sign-in). */
  oidc: {
    issuer: string;
    clientId: string;
    clientSecretArn: string;
    /** The customer-managed key of the secret, when it has one. */
    clientSecretKeyArn?: string;
    groupsClaim: string;
    roleMapping: RoleMapping;
  };
}

export interface FunctionsProps {
  targets: FunctionTargets;
  /** Absolute path of the project root (entries are relative to it). */
  projectRoot: string;
  logKey: kms.IKey;
  logRetentionDays: number;
  /** Variables every function gets (INSTITUTION_TIME_ZONE, MAIL_HOUR, PUBLIC_BASE_URL, POLICY_JSON). */
  environment: Record<string, string>;
  reservedConcurrency?: number;
}

export interface BridgekeeperFunction {
  name: string;
  spec: FunctionSpec;
  fn: nodejs.NodejsFunction;
  role: iam.Role;
  logGroup: logs.LogGroup;
}

export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(30),
  retryAttempts: 2,
  maxEventAge: Duration.hours(6),
} as const;

export class Functions extends Construct {
  /** Where asynchronous invocations (scheduler, S3 events) that failed every retry end up. */
  readonly deadLetters: sqs.Queue;
  private readonly byName = new Map<string, BridgekeeperFunction>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: FunctionsProps,
  ) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.targets.dataKey,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the functions’ asynchronous invocations; messages stay 14 ' +
        'days and its depth raises an alarm.',
    );
  }

  get all(): BridgekeeperFunction[] {
    return [...this.byName.values()];
  }

  get(name: string): BridgekeeperFunction | undefined {
    return this.byName.get(name);
  }

  /** Creates the function `name` from its spec: defaults, its needs' variables and grants, its log group. */
  addFunction(name: string, spec: FunctionSpec): nodejs.NodejsFunction {
    if (this.byName.has(name)) throw new Error(`Function ${name} is defined twice`);
    const { props } = this;
    const id = pascal(name);

    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const statements = [
      new iam.PolicyStatement({
        sid: 'OwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetters.queueArn],
      }),
      ...viaService(props.targets.dataKey, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt'], 'DeadLettersKey'),
      ...grantsFor(spec.needs, props.targets),
    ];
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Bridgekeeper ${name}: ${[...new Set(spec.needs)].join(', ') || 'no AWS access'}`,
      inlinePolicies: { Needs: new iam.PolicyDocument({ statements }) },
    });

    const fn = new nodejs.NodejsFunction(this, id, {
      entry: path.join(props.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      description: spec.description ?? `Bridgekeeper ${name} (${spec.entry})`,
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: spec.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: spec.timeout ?? FUNCTION_DEFAULTS.timeout,
      retryAttempts: FUNCTION_DEFAULTS.retryAttempts,
      maxEventAge: FUNCTION_DEFAULTS.maxEventAge,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: cdkBundling(),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `bridgekeeper-${name}`,
        // Stack traces point into the TypeScript sources (the bundles ship linked source maps).
        NODE_OPTIONS: '--enable-source-maps',
        ...environmentFor(spec.needs, props.targets),
      },
    });
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    // The DLQ is wired on the L1 so its grant stays the two explicit statements above (the L2 would add
    // wildcard KMS actions). The local runner binds each Lambda of the state machine by this metadata.
    cfn.deadLetterConfig = { targetArn: this.deadLetters.queueArn };
    cfn.addMetadata(HANDLER_METADATA_KEY, spec.entry);
    acknowledge(
      fn,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the handlers are built, tested and benchmarked for (esbuild target node22); ' +
        'moving to a newer runtime is a deliberate upgrade, not a drift.',
    );

    if (spec.needs.includes('sfn:start')) {
      acknowledge(
        role,
        wildcardResourceFinding(role, executionsOf(props.targets.stateMachineArn)),
        'states:DescribeExecution (read-only) on the executions of the lifecycle state machine only; execution ' +
          'names are generated per vendor and generation, so the grant can only name the machine.',
      );
    }
    const { documents, uploadPrefix, documentPrefixes } = props.targets;
    const prefixes = new Set<string>();
    if (spec.needs.includes('documents:presign-upload') || spec.needs.includes('documents:retain'))
      prefixes.add(uploadPrefix);
    if (spec.needs.includes('documents:read') || spec.needs.includes('documents:write')) {
      documentPrefixes.forEach((p) => prefixes.add(p));
    }
    if (spec.needs.includes('checkpoints:write')) prefixes.add(CHECKPOINT_PREFIX);
    for (const prefix of prefixes) {
      acknowledge(
        role,
        wildcardResourceFinding(role, objectsUnder(documents, prefix)),
        prefix === CHECKPOINT_PREFIX
          ? `Checkpoint keys are generated per day (${prefix}<instant>.json), so the grant names the ` +
              `${prefix} prefix of the documents bucket: write-once, locked, never deleted.`
          : `Object keys are generated per upload (${prefix}<vendor>/<upload id>), so the grant names the ` +
              `${prefix} prefix of the documents bucket, with only the object actions this function's needs use.`,
      );
    }

    this.byName.set(name, { name, spec, fn, role, logGroup });
    return fn;
  }
}

/** The environment variables a set of needs brings (ENV_FOR_NEED, plus the configuration set for mail). */
export function environmentFor(needs: readonly Need[], targets: FunctionTargets): Record<string, string> {
  const env: Record<string, string> = {};
  const value: Record<string, string> = {
    TABLE_NAME: targets.table.tableName,
    MAIL_FROM: targets.mail.from,
    STATE_MACHINE_ARN: targets.stateMachineArn,
    DOCUMENTS_BUCKET: targets.documents.bucketName,
    MAC_KEY_ID: targets.macKey.keyArn,
    OIDC_CLIENT_SECRET_ARN: targets.oidc.clientSecretArn,
  };
  for (const need of needs) {
    const name = ENV_FOR_NEED[need];
    env[name] = value[name]!;
    if (need === 'mail:send') env.MAIL_CONFIGURATION_SET = targets.mail.configurationSetName;
    if (need === 'oidc:sign-in')
      Object.assign(env, {
        OIDC_ISSUER: targets.oidc.issuer,
        OIDC_CLIENT_ID: targets.oidc.clientId,
        OIDC_GROUPS_CLAIM: targets.oidc.groupsClaim,
        STAFF_ROLE_MAPPING: JSON.stringify(targets.oidc.roleMapping),
      });
  }
  return env;
}

/** `arn:...:stateMachine:name` -> `arn:...:execution:name:*`: every execution of that one state machine. */
export function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
}

export function objectsUnder(bucket: s3.IBucket, prefix: string): string {
  return bucket.arnForObjects(`${prefix}*`);
}

/** The least-privilege statements for a set of needs: only the actions each need uses, only on its resources. */
export function grantsFor(needs: readonly Need[], t: FunctionTargets): iam.PolicyStatement[] {
  const has = (n: Need) => needs.includes(n);
  const out: iam.PolicyStatement[] = [];
  const tableResources = [
    t.table.tableArn,
    ...t.indexNames.map((name) => `${t.table.tableArn}/index/${name}`),
  ];

  if (has('table:read')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'TableRead',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: tableResources,
      }),
    );
  }
  if (has('table:write')) {
    // Conditional puts only (the store writes commit items and projections with PutItem): no UpdateItem, no
    // DeleteItem. The event log is append-only, and so is every vendor item; only the sessions and link counters
    // below are ever deleted or updated, and only by their own leading keys.
    out.push(
      new iam.PolicyStatement({
        sid: 'TableWrite',
        actions: ['dynamodb:PutItem'],
        resources: [t.table.tableArn],
      }),
      // The one exception: the portfolio's roll-call (the status counts) is a few shard items each holding one
      // attribute per vendor, set by UpdateItem so that writers of different vendors never overwrite each other.
      // `dynamodb:LeadingKeys` limits it to those items' partition keys: no vendor item can be updated in place
      // ("Using IAM policy conditions for fine-grained access control", Amazon DynamoDB Developer Guide,
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
      new iam.PolicyStatement({
        sid: 'RollCallUpdate',
        actions: ['dynamodb:UpdateItem'],
        resources: [t.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ROLL_CALL_PARTITION_PREFIX}*`] },
          // ForAllValues is true for a request without the key: the key must be present too.
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
  }
  // Items by their partition key only (IAM condition key dynamodb:LeadingKeys, "Using IAM policy conditions for
  // fine-grained access control", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html):
  // these writes can never reach a vendor's items. ForAllValues is true for a request without the key, so the
  // key must also be present (Null false); every item operation granted here names it.
  const leadingKeys = (prefixes: string[]) => ({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) },
    Null: { 'dynamodb:LeadingKeys': 'false' },
  });
  if (has('sessions:write')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'SessionsWrite',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [t.table.tableArn],
        conditions: leadingKeys([SESSION_PREFIX, SIGN_IN_PREFIX]),
      }),
    );
  }
  if (has('links:count')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'LinkCounters',
        actions: ['dynamodb:UpdateItem'],
        resources: [t.table.tableArn],
        conditions: leadingKeys([LIMIT_PREFIX]),
      }),
    );
  }
  const writesTable = has('table:write') || has('sessions:write') || has('links:count');
  if (has('table:read') || writesTable) {
    const actions = writesTable
      ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
      : ['kms:Decrypt', 'kms:DescribeKey'];
    out.push(...viaService(t.dataKey, 'dynamodb', actions, 'TableKey'));
  }

  if (has('mail:send')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'MailSend',
        actions: ['ses:SendEmail'],
        resources: [t.mail.identityArn, t.mail.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': t.mail.from } },
      }),
    );
  }

  if (has('sfn:callback')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'WorkflowCallback',
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [t.stateMachineArn],
      }),
    );
  }
  if (has('sfn:start')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'WorkflowStart',
        actions: ['states:StartExecution'],
        resources: [t.stateMachineArn],
      }),
      // Whoever (re)starts lifecycles checks first whether the recorded execution still runs (read-only).
      new iam.PolicyStatement({
        sid: 'WorkflowStatus',
        actions: ['states:DescribeExecution'],
        resources: [executionsOf(t.stateMachineArn)],
      }),
    );
  }

  if (has('oidc:sign-in')) {
    // The client secret: that one secret, read only.
    out.push(
      new iam.PolicyStatement({
        sid: 'OidcClientSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [t.oidc.clientSecretArn],
      }),
    );
    if (t.oidc.clientSecretKeyArn)
      out.push(
        new iam.PolicyStatement({
          sid: 'OidcClientSecretKey',
          actions: ['kms:Decrypt'],
          resources: [t.oidc.clientSecretKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(t.table).region}.amazonaws.com` },
          },
        }),
      );
  }

  if (has('mac:sign')) {
    // Upload-link tokens and the seal of every commit and projection: signed when written, verified when read.
    out.push(
      new iam.PolicyStatement({
        sid: 'MacSign',
        actions: ['kms:GenerateMac', 'kms:VerifyMac'],
        resources: [t.macKey.keyArn],
      }),
    );
  }

  // Object grants, one statement per need so each reads on its own: keys are generated per upload, so the
  // resources are key prefixes (acknowledged to cdk-nag with that reason), never the whole bucket.
  const readWrite = t.documentPrefixes.map((p) => objectsUnder(t.documents, p));
  const keyActions = new Set<string>();
  if (has('documents:read')) {
    out.push(
      new iam.PolicyStatement({
        sid: 'DocumentsRead',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: readWrite,
      }),
      // Without ListBucket S3 answers 403, not 404, for a missing key; the adapter relies on the 404.
      new iam.PolicyStatement({
        sid: 'DocumentsNotFound',
        actions: ['s3:ListBucket'],
        resources: [t.documents.bucketArn],
      }),
    );
    keyActions.add('kms:Decrypt');
  }
  if (has('documents:write')) {
    // DeleteObject on a versioned, Object-Locked bucket only adds a delete marker: the locked version stays.
    // Neither DeleteObjectVersion nor BypassGovernanceRetention is granted to any function.
    out.push(
      new iam.PolicyStatement({
        sid: 'DocumentsWrite',
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: readWrite,
      }),
    );
    keyActions.add('kms:GenerateDataKey').add('kms:Decrypt');
  }
  if (has('documents:presign-upload')) {
    // A presigned POST is signed with the function's own credentials: it needs PutObject itself.
    out.push(
      new iam.PolicyStatement({
        sid: 'DocumentsPresignUpload',
        actions: ['s3:PutObject'],
        resources: [objectsUnder(t.documents, t.uploadPrefix)],
      }),
    );
    keyActions.add('kms:GenerateDataKey').add('kms:Decrypt');
  }
  if (has('documents:retain')) {
    // Locks one version of an accepted upload (governance mode); never bypasses a lock, never deletes a version.
    out.push(
      new iam.PolicyStatement({
        sid: 'DocumentsRetain',
        actions: ['s3:PutObjectRetention'],
        resources: [objectsUnder(t.documents, t.uploadPrefix)],
      }),
    );
  }
  if (has('checkpoints:write')) {
    // Checkpoints of the audit trail: each written once (If-None-Match) with its lock in the same PUT (which
    // needs PutObjectRetention too: S3 User Guide, "Object Lock", required permissions), read back to chain the
    // next one, and listed under their own prefix only (s3:prefix condition). Nothing here deletes or unlocks.
    out.push(
      new iam.PolicyStatement({
        sid: 'CheckpointsWrite',
        actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'],
        resources: [objectsUnder(t.documents, CHECKPOINT_PREFIX)],
      }),
      new iam.PolicyStatement({
        sid: 'CheckpointsList',
        actions: ['s3:ListBucket'],
        resources: [t.documents.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${CHECKPOINT_PREFIX}*`] } },
      }),
    );
    keyActions.add('kms:GenerateDataKey').add('kms:Decrypt');
  }
  if (keyActions.size > 0) out.push(...viaService(t.dataKey, 's3', [...keyActions].sort(), 'DocumentsKey'));
  return out;
}

/** Use of the key only through the given service in this region (kms:ViaService). */
function viaService(key: kms.IKey, service: string, actions: string[], sid: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid,
      actions,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com` } },
    }),
  ];
}

function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
