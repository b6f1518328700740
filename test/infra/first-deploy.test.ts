// What CloudFormation and the services check only at deploy time (or not at all), checked on the template here:
// the order the HTTP API stage needs, who may publish to the encrypted topics, a stack that can be deleted and
// created again, the optional SES identity, a reconciler alarm that is quiet until the first run, and the custom
// domain. Each rule is quoted from the AWS documentation it comes from (also in docs/infrastructure.md).
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config.js';
import {
  asArray,
  flat,
  functionsByEntry,
  onlyResource,
  resourcesOfType,
  synth,
  type Json,
} from './helpers.js';

const base = synth();
const json: Json = base.json;

describe('the HTTP API stage', () => {
  // API Gateway: CreateStage with RouteSettings for a route key that does not exist yet fails with
  // "NotFoundException: Unable to find Route by key GET /u/{token} within the provided RouteSettings"
  // (e.g. terraform-aws-modules/terraform-aws-apigateway-v2#80). CloudFormation creates resources in parallel
  // unless a DependsOn or a reference orders them, and RouteSettings names routes by key, not by reference.
  it('depends on every route its RouteSettings name', () => {
    const [, stage] = onlyResource(json, 'AWS::ApiGatewayV2::Stage');
    const routeIdByKey = new Map(
      resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey, id]),
    );
    const named = Object.keys(stage.Properties.RouteSettings ?? {});
    expect(named.length).toBeGreaterThan(0);
    const dependsOn = asArray<string>(stage.DependsOn);
    for (const key of named) {
      expect(routeIdByKey.has(key), key).toBe(true);
      expect(dependsOn, key).toContain(routeIdByKey.get(key));
    }
  });
});

describe('topic policies', () => {
  const policyOf = (topicId: string) =>
    resourcesOfType(json, 'AWS::SNS::TopicPolicy').find(([, p]) =>
      asArray<Json>(p.Properties.Topics).some((t) => t.Ref === topicId),
    )![1].Properties.PolicyDocument.Statement as Json[];
  const topicId = (displayName: string) =>
    resourcesOfType(json, 'AWS::SNS::Topic').find(([, t]) => t.Properties.DisplayName === displayName)![0];

  // A topic policy replaces SNS's default policy (which lets the account's services publish). With only a Deny,
  // CloudWatch's publish is refused and the alarm history says "...alarm:NAME is not authorized to perform:
  // SNS:Publish" (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger). The Allow names
  // the cloudwatch.amazonaws.com principal, with aws:SourceArn (these alarms) and aws:SourceAccount, the
  // confused-deputy guard of https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html.
  it('let CloudWatch publish this stack’s alarms to the alarm topic, over TLS only', () => {
    const alarmTopic = topicId('Bridgekeeper alarms');
    const statements = policyOf(alarmTopic);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: alarmTopic },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    // Exactly the alarms that notify this topic, each by its ARN.
    const notifying = resourcesOfType(json, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => asArray<Json>(a.Properties.AlarmActions).some((x) => x.Ref === alarmTopic))
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    expect(notifying.length).toBeGreaterThan(5);
    expect(asArray(allow.Condition.ArnLike['aws:SourceArn'])).toEqual(expect.arrayContaining(notifying));
    expect(asArray(allow.Condition.ArnLike['aws:SourceArn'])).toHaveLength(notifying.length);
    expect(statements.filter((s) => s.Effect === 'Allow')).toHaveLength(1);
  });

  // SES event publishing to SNS: "you must grant SES access to publish notifications to the topic"
  // (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-sns.html).
  it('let SES publish this configuration set’s events to the mail-events topic, over TLS only', () => {
    const eventsTopic = topicId('Bridgekeeper mail events (bounces, complaints)');
    const [configSetId] = onlyResource(json, 'AWS::SES::ConfigurationSet');
    const statements = policyOf(eventsTopic);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: '*' }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const allow of allows) {
      expect(allow.Principal).toEqual({ Service: 'ses.amazonaws.com' });
      expect(allow.Action).toBe('sns:Publish');
      const conditions = JSON.stringify(allow.Condition).toLowerCase();
      expect(conditions).toContain('aws:sourceaccount');
      expect(
        flat(
          Object.values<Json>(allow.Condition.StringEquals).find(
            (v) => typeof v !== 'string' && 'Fn::Join' in v,
          ),
        ),
      ).toBe(`arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configSetId}>`);
    }
  });
});

describe('deleting and re-creating the stack', () => {
  // Retained resources outlive the stack; a fixed physical name then collides on the next create
  // ("Resource of type 'AWS::Logs::LogGroup' with identifier '...' already exists"). Names generated by
  // CloudFormation, or ending in the stack's own id (AWS::StackId ends in a UUID new with every stack), do not.
  it('leaves no retained resource with a fixed name', () => {
    const retained = Object.entries<Json>(json.Resources).filter(([, r]) => r.DeletionPolicy === 'Retain');
    expect(retained.map(([, r]) => r.Type)).toEqual(
      expect.arrayContaining(['AWS::Logs::LogGroup', 'AWS::S3::Bucket']),
    );
    for (const [id, r] of retained) {
      for (const [key, name] of Object.entries<Json>(r.Properties ?? {})) {
        if (!/Name$/.test(key)) continue;
        expect(typeof name, `${id}.${key}: ${JSON.stringify(name)}`).not.toBe('string');
        expect(JSON.stringify(name), `${id}.${key}`).toContain('"AWS::StackId"');
      }
    }
  });

  it('keeps the state machine’s log group under /aws/vendedlogs/ (Step Functions’ large-policy prefix)', () => {
    const [, machine] = onlyResource(json, 'AWS::StepFunctions::StateMachine');
    const groupId =
      machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn[
        'Fn::GetAtt'
      ][0];
    expect(flat(json.Resources[groupId].Properties.LogGroupName)).toMatch(
      /^\/aws\/vendedlogs\/states\/Bridgekeeper-lifecycle-.*AWS::StackId/,
    );
  });
});

describe('the SES identity', () => {
  // AWS::SES::EmailIdentity is a create of the identity: CloudFormation fails when SES already has it in that
  // region ("Resource of type 'AWS::SES::EmailIdentity' with identifier '...' already exists", HandlerErrorCode
  // AlreadyExists: widdix/mastodon-on-aws#27). Most banks' domains are verified in SES already, so the stack does not create
  // it unless asked (createMailIdentity=true, for a domain new to SES); README "Deploy to AWS" says which.
  it('is not created by default, and the grant still names it', () => {
    expect(resourcesOfType(json, 'AWS::SES::EmailIdentity')).toEqual([]);
    expect(JSON.stringify(json)).toContain(':identity/bank.example');
  });

  it('is created with its DKIM records as outputs when asked', () => {
    const created = synth({ context: { createMailIdentity: true } }).json;
    const [, identity] = onlyResource(created, 'AWS::SES::EmailIdentity');
    expect(identity.Properties.EmailIdentity).toBe('bank.example');
    expect(Object.keys(created.Outputs).filter((k) => k.includes('DkimRecord'))).toHaveLength(3);
  });
});

describe('the reconciler alarm', () => {
  const alarm = () =>
    resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(([id]) => id.includes('ReconcileDidNotRun'))![1]
      .Properties;

  it('counts the reconciler’s daily invocations, 2 of the last 3 days, no data not breaching', () => {
    const a = alarm();
    const reconcileId = functionsByEntry(json).get('functions/handlers/reconcile.ts')![0];
    expect(a).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    const runs = a.Metrics.find((m: Json) => m.MetricStat);
    expect(runs.MetricStat).toMatchObject({
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: reconcileId } }],
      },
      Period: 86400,
      Stat: 'Sum',
    });
    const expression = a.Metrics.find((m: Json) => m.ReturnData !== false);
    expect(expression.Expression).toBe(`IF(RUNNING_SUM(FILL(${runs.Id}, 0)) > 0, FILL(${runs.Id}, 0), 1)`);
  });

  // The expression evaluated the way CloudWatch metric math defines its functions
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html: FILL replaces missing
  // values with the given one, RUNNING_SUM is the running total over the series, IF picks per data point), then
  // the alarm's "M out of N" over the last 3 daily points with missing results as not breaching
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
  // Modelled over the 3 evaluated days only (CloudWatch may fetch a few more, which only keeps the alarm in ALARM
  // longer once runs stopped: those cases are not asserted).
  function alarmsAfter(days: (number | null)[]): boolean {
    const window = days.slice(-3);
    if (window.every((d) => d === null)) return false; // no data: the expression returns nothing (notBreaching)
    let sum = 0;
    const values = window.map((d) => d ?? 0).map((v) => ((sum += v) > 0 ? v : 1));
    return values.filter((v) => v < 1).length >= 2;
  }

  it('stays quiet from deploy until the first run, and alarms once runs stop', () => {
    // Deployed today (partial day, no run yet), nothing before.
    expect(alarmsAfter([null])).toBe(false);
    expect(alarmsAfter([null, null, null])).toBe(false);
    // Running daily; today's run not yet happened (partial day).
    expect(alarmsAfter([1, 1, 1, null])).toBe(false);
    // Deployed, first run the next morning.
    expect(alarmsAfter([null, 1, null])).toBe(false);
    // Ran, then a whole day without a run, and today's not yet: alarm.
    expect(alarmsAfter([1, 1, null, null])).toBe(true);
    // Ran every day but one of the last three, today's pending: no alarm until a whole day is missed.
    expect(alarmsAfter([1, 1, 1, 1, null])).toBe(false);
  });

  // "An alarm's total current evaluation period can be no longer than seven days, so Period multiplied by
  // EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than one hour
  // (3,600 seconds), the total evaluation period can't be longer than one day" (PutMetricAlarm, Period).
  it('every alarm’s evaluation range is within what PutMetricAlarm accepts', () => {
    for (const [id, a] of resourcesOfType(json, 'AWS::CloudWatch::Alarm')) {
      const p = a.Properties;
      const period =
        p.Period ??
        Math.max(...p.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => m.MetricStat.Period));
      const total = period * p.EvaluationPeriods;
      expect(total, id).toBeLessThanOrEqual(period < 3600 ? 86_400 : 604_800);
      if (p.DatapointsToAlarm !== undefined)
        expect(p.DatapointsToAlarm, id).toBeLessThanOrEqual(p.EvaluationPeriods);
    }
  });
});

describe('a custom domain', () => {
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0c1e-4d7a-9f2b';
  const context = { customDomainName: 'Vendors.Bank.example', customDomainCertificateArn: certificateArn };

  it('disables the execute-api endpoint and maps the stage to the bank’s host name', () => {
    const t = synth({ context });
    const [apiId, api] = onlyResource(t.json, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.DisableExecuteApiEndpoint).toBe(true);
    t.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'vendors.bank.example',
      DomainNameConfigurations: [
        Match.objectLike({
          CertificateArn: certificateArn,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        }),
      ],
    });
    const [stageId] = onlyResource(t.json, 'AWS::ApiGatewayV2::Stage');
    const [, mapping] = onlyResource(t.json, 'AWS::ApiGatewayV2::ApiMapping');
    expect(mapping.Properties.ApiId).toEqual({ Ref: apiId });
    expect(mapping.Properties.Stage).toBe('$default');
    expect(asArray(mapping.DependsOn)).toContain(stageId);
    // Links in e-mails, the upload form's CORS origin and the output all use the custom domain.
    for (const [, fn] of resourcesOfType(t.json, 'AWS::Lambda::Function'))
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://vendors.bank.example');
    const bucket = resourcesOfType(t.json, 'AWS::S3::Bucket').find(
      ([, b]) => b.Properties.ObjectLockEnabled,
    )![1];
    expect(bucket.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins).toEqual([
      'https://vendors.bank.example',
    ]);
    expect(t.json.Outputs.ApiUrl.Value).toBe('https://vendors.bank.example');
    expect(flat(t.json.Outputs.CustomDomainTarget.Value)).toMatch(/RegionalDomainName/);
  });

  it('has no cdk-nag finding', () => {
    const { app } = synth({ context });
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    expect(
      violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
    ).toEqual([]);
  });

  it('without one, the execute-api endpoint is the API’s address', () => {
    const [, api] = onlyResource(json, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.DisableExecuteApiEndpoint ?? false).toBe(false);
    expect(resourcesOfType(json, 'AWS::ApiGatewayV2::DomainName')).toEqual([]);
  });

  it('needs both the name and the certificate, each well formed', () => {
    const problems = (c: Record<string, unknown>) => {
      try {
        synth({ context: c });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ customDomainName: 'vendors.bank.example' })).toEqual([
      'customDomainName and customDomainCertificateArn: set both or neither',
    ]);
    expect(
      problems({ customDomainName: 'https://x', customDomainCertificateArn: 'arn:aws:iam::1:role/x' }),
    ).toEqual([
      'customDomainName: https://x is not a host name',
      'customDomainCertificateArn: arn:aws:iam::1:role/x is not an ACM certificate ARN',
    ]);
  });
});

describe('the checkpoint alarm', () => {
  it('reads checkpointAgeHours from the reconciler’s own log lines and fires above 26 hours', () => {
    const reconcileFn = functionsByEntry(json).get('functions/handlers/reconcile.ts')![1];
    const logGroup = reconcileFn.Properties.LoggingConfig.LogGroup.Ref;
    const [, filter] = resourcesOfType(json, 'AWS::Logs::MetricFilter').find(
      ([, f]) => f.Properties.LogGroupName.Ref === logGroup,
    )!;
    expect(filter.Properties.FilterPattern).toBe('{ $.checkpointAgeHours = "*" }');
    expect(filter.Properties.MetricTransformations).toEqual([
      {
        MetricNamespace: 'Bridgekeeper',
        MetricName: 'CheckpointAgeHours',
        MetricValue: '$.checkpointAgeHours',
      },
    ]);
    const [, alarm] = resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(([id]) =>
      id.includes('CheckpointNotWritten'),
    )!;
    expect(alarm.Properties).toMatchObject({
      Namespace: 'Bridgekeeper',
      MetricName: 'CheckpointAgeHours',
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 26,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});
