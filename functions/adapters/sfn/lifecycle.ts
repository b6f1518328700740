// Starting and waking vendors' lifecycles through the real Step Functions API (@aws-sdk/client-sfn). Locally
// only the endpoint changes (AWS_ENDPOINT_URL_SFN -> the embedded runner's JSON-protocol endpoint).
import {
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  DescribeExecutionCommand,
} from '@aws-sdk/client-sfn';
import { UnavailableError } from '../../core/errors.js';
import type { VendorState } from '../../core/vendor-state.js';
import { clientConfig, type ClientOptions } from '../aws.js';

export function createSfnClient(options: ClientOptions = {}): SFNClient {
  return new SFNClient(clientConfig('SFN', options));
}

/**
 * Execution names are deterministic per vendor and generation (each restart or hand-over is the next
 * generation), so two starters racing for the same generation get one execution, never two.
 */
export function lifecycleExecutionName(vendorId: string, generation: number): string {
  return `${vendorId}-g${generation}`;
}

/** The generation in an execution name (0 when the name is not one of ours). */
export function generationOf(executionName: string | undefined): number {
  const match = executionName ? /-g(\d+)$/.exec(executionName) : null;
  return match ? Number(match[1]) : 0;
}

/** The execution input every generation starts with (the shape the state machine's Plan reads). */
export function lifecycleInput(vendorId: string, generation: number) {
  return { vendorId, generation, plan: { action: 'start', loops: 0 } };
}

export interface StartResult {
  executionName: string;
  /** false: an execution of that name already existed (refused, not doubled). */
  started: boolean;
  executionArn?: string;
}

const TRANSIENT = new Set([
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalServerError',
  'TimeoutError',
]);

function mapTransient(error: unknown): never {
  const name = (error as Error).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (TRANSIENT.has(name) || (status !== undefined && status >= 500) || name === 'ECONNREFUSED')
    throw new UnavailableError(`Step Functions: ${name}`, { cause: error });
  throw error;
}

export interface LifecycleControl {
  /** Starts generation `generation` of a vendor's lifecycle (a duplicate start is refused, not doubled). */
  start(vendorId: string, generation: number): Promise<StartResult>;
  /** Wakes the vendor's sleeping lifecycle (SendTaskSuccess on its recorded token); no token, no-op. */
  wake(state: VendorState, reason: string): Promise<boolean>;
  /** Completes one sleep by its token (the wait handler ending its own sleep); false when it already ended. */
  resume(taskToken: string, reason: string): Promise<boolean>;
  /** The status of an execution by name ('RUNNING', 'SUCCEEDED', ...), or undefined if there is none. */
  status(executionName: string): Promise<string | undefined>;
}

export function createLifecycleControl(options: {
  client: SFNClient;
  stateMachineArn: string;
}): LifecycleControl {
  const { client, stateMachineArn } = options;
  const executionArn = (name: string) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    async start(vendorId, generation) {
      const name = lifecycleExecutionName(vendorId, generation);
      try {
        const out = await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name,
            input: JSON.stringify(lifecycleInput(vendorId, generation)),
          }),
        );
        return {
          executionName: name,
          started: true,
          ...(out.executionArn ? { executionArn: out.executionArn } : {}),
        };
      } catch (error) {
        if ((error as Error).name === 'ExecutionAlreadyExists')
          return { executionName: name, started: false };
        return mapTransient(error);
      }
    },
    async wake(state, reason) {
      const taskToken = state.lifecycle.taskToken;
      if (!taskToken) return false;
      return this.resume(taskToken, reason);
    },
    async resume(taskToken, reason) {
      try {
        await client.send(
          new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ woken: reason }) }),
        );
        return true;
      } catch (error) {
        const name = (error as Error).name;
        // The lifecycle already woke on its own (timeout, another change): its next Plan sees this change anyway.
        if (name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken') return false;
        return mapTransient(error);
      }
    },
    async status(name) {
      try {
        const out = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }));
        return out.status;
      } catch (error) {
        if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
        return mapTransient(error);
      }
    },
  };
}
