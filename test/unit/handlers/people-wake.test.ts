import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SFNClient, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { createLifecycleControl } from '../../../functions/adapters/sfn/lifecycle.js';
import { waker } from '../../../functions/edge/wake.js';
import { logger } from '../../../functions/edge/logger.js';
import { emptyState } from '../../../functions/core/vendor-state.js';

logger.setLogLevel('SILENT');

function waiting(token?: string) {
  const state = emptyState('acme-pay');
  if (token) state.lifecycle.taskToken = token;
  return state;
}

const control = () =>
  createLifecycleControl({
    client: new SFNClient({ region: 'us-east-1' }),
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bk',
  });

describe('waking the lifecycle', () => {
  it('sends SendTaskSuccess with the waiting task token, and nothing when none waits', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(SendTaskSuccessCommand).resolves({});
    const wake = waker(control());
    await wake(waiting('token-1'), 'document-received');
    await wake(waiting(), 'document-received');
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify({ woken: 'document-received' }),
    });
    sfn.restore();
  });

  it('treats a token that is gone as done, and never fails a recorded action over a wake-up', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'gone', $metadata: {} }));
    const c = control();
    await expect(c.wake(waiting('old'), 'x')).resolves.toBe(false);
    sfn.on(SendTaskSuccessCommand).rejects(new Error('throttled'));
    await expect(c.wake(waiting('t'), 'x')).rejects.toThrow('throttled');
    await expect(waker(c)(waiting('t'), 'x')).resolves.toBeUndefined();
    sfn.restore();
  });
});
