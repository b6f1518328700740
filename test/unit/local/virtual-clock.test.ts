// The local clock: still by default (simulate and the tests are repeatable), flowing with the real time between
// jumps on `npm start`, held still while a jump runs, never moved backwards.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/runner/runner.js';

describe('the virtual clock', () => {
  const start = new Date('2026-11-26T10:00:00.000Z');

  it('stands still unless told to flow', () => {
    const clock = new VirtualClock(start);
    expect(clock.now()).toEqual(start);
    clock.set(new Date('2026-11-27T09:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-11-27T09:00:00.000Z');
    clock.set(start);
    expect(clock.now().toISOString()).toBe('2026-11-27T09:00:00.000Z');
  });

  it('flows with the real time between jumps, and holds still while one runs', async () => {
    let real = 1_000;
    const clock = new VirtualClock(start);
    clock.flowWithRealTime(() => real);
    real += 1_500;
    const a = clock.now();
    real += 2;
    const b = clock.now();
    expect(a.toISOString()).toBe('2026-11-26T10:00:01.500Z');
    expect(b.getTime() - a.getTime()).toBe(2);
    await clock.whileStill(async () => {
      real += 60_000;
      expect(clock.now()).toEqual(b);
      clock.set(new Date('2026-12-01T09:00:00Z'));
      real += 60_000;
      expect(clock.now().toISOString()).toBe('2026-12-01T09:00:00.000Z');
    });
    // After the jump it flows on from where the jump left it.
    real += 250;
    expect(clock.now().toISOString()).toBe('2026-12-01T09:00:00.250Z');
    // A set to the past never moves it back.
    clock.set(start);
    expect(clock.now().toISOString()).toBe('2026-12-01T09:00:00.250Z');
  });
});
