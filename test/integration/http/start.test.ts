// `npm start` as a person runs it: spawned, on a temp data dir and free ports; it reaches "ready", serves its
// pages, stops cleanly on SIGINT, picks its state up on a restart, and says so clearly when the port is taken.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/people-stack.js';
import { loginAtProvider, setCookieNamed } from '../../support/oidc-login.js';

const dataDir = mkdtempSync(join(tmpdir(), 'bridgekeeper-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [join(ROOT, 'bin/bridgekeeper.js'), 'start', ...args], {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(check: () => boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start', () => {
  it('reaches ready, serves its pages and stops cleanly on SIGINT; a restart picks the state up', async () => {
    const first = start(['--port', '0', '--data-dir', dataDir]);
    try {
      await until(() => /^ready$/m.test(first.stdout()) || first.child.exitCode !== null, '"ready"');
      expect(first.stdout()).toMatch(/^ready$/m);
      expect(first.stdout()).toMatch(/Loaded 12 vendors/);
      const base = /Portfolio \(compliance lead\)\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(first.stdout())![1]!;
      const mailbox = /Mailbox \(vendor upload links\)\s+(http:\/\/127\.0\.0\.1:\d+\/_local\/mailbox)/.exec(
        first.stdout(),
      )![1]!;
      const issuer = /OpenID provider\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(first.stdout())![1]!;
      // Nothing but our own lines on stdout and stderr (no SDK or provider warnings, no handler logs).
      expect(first.stdout()).not.toMatch(/NodeVersionSupportWarning|"level"|oidc-provider/);
      expect(first.stderr()).not.toMatch(/oidc-provider|Warning/);

      const home = await fetch(`${base}/`, { redirect: 'manual' });
      expect(home.status).toBe(303);
      expect(home.headers.get('location')).toBe('/signin?next=%2F');
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
      expect((await fetch(`${base}/assets/app.css`)).status).toBe(200);
      expect((await fetch(mailbox)).status).toBe(200);
      // Signing in goes through the embedded OpenID provider, and back.
      const begin = await fetch(`${base}/signin`, { redirect: 'manual' });
      expect(new URL(begin.headers.get('location')!).origin).toBe(issuer);
      const callback = await loginAtProvider(begin.headers.get('location')!, 'tprm@bank.example');
      const done = await fetch(callback, {
        redirect: 'manual',
        headers: { cookie: setCookieNamed(begin, 'bk_signin')! },
      });
      const cookie = setCookieNamed(done, 'bk_session')!;
      const portfolio = await fetch(`${base}/`, { headers: { cookie } });
      expect(portfolio.status).toBe(200);
      expect(await portfolio.text()).toContain('Ledgerline Core Banking');
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toMatch(/^stopped$/m);

    const second = start(['--port', '0', '--data-dir', dataDir]);
    try {
      await until(() => /^ready$/m.test(second.stdout()) || second.child.exitCode !== null, '"ready" again');
      expect(second.stdout()).toMatch(/Picked up 12 vendor lifecycles/);
      // The request e-mails (the only place the upload links exist) are still in the mailbox.
      const mailbox = /Mailbox \(vendor upload links\)\s+(http:\/\/127\.0\.0\.1:\d+\/_local\/mailbox)/.exec(
        second.stdout(),
      )![1]!;
      const page = await (await fetch(mailbox)).text();
      expect(page.match(/\/u\/[A-Za-z0-9_-]{43}" target="_blank"/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
      // ... each with the simulated time it first went out, kept across the restart.
      expect(page).toMatch(/<dd class="sent-at">\d{4}-\d\d-\d\d \d\d:\d\d<\/dd>/);
      expect(page).not.toContain('(real time)');
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
  });

  it('says clearly when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = start(['--port', String(port), '--data-dir', join(dataDir, 'other')]);
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toContain(`port ${port} is already in use`);
      expect(run.stdout()).not.toMatch(/^ready$/m);
    } finally {
      blocker.close();
    }
  });
});
