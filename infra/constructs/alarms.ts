// The alarms: what an operator must hear about, each to one encrypted SNS topic (TLS-only publishing): failed
// or timed-out lifecycle executions (a vendor is no longer being followed), errors of any function, anything in
// the dead-letter queue, and SES bounce or complaint rates approaching the levels at which AWS reviews or pauses
// the account's sending (5% and 0.1%: the alarms fire at half of that).
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  key: kms.IKey;
  operatorEmail?: string;
  stateMachine?: sfn.IStateMachine;
  functions: { name: string; fn: lambda.IFunction }[];
  /** The daily reconciler: silence from it (no invocation in a day) is an alarm too. */
  reconciler?: lambda.IFunction;
  /** Its log group: the daily checkpoint's age is read from its log lines (CheckpointNotWritten). */
  reconcilerLogGroup?: logs.ILogGroup;
  deadLetters: sqs.IQueue;
  configurationSetName: string;
  /** SES rates that raise the alarms (fractions). */
  bounceRate?: number;
  complaintRate?: number;
}

export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Bridgekeeper alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.operatorEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.operatorEmail));
    }
    const fiveMinutes = Duration.minutes(5);

    if (props.stateMachine) {
      this.add('LifecycleExecutionsFailed', {
        metric: props.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: "A vendor's lifecycle execution failed: that vendor is not followed until reconciled.",
      });
      this.add('LifecycleExecutionsTimedOut', {
        metric: props.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: "A vendor's lifecycle execution timed out.",
      });
    }
    for (const { name, fn } of props.functions) {
      this.add(`${name}Errors`, {
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        description: `The ${name} function reported errors.`,
      });
    }
    if (props.reconciler) {
      // Daily invocations, with the days without one as 0 (FILL), counted only from the first day in the window
      // that had a run (RUNNING_SUM): before the first scheduled run there is nothing to miss, so the alarm stays
      // OK from deploy until then, and every day without a run after one is a breaching 0. Two of the last three
      // days must breach: today's day is still partial until the run at reconcileHour.
      // See docs/infrastructure.md, "Monitored failures", for how CloudWatch treats this.
      this.add('ReconcileDidNotRun', {
        metric: new cloudwatch.MathExpression({
          expression: 'IF(RUNNING_SUM(FILL(runs, 0)) > 0, FILL(runs, 0), 1)',
          usingMetrics: {
            runs: props.reconciler.metricInvocations({ period: Duration.days(1), statistic: 'Sum' }),
          },
          period: Duration.days(1),
          label: 'Reconciler runs per day (1 before the first run)',
        }),
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // No data at all: nothing has run yet (or the expression has nothing to say): not an alarm.
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
        description:
          'The daily reconciliation did not run for a whole day after having run (schedule disabled or failing).',
      });
    }
    if (props.reconcilerLogGroup) {
      // The audit trail's anchor: the reconciler logs `checkpointAgeHours` on every run (0 when it wrote the
      // day's checkpoint, else the hours since the last one). A metric filter takes that value
      // (CloudWatch Logs User Guide, "Filter and pattern syntax", metric values from JSON fields); the alarm fires
      // when it is above 26 hours on the day's run. A reconciler that does not run at all is ReconcileDidNotRun;
      // a failed write is also an error of the function (ReconcileErrors). No data: no run logged, not this alarm.
      const filter = new logs.MetricFilter(this, 'CheckpointAgeFilter', {
        logGroup: props.reconcilerLogGroup,
        filterPattern: logs.FilterPattern.exists('$.checkpointAgeHours'),
        metricNamespace: 'Bridgekeeper',
        metricName: 'CheckpointAgeHours',
        metricValue: '$.checkpointAgeHours',
      });
      this.add('CheckpointNotWritten', {
        metric: filter.metric({ statistic: 'Maximum', period: Duration.days(1) }),
        threshold: 26,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
        description:
          'No checkpoint of the audit trail was written in the last 26 hours: the table has no anchor for that time.',
      });
    }
    this.add('DeadLetters', {
      metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      threshold: 1,
      description: 'An asynchronous invocation (upload ingest, daily reconcile) failed every retry.',
    });
    const ses = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': props.configurationSetName },
        statistic: 'Maximum',
        period: Duration.hours(1),
      });
    this.add('MailBounceRate', {
      metric: ses('Reputation.BounceRate'),
      threshold: props.bounceRate ?? 0.025,
      description: 'SES bounce rate of Bridgekeeper mail is high (AWS reviews sending accounts at 5%).',
    });
    this.add('MailComplaintRate', {
      metric: ses('Reputation.ComplaintRate'),
      threshold: props.complaintRate ?? 0.0005,
      description: 'SES complaint rate of Bridgekeeper mail is high (AWS reviews sending accounts at 0.1%).',
    });

    // A topic policy replaces SNS's default one: with only the TLS Deny that enforceSSL writes, CloudWatch may not
    // publish and no alarm e-mail would ever arrive. CloudWatch publishes as its service principal, for these
    // alarms of this account only (aws:SourceArn, aws:SourceAccount: the confused-deputy guard AWS documents).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.alarms.map((a) => a.alarmArn) },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
  }

  private add(
    id: string,
    p: {
      metric: cloudwatch.IMetric;
      threshold: number;
      description: string;
      comparison?: cloudwatch.ComparisonOperator;
      missing?: cloudwatch.TreatMissingData;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ) {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: p.metric,
      threshold: p.threshold,
      evaluationPeriods: p.evaluationPeriods ?? 1,
      ...(p.datapointsToAlarm ? { datapointsToAlarm: p.datapointsToAlarm } : {}),
      comparisonOperator: p.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: p.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: p.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
