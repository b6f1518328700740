// The schedules: EventBridge Scheduler runs the reconciler daily, at a fixed hour of the institution's own time
// zone (daylight saving time handled by Scheduler), and once a week at the mail hour for the weekly digest. Their
// role may invoke that one function and nothing else, and only this account's Scheduler can assume it.
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface ScheduleProps {
  reconciler: lambda.IFunction;
  timeZone: string;
  hour: number;
  /** The weekly digest: ISO weekday (1 Monday ... 7 Sunday) and local hour. */
  digest: { weekday: number; hour: number };
}

/**
 * Scheduler's cron day-of-week field takes 1-7 counting from Sunday, or SUN-SAT ("Schedule types on
 * EventBridge Scheduler", cron-based schedules: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * the names leave no doubt about which day 1 is.
 */
export const CRON_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

export class Schedule extends Construct {
  readonly role: iam.Role;
  readonly schedule: scheduler.CfnSchedule;
  readonly digest: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    // L1 schedule with an explicit role: the L2 target would also grant the function's versions (`arn:*`).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Bridgekeeper scheduler: invokes the reconciler only',
      inlinePolicies: {
        InvokeReconciler: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['lambda:InvokeFunction'],
              resources: [props.reconciler.functionArn],
            }),
          ],
        }),
      },
    });
    this.schedule = new scheduler.CfnSchedule(this, 'DailyReconcile', {
      description: "Daily: restart every due vendor's lifecycle that has died",
      scheduleExpression: `cron(0 ${props.hour} * * ? *)`,
      scheduleExpressionTimezone: props.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.reconciler.functionArn,
        roleArn: this.role.roleArn,
        input: JSON.stringify({ source: 'bridgekeeper.schedule', detailType: 'daily-reconcile' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
    const day = CRON_DAYS[props.digest.weekday - 1];
    if (!day) throw new Error(`digest weekday ${props.digest.weekday} is not 1-7`);
    this.digest = new scheduler.CfnSchedule(this, 'WeeklyDigest', {
      description: 'Weekly: the digest to every vendor manager and compliance lead (once per ISO week)',
      scheduleExpression: `cron(0 ${props.digest.hour} ? * ${day} *)`,
      scheduleExpressionTimezone: props.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.reconciler.functionArn,
        roleArn: this.role.roleArn,
        input: JSON.stringify({ source: 'bridgekeeper.schedule', detailType: 'weekly-digest' }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
