// One deployed function, run here: its bundle is the CDK asset of its Code, its environment is the template's
// Environment.Variables (resolved) plus only what the Lambda runtime itself sets, and it runs on the Lambda Node.js
// major in its own process (harness.mjs), reused across invocations like a warm execution environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaNode } from './lambda-node.js';
import { REGION, type Json, type ResolvedTemplate } from './template.js';

const HARNESS = fileURLToPath(new URL('./harness.mjs', import.meta.url));

/** The execution role's credentials, as Lambda puts them in the environment (the embedded servers accept them). */
export const ROLE_CREDENTIALS = {
  accessKeyId: 'ASIADEPLOYEDTEST0001',
  secretAccessKey: 'deployed-suite-secret-access-key',
  sessionToken: 'deployed-suite-session-token',
};

/** Where "AWS" is for the functions: the SDK's standard per-service endpoint variables. */
export interface Endpoints {
  dynamodb: string;
  s3: string;
  sesv2: string;
  sfn: string;
  kms: string;
  secretsmanager: string;
}

export type InvokeResult =
  { ok: true; result: Json } | { ok: false; errorType: string; errorMessage: string; stack?: string };

export interface FunctionDescription {
  logicalId: string;
  /** `Bridgekeeper::Handler` metadata, e.g. functions/handlers/plan.ts */
  entry: string;
  /** plan, wait, ... (the entry's file name) */
  name: string;
  bundleDir: string;
  /** Environment.Variables of the template, resolved. */
  templateEnv: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  role: string;
}

/** Every function of the template, with its asset directory in the cloud assembly. */
export function describeFunctions(t: ResolvedTemplate, outdir: string): FunctionDescription[] {
  return t.ofType('AWS::Lambda::Function').map(([logicalId, r]) => {
    const entry = r.Metadata?.['Bridgekeeper::Handler'] as string;
    const key = String(r.Properties.Code.S3Key);
    const bundleDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    if (!existsSync(path.join(bundleDir, 'index.mjs')))
      throw new Error(`${logicalId}: no bundle at ${bundleDir} (was the stack synthesized with bundling?)`);
    if (r.Properties.Handler !== 'index.handler')
      throw new Error(`${logicalId}: handler ${r.Properties.Handler}`);
    return {
      logicalId,
      entry,
      name: path.basename(entry).replace(/\.ts$/, ''),
      bundleDir,
      templateEnv: t.resolve(r.Properties.Environment?.Variables ?? {}),
      timeoutSeconds: r.Properties.Timeout ?? 3,
      memorySize: r.Properties.MemorySize ?? 128,
      role: r.Properties.Role['Fn::GetAtt'][0],
    };
  });
}

/**
 * Lambda's own variables (docs: "Defined runtime environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * then the local endpoints, then the template's: nothing from this machine's environment.
 */
export function lambdaEnvironment(
  t: ResolvedTemplate,
  fn: FunctionDescription,
  endpoints: Endpoints,
): Record<string, string> {
  const r = t.resource(fn.logicalId);
  const logGroup = r.Properties.LoggingConfig?.LogGroup
    ? String(t.resolve(r.Properties.LoggingConfig.LogGroup))
    : `/aws/lambda/${t.ref(fn.logicalId)}`;
  return {
    _HANDLER: r.Properties.Handler,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_${r.Properties.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: t.ref(fn.logicalId),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/26/[$LATEST]0123456789abcdef',
    ...(r.Properties.LoggingConfig?.LogFormat === 'JSON' ? { AWS_LAMBDA_LOG_FORMAT: 'JSON' } : {}),
    AWS_ACCESS_KEY_ID: ROLE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ROLE_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: ROLE_CREDENTIALS.sessionToken,
    LAMBDA_TASK_ROOT: fn.bundleDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoints.dynamodb}/fn/${fn.name}`,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SESV2: endpoints.sesv2,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `${endpoints.secretsmanager}/fn/${fn.name}`,
    ...fn.templateEnv,
  };
}

/** The variables the harness adds for itself (not part of the function's environment as the code sees it). */
const HARNESS_ONLY = new Set(['BK_HARNESS_TIMEOUT_MS']);

export class DeployedFunction {
  private child?: ChildProcess;
  private next = 0;
  private readonly pending = new Map<number, (message: Json) => void>();
  /** Everything the function printed (its logs), for failure messages. */
  output = '';
  node = '';
  readonly environment: Record<string, string>;

  constructor(
    readonly fn: FunctionDescription,
    t: ResolvedTemplate,
    endpoints: Endpoints,
  ) {
    this.environment = lambdaEnvironment(t, fn, endpoints);
  }

  /** Starts the process and imports the bundle (Lambda's init phase). */
  async start(): Promise<void> {
    const node = lambdaNode();
    const child = spawn(node.path, [HARNESS, path.join(this.fn.bundleDir, 'index.mjs')], {
      cwd: this.fn.bundleDir,
      env: { ...this.environment, BK_HARNESS_TIMEOUT_MS: String(this.fn.timeoutSeconds * 1000) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: Json) => {
        if (message.type === 'loaded') {
          this.node = message.node;
          resolve();
        } else if (message.type === 'load-failed') {
          reject(new Error(`${this.fn.name} failed to load: ${message.errorType}: ${message.errorMessage}`));
        } else this.pending.get(message.id)?.(message);
      });
      child.on('exit', (code) => {
        reject(new Error(`${this.fn.name} exited (${code}) during init:\n${this.output}`));
        for (const done of this.pending.values())
          done({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `exited ${code}` });
      });
    });
  }

  invoke(event: Json): Promise<InvokeResult> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, (message) => {
        this.pending.delete(id);
        resolve(
          message.ok
            ? { ok: true, result: message.result }
            : {
                ok: false,
                errorType: message.errorType,
                errorMessage: message.errorMessage,
                stack: message.stack,
              },
        );
      });
      this.child!.send({ type: 'invoke', id, event });
    });
  }

  /** The environment variables the code has read so far (names only), without the harness's own. */
  async environmentRead(): Promise<string[]> {
    const id = ++this.next;
    const message = await new Promise<Json>((resolve) => {
      this.pending.set(id, resolve);
      this.child!.send({ type: 'env-read', id });
    });
    this.pending.delete(id);
    return (message.keys as string[]).filter((k) => !HARNESS_ONLY.has(k));
  }

  stop(): void {
    this.child?.removeAllListeners('exit');
    this.child?.kill();
  }
}
