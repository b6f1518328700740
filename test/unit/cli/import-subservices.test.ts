// `bridgekeeper import --subservices FILE`: read and validated with the other CSV files before any storage is
// opened; each subservice organisation is then stored as its own record beside the vendors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import { readPortfolioInput } from '../../../cli/commands/import.js';
import { importPortfolio } from '../../../functions/app/import.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { subserviceOrganizationOf } from '../../../functions/core/vendor-state.js';
import { systemClock } from '../../../functions/ports/clock.js';
import { testMac } from '../../support/mac.js';

const dir = mkdtempSync(join(tmpdir(), 'bk-import9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const actor = { kind: 'import' as const, by: 'test' };

const example = {
  vendors: 'examples/fourth-parties/vendors.csv',
  documents: 'examples/fourth-parties/documents.csv',
  subservices: 'examples/fourth-parties/subservices.csv',
  'compliance-lead': 'tprm@bank.example',
};

describe('readPortfolioInput with --subservices', () => {
  it('given the three example files, then the portfolio has the organisations and the carve-outs', async () => {
    const { portfolio, manageDocuments } = await readPortfolioInput(example, [], process.cwd());
    expect(manageDocuments).toBe(true);
    expect(portfolio.subserviceOrganizations?.map((o) => o.id)).toEqual([
      'nimbus-cloud',
      'ironvault-dc',
      'relay-mail',
      'ledgerfox-kyc',
      'paystream-fx',
      'quartz-print',
    ]);
    expect(portfolio.vendors[0]?.documents[0]).toMatchObject({
      subservices: [
        { id: 'nimbus-cloud', method: 'carve-out' },
        { id: 'ironvault-dc' },
        { id: 'quartz-print' },
      ],
    });
  });

  it('refuses --subservices with a JSON portfolio, without --vendors, and a file that is not there', async () => {
    await expect(
      readPortfolioInput({ subservices: example.subservices }, ['examples/portfolio.json'], process.cwd()),
    ).rejects.toThrow('give either PORTFOLIO.json or --vendors/--documents CSV files, not both');
    await expect(readPortfolioInput({ subservices: example.subservices }, [], process.cwd())).rejects.toThrow(
      '--subservices needs --vendors',
    );
    await expect(
      readPortfolioInput({ ...example, subservices: 'no-such-subservices.csv' }, [], process.cwd()),
    ).rejects.toThrow('cannot read no-such-subservices.csv: no such file');
  });
});

describe('bridgekeeper import --subservices: refused input', () => {
  it('given a bad subservices.csv, then exit 2 with file, row and column, before any storage is opened', async () => {
    const bad = join(dir, 'subservices.csv');
    writeFileSync(
      bad,
      'id,name,kind,periodEnd,opinion\nnimbus-cloud,Nimbus,soc2-type1,2025-02-30,unqualified\n',
    );
    let out = '';
    let err = '';
    const io: CommandIo = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd: process.cwd(),
      // An endpoint nobody listens on: reaching storage would fail differently.
      env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' },
    };
    const code = await main(
      [
        'import',
        '--vendors',
        example.vendors,
        '--documents',
        example.documents,
        '--subservices',
        bad,
        '--compliance-lead',
        'tprm@bank.example',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('subservices.csv row 2 (periodEnd): 2025-02-30 is not a date');
    // documents.csv names organisations that the bad file no longer provides.
    expect(err).toContain(
      'documents.csv row 2 (subservices): item 2, id: ironvault-dc is not a subservice organisation of the portfolio (not in subservices.csv)',
    );
  });
});

describe('bridgekeeper import --subservices: stored', () => {
  it('stores each organisation as its own record, lists it apart from the vendors, and re-imports nothing', async () => {
    const { portfolio, manageDocuments } = await readPortfolioInput(example, [], process.cwd());
    const store = new Vendors(new MemoryEventStore(), { clock: systemClock, mac: testMac() });
    const first = await importPortfolio(store, portfolio, { actor, manageDocuments });
    expect(first.organizations).toEqual({ created: 6, updated: 0, unchanged: 0, events: expect.any(Number) });
    expect(await store.listSubserviceOrganizationIds()).toEqual([
      'ironvault-dc',
      'ledgerfox-kyc',
      'nimbus-cloud',
      'paystream-fx',
      'quartz-print',
      'relay-mail',
    ]);
    expect(await store.listVendorIds()).toEqual(portfolio.vendors.map((v) => v.id).sort());
    const nimbus = subserviceOrganizationOf((await store.load('nimbus-cloud'))!);
    expect(nimbus).toEqual(portfolio.subserviceOrganizations?.find((o) => o.id === 'nimbus-cloud'));
    const again = await importPortfolio(store, portfolio, { actor, manageDocuments });
    expect(again.organizations).toEqual({ created: 0, updated: 0, unchanged: 6, events: 0 });
    expect(again.events).toBe(0);
  });

  it('given an organisation renamed and one document dropped, then exactly those changes are appended', async () => {
    const { portfolio, manageDocuments } = await readPortfolioInput(example, [], process.cwd());
    const store = new Vendors(new MemoryEventStore(), { clock: systemClock, mac: testMac() });
    await importPortfolio(store, portfolio, { actor, manageDocuments });
    const changed = structuredClone(portfolio);
    const nimbus = changed.subserviceOrganizations!.find((o) => o.id === 'nimbus-cloud')!;
    nimbus.name = 'Nimbus Cloud (renamed)';
    const dropped = nimbus.documents.length;
    nimbus.documents = [];
    const result = await importPortfolio(store, changed, { actor, manageDocuments });
    expect(result.organizations).toMatchObject({ updated: 1, unchanged: 5, events: 1 + dropped });
    const events = await store.events('nimbus-cloud');
    expect(events.slice(-1 - dropped).map((e) => e.type)).toEqual([
      'organization-renamed',
      ...Array(dropped).fill('document-withdrawn'),
    ]);
  });

  it('refuses, writing nothing, an organisation whose id is stored as a vendor (and the other way round)', async () => {
    const { portfolio, manageDocuments } = await readPortfolioInput(example, [], process.cwd());
    const store = new Vendors(new MemoryEventStore(), { clock: systemClock, mac: testMac() });
    await importPortfolio(store, portfolio, { actor, manageDocuments });
    const clash = structuredClone(portfolio);
    clash.subserviceOrganizations!.push({
      id: 'harbor-payments',
      name: 'Harbor as a fourth party',
      documents: [],
    });
    clash.vendors[1]!.id = 'relay-mail';
    const before = (await store.events('nimbus-cloud')).length;
    await expect(importPortfolio(store, clash, { actor, manageDocuments })).rejects.toMatchObject({
      problems: [
        { path: 'vendors[1].id', message: 'relay-mail is stored as a subservice organisation' },
        { path: 'subserviceOrganizations[6].id', message: 'harbor-payments is stored as a vendor' },
      ],
    });
    expect((await store.events('nimbus-cloud')).length).toBe(before);
  });

  it('prints a line for the organisations beside the vendors’ line', async () => {
    const data = mkdtempSync(join(tmpdir(), 'bk-import9-store-'));
    let out = '';
    const io: CommandIo = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: () => true },
      cwd: process.cwd(),
      env: {},
    };
    try {
      const args = Object.entries(example).flatMap(([k, v]) => [`--${k}`, v]);
      const code = await main(['import', ...args, '--data-dir', data], io);
      expect(code).toBe(0);
      expect(out).toMatch(
        /imported 6 subservice organisations: 6 created, 0 updated, 0 unchanged; \d+ events appended/,
      );
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});
