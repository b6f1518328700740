#!/usr/bin/env node
// `npm test`: every check CI runs, in order, failing fast. Steps whose subject does not exist yet are skipped
// (and say so), so the same script serves while the project grows.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const has = (path) => existsSync(new URL(`../${path}`, import.meta.url));
const hasTests = (dir) =>
  has(dir) &&
  readdirSync(new URL(`../${dir}`, import.meta.url), { recursive: true }).some((f) =>
    String(f).endsWith('.test.ts'),
  );

function run(title, command, args, env = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`=== FAILED: ${title} (${seconds} s)\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`=== ok: ${title} (${seconds} s)\n`);
}

const npx = (...args) => ['npx', ['--no-install', ...args]];

run('lint (typescript-eslint)', ...npx('eslint', '.'));
run('format (prettier)', ...npx('prettier', '--check', '.'));
run('typecheck (tsc)', ...npx('tsc', '--noEmit'));
if (has('infra/app.ts')) run('cdk synth with cdk-nag (offline)', ...npx('cdk', 'synth', '--quiet'));
else process.stdout.write('\n=== skipped: cdk synth (no infra/app.ts yet)\n');

if (hasTests('test/e2e')) run('browser for e2e tests', 'node', ['scripts/ensure-chromium.mjs']);

run('vitest: all suites', ...npx('vitest', 'run'));

// The calendar must not depend on the machine's zone: the core suite again at both ends of the clock.
for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
  run(`vitest: core under TZ=${tz}`, ...npx('vitest', 'run', '--project', 'unit', 'test/unit/core'), {
    TZ: tz,
  });
}
