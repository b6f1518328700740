// cdk-nag helpers: finding-specific acknowledgement ids, computed the way cdk-nag computes them, so a reason is
// attached to exactly one finding (a wildcard under one bucket prefix), never to a whole rule.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/** `AwsSolutions-IAM5[Resource::<Bucket1234.Arn>/uploads/*]` for the given (token) resource string. */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
