#!/usr/bin/env node
// Entry point of the `bridgekeeper` bin: registers tsx so the TypeScript CLI runs without a build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that its 2027 releases will need Node 22. Not actionable for someone running a
// command, and it buries the command's own messages on stderr; the SDK's own switch turns it off
// (aws/aws-sdk-js-v3#7983; test/integration/cli/node-warning.test.ts). Set before anything loads the SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
