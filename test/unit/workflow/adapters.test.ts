// The SES and SFN adapters with mocked clients: what they send, and which failures become UnavailableError.
import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createSesMailer } from '../../../functions/adapters/ses/mailer.js';
import {
  createLifecycleControl,
  generationOf,
  lifecycleExecutionName,
  lifecycleInput,
} from '../../../functions/adapters/sfn/lifecycle.js';
import { UnavailableError } from '../../../functions/core/errors.js';
import { emptyState } from '../../../functions/core/vendor-state.js';

const awsError = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('SES mailer', () => {
  it('sends one simple message with both parts and the configuration set', async () => {
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = createSesMailer({
      from: 'bk@bank.example',
      configurationSet: 'cs',
      client: new SESv2Client({}),
    });
    expect(await mailer.send({ to: 'a@b.example', subject: 's', text: 't', html: 'h' })).toEqual({
      messageId: 'm-1',
    });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'bk@bank.example',
      Destination: { ToAddresses: ['a@b.example'] },
      ConfigurationSetName: 'cs',
      Content: { Simple: { Body: { Text: { Data: 't' }, Html: { Data: 'h' } } } },
    });
    ses.restore();
  });
  it('throttling becomes UnavailableError (the workflow retries it); a bad address does not', async () => {
    const ses = mockClient(SESv2Client);
    const mailer = createSesMailer({ from: 'bk@bank.example', client: new SESv2Client({}) });
    ses.on(SendEmailCommand).rejects(awsError('TooManyRequestsException', 429));
    await expect(
      mailer.send({ to: 'a@b.example', subject: 's', text: 't', html: 'h' }),
    ).rejects.toBeInstanceOf(UnavailableError);
    ses.on(SendEmailCommand).rejects(awsError('BadRequestException'));
    await expect(
      mailer.send({ to: 'a@b.example', subject: 's', text: 't', html: 'h' }),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    ses.restore();
  });
});

describe('SFN lifecycle control', () => {
  it('names executions per vendor and generation, and starts them with the loop state', async () => {
    expect(lifecycleExecutionName('acme-pay', 3)).toBe('acme-pay-g3');
    expect(generationOf('acme-pay-g3')).toBe(3);
    expect(generationOf(undefined)).toBe(0);
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const control = createLifecycleControl({
      client: new SFNClient({}),
      stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m',
    });
    expect(await control.start('acme-pay', 2)).toEqual({
      executionName: 'acme-pay-g2',
      started: true,
      executionArn: 'arn:x',
    });
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual(
      lifecycleInput('acme-pay', 2),
    );
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));
    expect(await control.start('acme-pay', 2)).toEqual({ executionName: 'acme-pay-g2', started: false });
    sfn.restore();
  });
  it('wakes with the recorded token; a token that is gone is no error; no token, no call', async () => {
    const sfn = mockClient(SFNClient);
    const control = createLifecycleControl({
      client: new SFNClient({}),
      stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m',
    });
    const state = { ...emptyState('v'), lifecycle: { taskToken: 'tok' } };
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await control.wake(state, 'upload')).toBe(true);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({
      taskToken: 'tok',
      output: '{"woken":"upload"}',
    });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('TaskTimedOut'));
    expect(await control.wake(state, 'upload')).toBe(false);
    sfn.on(SendTaskSuccessCommand).rejects(awsError('ServiceUnavailable', 503));
    await expect(control.wake(state, 'upload')).rejects.toBeInstanceOf(UnavailableError);
    expect(await control.wake(emptyState('v'), 'upload')).toBe(false);
    sfn.restore();
  });
});
