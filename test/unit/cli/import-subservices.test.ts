// `bridgekeeper import --subservices FILE`: read and validated with the other CSV files before any storage is
// opened; storing the organisations themselves is a hook that is not built yet, and says so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import {
  readPortfolioInput,
  storeSubserviceOrganizations,
  subserviceNote,
} from '../../../cli/commands/import.js';
import type { Vendors } from '../../../functions/app/vendors.js';

const dir = mkdtempSync(join(tmpdir(), 'bk-import9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe('the storage hook for subservice organisations', () => {
  it('stores nothing yet and says so; says nothing when there is nothing to say', async () => {
    const { portfolio } = await readPortfolioInput(example, [], process.cwd());
    const store = {} as Vendors; // never touched
    const result = await storeSubserviceOrganizations(store, portfolio.subserviceOrganizations ?? []);
    expect(result).toEqual({ stored: 0, notStored: 6 });
    expect(subserviceNote(6)).toBe(
      "note: 6 subservice organisations were validated but not stored (the table cannot hold them yet); the vendors' documents keep their subservices and cuecs\n",
    );
    expect(subserviceNote(1)).toContain('1 subservice organisation was validated');
    expect(subserviceNote(0)).toBeUndefined();
  });
});
