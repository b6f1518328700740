// The schedule: one EventBridge Scheduler schedule runs the reconciler daily, at a fixed hour of the
// institution's own time zone (daylight saving time handled by Scheduler). Its role may invoke that one function
// and nothing else, and only this account's Scheduler can assume it.
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface ScheduleProps {
  reconciler: lambda.IFunction;
  timeZone: string;
  hour: number;
}

export class Schedule extends Construct {
  readonly role: iam.Role;
  readonly schedule: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    // L1 schedule with an explicit role: the L2 target would also grant the function's versions (`arn:*`).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Bridgekeeper scheduler: invokes the daily reconciler only',
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
  }
}
