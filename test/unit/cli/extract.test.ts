// `bridgekeeper extract` end to end through main(): the generated reports written to a temporary folder, the
// JSON on stdout (exit 0), a scan's {"textLayer": false} (exit 0), and exit 2 with one clear line on stderr
// and nothing on stdout for a file that cannot be read or is not a readable PDF.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import { testReport } from '../../support/reports/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'bk-extract-'));
beforeAll(() => {
  for (const name of ['acme-soc2-type2.pdf', 'acme-bridge-letter.pdf', 'cobalt-scanned.pdf'])
    writeFileSync(join(dir, name), testReport(name));
  writeFileSync(join(dir, 'notes.pdf'), 'Meeting notes, not a PDF at all.\n');
  writeFileSync(join(dir, 'cut.pdf'), testReport('acme-soc2-type2.pdf').slice(0, 1500));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: dir,
    env: {},
  };
  const code = await main(['extract', ...args], io);
  return { code, out, err };
}

describe('bridgekeeper extract', () => {
  it("prints the report's fields as one JSON object keyed by the portfolio's field names and exits 0", async () => {
    const r = await run(['acme-soc2-type2.pdf']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual([
      'kind',
      'periodStart',
      'periodEnd',
      'issued',
      'opinion',
      'auditor',
      'categories',
      'exceptions',
      'cuecs',
      'subservices',
    ]);
    expect(doc).toMatchObject({
      kind: { value: 'soc2-type2', page: 1 },
      periodStart: { value: '2025-01-01', page: 3 },
      periodEnd: { value: '2025-12-31', page: 3 },
      opinion: { value: 'unqualified', page: 4 },
      auditor: { value: 'Example CPA LLP', page: 4 },
    });
    expect(doc.exceptions.value).toHaveLength(2);
  });

  it('a bridge letter: coversFrom, coversTo and issued', async () => {
    const r = await run([join(dir, 'acme-bridge-letter.pdf')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      kind: { value: 'bridge-letter', page: 1 },
      coversFrom: { value: '2026-01-01', page: 1 },
      coversTo: { value: '2026-03-31', page: 1 },
      issued: { value: '2026-04-06', page: 1 },
    });
  });

  it('a scan prints {"textLayer": false}, exits 0 and says on stderr to enter the fields by hand', async () => {
    const r = await run(['cobalt-scanned.pdf']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ textLayer: false });
    expect(r.err).toContain('has no text layer');
    expect(r.err).toContain('by hand');
  });

  it.each([
    ['notes.pdf', 'cannot read notes.pdf: the file is not a PDF (no %PDF- header)'],
    ['cut.pdf', 'cannot read cut.pdf: the file is not a readable PDF'],
    ['missing.pdf', 'cannot read missing.pdf: no such file'],
    ['.', 'cannot read .: it is a directory'],
  ])('%s: exit 2, one line on stderr, nothing on stdout', async (file, message) => {
    const r = await run([file]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`bridgekeeper extract: ${message}`);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('takes exactly one file, has --help, and is listed by bridgekeeper --help', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['a.pdf', 'b.pdf'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: bridgekeeper extract REPORT.pdf');
    let out = '';
    await main(['--help'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => 0 },
      cwd: dir,
      env: {},
    });
    expect(out).toMatch(/^\s+extract\s+Read the fields/m);
  });
});
