// The CDK app (cdk.json: `npx --no-install tsx infra/app.ts`). cdk-nag's AwsSolutions pack runs on every synth;
// any unacknowledged finding fails it.
import { buildApp } from './build.js';

const { app } = buildApp();
app.synth();
