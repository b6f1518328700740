// `bridgekeeper assess` end to end through main(): the spec section 4 document, and every kind of refused input
// of spec section 1 (exit 2, the named path on stderr, nothing on stdout).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { today } from '../../../cli/commands/assess.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import type { CommandIo } from '../../../cli/command.js';

const dir = mkdtempSync(join(tmpdir(), 'bk-assess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s) },
    cwd: process.cwd(),
    env: options.env ?? {},
  };
  return { io, out: () => out, err: () => err };
}

async function run(args: string[], options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const c = captureIo(options);
  const code = await main(['assess', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

let n = 0;
function file(content: unknown): string {
  const path = join(dir, `input-${++n}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const goodVendor = {
  id: 'acme-pay',
  name: 'Acme Payments',
  tier: 'critical',
  managerEmail: 'jane.doe@bank.example',
  contactEmail: 'security@acme.example',
  documents: [
    {
      kind: 'soc2-type2',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      issued: '2026-02-14',
      opinion: 'unqualified',
    },
  ],
};
const withVendor = (v: Record<string, unknown>) => ({
  complianceLeadEmail: 'tprm@bank.example',
  vendors: [{ ...goodVendor, ...v }],
});
const withDoc = (d: Record<string, unknown>) => withVendor({ documents: [d] });

describe('bridgekeeper assess: the spec section 4 document', () => {
  it('prints the example portfolio as of 2026-11-26 and exits 0', async () => {
    const r = await run(['examples/portfolio.json', '--as-of', '2026-11-26']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['asOf', 'vendors', 'summary']);
    expect(doc.asOf).toBe('2026-11-26');
    expect(doc.vendors[0]).toEqual({
      id: 'acme-pay',
      status: 'expiring',
      basis: { kind: 'soc2-type2', periodEnd: '2025-12-31' },
      lapseDate: '2026-12-31',
      bridgedUntil: null,
      daysToLapse: 35,
      findings: [{ code: 'category-gap', severity: 'critical' }],
    });
    expect(Object.keys(doc.summary)).toEqual(['current', 'expiring', 'bridged', 'stale', 'missing']);
  });

  it('defaults --as-of to today from the clock (UTC or INSTITUTION_TIME_ZONE)', async () => {
    const r = await run([file(withVendor({}))]);
    expect(r.code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    // Around midnight UTC the day may turn between the two reads: accept either side.
    expect([today, new Date(Date.now() - 60_000).toISOString().slice(0, 10)]).toContain(
      JSON.parse(r.out).asOf,
    );
    const zoned = await run([file(withVendor({}))], { env: { INSTITUTION_TIME_ZONE: 'Nowhere/Atlantis' } });
    expect(zoned.code).toBe(2);
    expect(zoned.err).toContain('INSTITUTION_TIME_ZONE');
  });

  it("today is the institution's calendar date: INSTITUTION_TIME_ZONE, else UTC", () => {
    const clock = new FixedClock(new Date('2026-11-26T23:30:00Z'));
    expect(today(clock, {})).toBe('2026-11-26');
    expect(today(clock, { INSTITUTION_TIME_ZONE: 'Pacific/Kiritimati' })).toBe('2026-11-27');
    expect(
      today(new FixedClock(new Date('2026-11-27T03:00:00Z')), { INSTITUTION_TIME_ZONE: 'America/New_York' }),
    ).toBe('2026-11-26');
  });

  it('applies a per-tier policy file', async () => {
    const policy = file({ tiers: { critical: { maxReportAgeMonths: 9 } } });
    const r = await run([file(withVendor({})), '--as-of', '2026-09-01', '--policy', policy]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).vendors[0]).toMatchObject({ status: 'expiring', lapseDate: '2026-09-30' });
  });

  it('prints an empty portfolio', async () => {
    const r = await run([file({ complianceLeadEmail: 'a@b.example', vendors: [] }), '--as-of', '2026-01-01']);
    expect(JSON.parse(r.out)).toEqual({
      asOf: '2026-01-01',
      vendors: [],
      summary: { current: 0, expiring: 0, bridged: 0, stale: 0, missing: 0 },
    });
  });
});

describe('bridgekeeper assess --format table', () => {
  it('lists the most urgent first, without color when stdout is not a terminal', async () => {
    const r = await run(['examples/portfolio.json', '--as-of', '2026-11-26', '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\u001b[');
    const rows = r.out
      .split('\n')
      .slice(1, 13)
      .map((l) => l.split(/\s+/)[0]);
    expect(rows.slice(0, 4)).toEqual(['missing', 'missing', 'stale', 'stale']);
    expect(rows.at(-1)).toBe('current');
    expect(r.out).toContain('stale     paperclip-hr');
    expect(r.out).toContain('bridge-gap, exception-without-response, qualified-opinion, stale-report');
    expect(r.out).toContain('As of 2026-11-26: 12 vendors');
  });

  it('never prints control characters from the portfolio', async () => {
    const r = await run([
      file(withVendor({ name: 'Evil\u001b[2J Corp' })),
      '--as-of',
      '2026-11-26',
      '--format',
      'table',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\u001b');
    expect(r.out).toContain('Evil?[2J Corp');
    const bad = await run([file(withVendor({ tier: 'gold\u001b[31m' })), '--as-of', '2026-11-26']);
    expect(bad.code).toBe(2);
    expect(bad.err).not.toContain('\u001b');
    expect(bad.err).toContain('"gold\\u001b[31m" is not a tier');
  });

  it('colors the status on a terminal, unless NO_COLOR is set', async () => {
    const args = ['examples/portfolio.json', '--as-of', '2026-11-26', '--format', 'table'];
    expect((await run(args, { tty: true })).out).toContain('\u001b[1;31mmissing');
    expect((await run(args, { tty: true, env: { NO_COLOR: '1' } })).out).not.toContain('\u001b[');
  });
});

describe('bridgekeeper assess: refused input (spec section 1) exits 2, names the path, prints nothing', () => {
  const cases: [string, unknown, string][] = [
    [
      'an impossible date',
      withDoc({
        kind: 'soc2-type2',
        periodStart: '2025-01-01',
        periodEnd: '2025-02-30',
        opinion: 'unqualified',
      }),
      'vendors[0].documents[0].periodEnd: 2025-02-30 is not a date',
    ],
    ['an unknown tier', withVendor({ tier: 'gold' }), 'vendors[0].tier: gold is not a tier'],
    [
      'an unknown kind',
      withDoc({ kind: 'soc3', periodEnd: '2025-12-31' }),
      'vendors[0].documents[0].kind: soc3',
    ],
    [
      'an unknown opinion',
      withDoc({ kind: 'soc2-type2', periodStart: '2025-01-01', periodEnd: '2025-12-31', opinion: 'clean' }),
      'vendors[0].documents[0].opinion: clean is not an opinion',
    ],
    [
      'an unknown category',
      withVendor({ requiredCategories: ['security', 'uptime'] }),
      'vendors[0].requiredCategories[1]: uptime is not a Trust Services Category',
    ],
    [
      'periodEnd before periodStart',
      withDoc({
        kind: 'soc2-type2',
        periodStart: '2025-06-01',
        periodEnd: '2025-05-31',
        opinion: 'unqualified',
      }),
      'vendors[0].documents[0].periodEnd: 2025-05-31 is before periodStart 2025-06-01',
    ],
    [
      'coversTo before coversFrom',
      withDoc({ kind: 'bridge-letter', coversFrom: '2026-01-01', coversTo: '2025-12-31' }),
      'vendors[0].documents[0].coversTo: 2025-12-31 is before coversFrom 2026-01-01',
    ],
    [
      'a duplicate vendor id',
      { complianceLeadEmail: 'tprm@bank.example', vendors: [goodVendor, goodVendor] },
      'vendors[1].id: duplicate vendor id acme-pay',
    ],
    [
      'a malformed e-mail address',
      withVendor({ contactEmail: 'security.acme.example' }),
      'vendors[0].contactEmail: security.acme.example is not an e-mail address',
    ],
    ['an unknown field', withVendor({ owner: 'me' }), 'vendors[0].owner: unknown field'],
    ['a wrong type', withVendor({ dataRegions: 'us' }), 'vendors[0].dataRegions: must be an array'],
    ['a missing required field', withVendor({ name: undefined }), 'vendors[0].name: is required'],
    ['a bad id', withVendor({ id: 'Acme Pay' }), 'vendors[0].id: Acme Pay is not a vendor id'],
    [
      'a periodStart on a Type I',
      withDoc({
        kind: 'soc2-type1',
        periodStart: '2025-01-01',
        periodEnd: '2025-06-30',
        opinion: 'unqualified',
      }),
      'vendors[0].documents[0].periodStart: a Type I report has no period start',
    ],
    ['a file that is not JSON', '{\n  "vendors": [\n    {"id": }\n]}', 'not valid JSON'],
  ];
  for (const [what, content, expected] of cases) {
    it(`refuses ${what}`, async () => {
      const r = await run([file(content), '--as-of', '2026-11-26']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(expected);
      expect(r.err).toContain('nothing was written');
    });
  }

  it('gives line and column for a file that is not JSON', async () => {
    const r = await run([file('{\n  "vendors": [\n    {"id": }\n]}')]);
    expect(r.err).toContain('line 3, column 12');
  });

  it('lists every problem at once, from the portfolio and the policy file', async () => {
    const policy = file({ tiers: { critical: { bridgeMaxMonths: 99 } } });
    const r = await run([
      file(withVendor({ tier: 'gold', managerEmail: 'nobody', documents: [{ kind: 'soc3' }] })),
      '--policy',
      policy,
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines.slice(0, -1).map((l) => l.split(': ')[0])).toEqual([
      'policy:tiers.critical.bridgeMaxMonths',
      'vendors[0].tier',
      'vendors[0].managerEmail',
      'vendors[0].documents[0].kind',
    ]);
    expect(lines.at(-1)).toContain('input refused (4 problem(s))');
  });

  it('refuses a missing file, a directory, a bad --as-of, a bad --format and an unknown flag', async () => {
    const cases: [string[], string][] = [
      [['no-such-portfolio.json'], 'cannot read the portfolio no-such-portfolio.json: no such file'],
      [[dir], 'it is a directory'],
      [['examples/portfolio.json', '--policy', 'nope.json'], 'cannot read the policy file nope.json'],
      [['examples/portfolio.json', '--as-of', '2026-02-30'], '--as-of 2026-02-30 is not a date'],
      [['examples/portfolio.json', '--as-of', '26/11/2026'], 'is not a date'],
      [['examples/portfolio.json', '--as-of', '9999-12-31'], '--as-of 9999-12-31 is out of range'],
      [['examples/portfolio.json', '--format', 'csv'], '--format csv is not a format'],
      [['examples/portfolio.json', '--asof', '2026-11-26'], "Unknown option '--asof'"],
      [[], 'missing argument'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(message);
    }
  });

  it('prints its --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: bridgekeeper assess PORTFOLIO.json');
  });
});

describe('the bridgekeeper bin', () => {
  it('runs assess as a child process with a clean stdout and stderr', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/bridgekeeper.js', 'assess', 'examples/portfolio.json', '--as-of', '2026-11-26'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).summary).toEqual({
      current: 5,
      expiring: 2,
      bridged: 1,
      stale: 2,
      missing: 2,
    });
    const bad = spawnSync(
      process.execPath,
      ['bin/bridgekeeper.js', 'assess', file(withVendor({ tier: 'gold' }))],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('vendors[0].tier');
  });
});
