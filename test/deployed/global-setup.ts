// Once per run of the deployed suite: the stack synthesized in-process with the project's app and cdk.json
// context (infra/build.ts), bundling on, into a temporary cloud assembly. Every function's code is then the asset
// CDK built for it (NodejsFunction, infra/bundling.ts's options), exactly what `cdk deploy` would upload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../infra/build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    deployed: { outdir: string; stackName: string; templateFile: string };
  }
}

export default function setup(project: TestProject) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bk-deployed-'));
  const { app, stack } = buildApp({ nag: false, outdir });
  const artifact = app.synth().getStackByName(stack.stackName);
  project.provide('deployed', {
    outdir,
    stackName: stack.stackName,
    templateFile: path.join(outdir, artifact.templateFile),
  });
  return () => rmSync(outdir, { recursive: true, force: true });
}
