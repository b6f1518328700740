// The runner's Step Functions endpoint, driven by the real @aws-sdk/client-sfn over the JSON 1.0 protocol:
// start (idempotent by name, refused when different), describe, callbacks, stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createSfnClient, createLifecycleControl } from '../../../functions/adapters/sfn/lifecycle.js';
import { LifecycleRunner, VirtualClock } from '../../../local/runner/runner.js';
import { startSfnEndpoint, type SfnEndpoint } from '../../../local/runner/sfn-endpoint.js';
import type { SynthesizedLifecycle } from '../../../local/runner/definition.js';

// A tiny machine: one callback task (timeout from the input) then Succeed; the handler records the token.
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:Waiter';
const tokens: string[] = [];
const lifecycle: SynthesizedLifecycle = {
  source: 'lifecycle-only',
  rawDefinitionString: {},
  stateMachineName: 'test',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:test',
  handlers: new Map([[FN, 'functions/handlers/waiter.ts']]),
  definition: {
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: FN,
          Payload: { 'token.$': '$$.Task.Token', 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSecondsPath: '$.seconds',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Done' }],
        ResultPath: '$.result',
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
};

let runner: LifecycleRunner;
let endpoint: SfnEndpoint;
const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
const sfn = () => createSfnClient({ endpoint: endpoint.endpoint });

beforeAll(async () => {
  runner = new LifecycleRunner({
    lifecycle,
    clock,
    loadHandler: async () => async (event: { taskToken: string }) => {
      tokens.push(event.taskToken);
      return {};
    },
  });
  endpoint = await startSfnEndpoint(runner);
});
afterAll(async () => {
  await runner.close();
  await endpoint.stop();
});

const arnOf = (name: string) => runner.executionArn(name);

describe('the local Step Functions endpoint', () => {
  it('starts an execution, refuses a different start under the same name, repeats the same one', async () => {
    const input = JSON.stringify({ seconds: 86_400 * 40 });
    const start = () =>
      sfn().send(
        new StartExecutionCommand({ stateMachineArn: lifecycle.stateMachineArn, name: 'a-g1', input }),
      );
    const first = await start();
    expect(first.executionArn).toBe(arnOf('a-g1'));
    expect((await start()).executionArn).toBe(first.executionArn);
    await expect(
      sfn().send(
        new StartExecutionCommand({ stateMachineArn: lifecycle.stateMachineArn, name: 'a-g1', input: '{}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await runner.idle();
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(d.status).toBe('RUNNING');
    expect(d.startDate?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a 40-day callback timeout holds in virtual time, then fires (no setTimeout overflow)', async () => {
    await runner.runUntil(new Date('2026-02-09T00:00:00Z'));
    expect(runner.describeExecution(arnOf('a-g1')).status).toBe('RUNNING');
    await runner.runUntil(new Date('2026-02-10T00:00:01Z'));
    await new Promise((r) => setTimeout(r, 10));
    const d = runner.describeExecution(arnOf('a-g1'));
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!).timedOut.Error).toBe('States.Timeout');
  });

  it('SendTaskSuccess resumes the execution with the output; a used token is gone', async () => {
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: lifecycle.stateMachineArn,
        name: 'b-g1',
        input: '{"seconds":600}',
      }),
    );
    await runner.idle();
    const token = tokens.at(-1)!;
    await sfn().send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"woken":"upload"}' }));
    await runner.idle();
    await new Promise((r) => setTimeout(r, 10));
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn: arnOf('b-g1') }));
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!).result).toEqual({ woken: 'upload' });
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
  });

  it('SendTaskFailure fails it; StopExecution aborts it; the adapter maps both ends', async () => {
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: lifecycle.stateMachineArn,
        name: 'c-g1',
        input: '{"seconds":600}',
      }),
    );
    await runner.idle();
    await sfn().send(
      new SendTaskFailureCommand({ taskToken: tokens.at(-1)!, error: 'Refused', cause: 'no' }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(runner.describeExecution(arnOf('c-g1'))).toMatchObject({ status: 'FAILED', error: 'Refused' });

    const control = createLifecycleControl({ client: sfn(), stateMachineArn: lifecycle.stateMachineArn });
    await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: lifecycle.stateMachineArn,
        name: 'd-g1',
        input: '{"seconds":600}',
      }),
    );
    expect(await control.status('d-g1')).toBe('RUNNING');
    await runner.idle();
    await sfn().send(new StopExecutionCommand({ executionArn: arnOf('d-g1') }));
    expect(await control.status('d-g1')).toBe('ABORTED');
    expect(await control.status('nobody-g1')).toBeUndefined();
    expect(await control.start('d', 1)).toMatchObject({ executionName: 'd-g1', started: false }); // refused, not doubled
    expect(await control.start('e', 1)).toMatchObject({ executionName: 'e-g1', started: true });
  });
});
