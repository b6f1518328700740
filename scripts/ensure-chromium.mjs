#!/usr/bin/env node
// Browser tests need a Chrome. Downloaded browsers do not work here, so use Debian's chromium:
// installed with apt-get when missing (on Debian, as root), or point CHROME_PATH at another Chrome.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

if (existsSync(chromePath)) {
  process.stdout.write(`chromium: ${chromePath}\n`);
  process.exit(0);
}
if (process.env.CHROME_PATH) {
  process.stderr.write(`CHROME_PATH=${chromePath} does not exist\n`);
  process.exit(1);
}
if (!existsSync('/usr/bin/apt-get')) {
  process.stderr.write(
    'No chromium at /usr/bin/chromium and no apt-get: install Chrome and set CHROME_PATH.\n',
  );
  process.exit(1);
}
const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
const apt = (...args) =>
  spawnSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
process.stdout.write('Installing Debian chromium for the browser tests...\n');
if (apt('update', '-qq').status !== 0 || apt('install', '-y', '-qq', 'chromium').status !== 0) {
  process.stderr.write('apt-get could not install chromium; set CHROME_PATH to a Chrome binary.\n');
  process.exit(1);
}
