#!/usr/bin/env node
// Entry point of the `bridgekeeper` bin: registers tsx so the TypeScript CLI runs without a build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that future releases will need Node 22. It is not actionable for someone
// running a command, and it buries the command's own messages on stderr: drop that one warning, keep the rest.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || warning?.name === 'NodeVersionSupportWarning') return;
  return emitWarning(warning, ...rest);
};

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
