// The only way anything in Bridgekeeper learns the time: tests and the local runner pass a virtual clock.

export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real clock, for Lambda handlers on AWS and for `--as-of` defaults at the CLI. */
export const systemClock: Clock = {
  // eslint-disable-next-line no-restricted-syntax -- the one sanctioned wall-clock read
  now: () => new Date(Date.now()),
};

/** A clock fixed at (or moved by hand to) a given instant. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant.getTime());
  }
  set(instant: Date): void {
    this.instant = new Date(instant.getTime());
  }
}
