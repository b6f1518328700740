// The state machine the embedded runner runs is the one CDK synthesizes, not a copy: synthesize the stack (the
// full BridgekeeperStack when the infra is there, else the lifecycle-only stack), take the state machine's
// DefinitionString, and resolve its tokens (Fn::Join, Ref, Fn::GetAtt) to placeholder ARNs. Each Lambda ARN
// is bound to its handler module through the `Bridgekeeper::Handler` metadata the functions carry.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HANDLER_METADATA_KEY = 'Bridgekeeper::Handler';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation templates and ASL are untyped JSON */
export type Json = any;

export interface SynthesizedLifecycle {
  /** Which stack it came from. */
  source: 'BridgekeeperStack' | 'lifecycle-only';
  /** The template's DefinitionString, tokens and all. */
  rawDefinitionString: Json;
  /** The ASL with every token resolved (what Step Functions would run, with placeholder ARNs). */
  definition: Json;
  stateMachineName: string;
  stateMachineArn: string;
  /** Lambda function ARN (placeholder) -> handler module, relative to the project root. */
  handlers: Map<string, string>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Bridgekeeper',
  'AWS::NoValue': '',
};

export function placeholderArn(template: Json, logicalId: string): string {
  const resource = template.Resources?.[logicalId];
  if (!resource) throw new Error(`definition: no resource ${logicalId} in the template`);
  switch (resource.Type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${resource.Properties?.StateMachineName ?? logicalId}`;
    default:
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
  }
}

/** Resolves the intrinsic functions CDK puts into a DefinitionString. */
export function resolveTokens(value: Json, template: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolveTokens(v, template));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    if (key === 'Ref') {
      if (arg in PSEUDO) return PSEUDO[arg];
      const resource = template.Resources?.[arg];
      if (resource?.Type === 'AWS::Lambda::Function') return arg;
      if (resource) return placeholderArn(template, arg);
      throw new Error(`definition: cannot resolve Ref ${arg}`);
    }
    if (key === 'Fn::GetAtt') {
      const [logicalId, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as [string, string];
      if (attribute === 'Arn') return placeholderArn(template, logicalId);
      if (attribute === 'Name') return logicalId;
      throw new Error(`definition: cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    }
    if (key === 'Fn::Join') {
      const [separator, parts] = arg as [string, Json[]];
      return parts.map((p) => resolveTokens(p, template)).join(separator);
    }
    if (key === 'Fn::Sub' && typeof arg === 'string')
      return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
        String(
          resolveTokens(name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name }, template),
        ),
      );
  }
  return Object.fromEntries(keys.map((k) => [k, resolveTokens(value[k], template)]));
}

/** Finds the lifecycle state machine and its handlers in a synthesized template. */
export function lifecycleFromTemplate(
  template: Json,
  source: SynthesizedLifecycle['source'],
): SynthesizedLifecycle {
  const machines = Object.entries<Json>(template.Resources ?? {}).filter(
    ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1)
    throw new Error(`definition: expected one state machine, found ${machines.length}`);
  const [logicalId, machine] = machines[0]!;
  const raw = machine.Properties.DefinitionString;
  const text = resolveTokens(raw, template);
  const definition = JSON.parse(typeof text === 'string' ? text : JSON.stringify(text));
  const handlers = new Map<string, string>();
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    const entry = r.Metadata?.[HANDLER_METADATA_KEY];
    if (r.Type === 'AWS::Lambda::Function' && typeof entry === 'string')
      handlers.set(placeholderArn(template, id), entry);
  }
  const stateMachineArn = placeholderArn(template, logicalId);
  return {
    source,
    rawDefinitionString: raw,
    definition,
    stateMachineName: stateMachineArn.split(':').pop()!,
    stateMachineArn,
    handlers,
  };
}

/** Runs a synchronous synth with anything CDK prints sent to stderr (stdout belongs to the CLI's output). */
function quietly<T>(fn: () => T): T {
  const saved = { log: console.log, info: console.info, warn: console.warn, write: process.stdout.write };
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = console.info = console.warn = toStderr;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return fn();
  } finally {
    console.log = saved.log;
    console.info = saved.info;
    console.warn = saved.warn;
    process.stdout.write = saved.write;
  }
}

async function synthInfra(): Promise<Json | undefined> {
  const build = path.join(PROJECT_ROOT, 'infra', 'build.ts');
  if (!existsSync(build)) return undefined;
  const mod = (await import('../../infra/build.js')) as {
    buildApp: (o: { skipBundling?: boolean; nag?: boolean }) => { app: App; stack: { stackName: string } };
  };
  return quietly(() => {
    const { app, stack } = mod.buildApp({ skipBundling: true, nag: false });
    return app.synth().getStackByName(stack.stackName).template;
  });
}

async function synthLifecycleOnly(): Promise<Json> {
  const { App: CdkApp } = await import('aws-cdk-lib');
  const { buildLifecycleOnlyStack } = await import('../../workflows/synth.js');
  return quietly(() => {
    const app = new CdkApp();
    const stack = buildLifecycleOnlyStack(app);
    return app.synth().getStackByName(stack.stackName).template;
  });
}

const cache = new Map<string, Promise<SynthesizedLifecycle>>();

/** What the synthesized lifecycle depends on: if none of these files changed, the last synth still holds. */
const SYNTH_INPUTS = [
  'workflows',
  'infra',
  'functions/catalog.ts',
  'functions/ports/needs.ts',
  'functions/adapters/dynamodb/table.ts',
  'cdk.json',
  'package-lock.json',
];

function synthInputsHash(prefer: string): string {
  const hash = createHash('sha256').update(prefer);
  const add = (rel: string) => {
    const full = path.join(PROJECT_ROOT, rel);
    if (!existsSync(full)) return;
    if (rel.endsWith('.ts') || rel.endsWith('.json')) {
      hash.update(rel).update(readFileSync(full));
      return;
    }
    for (const name of readdirSync(full, { recursive: true }).map(String).sort())
      if (name.endsWith('.ts') || name.endsWith('.json'))
        hash.update(name).update(readFileSync(path.join(full, name)));
  };
  for (const input of SYNTH_INPUTS) add(input);
  return hash.digest('hex').slice(0, 32);
}

/** Synth takes seconds; its result is kept on disk (node_modules/.cache), keyed by the hash of its inputs. */
function diskCached(
  prefer: string,
  make: () => Promise<SynthesizedLifecycle>,
): Promise<SynthesizedLifecycle> {
  const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'bridgekeeper');
  const file = path.join(dir, `lifecycle-${synthInputsHash(prefer)}.json`);
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedLifecycle & {
      handlers: [string, string][];
    };
    return Promise.resolve({ ...saved, handlers: new Map(saved.handlers) });
  } catch {
    // Not cached yet (or unreadable): synthesize.
  }
  return make().then((made) => {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...made, handlers: [...made.handlers] }));
      renameSync(tmp, file);
    } catch {
      // A read-only tree: no cache, synthesize every time.
    }
    return made;
  });
}

/**
 * The lifecycle as synthesized, cached per process. `prefer: 'infra'` (default) takes it from the full stack
 * when infra/build.ts exists (falling back to the lifecycle-only stack if that stack cannot be built here).
 */
export function synthesizeLifecycle(
  prefer: 'infra' | 'lifecycle-only' = 'infra',
  options: { fresh?: boolean } = {},
): Promise<SynthesizedLifecycle> {
  let hit = options.fresh ? undefined : cache.get(prefer);
  if (!hit) {
    const make = async () => {
      if (prefer === 'infra') {
        try {
          const template = await synthInfra();
          if (template) return lifecycleFromTemplate(template, 'BridgekeeperStack');
        } catch (error) {
          process.stderr.write(
            `bridgekeeper: the full stack did not synthesize (${(error as Error).message}); running the lifecycle-only stack\n`,
          );
        }
      }
      return lifecycleFromTemplate(await synthLifecycleOnly(), 'lifecycle-only');
    };
    // `fresh`: synthesize now, trusting no cache (the definition test).
    if (options.fresh) return make();
    hit = diskCached(prefer, make);
    cache.set(prefer, hit);
  }
  return hit;
}

/** The callback timeout's JSONPath travels to the runner inside the payload under this key. */
export const TIMEOUT_PAYLOAD_KEY = 'bridgekeeper:runnerTimeoutSeconds';
/** What the interpreter's own (real-time) task timer is set to: the largest setTimeout that does not overflow. */
export const INTERPRETER_TIMEOUT_SECONDS = 2_147_483;

/**
 * The one change the runner makes: a callback task's TimeoutSecondsPath becomes virtual time. The interpreter
 * would enforce it with a real setTimeout, which overflows above 24.8 days; so the path moves into the payload
 * (the runner reads the value there and keeps the timeout on its virtual clock), and the interpreter's own timer
 * is set to its largest safe value. Exactly these fields differ (test/unit/workflow/definition.test.ts).
 */
export function forRunner(definition: Json): Json {
  const copy = structuredClone(definition);
  for (const state of Object.values<Json>(copy.States)) {
    if (state.Type !== 'Task' || !String(state.Resource).endsWith('.waitForTaskToken')) continue;
    if (state.TimeoutSecondsPath) {
      state.Parameters.Payload[`${TIMEOUT_PAYLOAD_KEY}.$`] = state.TimeoutSecondsPath;
      delete state.TimeoutSecondsPath;
    } else if (state.TimeoutSeconds) {
      state.Parameters.Payload[TIMEOUT_PAYLOAD_KEY] = state.TimeoutSeconds;
    }
    state.TimeoutSeconds = INTERPRETER_TIMEOUT_SECONDS;
  }
  return copy;
}
