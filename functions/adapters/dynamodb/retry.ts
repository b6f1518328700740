// SDK errors become domain errors here, once: a failed condition is a ConflictError, throttling and transient
// faults are retried with exponential backoff and full jitter, then surface as UnavailableError.
import { ConflictError, UnavailableError } from '../../core/errors.js';

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in unit tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 25, maxDelayMs: 2000 };

export function isRetryable(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (!e || typeof e !== 'object') return false;
  if (RETRYABLE.has(e.name ?? '') || RETRYABLE.has(e.code ?? '')) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one DynamoDB call with retries. `what` names the operation in the error an operator will read.
 * A ConditionalCheckFailedException becomes ConflictError (not retried here: the caller must re-read).
 */
export async function withRetries<T>(
  what: string,
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`${what}: someone else changed it first`, { cause: error });
      if (!isRetryable(error)) throw error;
      if (attempt >= policy.maxAttempts)
        throw new UnavailableError(
          `${what}: DynamoDB unavailable after ${attempt} attempts (${(error as Error).name})`,
          {
            cause: error,
          },
        );
      // Full jitter: a random wait up to the exponential cap, so that contending writers spread out.
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * cap));
    }
  }
}
