import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';

function captureIo(): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: process.cwd(),
    env: {},
    out: () => out,
    err: () => err,
  };
}

describe('bridgekeeper command line', () => {
  it('lists the commands on --help and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('assess');
    expect(io.out()).toContain('simulate');
  });

  it('refuses an unknown command with exit 2 and names it', async () => {
    const io = captureIo();
    expect(await main(['asess'], io)).toBe(2);
    expect(io.err()).toContain("unknown command 'asess'");
    expect(io.out()).toBe('');
  });

  it('with no command prints usage on stderr and exits 2', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('Usage: bridgekeeper');
  });
});
