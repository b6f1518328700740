// `bridgekeeper import` and `bridgekeeper audit` end to end against dynalite, through the CLI's main().
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import { documentClient } from '../../../functions/adapters/dynamodb/client.js';
import { assessPortfolio } from '../../../functions/core/assess.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { parsePortfolioJson, type Portfolio } from '../../../functions/core/portfolio.js';
import { portfolioVendor } from '../../../functions/core/vendor-state.js';
import { startTestDb, type TestDb } from './helpers.js';
import { startKms, type EmbeddedKms } from '../../../local/kms.js';
import { KMSClient } from '@aws-sdk/client-kms';
import { clientConfig } from '../../../functions/adapters/aws.js';
import { kmsMac } from '../../../functions/adapters/kms/mac.js';

let t: TestDb;
let kms: EmbeddedKms;
let dir: string;
beforeAll(async () => {
  t = await startTestDb();
  // As on AWS: the table's records are sealed with the stack's KMS HMAC key, named by MAC_KEY_ID.
  kms = await startKms();
  dir = mkdtempSync(join(tmpdir(), 'bk-cli-'));
});
afterAll(async () => {
  await t?.stop();
  await kms?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function cliMac() {
  return kmsMac(kms.keyArn, new KMSClient(clientConfig('KMS', { endpoint: kms.endpoint })));
}

async function run(...argv: string[]) {
  return runWith({}, ...argv);
}

async function runWith(options: { tty?: boolean; cwd?: string }, ...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: options.tty ?? false },
    cwd: options.cwd ?? dir,
    env: { USER: 'analyst', MAC_KEY_ID: kms.keyArn, AWS_ENDPOINT_URL_KMS: kms.endpoint },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER = 'id,name,tier,managerEmail,contactEmail,complianceLeadEmail,dataRegions';
const vendorRow = (i: number, tier = 'high') =>
  `v${i},Vendor ${i},${tier},m${i % 7}@bank.example,sec@v${i}.example,lead@bank.example,us;eu`;
const DOC_HEADER = 'vendorId,kind,periodStart,periodEnd,issued,opinion,categories';
const docRow = (i: number, periodEnd = '2025-12-31') =>
  `v${i},soc2-type2,2025-01-01,${periodEnd},2026-02-01,unqualified,security;availability`;

function vendorsCsv(n: number, change?: (i: number) => string | undefined): string {
  const rows = [HEADER];
  for (let i = 0; i < n; i++) rows.push(change?.(i) ?? vendorRow(i));
  return `${rows.join('\n')}\n`;
}
function documentsCsv(n: number, change?: (i: number) => string | undefined): string {
  const rows = [DOC_HEADER];
  for (let i = 0; i < n; i++) rows.push(change?.(i) ?? docRow(i));
  return `${rows.join('\n')}\n`;
}

describe('bridgekeeper import', () => {
  it('refuses a file with one bad row among thousands, writing nothing (not even the table)', async () => {
    const table = `bk-import-bad-${process.pid}`;
    const vendors = file(
      'bad-vendors.csv',
      vendorsCsv(3000, (i) => (i === 2345 ? vendorRow(i, 'urgent') : undefined)),
    );
    const documents = file('bad-documents.csv', documentsCsv(3000));
    const result = await run(
      'import',
      '--vendors',
      vendors,
      '--documents',
      documents,
      '--endpoint',
      t.db.endpoint,
      '--table',
      table,
    );
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^bad-vendors.csv row 2347 \(tier\): urgent is not a tier/m);
    expect(result.err).toContain('nothing was written');
    await expect(t.client.send(new DescribeTableCommand({ TableName: table }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('imports, re-imports idempotently, and appends exactly the changes of a changed file', async () => {
    const table = await t.newTable();
    const flags = ['--endpoint', t.db.endpoint, '--table', table];
    const vendors = file('vendors.csv', vendorsCsv(300));
    const documents = file('documents.csv', documentsCsv(300));
    const first = await run('import', '--vendors', vendors, '--documents', documents, ...flags);
    expect(first.err).toBe('');
    expect(first.out).toBe(
      `imported 300 vendors into ${table}: 300 created, 0 updated, 0 unchanged; 600 events appended\n`,
    );
    const again = await run('import', '--vendors', vendors, '--documents', documents, ...flags);
    expect(again.out).toContain('0 created, 0 updated, 300 unchanged; 0 events appended');

    // One vendor's tier changes, one document's period end is corrected, one vendor is new.
    writeFileSync(
      vendors,
      vendorsCsv(301, (i) => (i === 17 ? vendorRow(17, 'critical') : undefined)),
    );
    writeFileSync(
      documents,
      documentsCsv(300, (i) => (i === 42 ? docRow(42, '2025-12-30') : undefined)),
    );
    const changed = await run('import', '--vendors', vendors, '--documents', documents, ...flags);
    expect(changed.out).toContain('1 created, 2 updated, 298 unchanged; 4 events appended');

    const export17 = await run('audit', 'export', '--vendor', 'v17', ...flags);
    const events17 = export17.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events17.map((e) => e.type)).toEqual(['vendor-registered', 'document-added', 'vendor-updated']);
    expect(events17[2]).toMatchObject({
      data: { changes: { tier: 'critical' } },
      actor: { kind: 'import', by: 'analyst' },
    });
    const export42 = await run('audit', 'export', '--vendor', 'v42', '--format', 'csv', ...flags);
    const rows42 = export42.out.trim().split('\n');
    expect(rows42[0]).toBe('vendorId,seq,at,type,actorKind,actorId,data,prevHash,hash');
    expect(rows42.slice(1).map((r) => r.split(',')[3])).toEqual([
      'vendor-registered',
      'document-added',
      'document-added',
      'document-withdrawn',
    ]);
    const verify = await run('audit', 'verify', ...flags);
    expect(verify).toMatchObject({ code: 0, out: '604 events in 301 vendors verified\n' });
  });

  it('imports the example portfolio (JSON) and the example CSVs', async () => {
    const table = await t.newTable();
    const flags = ['--endpoint', t.db.endpoint, '--table', table];
    const json = await run('import', join(process.cwd(), 'examples/portfolio.json'), ...flags);
    expect(json.code).toBe(0);
    expect(json.out).toMatch(
      /^imported \d+ vendors into .*: \d+ created, 0 updated, 0 unchanged; \d+ events appended\n$/,
    );
    const csv = await run(
      'import',
      '--vendors',
      join(process.cwd(), 'examples/vendors.csv'),
      '--documents',
      join(process.cwd(), 'examples/documents.csv'),
      '--compliance-lead',
      'tprm@bank.example',
      ...flags,
    );
    expect(csv.code).toBe(0);
    expect(csv.out).toMatch(/0 created/);
  });

  it('without --endpoint or --table uses the embedded table under .data/ (in the working directory)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bk-embedded-'));
    try {
      const portfolio = join(process.cwd(), 'examples/portfolio.json');
      const first = await runWith({ cwd, tty: true }, 'import', portfolio);
      expect(first.code).toBe(0);
      expect(first.err).toMatch(/\r\[#+\] 12\/12 vendors\n$/); // the progress bar, on a terminal only
      expect(existsSync(join(cwd, '.data', 'dynamodb', 'CURRENT'))).toBe(true);
      // A second command finds what the first one stored.
      const again = await runWith({ cwd }, 'import', portfolio);
      expect(again).toMatchObject({ code: 0, err: '' });
      expect(again.out).toContain('12 unchanged; 0 events appended');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('the stored vendors assess exactly like the file they were imported from', async () => {
    const table = await t.newTable();
    const path = join(process.cwd(), 'examples/portfolio.json');
    expect((await run('import', path, '--endpoint', t.db.endpoint, '--table', table)).code).toBe(0);
    const fromFile = parsePortfolioJson(readFileSync(path, 'utf8'));
    const mac = kmsMac(kms.keyArn, new KMSClient(clientConfig('KMS', { endpoint: kms.endpoint })));
    const states = await t.store(table, { mac }).loadMany(fromFile.vendors.map((v) => v.id));
    const stored: Portfolio = {
      vendors: fromFile.vendors.map((v) => portfolioVendor(states.get(v.id)!)!),
    };
    expect(assessPortfolio(stored, '2026-11-26', DEFAULT_POLICY)).toEqual(
      assessPortfolio(fromFile, '2026-11-26', DEFAULT_POLICY),
    );
  });

  it('names unusable flags and files with exit 2', async () => {
    expect((await run('import')).code).toBe(2);
    expect((await run('import', 'missing.json', '--endpoint', t.db.endpoint)).err).toContain(
      'cannot read missing.json: no such file',
    );
    expect((await run('import', 'x.json', '--vendors', 'v.csv')).err).toContain('not both');
    expect((await run('import', '--vendors', 'v.csv', '--endpoint', 'nope')).err).toContain('no such file');
    const portfolio = join(process.cwd(), 'examples/portfolio.json');
    expect(await run('import', portfolio, '--endpoint', 'nope')).toMatchObject({
      code: 2,
      err: "bridgekeeper import: --endpoint: 'nope' is not an http(s) URL\n",
    });
    expect((await run('import', portfolio, '--endpoint', t.db.endpoint, '--table', 'x')).code).toBe(2);
    // Nothing listens on port 9 of loopback: a clear error, exit 1.
    const down = await run('import', portfolio, '--endpoint', 'http://127.0.0.1:9', '--table', 'bk-down');
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot open table bk-down at http://127.0.0.1:9');
  });
});

describe('bridgekeeper audit', () => {
  async function seed(): Promise<{ table: string; flags: string[] }> {
    const table = await t.newTable();
    // Sealed with the key the CLI verifies with (the embedded KMS), as the functions seal on AWS.
    const store = t.store(table, { mac: cliMac() });
    for (const id of ['acme', 'beta']) {
      await store.update(
        id,
        () => [
          {
            type: 'vendor-registered',
            data: {
              profile: {
                id,
                name: id,
                tier: 'low',
                managerEmail: 'm@b.example',
                contactEmail: 'c@d.example',
              },
            },
          },
        ],
        {
          actor: { kind: 'import', by: 'test' },
        },
      );
      for (let i = 1; i <= 4; i++)
        await store.update(
          id,
          () => [{ type: 'next-action-scheduled', data: { nextActionAt: `2027-01-0${i}T09:00:00.000Z` } }],
          {
            actor: { kind: 'workflow' },
          },
        );
    }
    return { table, flags: ['--endpoint', t.db.endpoint, '--table', table] };
  }
  const doc = () => documentClient(t.client);
  const key = (vendorId: string, seq: number) => ({
    pk: `V#${vendorId}`,
    sk: `E#${String(seq).padStart(10, '0')}`,
  });

  it('passes an untouched log', async () => {
    const { flags } = await seed();
    expect(await run('audit', 'verify', ...flags)).toMatchObject({
      code: 0,
      out: '10 events in 2 vendors verified\n',
    });
    expect(await run('audit', 'verify', '--vendor', 'beta', ...flags)).toMatchObject({
      code: 0,
      out: '5 events in 1 vendors verified\n',
    });
  });

  it('names an edited event', async () => {
    const { table, flags } = await seed();
    const { Item } = await doc().send(new GetCommand({ TableName: table, Key: key('acme', 3) }));
    await doc().send(
      new PutCommand({
        TableName: table,
        Item: { ...Item, events: (Item!.events as string).replace('2027-01-02', '2029-01-02') },
      }),
    );
    const result = await run('audit', 'verify', ...flags);
    expect(result.code).toBe(1);
    expect(result.out).toContain('acme seq 3: content does not match its hash (edited)');
    expect(result.out).not.toContain('beta');
    // The export shows the log as stored and flags it.
    const exported = await run('audit', 'export', '--vendor', 'acme', ...flags);
    expect(exported.code).toBe(1);
    expect(exported.out).toContain('2029-01-02');
    expect(exported.err).toContain('acme seq 3: content does not match its hash (edited)');
  });

  it('names an unreadable item', async () => {
    const { table, flags } = await seed();
    const { Item } = await doc().send(new GetCommand({ TableName: table, Key: key('acme', 2) }));
    await doc().send(new PutCommand({ TableName: table, Item: { ...Item, events: '{"oops"' } }));
    const result = await run('audit', 'verify', '--vendor', 'acme', ...flags);
    expect(result.code).toBe(1);
    expect(result.out).toContain('acme item E#0000000002: cannot be read');
    expect((await run('audit', 'export', '--vendor', 'acme', ...flags)).out.trim().split('\n')).toHaveLength(
      4,
    );
  });

  it('names a deleted event, and a deleted last event', async () => {
    const { table, flags } = await seed();
    await doc().send(new DeleteCommand({ TableName: table, Key: key('acme', 2) }));
    await doc().send(new DeleteCommand({ TableName: table, Key: key('beta', 5) }));
    const result = await run('audit', 'verify', ...flags);
    expect(result.code).toBe(1);
    expect(result.out).toContain('acme seq 2: missing (deleted)');
    expect(result.out).toContain('beta seq 5: missing (deleted)');
  });

  it('names a swapped pair', async () => {
    const { table, flags } = await seed();
    const [three, four] = await Promise.all(
      [3, 4].map(
        async (seq) => (await doc().send(new GetCommand({ TableName: table, Key: key('beta', seq) }))).Item!,
      ),
    );
    await doc().send(new PutCommand({ TableName: table, Item: { ...three, events: four!.events } }));
    await doc().send(new PutCommand({ TableName: table, Item: { ...four, events: three!.events } }));
    const result = await run('audit', 'verify', '--vendor', 'beta', ...flags);
    expect(result.code).toBe(1);
    expect(result.out).toContain('beta seq 3: stored after seq 4 (reordered)');
  });

  it('export refuses bad flags and unknown vendors', async () => {
    const { flags } = await seed();
    expect((await run('audit', 'export', ...flags)).err).toContain('export needs --vendor');
    expect((await run('audit', 'export', '--vendor', 'acme', '--from', '2026-02-30', ...flags)).code).toBe(2);
    expect(await run('audit', 'export', '--vendor', 'ghost', ...flags)).toMatchObject({ code: 1 });
    const none = await run('audit', 'export', '--vendor', 'acme', '--to', '2000-01-01', ...flags);
    expect(none).toMatchObject({ code: 0, out: '' });
    expect(none.err).toContain('0 of 5 events exported; chain verified');
  });
});
