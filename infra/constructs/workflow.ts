// The workflow wiring: the lifecycle state machine (workflows/lifecycle.ts) with every execution event logged to a
// KMS-encrypted log group and X-Ray tracing on. Its name is fixed, so the functions can be given its ARN without
// a reference back to the machine that invokes them (which would be a dependency cycle).
import { ArnFormat, Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LifecycleWorkflow } from '../../workflows/lifecycle.js';
import { acknowledge, wildcardResourceFinding } from '../nag.js';

/** The lifecycle state machine's physical name in a stack. */
export function lifecycleStateMachineName(scope: Construct): string {
  return `${Stack.of(scope).stackName}-lifecycle`;
}

export function lifecycleStateMachineArn(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: lifecycleStateMachineName(scope),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface WorkflowProps {
  functions: { plan: lambda.IFunction; wait: lambda.IFunction; recordFailure: lambda.IFunction };
  logKey: kms.IKey;
  logRetentionDays: number;
}

export class Workflow extends Construct {
  readonly lifecycle: LifecycleWorkflow;
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // Step Functions requires the /aws/vendedlogs/ prefix for large resource policies; use it from the start.
      // The group is retained when the stack is deleted, so a fixed name would make re-creating the stack fail
      // ("already exists"): the name ends with the stack's own id (a new UUID for every stack created).
      logGroupName: `/aws/vendedlogs/states/${lifecycleStateMachineName(this)}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.lifecycle = new LifecycleWorkflow(this, 'Lifecycle', {
      functions: props.functions,
      stateMachineName: lifecycleStateMachineName(this),
      logGroup: this.logGroup,
    });
    this.stateMachine = this.lifecycle.stateMachine;

    // Every event (ALL), for the audit trail of each vendor's lifecycle; execution data stays out of the logs
    // (inputs and outputs carry e-mail addresses), as LifecycleWorkflow intends.
    const cfn = this.stateMachine.node.defaultChild as sfn.CfnStateMachine;
    cfn.loggingConfiguration = {
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: this.logGroup.logGroupArn } }],
      level: sfn.LogLevel.ALL,
      includeExecutionData: false,
    };

    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledge(
        policy,
        'AwsSolutions-IAM5[Resource::*]',
        'Step Functions log delivery (logs:CreateLogDelivery and related) and X-Ray (xray:PutTraceSegments and ' +
          'related) do not support resource-level permissions; AWS documents Resource "*" for both.',
      );
      for (const fn of Object.values(props.functions)) {
        acknowledge(
          policy,
          wildcardResourceFinding(policy, `${fn.functionArn}:*`),
          'lambda:InvokeFunction on the qualified ARNs (versions and aliases) of this one function, as the ' +
            'Step Functions Lambda integration grants it; no other function.',
        );
      }
    }
  }
}
