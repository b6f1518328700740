import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, eventHash, verifyChain } from '../../../functions/core/audit-chain.js';
import type { NewEvent, StoredEvent } from '../../../functions/core/events.js';
import { chain, registered } from './fixtures.js';

function log(n: number): StoredEvent[] {
  const events: NewEvent[] = [registered('acme')];
  for (let i = 1; i < n; i++)
    events.push({ type: 'next-action-scheduled', data: { nextActionAt: `2026-12-0${i}T09:00:00.000Z` } });
  return chain('acme', events);
}

const kinds = (stored: unknown[], head?: { seq: number; hash: string | null }) =>
  verifyChain('acme', stored, head).problems.map((p) => [p.seq, p.kind]);

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 'é' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":"é","z":1}]},"b":1}',
    );
  });
  it('gives the same hash whatever the key order', () => {
    expect(eventHash({ a: 1, b: [2, 3] })).toBe(eventHash({ b: [2, 3], a: 1 }));
    expect(eventHash({ a: 1 })).not.toBe(eventHash({ a: 2 }));
  });
});

describe('verifyChain', () => {
  it('passes an untouched log and reports its head', () => {
    const events = log(5);
    const report = verifyChain('acme', events, { seq: 5, hash: events[4]!.hash });
    expect(report.problems).toEqual([]);
    expect(report.events).toBe(5);
    expect(report.headHash).toBe(events[4]!.hash);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
  });

  it('names an edited event (content no longer matches its hash)', () => {
    const events = log(5);
    (events[2]!.data as { nextActionAt: string }).nextActionAt = '2030-01-01T00:00:00.000Z';
    expect(kinds(events)).toEqual([[3, 'edited']]);
  });

  it('names an edited event whose hash was recomputed (the next event no longer chains to it)', () => {
    const events = log(5);
    (events[2]!.data as { nextActionAt: string }).nextActionAt = '2030-01-01T00:00:00.000Z';
    events[2]!.hash = eventHash(events[2]!);
    expect(kinds(events)).toEqual([[4, 'inserted']]);
    expect(verifyChain('acme', events).problems[0]!.message).toContain('seq 3 rewritten');
  });

  it('names a deleted event in the middle and a cut-off tail', () => {
    const events = log(6);
    expect(kinds([...events.slice(0, 2), ...events.slice(3)])).toEqual([[3, 'deleted']]);
    expect(kinds(events.slice(0, 4), { seq: 6, hash: events[5]!.hash })).toEqual([[5, 'deleted']]);
    expect(verifyChain('acme', events.slice(0, 4), { seq: 6, hash: null }).problems[0]!.message).toBe(
      'seq 5..6: missing (deleted)',
    );
  });

  it('names a swapped pair as reordered', () => {
    const events = log(5);
    const swapped = [events[0], events[1], events[3], events[2], events[4]];
    expect(kinds(swapped)).toEqual([[3, 'reordered']]);
  });

  it('names an inserted event (a forged one that does not chain, and a duplicate)', () => {
    const events = log(4);
    const forged = { ...events[2]!, data: { nextActionAt: null }, prevHash: 'f'.repeat(64) } as StoredEvent;
    forged.hash = eventHash(forged);
    expect(kinds([events[0], events[1], forged, events[3]])).toEqual([
      [3, 'inserted'],
      [4, 'inserted'],
    ]);
    expect(kinds([...events, events[3]])).toContainEqual([4, 'inserted']);
  });

  it('names an event moved in from another vendor and unreadable items', () => {
    const other = chain('beta', [registered('beta')]);
    expect(kinds([other[0]])).toContainEqual([1, 'inserted']);
    expect(kinds([{ nonsense: true }])).toEqual([[null, 'unreadable']]);
  });

  it('a forged huge seq is reported without walking to it', () => {
    const events = log(3);
    const forged = { ...events[2]!, seq: 1e12 } as StoredEvent;
    forged.hash = eventHash(forged);
    const started = performance.now();
    const found = kinds([events[0], events[1], forged]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found).toContainEqual([3, 'deleted']);
  });

  it('catches an edited last event against the recorded head', () => {
    const events = log(3);
    const head = { seq: 3, hash: events[2]!.hash };
    (events[2]!.data as { nextActionAt: string }).nextActionAt = '2031-01-01T00:00:00.000Z';
    events[2]!.hash = eventHash(events[2]!);
    expect(kinds(events, head)).toEqual([[3, 'edited']]);
  });
});
