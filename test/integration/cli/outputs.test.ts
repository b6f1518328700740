// `bridgekeeper findings`, `forecast` and `calendar` through the CLI's main(), against dynalite and the embedded
// KMS (as on AWS: the records sealed with the stack's key): the same rows as the console's downloads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import { clientConfig } from '../../../functions/adapters/aws.js';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { kmsMac } from '../../../functions/adapters/kms/mac.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { parseCsv } from '../../../functions/core/csv.js';
import { forecastCoverage } from '../../../functions/core/forecast.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { parsePortfolioJson } from '../../../functions/core/portfolio.js';
import { systemClock } from '../../../functions/ports/clock.js';
import { startKms, type EmbeddedKms } from '../../../local/kms.js';
import { startTestDb, type TestDb } from '../dynamodb/helpers.js';

const EXAMPLE = join(process.cwd(), 'examples/portfolio.json');
let t: TestDb;
let kms: EmbeddedKms;
let dir: string;
let table: string;
let flags: string[];

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd: dir,
    env: { MAC_KEY_ID: kms.keyArn, AWS_ENDPOINT_URL_KMS: kms.endpoint, INSTITUTION_TIME_ZONE: 'UTC' },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

beforeAll(async () => {
  t = await startTestDb();
  kms = await startKms();
  dir = mkdtempSync(join(tmpdir(), 'bk-outputs-'));
  table = await t.newTable();
  flags = ['--endpoint', t.db.endpoint, '--table', table];
  expect((await run('import', EXAMPLE, ...flags)).code).toBe(0);
  // One finding on record, as the lifecycle opens it (sealed with the stack's key, as every writer does).
  const vendors = new Vendors(new DynamoEventStore({ tableName: table, client: t.client }), {
    clock: systemClock,
    mac: kmsMac(kms.keyArn, new KMSClient(clientConfig('KMS', { endpoint: kms.endpoint }))),
  });
  await vendors.update(
    'acme-pay',
    () => [
      { type: 'finding-opened', data: { findingId: 'f-1', code: '=stale-report', severity: 'critical' } },
    ],
    { actor: { kind: 'workflow' } },
  );
});
afterAll(async () => {
  await t?.stop();
  await kms?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bridgekeeper forecast', () => {
  it('gives the engine’s forecast of the table’s vendors, as the same file would', async () => {
    const json = await run('forecast', '--as-of', '2026-11-26', '--format', 'json', ...flags);
    expect(json.code).toBe(0);
    const expected = forecastCoverage(
      parsePortfolioJson(readFileSync(EXAMPLE, 'utf8')).vendors,
      '2026-11-26',
      DEFAULT_POLICY,
    );
    expect(JSON.parse(json.out)).toEqual(JSON.parse(JSON.stringify(expected)));
    const fromFile = await run('forecast', EXAMPLE, '--as-of', '2026-11-26', '--format', 'json');
    expect(JSON.parse(fromFile.out)).toEqual(JSON.parse(json.out));
    const table = await run('forecast', '--as-of', '2026-11-26', ...flags);
    expect(table.out).toMatch(/^WITHIN {2}FROM/);
    expect(table.out).toContain('3 changes in the next 90 days for 12 vendors, as of 2026-11-26.');
    const months = parseCsv(
      (await run('forecast', '--as-of', '2026-11-26', '--part', 'months', '--format', 'csv', ...flags)).out,
      'm.csv',
    );
    expect(months.records).toHaveLength(65);
    expect((await run('forecast', '--part', 'weeks', ...flags)).code).toBe(2);
  });
});

describe('bridgekeeper findings', () => {
  it('lists the register with due dates, neutralising a formula in CSV', async () => {
    const csv = await run('findings', '--format', 'csv', ...flags);
    expect(csv.code).toBe(0);
    const register = parseCsv(csv.out, 'f.csv');
    const col = (name: string) => register.header.indexOf(name);
    expect(
      register.records.map((r) => [r.cells[col('vendorId')], r.cells[col('code')], r.cells[col('state')]]),
    ).toEqual([['acme-pay', "'=stale-report", 'open']]);
    const overdue = await run('findings', '--overdue', '--as-of', '2099-01-01', ...flags);
    expect(overdue.out).toContain('OVERDUE');
    expect(overdue.out).toContain('1 finding, 1 overdue, as of 2099-01-01.');
    expect((await run('findings', '--state', 'closed', '--format', 'json', ...flags)).out).toBe('[]\n');
    const bad = await run('findings', '--state', 'maybe', ...flags);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--state maybe is not a state');
  });
});

describe('bridgekeeper calendar', () => {
  it('writes the feed of a member of staff, with the same UIDs on every run', async () => {
    const first = await run('calendar', '--staff', 'jane.doe@bank.example', ...flags);
    expect(first.code).toBe(0);
    const uids = (ics: string) =>
      new ICAL.Component(ICAL.parse(ics))
        .getAllSubcomponents('vevent')
        .map((v) => String(v.getFirstPropertyValue('uid')));
    expect(uids(first.out).length).toBeGreaterThan(0);
    expect(uids(first.out).every((u) => u.endsWith('@bridgekeeper'))).toBe(true);
    const out = await run('calendar', '--staff', 'jane.doe@bank.example', '--out', 'jane.ics', ...flags);
    expect(out.err).toMatch(/^\d+ events? written to jane.ics$/m);
    expect(uids(readFileSync(join(dir, 'jane.ics'), 'utf8'))).toEqual(uids(first.out));
    expect((await run('calendar', ...flags)).err).toContain('--staff EMAIL is required');
  });
});
