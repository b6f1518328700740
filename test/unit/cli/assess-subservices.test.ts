// `bridgekeeper assess` with spec section 9: the new parts of the document on a portfolio with subservice
// organisations, and byte-for-byte the section 4 document (and table) on a portfolio without them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';

const dir = mkdtempSync(join(tmpdir(), 'bk-assess9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s) },
    cwd: process.cwd(),
    env: {},
  };
  const code = await main(['assess', ...args], io);
  return { code, out, err };
}

const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), 'utf8');

describe('given a portfolio without subserviceOrganizations', () => {
  it('when assessed, then the JSON is byte for byte what it was before section 9', async () => {
    const r = await run(['examples/portfolio.json', '--as-of', '2026-11-26']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(golden('portfolio-2026-11-26.json'));
  });

  it('when shown as a table, then the table is byte for byte what it was before section 9', async () => {
    const r = await run(['examples/portfolio.json', '--as-of', '2026-11-26', '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(golden('portfolio-2026-11-26.table.txt'));
  });
});

describe('given examples/portfolio-fourth-parties.json', () => {
  it('when assessed, then each vendor lists its carve-outs and the document lists every organisation', async () => {
    const r = await run(['examples/portfolio-fourth-parties.json', '--as-of', '2026-11-26']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['asOf', 'vendors', 'subserviceOrganizations', 'summary']);
    expect(doc.vendors[1]).toEqual({
      id: 'tallyline-payroll',
      status: 'current',
      basis: { kind: 'soc2-type2', periodEnd: '2026-03-31' },
      lapseDate: '2027-03-31',
      bridgedUntil: null,
      daysToLapse: 125,
      findings: [
        { code: 'cuec-unowned', severity: 'high' },
        { code: 'subservice-uncovered', severity: 'high' },
      ],
      subservices: [
        { id: 'relay-mail', status: 'bridged', lapseDate: '2026-09-30' },
        { id: 'ledgerfox-kyc', status: 'stale', lapseDate: '2026-06-30' },
      ],
    });
    // Only inclusive subservices on the basis: no `subservices` key at all.
    expect(doc.vendors[3].id).toBe('copperline-analytics');
    expect('subservices' in doc.vendors[3]).toBe(false);
    expect(doc.subserviceOrganizations).toEqual([
      { id: 'nimbus-cloud', status: 'current', lapseDate: '2027-06-30', dependents: 2 },
      { id: 'ironvault-dc', status: 'expiring', lapseDate: '2026-12-31', dependents: 1 },
      { id: 'relay-mail', status: 'bridged', lapseDate: '2026-09-30', dependents: 1 },
      { id: 'ledgerfox-kyc', status: 'stale', lapseDate: '2026-06-30', dependents: 1 },
      { id: 'paystream-fx', status: 'missing', lapseDate: null, dependents: 1 },
      { id: 'quartz-print', status: 'missing', lapseDate: null, dependents: 0 },
    ]);
    // One organisation per line, like the vendors.
    expect(r.out).toContain(
      '\n  "subserviceOrganizations": [\n    {"id":"nimbus-cloud","status":"current","lapseDate":"2027-06-30","dependents":2},\n',
    );
  });

  it('when shown as a table, then the organisations follow the vendors, most urgent first', async () => {
    const r = await run([
      'examples/portfolio-fourth-parties.json',
      '--as-of',
      '2026-11-26',
      '--format',
      'table',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const start = lines.findIndex((l) => l.startsWith('STATUS    SUBSERVICE ORG'));
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'missing paystream-fx',
      'missing quartz-print',
      'stale ledgerfox-kyc',
      'bridged relay-mail',
      'expiring ironvault-dc',
      'current nimbus-cloud',
    ]);
    expect(r.out).toContain('Nimbus Cloud Platform      2027-06-30  2 vendors');
    expect(r.out).toContain('cuec-not-in-place, subservice-uncovered');
  });
});

describe('given a portfolio whose report names an unknown subservice organisation', () => {
  it('when assessed, then it is refused (exit 2) with the path, and nothing is printed', async () => {
    const portfolio = JSON.parse(readFileSync('examples/portfolio-fourth-parties.json', 'utf8'));
    portfolio.vendors[0].documents[0].subservices[0].id = 'nimbus-clod';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(portfolio));
    const r = await run([file, '--as-of', '2026-11-26']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      'vendors[0].documents[0].subservices[0].id: nimbus-clod is not a subservice organisation of the portfolio',
    );
  });
});
