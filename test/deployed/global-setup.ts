// Once per run of the deployed suite: the embedded OpenID provider (the one `npm start` runs) on loopback, then
// the stack synthesized in-process with the project's app and cdk.json context (infra/build.ts), bundling on,
// into a temporary cloud assembly, with that provider as the deployment's identity provider (oidcIssuer,
// oidcClientId: the deployment parameters a bank sets for Entra ID, Okta or Cognito). Every function's code is then
// the asset CDK built for it (NodejsFunction, infra/bundling.ts's options), exactly what `cdk deploy` would upload.
// The provider's client accepts the callback of the pages' address in the template (PUBLIC_BASE_URL), and its
// staff carry the groups of the template's default role mapping (cdk.json).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../infra/build.js';
import { startLocalOidc } from '../../local/oidc.js';
import { ResolvedTemplate } from './template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    deployed: {
      outdir: string;
      stackName: string;
      templateFile: string;
      oidc: { issuer: string; clientSecret: string };
    };
  }
}

export const DEPLOYED_CLIENT_ID = 'bridgekeeper-deployed';
const CLIENT_SECRET = 'deployed-suite-client-secret';

/** The people of the deployed suite, in the groups the template's default mapping knows. */
export const DEPLOYED_STAFF = [
  { email: 'priya.raman@bank.example', name: 'Priya Raman', groups: ['bridgekeeper-vendor-managers'] },
  { email: 'tara.lind@bank.example', name: 'Tara Lind', groups: ['bridgekeeper-compliance-leads'] },
  { email: 'ada.okafor@bank.example', name: 'Ada Okafor', groups: ['bridgekeeper-auditors'] },
];

export default async function setup(project: TestProject) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bk-deployed-'));
  let synthesized: { stackName: string; templateFile: string } | undefined;
  const oidc = await startLocalOidc({
    staff: DEPLOYED_STAFF,
    clientId: DEPLOYED_CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: async (issuer) => {
      const { app, stack } = buildApp({
        nag: false,
        outdir,
        context: { oidcIssuer: issuer, oidcClientId: DEPLOYED_CLIENT_ID },
      });
      const artifact = app.synth().getStackByName(stack.stackName);
      synthesized = { stackName: stack.stackName, templateFile: path.join(outdir, artifact.templateFile) };
      const t = new ResolvedTemplate(
        JSON.parse(readFileSync(synthesized.templateFile, 'utf8')),
        stack.stackName,
      );
      const bases = new Set(
        t
          .ofType('AWS::Lambda::Function')
          .map(([, r]) => t.resolve(r.Properties.Environment?.Variables?.PUBLIC_BASE_URL) as string)
          .filter(Boolean),
      );
      return [...bases].map((base) => `${base}/callback`);
    },
  });
  project.provide('deployed', {
    outdir,
    ...synthesized!,
    oidc: { issuer: oidc.issuer, clientSecret: CLIENT_SECRET },
  });
  return async () => {
    await oidc.stop();
    rmSync(outdir, { recursive: true, force: true });
  };
}
