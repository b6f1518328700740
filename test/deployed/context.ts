// Shared by the deployed tests: the synthesized template (from global-setup.ts), its functions started on the
// Lambda Node.js major against the local AWS, the lifecycle definition, and builders for the events each kind of
// caller sends (state machine tasks from the definition's own Payload templates, API Gateway v2 HTTP events from
// the template's routes, the EventBridge upload event from the rule's input transformer, the schedule's input).
import { KMSClient } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { kmsMac } from '../../functions/adapters/kms/mac.js';
import type { Mac } from '../../functions/ports/mac.js';
import { inject } from 'vitest';
import { startLocalAws, type LocalAws } from './aws.js';
import { DeployedFunction, describeFunctions, type FunctionDescription } from './lambda.js';
import { ACCOUNT, REGION, ResolvedTemplate, renderInputTransformer, type Json } from './template.js';

export interface Deployed {
  t: ResolvedTemplate;
  aws: LocalAws;
  functions: Map<string, DeployedFunction>;
  definition: Json;
  /** Lambda ARN (resolved) -> function name (plan, wait, ...). */
  byArn: Map<string, string>;
  stop(): Promise<void>;
}

export function loadTemplate(): { t: ResolvedTemplate; outdir: string } {
  const { outdir, stackName, templateFile } = inject('deployed');
  return { t: new ResolvedTemplate(JSON.parse(readFileSync(templateFile, 'utf8')), stackName), outdir };
}

/** The embedded OpenID provider the stack was synthesized against (global-setup.ts). */
export const deployedProvider = () => inject('deployed').oidc;

/** Starts the local AWS and every function (their init phases in parallel). */
export async function startDeployed(only?: (fn: FunctionDescription) => boolean): Promise<Deployed> {
  const { t, outdir } = loadTemplate();
  // The client secret in Secrets Manager under the secret ARN the template names (the operator puts it there).
  const secretArns = new Set(
    t
      .ofType('AWS::Lambda::Function')
      .map(([, r]) => t.resolve(r.Properties.Environment?.Variables?.OIDC_CLIENT_SECRET_ARN) as string)
      .filter(Boolean),
  );
  const aws = await startLocalAws(
    t,
    Object.fromEntries([...secretArns].map((arn) => [arn, deployedProvider().clientSecret])),
  );
  const described = describeFunctions(t, outdir).filter((f) => !only || only(f));
  const functions = new Map(described.map((f) => [f.name, new DeployedFunction(f, t, aws.endpoints)]));
  try {
    await Promise.all([...functions.values()].map((f) => f.start()));
  } catch (error) {
    for (const f of functions.values()) f.stop();
    await aws.stop();
    throw error;
  }
  const [, machine] = t.ofType('AWS::StepFunctions::StateMachine')[0]!;
  const definition = JSON.parse(t.resolve(machine.Properties.DefinitionString));
  const byArn = new Map(described.map((f) => [t.getAtt(f.logicalId, 'Arn'), f.name]));
  return {
    t,
    aws,
    functions,
    definition,
    byArn,
    async stop() {
      for (const f of functions.values()) f.stop();
      await aws.stop();
    },
  };
}

/** A JSONPath of the kinds the definition uses: `$.a.b`, `$$.Execution.Name`, `$$.Task.Token`. */
function at(path: string, input: Json, context: Json): Json {
  const [root, rest] = path.startsWith('$$.') ? [context, path.slice(3)] : [input, path.slice(2)];
  if (path === '$') return input;
  return rest.split('.').reduce((v: Json, k) => v?.[k], root);
}

/** Step Functions' Parameters semantics: keys ending in `.$` take the value at their path. */
export function renderParameters(template: Json, input: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((v) => renderParameters(v, input, context));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries<Json>(template).map(([k, v]) =>
      k.endsWith('.$') ? [k.slice(0, -2), at(v, input, context)] : [k, renderParameters(v, input, context)],
    ),
  );
}

/** The Lambda task states of the definition: state name -> function name and its payload template. */
export function lambdaStates(d: Deployed): Map<string, { fn: string; state: Json }> {
  const out = new Map<string, { fn: string; state: Json }>();
  for (const [name, state] of Object.entries<Json>(d.definition.States)) {
    if (!String(state.Resource ?? '').startsWith('arn:aws:states:::lambda:invoke')) continue;
    const arn = String(state.Parameters.FunctionName);
    const fn = d.byArn.get(arn);
    if (!fn) throw new Error(`state ${name} invokes ${arn}, which is no function of the template`);
    out.set(name, { fn, state });
  }
  return out;
}

/** The event the state machine's task sends its Lambda, for this state input. */
export function taskEvent(d: Deployed, stateName: string, input: Json, context: Json): Json {
  const entry = lambdaStates(d).get(stateName);
  if (!entry) throw new Error(`no Lambda state ${stateName}`);
  return renderParameters(entry.state.Parameters.Payload, input, context);
}

/** HTTP API routes of the template: route key -> function name and whether a JWT authorizer guards it. */
export function httpRoutes(d: Deployed): Map<string, { fn: string; jwt: boolean }> {
  const out = new Map<string, { fn: string; jwt: boolean }>();
  for (const [, route] of d.t.ofType('AWS::ApiGatewayV2::Route')) {
    const integrationId = String(d.t.resolve(route.Properties.Target)).replace(/^integrations\//, '');
    const integration = d.t
      .ofType('AWS::ApiGatewayV2::Integration')
      .find(([id]) => d.t.ref(id) === integrationId);
    if (!integration) throw new Error(`route ${route.Properties.RouteKey}: no integration ${integrationId}`);
    const fn = d.byArn.get(d.t.resolve(integration[1].Properties.IntegrationUri));
    if (!fn) throw new Error(`route ${route.Properties.RouteKey}: integration targets no function`);
    out.set(route.Properties.RouteKey, { fn, jwt: route.Properties.AuthorizationType === 'JWT' });
  }
  return out;
}

export interface HttpOptions {
  pathParameters?: Record<string, string>;
  body?: string;
  contentType?: string;
  /** The query string (without `?`). */
  query?: string;
  /** Cookies as API Gateway passes them (`name=value`). */
  cookies?: string[];
  /** Headers to add or replace (e.g. another site's Origin). */
  headers?: Record<string, string>;
}

/** An API Gateway v2 (payload format 2.0) event for a route key of the template. */
export function httpEvent(d: Deployed, routeKey: string, options: HttpOptions = {}): Json {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = options.pathParameters?.[name];
    if (value === undefined) throw new Error(`${routeKey}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const domainName = new URL(d.functions.values().next().value!.environment.PUBLIC_BASE_URL!).host;
  const now = new Date();
  const body = options.body;
  // HTTP APIs base64-encode bodies that are not text (form posts arrive encoded).
  const encoded = body !== undefined && options.contentType !== 'application/json';
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: options.query ?? '',
    ...(options.query
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query)) }
      : {}),
    ...(options.cookies?.length ? { cookies: options.cookies } : {}),
    headers: {
      host: domainName,
      'user-agent': 'Mozilla/5.0 (deployed-suite)',
      accept: 'text/html,application/json',
      'x-forwarded-proto': 'https',
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...(method === 'POST' ? { origin: `https://${domainName}` } : {}),
      ...options.headers,
    },
    requestContext: {
      accountId: ACCOUNT,
      apiId: domainName.split('.')[0],
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(body !== undefined
      ? { body: encoded ? Buffer.from(body).toString('base64') : body, isBase64Encoded: encoded }
      : { isBase64Encoded: false }),
  };
}

/** The S3 "Object Created" event EventBridge delivers, turned into its function's input by the deployed rule. */
export function uploadEvent(d: Deployed, bucket: string, key: string, size: number): Json {
  // The rule whose pattern takes this key (uploads/ for the ingest, intents/ for intake assist).
  const found = d.t
    .ofType('AWS::Events::Rule')
    .find(([, r]) =>
      (r.Properties.EventPattern?.detail?.object?.key ?? []).some((k: Json) => key.startsWith(k.prefix)),
    );
  if (!found) throw new Error(`no rule of the template takes objects at ${key}`);
  const [, rule] = found;
  const [target] = rule.Properties.Targets;
  return renderInputTransformer(target.InputTransformer, {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key,
        size,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'v1',
        sequencer: '00617F',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: ACCOUNT,
      reason: 'PostObject',
    },
  });
}

/** What EventBridge Scheduler sends the reconciler: the schedule target's Input. */
/** The input a schedule of the template sends (the daily reconcile's, or the weekly digest's). */
export function scheduleEvent(d: Deployed, detailType = 'daily-reconcile'): Json {
  const inputs = d.t
    .ofType('AWS::Scheduler::Schedule')
    .map(([, schedule]) => JSON.parse(d.t.resolve(schedule.Properties.Target.Input)) as Json);
  const input = inputs.find((i) => i.detailType === detailType);
  if (!input) throw new Error(`the template has no ${detailType} schedule`);
  return input;
}

/** The deployed MAC key on the local KMS, for a test that seeds the table as the import command does on AWS. */
export function deployedMac(d: Deployed): Mac {
  const keyId = [...d.functions.values()].map((f) => f.environment.MAC_KEY_ID).find(Boolean);
  if (!keyId) throw new Error('no deployed function has MAC_KEY_ID');
  const client = new KMSClient({
    region: REGION,
    endpoint: d.aws.endpoints.kms,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return kmsMac(keyId, client);
}
