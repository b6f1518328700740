// Domain errors: thrown by the core and the adapters, mapped to exit codes / HTTP statuses once, at the edge.

/** One thing wrong with an input, named by its JSON path (`vendors[3].documents[0].periodEnd`). */
export interface Problem {
  path: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

// Each class states its name as a string: `name` is what Lambda reports as the errorType, and what the state
// machine's Retry and Catch match (workflows/lifecycle.ts TRANSIENT_ERRORS). A class's own name does not survive
// minification (the bundles are minified), so it must never be what sets `name`.
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract override readonly name: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Input refused whole; every problem is listed. Nothing may have been written. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation';
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** A conditional write lost (someone else changed the item first). Safe to re-read and retry. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not-found';
}

/** A dependency stayed unavailable after retries (throttling, timeouts). */
export class UnavailableError extends DomainError {
  override readonly name = 'UnavailableError';
  readonly code = 'unavailable';
}

/** The caller may not do this (no sign-in, wrong or dead upload link). */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** Too many requests through one upload link in its window: a 429 that says when to try again. */
export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  readonly code = 'rate-limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A state-changing request that did not come from Bridgekeeper's own pages (cross-site request forgery). */
export class CrossSiteRequestError extends DomainError {
  override readonly name = 'CrossSiteRequestError';
  readonly code = 'cross-site';
}

/** A sign-in that cannot complete: expired, used already, a wrong state, or refused by the identity provider. */
export class SignInFailedError extends DomainError {
  override readonly name = 'SignInFailedError';
  readonly code = 'sign-in-failed';
}
