// Building the app the same way everywhere: `cdk synth` (infra/app.ts), the infra tests and the embedded runner
// (which takes the state machine from the synthesized stack). cdk.json's context is loaded here too, so a test
// sees the defaults a deployment sees.
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readConfig } from './config.js';
import { BridgekeeperStack, PROJECT_ROOT, type Catalogs } from './stack.js';

export const DEFAULT_STACK_NAME = 'Bridgekeeper';

/** The `context` of cdk.json (feature flags and deployment defaults). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface BuildOptions {
  /** Extra context (overrides cdk.json's). */
  context?: Record<string, unknown>;
  /** Skip esbuild (context 'aws:cdk:bundling-stacks': []): for tests and the runner. Default false. */
  skipBundling?: boolean;
  /** Register cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings). Default true. */
  nag?: boolean;
  catalogs?: Partial<Catalogs>;
  outdir?: string;
}

export function buildApp(options: BuildOptions = {}): { app: App; stack: BridgekeeperStack } {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = readConfig(app.node);
  const account = app.node.tryGetContext('account') as string | undefined;
  const region = app.node.tryGetContext('region') as string | undefined;
  // Environment-agnostic unless pinned: synth needs no credentials and no lookups.
  const env: Environment | undefined = account || region ? { account, region } : undefined;
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new BridgekeeperStack(app, stackName, { config, env, catalogs: options.catalogs });
  if (options.nag !== false) {
    // The acknowledgements also go into each resource's Metadata (cdk_nag.rules_to_suppress), so a reviewer
    // reading only the template sees every accepted finding and its reason.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  }
  return { app, stack };
}
