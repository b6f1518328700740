// cdk-nag (AwsSolutions) runs on every synth: the stack must have zero unacknowledged findings, each
// acknowledgement must say why, and the check must be live (a bad resource added to this app is caught).
import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build.js';

const findings = (scope: Parameters<AwsSolutionsChecks['validateScope']>[0]) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    const { app } = buildApp({ skipBundling: true, nag: false });
    expect(findings(app)).toEqual([]);
  });

  it('runs as a validation plugin on synth, and the synth passes', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bk-nag-'));
    try {
      const { app, stack } = buildApp({ skipBundling: true, outdir });
      const template = app.synth().getStackByName(stack.stackName).template;
      // The accepted findings travel in the template too, with their reasons.
      const queue = Object.values<{
        Type: string;
        Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
      }>(template.Resources).find((r) => r.Type === 'AWS::SQS::Queue');
      expect(queue?.Metadata?.cdk_nag?.rules_to_suppress.map((r) => r.id)).toContain('AwsSolutions-SQS3');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails the synth when a non-compliant resource is added', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bk-nag-'));
    try {
      const { app, stack } = buildApp({ skipBundling: true, outdir });
      new sqs.Queue(stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      expect(findings(app).filter((f) => f.includes('/Careless/'))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^AwsSolutions-SQS2 /),
          expect.stringMatching(/SQS4 /),
        ]),
      );
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('has a finding-specific id and a real reason for every acknowledgement', () => {
    const { stack } = buildApp({ skipBundling: true, nag: false });
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(5);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/AwsSolutions-[A-Z]+\d+(\[(Resource|Action)::.+\])?$/);
      // No blanket IAM5: every wildcard acknowledgement names the one resource it is about.
      if (id.includes('IAM5')) expect(id).toMatch(/\[Resource::.+\]$/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});
