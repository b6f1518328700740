// What a handler's composition root shares with the process it runs in: the clock it reads time through, and the
// singletons it builds once per module (SDK clients, adapters, its configuration). On Lambda a module lives as
// long as its container. The embedded stack runs every handler in one process: it installs its virtual clock
// (`useClock`) and, when it changes the environment between runs, drops the singletons (`resetRuntime`).
import { systemClock, type Clock } from '../ports/clock.js';

let current: Clock = systemClock;

/** The handlers' clock: delegates to whichever clock is installed (the system clock unless swapped). */
export const clock: Clock = { now: () => current.now() };

/** Installs another clock (the local runner's virtual clock); returns the previous one. */
export function useClock(next: Clock): Clock {
  const previous = current;
  current = next;
  return previous;
}

const resetters: (() => void)[] = [];

/** A per-module singleton, built on first use, that `resetRuntime` drops. */
export function lazy<T>(create: () => T): () => T {
  let value: T | undefined;
  let built = false;
  resetters.push(() => {
    value = undefined;
    built = false;
  });
  return () => {
    if (!built) {
      value = create();
      built = true;
    }
    return value as T;
  };
}

/** Forgets every singleton (the embedded stack, after it changed the environment). */
export function resetRuntime(): void {
  for (const reset of resetters) reset();
}

/**
 * Test seams for crash and fault injection through the embedded runner (which calls each module's `handler`):
 * a wrapper around an adapter a composition root builds. Empty in production; `resetRuntime` keeps them, tests
 * clear them with `injectFaults({})`.
 */
export interface FaultInjection {
  mailer?: <M extends { send: (...args: never[]) => unknown }>(real: M) => M;
  vendors?: <V extends object>(real: V) => V;
}

let faults: FaultInjection = {};

export function injectFaults(next: FaultInjection): void {
  faults = next;
  resetRuntime();
}

export function withFaults<T extends object>(kind: keyof FaultInjection, real: T): T {
  const wrap = faults[kind] as ((value: T) => T) | undefined;
  return wrap ? wrap(real) : real;
}
