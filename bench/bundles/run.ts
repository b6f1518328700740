// bench/bundles: builds every Lambda exactly as the functions construct does (infra/bundling.ts), then prints
// each bundle's minified size and how long a fresh Node.js process takes to import it: the part of a cold start
// that is ours. Goals (README, "Deploy to AWS"): 300 KB and 150 ms per function; over a goal prints WARN and the
// packages that weigh most. Each function's ceiling (infra/bundle-budget.ts) is what CI enforces
// (test/infra/bundling.test.ts); the bench prints it beside the size and exits 1 when a bundle is above it.
//
//   npx tsx bench/bundles/run.ts [--runs 5]
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { BUNDLE_CEILING_KB, BUNDLE_GOAL_BYTES } from '../../infra/bundle-budget.js';
import { ESBUILD_OPTIONS } from '../../infra/bundling.js';
import { PROJECT_CATALOGS, PROJECT_ROOT, functionNameOf } from '../../infra/stack.js';
import { EXTRACT_FUNCTION } from '../../functions/catalog.js';

const SIZE_BUDGET_BYTES = BUNDLE_GOAL_BYTES;
export const INIT_BUDGET_MS = 150;
export const EXTRACT_INIT_BUDGET_MS = 500;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);
const outRoot = path.join(PROJECT_ROOT, 'bench', 'out', 'bundles');

// Every handler module the stack deploys, once.
const entries = [
  ...new Set([
    ...Object.values(PROJECT_CATALOGS.lifecycle).map((f) => f.entry),
    PROJECT_CATALOGS.ingest.entry,
    ...(PROJECT_CATALOGS.extract ? [PROJECT_CATALOGS.extract.entry] : []),
    ...PROJECT_CATALOGS.routes.map((r) => r.entry),
  ]),
];

// The handlers read their configuration when loaded: give them what Lambda would.
const lambdaEnv = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'bridgekeeper',
  DOCUMENTS_BUCKET: 'bridgekeeper-documents',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:Bridgekeeper-lifecycle',
  MAIL_FROM: 'bridgekeeper@bank.example',
  MAIL_CONFIGURATION_SET: 'bridgekeeper',
  PUBLIC_BASE_URL: 'https://vendors.bank.example',
  INSTITUTION_TIME_ZONE: 'UTC',
  MAIL_HOUR: '9',
  POWERTOOLS_SERVICE_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
};

function importMs(file: string): number | string {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: lambdaEnv,
    encoding: 'utf8',
  });
  if (result.status !== 0) return `failed: ${(result.stderr || '').trim().split('\n')[0]}`;
  return Number(result.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function heaviestPackages(metafile: Metafile, count: number): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match ? match[1]! : 'project code';
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(', ');
}

rmSync(outRoot, { recursive: true, force: true });
console.log(
  `bench/bundles: ${entries.length} functions, esbuild ${ESBUILD_OPTIONS.target} ${ESBUILD_OPTIONS.format} minify, import time = median of ${runs} fresh processes (node ${process.version}, --enable-source-maps)`,
);
console.log(
  `budgets: ${kb(SIZE_BUDGET_BYTES)} minified, ${INIT_BUDGET_MS} ms import (extract: ${kb(EXTRACT_FUNCTION.bundleBudgetBytes)}, ${EXTRACT_INIT_BUDGET_MS} ms)`,
);
console.log('');
console.log(
  `${'function'.padEnd(16)} ${'minified'.padStart(10)} ${'ceiling'.padStart(8)} ${'gzip'.padStart(10)} ${'import ms'.padStart(10)}`,
);

let warnings = 0;
let overCeiling = 0;
let withinGoal = 0;
for (const entry of entries) {
  const name = functionNameOf(entry);
  const outdir = path.join(outRoot, name);
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, 'index.mjs');
  const started = performance.now();
  const result = await build({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    external: [...ESBUILD_OPTIONS.external],
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const buildMs = performance.now() - started;
  const size = statSync(outfile).size;
  const gzip = gzipSync(readFileSync(outfile)).length;
  const samples: number[] = [];
  let failure: string | undefined;
  for (let i = 0; i < runs && !failure; i++) {
    const ms = importMs(outfile);
    if (typeof ms === 'string') failure = ms;
    else samples.push(ms);
  }
  const ms = failure ? NaN : median(samples);
  const ceiling = BUNDLE_CEILING_KB[name];
  console.log(
    `${name.padEnd(16)} ${kb(size).padStart(10)} ${(ceiling ? `${ceiling} KB` : '-').padStart(8)} ${kb(gzip).padStart(10)} ${(failure ? 'n/a' : ms.toFixed(1)).padStart(10)}   (built in ${buildMs.toFixed(0)} ms)`,
  );
  if (ceiling !== undefined && size > ceiling * 1024) {
    overCeiling++;
    console.log(`FAIL ${name}: ${kb(size)} is above its ${ceiling} KB ceiling (infra/bundle-budget.ts)`);
  }
  if (failure) {
    warnings++;
    console.log(`WARN ${name}: importing the bundle ${failure}`);
  }
  // Intake assist has its own, written-down budget (the PDF library alone is ~1.6 MB; docs/intake.md).
  const extraction = entry === EXTRACT_FUNCTION.entry;
  const budget = extraction ? EXTRACT_FUNCTION.bundleBudgetBytes : SIZE_BUDGET_BYTES;
  // Its cold start delays no one (an asynchronous invocation after the upload): a looser import budget.
  const initBudget = extraction ? EXTRACT_INIT_BUDGET_MS : INIT_BUDGET_MS;
  if (size <= budget) withinGoal++;
  if (size > budget) {
    warnings++;
    console.log(
      `WARN ${name}: ${kb(size)} exceeds the ${kb(budget)} budget; heaviest: ${heaviestPackages(result.metafile, 5)}`,
    );
  }
  if (ms > initBudget) {
    warnings++;
    console.log(`WARN ${name}: import takes ${ms.toFixed(1)} ms, over the ${initBudget} ms budget`);
  }
}
console.log('');
console.log(warnings === 0 ? 'all functions within budget' : `${warnings} budget warning(s)`);
console.log(
  `bundles: ${withinGoal} of ${entries.length} functions within their size goal; ${overCeiling} above their ceiling`,
);
if (overCeiling > 0) process.exitCode = 1;
