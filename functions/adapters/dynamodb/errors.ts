// SDK errors become domain errors here, once. The SDK's own retry strategy (client.ts) has already retried
// throttling and transient faults by the time an error reaches this mapping: what is left is a lost conditional
// write (ConflictError: re-read and decide again) or a service that stayed unavailable (UnavailableError: the
// state machine's Retry, or a 503 for a person).
import { ConflictError, UnavailableError } from '../../core/errors.js';

const TRANSIENT = new Set([
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

export function isTransient(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (!e || typeof e !== 'object') return false;
  if (TRANSIENT.has(e.name ?? '') || TRANSIENT.has(e.code ?? '')) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Runs one DynamoDB call; `what` names the operation in the error an operator will read. */
export async function mapped<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConditionFailure(error))
      throw new ConflictError(`${what}: someone else changed it first`, { cause: error });
    if (isTransient(error))
      throw new UnavailableError(`${what}: DynamoDB unavailable (${(error as Error).name})`, {
        cause: error,
      });
    throw error;
  }
}
