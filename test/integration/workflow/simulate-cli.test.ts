// `bridgekeeper simulate` at the edge: stdout holds only the JSON lines; bad input is refused with every problem
// named (exit 2, nothing on stdout); per-vendor lanes and the one global clock give the same timeline.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { simulate } from '../../../cli/commands/simulate.js';
import { portfolioOf, report, scripted, vendor } from './helpers.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      cwd: mkdtempSync(path.join(tmpdir(), 'bk-sim-')),
      env: {},
    },
  };
}

const portfolio = portfolioOf(
  vendor([report('2025-12-31')]),
  vendor([], { id: 'beta', contactEmail: 'grc@beta.example' }),
  vendor([report('2026-03-31')], { id: 'gamma' }),
);

describe('bridgekeeper simulate', () => {
  it('prints only JSON lines in date order', async () => {
    const t = io();
    writeFileSync(path.join(t.io.cwd, 'p.json'), JSON.stringify(portfolio));
    writeFileSync(
      path.join(t.io.cwd, 'e.json'),
      JSON.stringify({
        events: [{ date: '2026-09-10', vendorId: 'beta', upload: report('2026-06-30'), review: 'accept' }],
      }),
    );
    const code = await main(
      ['simulate', 'p.json', '--from', '2026-09-01', '--to', '2026-12-31', '--events', 'e.json'],
      t.io,
    );
    expect(code).toBe(0);
    const lines = t.out.join('').trimEnd().split('\n');
    const parsed = lines.map(
      (l) => JSON.parse(l) as { date: string; type: string; vendorId: string; to: string },
    );
    expect(parsed.length).toBeGreaterThan(5);
    for (const p of parsed)
      expect(Object.keys(p).sort()).toEqual(expect.arrayContaining(['date', 'to', 'type', 'vendorId']));
    expect(parsed.map((p) => p.date)).toEqual([...parsed.map((p) => p.date)].sort());
    expect(parsed).toContainEqual({
      date: '2026-09-10',
      type: 'finding-closed',
      vendorId: 'beta',
      to: 'tprm@bank.example',
      code: 'no-report',
    });
  });

  it('refuses bad input in either file, naming every problem, with nothing on stdout', async () => {
    const t = io();
    writeFileSync(path.join(t.io.cwd, 'p.json'), JSON.stringify(portfolio));
    writeFileSync(
      path.join(t.io.cwd, 'e.json'),
      JSON.stringify({
        events: [
          { date: '2026-02-30', vendorId: 'acme-pay', review: 'accept' },
          { date: '2026-10-01', vendorId: 'nobody', upload: { kind: 'soc2-type2', periodEnd: 'soon' } },
          { date: '2026-10-01', vendorId: 'beta', review: 'reject', colour: 'red' },
        ],
      }),
    );
    const code = await main(
      ['simulate', 'p.json', '--from', '2026-09-01', '--to', '2026-12-31', '--events', 'e.json'],
      t.io,
    );
    expect(code).toBe(2);
    expect(t.out).toEqual([]);
    const err = t.err.join('');
    expect(err).toContain('events[0].date: "2026-02-30" is not a date');
    expect(err).toContain('events[1].vendorId');
    expect(err).toContain('events[1].upload.periodEnd');
    expect(err).toContain('events[2].colour: unknown field');
    expect(err).toContain('events[2].reason');

    const bad = io();
    writeFileSync(path.join(bad.io.cwd, 'p.json'), JSON.stringify({ vendors: [{ id: 'X', tier: 'gold' }] }));
    expect(await main(['simulate', 'p.json', '--from', '2026-09-01', '--to', '2026-12-31'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('vendors[0].tier');
    expect(bad.out).toEqual([]);

    const flags = io();
    expect(await main(['simulate', 'p.json', '--from', '2026-13-01', '--to', '2026-12-31'], flags.io)).toBe(
      2,
    );
    expect(flags.err.join('')).toContain('--from 2026-13-01 is not a date');
  });

  it('per-vendor lanes and the global clock give the same timeline', async () => {
    const events = scripted([
      {
        date: '2026-12-10',
        vendorId: 'acme-pay',
        upload: report('2026-09-30'),
        review: 'reject',
        reason: 'unsigned',
      },
      {
        date: '2026-12-20',
        vendorId: 'acme-pay',
        upload: report('2026-09-30', { auditor: 'Other LLP' }),
        review: 'accept',
      },
      { date: '2026-09-15', vendorId: 'beta', upload: report('2026-06-30'), review: 'accept' },
    ]);
    const options = { portfolio, from: '2026-09-01', to: '2027-06-30', events };
    const lanes = await simulate({ ...options, independentLanes: true });
    const global = await simulate({ ...options, independentLanes: false });
    expect(lanes.lines).toEqual(global.lines);
    expect(lanes.lines.length).toBeGreaterThan(10);
  });

  it("the institution's time zone does not move any date", async () => {
    const options = { portfolio, from: '2026-10-01', to: '2027-01-15' };
    const utc = await simulate(options);
    for (const timeZone of ['Pacific/Kiritimati', 'America/Los_Angeles'])
      expect((await simulate({ ...options, timeZone })).lines).toEqual(utc.lines);
  });
});
