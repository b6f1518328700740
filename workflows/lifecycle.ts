// The lifecycle state machine: one Standard execution per vendor, a small event loop around the pure Plan.
//
//   Plan ──► Route ──sleep────► Sleep (callback, timeout = time to the next wake-up) ──► Plan
//                  ├─continue─► StartSuccessor (same state machine, next generation) ──► HandedOver
//                  └─end──────► Done
//   any Task's error (after retries) ──► RecordFailure (lifecycle-failed event + alert) ──► LifecycleFailed
//
// Every wait is an interruptible callback task, so an upload or a review wakes the vendor at once
// (SendTaskSuccess) and the timeout wakes it on schedule; the embedded runner drives that single kind of
// blocking point with its virtual clock. The policy (what happens when) is in functions/core/plan.ts, never in
// Choice states. JSONPath only (no JSONata, no variables): the embedded interpreter supports neither.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export { LIFECYCLE_FUNCTIONS, type LifecycleFunctionName } from '../functions/catalog.js';
import type { LifecycleFunctionName } from '../functions/catalog.js';

/** The state names: the embedded runner binds its overrides to them (aws-local-stepfunctions keys by name). */
export const STATE = {
  plan: 'Plan',
  route: 'Route',
  sleep: 'Sleep',
  startSuccessor: 'StartSuccessor',
  handedOver: 'HandedOver',
  done: 'Done',
  recordFailure: 'RecordFailure',
  failed: 'LifecycleFailed',
} as const;

/** Errors worth retrying: Lambda's own transient faults, and ours (a lost conditional write, throttling). */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'UnavailableError',
  'ConflictError',
];

/** A duplicate start of the same generation is refused by name; that is success, not failure. */
export const ALREADY_STARTED_ERRORS = [
  'StepFunctions.ExecutionAlreadyExistsException',
  'ExecutionAlreadyExists',
];

export interface LifecycleWorkflowProps {
  /** One function per state-machine entry of LIFECYCLE_FUNCTIONS (reconcile runs on a schedule, not here). */
  functions: Record<Exclude<LifecycleFunctionName, 'reconcile'>, lambda.IFunction>;
  /**
   * Physical name of the state machine. Fixed so that the machine can start its own successor without a
   * circular reference. Default: `<stack name>-lifecycle`.
   */
  stateMachineName?: string;
  /** Execution logs (default: a new log group, errors only, no execution data: e-mail addresses stay out). */
  logGroup?: logs.ILogGroup;
}

const retryTransient: sfn.RetryProps = {
  errors: TRANSIENT_ERRORS,
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 4,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

export class LifecycleWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: LifecycleWorkflowProps) {
    super(scope, id);
    const name = props.stateMachineName ?? `${Stack.of(this).stackName}-lifecycle`;
    this.stateMachineName = name;

    // What each Lambda sees of the execution: the loop's state plus who is calling (for the vendor's record).
    const who = {
      vendorId: sfn.JsonPath.stringAt('$.vendorId'),
      generation: sfn.JsonPath.numberAt('$.generation'),
      execution: sfn.JsonPath.executionName,
    };

    const failed = new sfn.Fail(this, STATE.failed, {
      stateName: STATE.failed,
      error: 'LifecycleFailed',
      cause:
        'A lifecycle task failed after its retries; the failure was recorded and the compliance lead alerted.',
    });
    const recordFailure = new tasks.LambdaInvoke(this, STATE.recordFailure, {
      stateName: STATE.recordFailure,
      lambdaFunction: props.functions.recordFailure,
      payload: sfn.TaskInput.fromObject({ ...who, failure: sfn.JsonPath.objectAt('$.failure') }),
      retryOnServiceExceptions: false,
      resultPath: sfn.JsonPath.DISCARD,
    });
    recordFailure.addRetry(retryTransient);
    recordFailure.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failureOfRecord' });
    recordFailure.next(failed);

    const onFailure = { errors: ['States.ALL'], resultPath: '$.failure' };

    const plan = new tasks.LambdaInvoke(this, STATE.plan, {
      stateName: STATE.plan,
      lambdaFunction: props.functions.plan,
      // The loop counter rides in the plan itself (no extra Pass state, no extra transition): the handler
      // returns loops + 1 and hands over to a successor long before the 25,000-event history limit.
      payload: sfn.TaskInput.fromObject({ ...who, loops: sfn.JsonPath.numberAt('$.plan.loops') }),
      retryOnServiceExceptions: false,
      // The handler always returns every field, so the selector never meets a missing path.
      resultSelector: {
        'action.$': '$.Payload.action',
        'sleepSeconds.$': '$.Payload.sleepSeconds',
        'wakeAt.$': '$.Payload.wakeAt',
        'successor.$': '$.Payload.successor',
        'loops.$': '$.Payload.loops',
        'seenSeq.$': '$.Payload.seenSeq',
        'sent.$': '$.Payload.sent',
      },
      resultPath: '$.plan',
    });
    plan.addRetry(retryTransient);
    plan.addCatch(recordFailure, onFailure);

    const sleep = new tasks.LambdaInvoke(this, STATE.sleep, {
      stateName: STATE.sleep,
      lambdaFunction: props.functions.wait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        ...who,
        taskToken: sfn.JsonPath.taskToken,
        wakeAt: sfn.JsonPath.stringAt('$.plan.wakeAt'),
        // The vendor's seq the plan was made on: if anything changed since, the wait handler ends the sleep at once
        // (SendTaskSuccess on its own token) instead of sleeping through a change that came before its token was
        // on record.
        seenSeq: sfn.JsonPath.numberAt('$.plan.seenSeq'),
        // E-mails the plan sent: recorded `email-sent` with the token, in one append.
        sent: sfn.JsonPath.listAt('$.plan.sent'),
      }),
      // The timeout IS the wake-up: States.Timeout goes back to Plan like an early SendTaskSuccess does.
      taskTimeout: sfn.Timeout.at('$.plan.sleepSeconds'),
      retryOnServiceExceptions: false,
      resultPath: '$.woken',
    });
    sleep.addRetry(retryTransient);
    sleep.addCatch(plan, { errors: ['States.Timeout'], resultPath: '$.woken' });
    sleep.addCatch(recordFailure, onFailure);

    const successorName = sfn.JsonPath.stringAt('$.plan.successor.name');
    const startSuccessor = new tasks.StepFunctionsStartExecution(this, STATE.startSuccessor, {
      stateName: STATE.startSuccessor,
      stateMachine: sfn.StateMachine.fromStateMachineName(this, 'Self', name),
      name: successorName,
      input: sfn.TaskInput.fromObject({
        vendorId: sfn.JsonPath.stringAt('$.vendorId'),
        generation: sfn.JsonPath.numberAt('$.plan.successor.generation'),
        plan: { action: 'start', loops: 0 },
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    startSuccessor.addRetry(retryTransient);
    const handedOver = new sfn.Succeed(this, STATE.handedOver, { stateName: STATE.handedOver });
    startSuccessor.addCatch(handedOver, { errors: ALREADY_STARTED_ERRORS, resultPath: '$.alreadyStarted' });
    startSuccessor.addCatch(recordFailure, onFailure);
    startSuccessor.next(handedOver);

    const done = new sfn.Succeed(this, STATE.done, { stateName: STATE.done });
    const route = new sfn.Choice(this, STATE.route, { stateName: STATE.route })
      .when(sfn.Condition.stringEquals('$.plan.action', 'sleep'), sleep)
      .when(sfn.Condition.stringEquals('$.plan.action', 'continue'), startSuccessor)
      .otherwise(done);
    sleep.next(plan);

    const logGroup =
      props.logGroup ??
      new logs.LogGroup(this, 'Logs', {
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: "Bridgekeeper: one vendor's SOC 2 report lifecycle (spec section 5)",
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(route)),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
  }
}
