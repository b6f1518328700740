// The attacks on the audit trail that a person with write access to the table (but not to the MAC key nor to
// the locked checkpoints) can make, each played on dynalite with raw item writes, and what `audit verify`
// (through the CLI's main) says about it. The checkpoint is taken first, as the daily reconciler does on AWS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import type { CommandIo } from '../../../cli/command.js';
import { clientConfig } from '../../../functions/adapters/aws.js';
import { documentClient } from '../../../functions/adapters/dynamodb/client.js';
import { kmsMac } from '../../../functions/adapters/kms/mac.js';
import { TamperedError, type Vendors } from '../../../functions/app/vendors.js';
import { sealEvent } from '../../../functions/core/audit-chain.js';
import type { StoredEvent } from '../../../functions/core/events.js';
import { reduceEvents } from '../../../functions/core/vendor-state.js';
import { startKms, type EmbeddedKms } from '../../../local/kms.js';
import { startS3, type LocalS3 } from '../../../local/s3.js';
import { startTestDb, type TestDb } from '../dynamodb/helpers.js';

const BUCKETS = Array.from({ length: 10 }, (_, i) => `bk-audit-${i}`);
let t: TestDb;
let kms: EmbeddedKms;
let s3: LocalS3;
let dir: string;
let used = 0;

beforeAll(async () => {
  [t, kms, s3] = await Promise.all([startTestDb(), startKms(), startS3({ buckets: BUCKETS })]);
  dir = mkdtempSync(join(tmpdir(), 'bk-audit-'));
});
afterAll(async () => {
  await Promise.all([t?.stop(), kms?.stop(), s3?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Scene {
  table: string;
  store: Vendors;
  run(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
}

/** Three vendors of five commits each, sealed with the service's key, and a checkpoint of them. */
async function scene(): Promise<Scene> {
  const table = await t.newTable();
  const bucket = BUCKETS[used++]!;
  const mac = kmsMac(kms.keyArn, new KMSClient(clientConfig('KMS', { endpoint: kms.endpoint })));
  const store = t.store(table, { mac });
  for (const id of ['acme', 'beta', 'gamma']) {
    await store.update(
      id,
      () => [
        {
          type: 'vendor-registered',
          data: {
            profile: { id, name: id, tier: 'low', managerEmail: 'm@b.example', contactEmail: 'c@d.example' },
          },
        },
      ],
      { actor: { kind: 'import', by: 'test' } },
    );
    for (let i = 1; i <= 4; i++)
      await store.update(
        id,
        () => [{ type: 'next-action-scheduled', data: { nextActionAt: `2027-01-0${i}T09:00:00.000Z` } }],
        { actor: { kind: 'workflow' } },
      );
  }
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CommandIo = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      cwd: dir,
      env: {
        MAC_KEY_ID: kms.keyArn,
        AWS_ENDPOINT_URL_KMS: kms.endpoint,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        DOCUMENTS_BUCKET: bucket,
      },
    };
    const code = await main([...argv, '--endpoint', t.db.endpoint, '--table', table], io);
    return { code, out, err };
  };
  const checkpoint = await run('audit', 'checkpoint');
  expect(checkpoint.code, checkpoint.err).toBe(0);
  expect(checkpoint.out).toMatch(
    /^checkpoint checkpoints\/\d{8}T\d{6}Z\.json: 3 vendors, locked for 2557 days/,
  );
  return { table, store, run };
}

const doc = () => documentClient(t.client);
const key = (vendorId: string, seq: number) => ({
  pk: `V#${vendorId}`,
  sk: `E#${String(seq).padStart(10, '0')}`,
});
const stateKey = (vendorId: string) => ({ pk: `V#${vendorId}`, sk: 'STATE' });

async function item(table: string, k: Record<string, string>) {
  return (await doc().send(new GetCommand({ TableName: table, Key: k }))).Item!;
}

async function events(table: string, vendorId: string): Promise<StoredEvent[]> {
  const out = await doc().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `V#${vendorId}`, ':e': 'E#' },
    }),
  );
  return (out.Items ?? []).flatMap((i) => JSON.parse(i.events as string) as StoredEvent[]);
}

/** The state item an attacker writes to match a log they shaped (they cannot seal it: no MAC key). */
async function rewriteStateConsistently(table: string, vendorId: string, log: StoredEvent[]) {
  const state = reduceEvents(vendorId, log);
  const old = await item(table, stateKey(vendorId));
  await doc().send(
    new PutCommand({
      TableName: table,
      Item: { ...old, seq: state.seq, headHash: state.headHash, state: JSON.stringify(state) },
    }),
  );
}

describe('audit verify against an attacker with write access to the table', () => {
  it('passes an untouched trail, compared with the checkpoint', async () => {
    const { run } = await scene();
    const verify = await run('audit', 'verify');
    expect(verify).toMatchObject({ code: 0, out: '15 events in 3 vendors verified\n' });
    expect(verify.err).toMatch(/compared with checkpoint checkpoints\/\d{8}T\d{6}Z\.json/);
  });

  it('names a cut tail with the state item deleted (only the checkpoint can tell)', async () => {
    const { table, run } = await scene();
    for (const seq of [4, 5])
      await doc().send(new DeleteCommand({ TableName: table, Key: key('acme', seq) }));
    await doc().send(new DeleteCommand({ TableName: table, Key: stateKey('acme') }));
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(
      /acme: head at seq 3 is behind the checkpoint of \S+ \(seq 5\): events were removed/,
    );
    expect(verify.out).not.toMatch(/beta|gamma/);
  });

  it('names a cut tail with the state item rewritten to match it', async () => {
    const { table, run } = await scene();
    const log = await events(table, 'acme');
    for (const seq of [4, 5])
      await doc().send(new DeleteCommand({ TableName: table, Key: key('acme', seq) }));
    await rewriteStateConsistently(table, 'acme', log.slice(0, 3));
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain('acme the projected state (seq 3) fails its seal (edited)');
    expect(verify.out).toMatch(/acme: head at seq 3 is behind the checkpoint/);
  });

  it('names a rewritten last event with its head (re-chained, but unsealed)', async () => {
    const { table, run, store } = await scene();
    const log = await events(table, 'acme');
    const last = log.at(-1)!;
    const { hash: _hash, prevHash, ...rest } = last;
    void _hash;
    const forged = sealEvent({ ...rest, data: { nextActionAt: '2030-01-01T09:00:00.000Z' } }, prevHash);
    const commit = await item(table, key('acme', 5));
    await doc().send(
      new PutCommand({ TableName: table, Item: { ...commit, events: JSON.stringify([forged]) } }),
    );
    await rewriteStateConsistently(table, 'acme', [...log.slice(0, 4), forged]);
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain('acme seq 5..5: no writer sealed this commit (forged or edited)');
    expect(verify.out).toContain('acme the projected state (seq 5) fails its seal (edited)');
    expect(verify.out).toMatch(/acme seq 5: hash differs from the checkpoint of \S+ \(rewritten\)/);
    // The application refuses it too, instead of deciding on it.
    await expect(store.load('acme')).rejects.toBeInstanceOf(TamperedError);
  });

  it('names a deleted vendor (every item of it)', async () => {
    const { table, run } = await scene();
    for (let seq = 1; seq <= 5; seq++)
      await doc().send(new DeleteCommand({ TableName: table, Key: key('gamma', seq) }));
    await doc().send(new DeleteCommand({ TableName: table, Key: stateKey('gamma') }));
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(
      /gamma: in the checkpoint of \S+ at seq 5, missing from the table \(deleted\)/,
    );
  });

  it('names a forged event appended with a correct chain, and the application does not adopt it', async () => {
    const { table, run, store } = await scene();
    const log = await events(table, 'beta');
    const last = log.at(-1)!;
    const forged = sealEvent(
      {
        vendorId: 'beta',
        seq: 6,
        at: new Date().toISOString(),
        type: 'next-action-scheduled',
        actor: { kind: 'workflow' },
        data: { nextActionAt: '2031-01-01T09:00:00.000Z' },
      } as Omit<StoredEvent, 'hash' | 'prevHash'>,
      last.hash,
    );
    await doc().send(
      new PutCommand({
        TableName: table,
        Item: {
          ...key('beta', 6),
          vendorId: 'beta',
          firstSeq: 6,
          lastSeq: 6,
          events: JSON.stringify([forged]),
        },
      }),
    );
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain('beta seq 6..6: no writer sealed this commit (forged or edited)');
    await expect(store.load('beta')).rejects.toBeInstanceOf(TamperedError);
    await expect(
      store.update(
        'beta',
        () => [{ type: 'next-action-scheduled', data: { nextActionAt: '2027-02-01T09:00:00.000Z' } }],
        {
          actor: { kind: 'workflow' },
        },
      ),
    ).rejects.toBeInstanceOf(TamperedError);
  });

  it('names an edited projection (the log untouched)', async () => {
    const { table, run } = await scene();
    const state = await item(table, stateKey('gamma'));
    await doc().send(
      new PutCommand({
        TableName: table,
        Item: { ...state, state: (state.state as string).replace('"tier":"low"', '"tier":"high"') },
      }),
    );
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain('gamma the projected state (seq 5) fails its seal (edited)');
    expect(verify.out).not.toMatch(/acme|beta/);
  });

  it('names a forged or rewritten checkpoint', async () => {
    const { run } = await scene();
    // A later "checkpoint" written by someone without the MAC key.
    const { s3CheckpointFiles } = await import('../../../functions/adapters/s3/checkpoints.js');
    const { createS3Client } = await import('../../../functions/adapters/s3/documents.js');
    const files = s3CheckpointFiles(createS3Client({ endpoint: s3.endpoint }), BUCKETS[used - 1]!);
    const [real] = await files.list();
    const text = (await files.read(real!))!;
    const forged = text.replace(/"seq":5/g, '"seq":1');
    await files.create('checkpoints/29990101T000000Z.json', forged, new Date('2030-01-01'));
    const verify = await run('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain(
      'checkpoint checkpoints/29990101T000000Z.json: not sealed by the service (forged or edited)',
    );
  });
});
