// The security properties a bank's cloud reviewer checks, asserted on the synthesized template (no snapshots):
// customer-managed encryption, recoverability, retention, TLS, public access, logging and tracing, monitoring.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/table.js';
import { HTTP_ROUTES } from '../../functions/catalog.js';
import {
  flat,
  functionsByEntry,
  onlyResource,
  resourcesOfType,
  scheduleOf,
  synth,
  type Json,
} from './helpers.js';

let t: ReturnType<typeof synth>;
let json: Json;
let dataKeyId: string;
let opsKeyId: string;

beforeAll(() => {
  t = synth({ context: { operatorEmail: 'ops@bank.example', objectLockRetentionDays: 1000 } });
  json = t.json;
  dataKeyId = t.stack.resolve(t.stack.getLogicalId(t.stack.data.key.node.defaultChild as never));
  opsKeyId = resourcesOfType(json, 'AWS::KMS::Key')
    .map(([id]) => id)
    .find((id) => id !== dataKeyId)!;
});

describe('stack', () => {
  it('is protected against termination and tags every resource for the data inventory', () => {
    expect(t.stack.terminationProtection).toBe(true);
    const [, table] = onlyResource(json, 'AWS::DynamoDB::Table');
    expect(table.Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: 'data-classification', Value: 'confidential' }]),
    );
  });

  it('gives the reconciler and the ingest longer timeouts than the 30 s default', () => {
    const timeoutOf = (entry: string) =>
      resourcesOfType(json, 'AWS::Lambda::Function').find(
        ([, f]) => f.Metadata['Bridgekeeper::Handler'] === entry,
      )![1].Properties.Timeout;
    expect(timeoutOf('functions/handlers/reconcile.ts')).toBe(900);
    expect(timeoutOf('functions/handlers/ingest.ts')).toBe(120);
    expect(timeoutOf('functions/handlers/plan.ts')).toBe(30);
  });

  it('gives the extraction its own memory and timeout (a 50 MB report is read in full; reading stops at 20 s)', () => {
    const [, fn] = resourcesOfType(json, 'AWS::Lambda::Function').find(
      ([, f]) => f.Metadata['Bridgekeeper::Handler'] === 'functions/handlers/extract.ts',
    )!;
    expect(fn.Properties.MemorySize).toBe(1024);
    expect(fn.Properties.Timeout).toBe(60);
  });
});

describe('keys', () => {
  it('are customer managed, rotated (HMAC keys cannot be) and retained', () => {
    const keys = resourcesOfType(json, 'AWS::KMS::Key');
    expect(keys).toHaveLength(3);
    for (const [, key] of keys) {
      // KMS rotates symmetric encryption keys only (AWS KMS Developer Guide, "Rotating AWS KMS keys").
      if (key.Properties.KeySpec === 'HMAC_256') {
        expect(key.Properties.KeyUsage).toBe('GENERATE_VERIFY_MAC');
        expect(key.Properties.EnableKeyRotation).toBeUndefined();
      } else expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  it('let AWS services use only the operations key, never the data key', () => {
    const services = (id: string) =>
      json.Resources[id].Properties.KeyPolicy.Statement.filter((s: Json) => s.Principal?.Service).map(
        (s: Json) => s.Principal.Service,
      );
    expect(services(dataKeyId)).toEqual([]);
    expect(JSON.stringify(services(opsKeyId))).toMatch(/logs\./);
  });
});

describe('table', () => {
  it('is encrypted with the data key, recoverable, deletion-protected and retained', () => {
    t.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
        },
        PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('has the storage adapter’s key schema and indexes, so local and AWS match', () => {
    const [, table] = onlyResource(json, 'AWS::DynamoDB::Table');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = table.Properties.GlobalSecondaryIndexes.map((i: Json) => ({
      name: i.IndexName,
      keys: i.KeySchema.map((k: Json) => k.AttributeName),
      projection: i.Projection.ProjectionType,
    }));
    expect(indexes).toEqual(
      TABLE_SCHEMA.indexes.map((i) => ({
        name: i.name,
        keys: [i.partitionKey, ...('sortKey' in i ? [i.sortKey] : [])],
        projection: i.projection,
      })),
    );
  });
});

describe('documents bucket', () => {
  let bucket: Json;
  let bucketId: string;
  beforeAll(() => {
    [bucketId, bucket] = resourcesOfType(json, 'AWS::S3::Bucket').find(
      ([, b]) => b.Properties.ObjectLockEnabled,
    )!;
  });

  it('blocks every kind of public access (both buckets)', () => {
    for (const [, b] of resourcesOfType(json, 'AWS::S3::Bucket')) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    }
  });

  it('is encrypted with the data key (SSE-KMS, bucket key), versioned and retained', () => {
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
        },
      },
    ]);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('has Object Lock enabled with no default retention: accepted evidence is locked version by version', () => {
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    // Refused junk is not kept for years: only the review's acceptance locks (documents:retain).
    expect(bucket.Properties.ObjectLockConfiguration?.Rule).toBeUndefined();
    const review = [...functionsByEntry(json).entries()].find(([entry]) => entry.endsWith('review.ts'))![1];
    expect(review[1].Properties.Environment.Variables.EVIDENCE_RETENTION_DAYS).toBe('1000');
  });

  it('moves to a cheaper storage class and logs every access to the log bucket', () => {
    const rule = bucket.Properties.LifecycleConfiguration.Rules[0];
    expect(rule.Transitions).toEqual([{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }]);
    expect(rule.Status).toBe('Enabled');
    const [logBucketId] = resourcesOfType(json, 'AWS::S3::Bucket').find(([id]) => id !== bucketId)!;
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logBucketId });
  });

  it('allows the presigned PUT, with its signed headers, from the API origin only', () => {
    const [cors] = bucket.Properties.CorsConfiguration.CorsRules;
    expect(cors.AllowedMethods).toEqual(['PUT']);
    expect(cors.AllowedHeaders).toEqual(['content-type', 'x-amz-checksum-sha256', 'if-none-match']);
    expect(flat(cors.AllowedOrigins[0])).toMatch(/^<ApiHttpApi[0-9A-F]+\.ApiEndpoint>$/);
  });

  it('publishes new objects to EventBridge without a custom resource', () => {
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(resourcesOfType(json, 'Custom::S3BucketNotifications')).toEqual([]);
    t.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.s3'],
        detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'uploads/' }] } },
      }),
    });
  });
});

describe('TLS only', () => {
  const denyInsecure = Match.objectLike({
    Effect: 'Deny',
    Action: Match.anyValue(),
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  it('on both buckets', () => {
    t.template.resourceCountIs('AWS::S3::BucketPolicy', 2);
    t.template.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]), Version: '2012-10-17' },
    });
  });
  it('on the topics and the dead-letter queue', () => {
    t.template.allResourcesProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([denyInsecure]) }),
    });
    t.template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([denyInsecure]) }),
    });
  });
});

describe('state machine', () => {
  it('logs ALL events to a log group encrypted with the operations key, and traces with X-Ray', () => {
    const [, machine] = onlyResource(json, 'AWS::StepFunctions::StateMachine');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    const logging = machine.Properties.LoggingConfiguration;
    expect(logging.Level).toBe('ALL');
    expect(logging.IncludeExecutionData).toBe(false);
    const logGroupId = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(json.Resources[logGroupId].Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [opsKeyId, 'Arn'] });
    expect(machine.Properties.StateMachineName).toBe('Bridgekeeper-lifecycle');
  });

  it('every log group is encrypted, has a retention and is retained', () => {
    for (const [, group] of resourcesOfType(json, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [opsKeyId, 'Arn'] });
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('HTTP API', () => {
  it('authorizes no route at the API: browsers send no Authorization header, the handlers check the session', () => {
    t.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    const routes = new Map(
      resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r]),
    );
    expect([...routes.keys()].sort()).toEqual(HTTP_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of HTTP_ROUTES) {
      const r = routes.get(`${route.method} ${route.path}`);
      expect(r.Properties.AuthorizationType, route.path).toBe('NONE');
      expect(r.Properties.AuthorizerId).toBeUndefined();
    }
  });

  it('serves sign-in, its callback and sign-out from the sign-in function, which reads no vendor data', () => {
    const routes = resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /signin', 'GET /callback', 'POST /signout']));
    const [, signin] = functionsByEntry(json).get('functions/handlers/signin.ts')!;
    const variables = signin.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      OIDC_ISSUER: 'https://login.bank.example',
      OIDC_CLIENT_ID: 'bridgekeeper',
      OIDC_GROUPS_CLAIM: 'groups',
      OIDC_CLIENT_SECRET_ARN:
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:bridgekeeper/oidc-client-AbCdEf',
    });
    expect(JSON.parse(variables.STAFF_ROLE_MAPPING)).toEqual({
      'bridgekeeper-vendor-managers': 'vendor-manager',
      'bridgekeeper-compliance-leads': 'compliance-lead',
      'bridgekeeper-auditors': 'auditor',
    });
  });

  it('expires sessions, sign-ins and link counters with DynamoDB TTL', () => {
    const [, table] = onlyResource(json, 'AWS::DynamoDB::Table');
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('throttles the public routes harder than the stage default, and never logs the path', () => {
    const [, stage] = onlyResource(json, 'AWS::ApiGatewayV2::Stage');
    const publicKeys = HTTP_ROUTES.filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicKeys.sort());
    for (const key of publicKeys) {
      expect(stage.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: 5,
        ThrottlingBurstLimit: 20,
      });
    }
    expect(publicKeys).toEqual(expect.arrayContaining(['GET /signin', 'GET /callback', 'POST /signout']));
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(5);
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(format).toContain('$context.routeKey');
    expect(format).not.toMatch(/\$context\.(path|resourcePath)\b/);
  });
});

describe('alarms', () => {
  it('all go to the operators’ topic, encrypted with the operations key, e-mailed to the operator', () => {
    const [topicId] = resourcesOfType(json, 'AWS::SNS::Topic').find(
      ([, topic]) => topic.Properties.DisplayName === 'Bridgekeeper alarms',
    )!;
    expect(json.Resources[topicId].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [opsKeyId, 'Arn'] });
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm');
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    t.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@bank.example',
      TopicArn: { Ref: topicId },
    });
  });

  it('cover failed executions, every function’s errors, a silent reconciler, dead letters, SES bounces and complaints', () => {
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const [machineId] = onlyResource(json, 'AWS::StepFunctions::StateMachine');
    const [queueId] = onlyResource(json, 'AWS::SQS::Queue');
    const on = (namespace: string, metric: string) =>
      alarms.filter((a) => a.Namespace === namespace && a.MetricName === metric);
    expect(on('AWS/States', 'ExecutionsFailed')[0].Dimensions).toEqual([
      { Name: 'StateMachineArn', Value: { Ref: machineId } },
    ]);
    const functionIds = resourcesOfType(json, 'AWS::Lambda::Function').map(([id]) => id);
    expect(
      on('AWS/Lambda', 'Errors')
        .map((a) => a.Dimensions[0].Value.Ref)
        .sort(),
    ).toEqual(functionIds.sort());
    expect(on('AWS/SQS', 'ApproximateNumberOfMessagesVisible')[0].Dimensions[0].Value).toEqual({
      'Fn::GetAtt': [queueId, 'QueueName'],
    });
    const reconcileId = resourcesOfType(json, 'AWS::Lambda::Function').find(
      ([, f]) => f.Metadata['Bridgekeeper::Handler'] === 'functions/handlers/reconcile.ts',
    )![0];
    // The silent-reconciler alarm is a metric-math alarm over the reconciler's invocations (first-deploy.test.ts).
    const silence = alarms.find((a) =>
      (a.Metrics ?? []).some(
        (m: Json) =>
          m.MetricStat?.Metric.MetricName === 'Invocations' &&
          m.MetricStat.Metric.Dimensions[0].Value.Ref === reconcileId,
      ),
    );
    expect(silence).toMatchObject({ ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    for (const metric of ['Reputation.BounceRate', 'Reputation.ComplaintRate']) {
      const [alarm] = on('AWS/SES', metric);
      expect(alarm.Dimensions[0].Name).toBe('ses:configuration-set');
      expect(alarm.Threshold).toBeLessThan(0.05);
    }
  });
});

describe('dead letters, mail, schedule', () => {
  it('the dead-letter queue is encrypted with the data key', () => {
    const [, queue] = onlyResource(json, 'AWS::SQS::Queue');
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [dataKeyId, 'Arn'] });
  });

  it('the SES configuration set requires TLS, tracks reputation and reports bounces and complaints', () => {
    t.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    t.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: Match.anyValue(),
      }),
    });
  });

  it('the reconciler runs daily at the configured hour of the institution’s zone', () => {
    const [, schedule] = scheduleOf(json, 'daily-reconcile');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 6 * * ? *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe('UTC');
    const reconcile = resourcesOfType(json, 'AWS::Lambda::Function').find(
      ([, f]) => f.Metadata['Bridgekeeper::Handler'] === 'functions/handlers/reconcile.ts',
    )!;
    expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [reconcile[0], 'Arn'] });
  });

  it('the weekly digest runs on the configured weekday at the mail hour (day named: 1 is Sunday in Scheduler)', () => {
    const [, schedule] = scheduleOf(json, 'weekly-digest');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(0 9 ? * MON *)');
    expect(schedule.Properties.ScheduleExpressionTimezone).toBe('UTC');
    expect(resourcesOfType(json, 'AWS::Scheduler::Schedule')).toHaveLength(2);
  });
});
