// Checkpoints of the audit trail: what one holds, how it is chained and sealed, what the comparison with the table
// names, and what the reconciler logs for the alarm when it cannot write one.
import { describe, expect, it, vi } from 'vitest';
import { MemoryCheckpoints } from '../../../functions/adapters/memory/checkpoints.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { auditTrail } from '../../../functions/app/audit.js';
import { latestCheckpoint, takeCheckpoint } from '../../../functions/app/checkpoints.js';
import { Vendors } from '../../../functions/app/vendors.js';
import {
  checkpointBody,
  checkpointInstant,
  checkpointKey,
  compareWithCheckpoint,
  parseCheckpoint,
} from '../../../functions/core/checkpoint.js';
import { logger } from '../../../functions/edge/logger.js';
import { writeDailyCheckpoint } from '../../../functions/handlers/reconcile.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { testMac } from '../../support/mac.js';

const mac = testMac();
const at = new Date('2026-12-01T06:00:07.123Z');

async function portfolio(clock = new FixedClock(at)) {
  const store = new MemoryEventStore();
  const vendors = new Vendors(store, { clock, mac });
  for (const id of ['acme', 'beta']) {
    await vendors.update(
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
    for (let i = 0; i < 2; i++)
      await vendors.update(
        id,
        () => [{ type: 'next-action-scheduled', data: { nextActionAt: `2027-01-0${i + 1}T09:00:00.000Z` } }],
        { actor: { kind: 'workflow' } },
      );
  }
  return { store, vendors, clock };
}

describe('a checkpoint', () => {
  it('is keyed by its instant, in time order', () => {
    expect(checkpointKey(at)).toBe('checkpoints/20261201T060007Z.json');
    expect(checkpointInstant(checkpointKey(at)).toISOString()).toBe('2026-12-01T06:00:07.000Z');
    expect(checkpointKey(new Date('2026-12-01T06:00:08Z')) > checkpointKey(at)).toBe(true);
  });

  it('holds every vendor’s head, sorted, chained to the previous one, sealed and locked for the retention', async () => {
    const { vendors } = await portfolio();
    const files = new MemoryCheckpoints();
    const first = await takeCheckpoint({ vendors, files, mac, clock: new FixedClock(at), retentionDays: 10 });
    expect(first).toEqual({ key: 'checkpoints/20261201T060007Z.json', vendors: 2, previous: null });
    const next = new Date(at.getTime() + 86_400_000);
    const second = await takeCheckpoint({
      vendors,
      files,
      mac,
      clock: new FixedClock(next),
      retentionDays: 10,
    });
    expect(second.previous).toBe(first.key);
    const stored = files.files.get(second.key)!;
    expect(stored.retainUntil.toISOString()).toBe('2026-12-12T06:00:07.123Z');
    const parsed = parseCheckpoint(second.key, stored.text);
    expect(parsed).toMatchObject({
      vendors: [
        { vendorId: 'acme', seq: 3 },
        { vendorId: 'beta', seq: 3 },
      ],
      previous: { key: first.key },
    });
    const latest = await latestCheckpoint(files, mac);
    expect(latest).toMatchObject({ key: second.key, problems: [] });
    // Taken again in the same second: the one there stands.
    expect(
      await takeCheckpoint({ vendors, files, mac, clock: new FixedClock(next), retentionDays: 10 }),
    ).toEqual({
      ...second,
      previous: first.key,
    });
    expect(files.files.size).toBe(2);
  });

  it('that no writer sealed, or whose predecessor was changed or removed, is named', async () => {
    const { vendors } = await portfolio();
    const files = new MemoryCheckpoints();
    const first = await takeCheckpoint({ vendors, files, mac, clock: new FixedClock(at), retentionDays: 1 });
    const later = new Date(at.getTime() + 3_600_000);
    const second = await takeCheckpoint({
      vendors,
      files,
      mac,
      clock: new FixedClock(later),
      retentionDays: 1,
    });
    files.files.get(first.key)!.text = files.files.get(first.key)!.text.replace('"seq":3', '"seq":2');
    expect((await latestCheckpoint(files, mac))!.problems.map((p) => p.message)).toEqual([
      `checkpoint ${second.key}: its previous checkpoint ${first.key} was changed`,
    ]);
    files.files.delete(first.key);
    expect((await latestCheckpoint(files, mac))!.problems.map((p) => p.kind)).toEqual(['checkpoint-chain']);
    const other = await latestCheckpoint(files, testMac(2));
    expect(other!.problems.map((p) => p.message)).toEqual([
      `checkpoint ${second.key}: not sealed by the service (forged or edited)`,
    ]);
    files.files.set('checkpoints/20991231T000000Z.json', { text: '{"format":"x"}', retainUntil: later });
    expect((await latestCheckpoint(files, mac))!.problems[0]!.kind).toBe('checkpoint-unreadable');
  });
});

describe('compared with the table', () => {
  const body = checkpointBody(
    at,
    [
      { vendorId: 'acme', seq: 5, hash: 'a5' },
      { vendorId: 'beta', seq: 2, hash: 'b2' },
      { vendorId: 'gone', seq: 1, hash: 'g1' },
    ],
    null,
  );
  const heads = (headSeq: number, hashes: Record<number, string>) => ({
    headSeq,
    hashAt: (seq: number) => hashes[seq],
  });

  it('names a vendor missing, a head behind, a rewritten checkpointed event; later events are fine', () => {
    const problems = compareWithCheckpoint(
      body,
      new Map([
        ['acme', heads(4, { 4: 'a4' })],
        ['beta', heads(9, { 2: 'B2', 9: 'b9' })],
        ['new', heads(1, { 1: 'n1' })],
      ]),
    );
    expect(problems.map((p) => [p.kind, p.vendorId])).toEqual([
      ['head-behind', 'acme'],
      ['hash-differs', 'beta'],
      ['vendor-missing', 'gone'],
    ]);
    expect(
      compareWithCheckpoint(
        body,
        new Map([
          ['acme', heads(6, { 5: 'a5' })],
          ['beta', heads(2, { 2: 'b2' })],
          ['gone', heads(1, { 1: 'g1' })],
        ]),
      ),
    ).toEqual([]);
  });

  it('audits a vendor only the checkpoint still names', async () => {
    const { vendors, store } = await portfolio();
    const files = new MemoryCheckpoints();
    await takeCheckpoint({ vendors, files, mac, clock: new FixedClock(at), retentionDays: 1 });
    store.deleteVendor('beta');
    const audit = await auditTrail(vendors, { checkpoints: { files, mac } });
    expect(audit.reports.map((r) => r.vendorId)).toEqual(['acme']);
    expect(audit.checkpointProblems.map((p) => p.message)).toEqual([
      'beta: in the checkpoint of 2026-12-01T06:00:07.123Z at seq 3, missing from the table (deleted)',
    ]);
  });

  it('anchors subservice organisations’ records too: a deleted one is named', async () => {
    const { vendors, store } = await portfolio();
    await vendors.update('nimbus', () => [{ type: 'organization-registered', data: { name: 'Nimbus' } }], {
      actor: { kind: 'import', by: 'test' },
    });
    const files = new MemoryCheckpoints();
    const taken = await takeCheckpoint({ vendors, files, mac, clock: new FixedClock(at), retentionDays: 1 });
    expect(taken.vendors).toBe(3);
    store.deleteVendor('nimbus');
    const audit = await auditTrail(vendors, { checkpoints: { files, mac } });
    expect(audit.checkpointProblems.map((p) => p.message)).toEqual([
      'nimbus: in the checkpoint of 2026-12-01T06:00:07.123Z at seq 1, missing from the table (deleted)',
    ]);
  });

  it('names a projection that is sealed but is not what its log yields (a writer bug)', async () => {
    const { vendors, store } = await portfolio();
    const state = (await vendors.load('acme'))!;
    // Written through the port with a valid seal: only a writer with the key could do this.
    const { sealedProjection } = await import('../../support/mac.js');
    const wrong = { ...state, profile: undefined, scheduledAt: '2030-01-01T00:00:00.000Z' };
    const projection = await sealedProjection(wrong, mac);
    store.deleteState('acme');
    await store.writeProjection({ ...projection, commitFirstSeq: state.seq });
    const audit = await auditTrail(vendors, { vendorIds: ['acme'] });
    expect(audit.reports[0]!.problems.map((p) => p.message)).toContain(
      `the projected state (seq ${state.seq}) differs from what its log yields (edited)`,
    );
  });
});

describe('the daily checkpoint step', () => {
  it('logs checkpointAgeHours 0 when written, and the hours since the last one when it could not write', async () => {
    const { vendors } = await portfolio();
    const files = new MemoryCheckpoints();
    const info = vi.spyOn(logger, 'info').mockImplementation(() => {});
    const error = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const ok = await writeDailyCheckpoint({
      vendors,
      files,
      mac,
      clock: new FixedClock(at),
      retentionDays: 1,
    });
    expect(ok).toMatchObject({ vendors: 2 });
    expect(info).toHaveBeenCalledWith(
      'checkpoint written',
      expect.objectContaining({ checkpointAgeHours: 0 }),
    );
    vi.spyOn(files, 'create').mockRejectedValue(
      Object.assign(new Error('bucket down'), { name: 'UnavailableError' }),
    );
    const later = new Date(at.getTime() + 30 * 3_600_000);
    const failed = await writeDailyCheckpoint({
      vendors,
      files,
      mac,
      clock: new FixedClock(later),
      retentionDays: 1,
    });
    expect(failed).toEqual({ error: 'UnavailableError' });
    expect(error).toHaveBeenCalledWith(
      'checkpoint not written',
      expect.objectContaining({ checkpointAgeHours: 30 }),
    );
    info.mockRestore();
    error.mockRestore();
  });
});
