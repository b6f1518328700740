// Shared by the infra tests: the stack as `cdk synth` builds it (cdk.json context, the project's catalogs) with
// esbuild skipped, and small readers for the synthesized template.
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { buildApp, type BuildOptions } from '../../infra/build.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */
export type Json = any;

export function synth(options: BuildOptions = {}) {
  const { app, stack } = buildApp({ skipBundling: true, nag: false, ...options });
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as Json };
}

/** `{"Fn::GetAtt": ["Table123", "Arn"]}` -> `<Table123.Arn>`, as cdk-nag prints it. */
export const flat = (value: Json): string => flattenCfnReference(value);

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function resourcesOfType(json: Json, type: string): [string, Json][] {
  return Object.entries<Json>(json.Resources).filter(([, r]) => r.Type === type);
}

export function onlyResource(json: Json, type: string): [string, Json] {
  const found = resourcesOfType(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The Scheduler schedule whose target input has this `detailType` (daily-reconcile, weekly-digest). */
export function scheduleOf(json: Json, detailType: string): [string, Json] {
  const found = resourcesOfType(json, 'AWS::Scheduler::Schedule').filter(
    ([, s]) => JSON.parse(s.Properties.Target.Input as string).detailType === detailType,
  );
  if (found.length !== 1) throw new Error(`expected one ${detailType} schedule, found ${found.length}`);
  return found[0]!;
}

/** Logical ids of the Lambda functions, by their `Bridgekeeper::Handler` entry. */
export function functionsByEntry(json: Json): Map<string, [string, Json]> {
  const out = new Map<string, [string, Json]>();
  for (const [id, r] of resourcesOfType(json, 'AWS::Lambda::Function')) {
    out.set(r.Metadata?.['Bridgekeeper::Handler'], [id, r]);
  }
  return out;
}

/** Every Allow statement that applies to a role: its inline policies and any AWS::IAM::Policy attached to it. */
export function statementsOfRole(json: Json, roleId: string): Json[] {
  const role = json.Resources[roleId];
  const inline = asArray<Json>(role.Properties.Policies).flatMap((p) => p.PolicyDocument.Statement);
  const attached = resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}
