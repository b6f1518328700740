// A minimal stack holding only the lifecycle state machine and its Lambdas, built the way the infra builds them
// (one function per LIFECYCLE_FUNCTIONS entry, carrying the `Bridgekeeper::Handler` metadata). The embedded
// runner falls back to it when the full BridgekeeperStack (infra/stack.ts) is not available, and the workflow's
// infra-free tests use it.
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LIFECYCLE_FUNCTIONS, LifecycleWorkflow } from './lifecycle.js';

export const HANDLER_METADATA_KEY = 'Bridgekeeper::Handler';

export function buildLifecycleOnlyStack(app: App = new App()): Stack {
  const stack = new Stack(app, 'BridgekeeperLifecycle', { env: { region: 'us-east-1' } });
  const fn = (name: 'plan' | 'wait' | 'recordFailure') => {
    const spec = LIFECYCLE_FUNCTIONS[name];
    const f = new lambda.Function(stack, `${name[0]!.toUpperCase()}${name.slice(1)}Function`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      // Placeholder code: this stack is only synthesized (for its definition), never deployed.
      code: lambda.Code.fromInline('exports.handler = async () => { throw new Error("not deployed"); };'),
    });
    (f.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, spec.entry);
    return f;
  };
  new LifecycleWorkflow(stack, 'Lifecycle', {
    functions: { plan: fn('plan'), wait: fn('wait'), recordFailure: fn('recordFailure') },
    stateMachineName: 'bridgekeeper-lifecycle',
  });
  return stack;
}
