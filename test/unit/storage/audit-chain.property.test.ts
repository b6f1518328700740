// Properties of the chain: any single tampering with a stored log is reported; an untouched log never is.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventHash, verifyChain } from '../../../functions/core/audit-chain.js';
import type { NewEvent, StoredEvent } from '../../../functions/core/events.js';
import { chain, registered } from './fixtures.js';

const scheduleEvents = fc.array(
  fc.option(fc.date({ min: new Date('2026-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), {
    nil: null,
  }),
  { minLength: 1, maxLength: 30 },
);

function build(dates: (Date | null)[]): StoredEvent[] {
  const events: NewEvent[] = [
    registered('acme'),
    ...dates.map((d): NewEvent => ({
      type: 'next-action-scheduled',
      data: { nextActionAt: d ? d.toISOString() : null },
    })),
  ];
  return chain('acme', events);
}

type Tamper = (events: StoredEvent[], i: number, j: number) => StoredEvent[];

const tampers: Record<string, Tamper> = {
  edit: (events, i) =>
    events.map((e, k) => (k === i ? ({ ...e, at: '2000-01-01T00:00:00.000Z' } as StoredEvent) : e)),
  'edit and rehash': (events, i) =>
    events.map((e, k) => {
      if (k !== i) return e;
      const forged = { ...e, at: '2000-01-01T00:00:00.000Z' } as StoredEvent;
      return { ...forged, hash: eventHash(forged) };
    }),
  delete: (events, i) => events.filter((_, k) => k !== i),
  swap: (events, i, j) => {
    const copy = [...events];
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    return copy;
  },
  duplicate: (events, i) => [...events.slice(0, i + 1), events[i]!, ...events.slice(i + 1)],
};

describe('verifyChain properties', () => {
  it('never reports an untouched log', () => {
    fc.assert(
      fc.property(scheduleEvents, (dates) => {
        const events = build(dates);
        const last = events.at(-1)!;
        expect(verifyChain('acme', events, { seq: last.seq, hash: last.hash }).problems).toEqual([]);
      }),
    );
  });

  for (const [name, tamper] of Object.entries(tampers))
    it(`reports any single ${name}`, () => {
      fc.assert(
        fc.property(scheduleEvents, fc.nat(), fc.nat(), (dates, a, b) => {
          const events = build(dates);
          const i = a % events.length;
          let j = b % events.length;
          if (name === 'swap') {
            if (events.length < 2) return;
            if (j === i) j = (i + 1) % events.length;
          }
          const last = events.at(-1)!;
          const report = verifyChain('acme', tamper(events, i, j), { seq: last.seq, hash: last.hash });
          expect(report.problems.length).toBeGreaterThan(0);
        }),
      );
    });
});
