// The one place AWS SDK clients get their configuration: region, endpoint, retries, local credentials. Each
// adapter builds its client with `clientConfig` once per module. Locally only the endpoint differs: the SDK reads
// the standard AWS_ENDPOINT_URL_<SERVICE> variables itself, and an endpoint on loopback gets dummy credentials
// (the embedded servers accept any signature) so that no real credentials are looked up or sent.
//
// Retries are the SDK's own standard strategy (exponential backoff with full jitter, on throttling, 5xx and
// network faults); nothing in Bridgekeeper stacks a second retry layer on it. What still fails reaches the
// adapter's error mapping as UnavailableError, and then the state machine's Retry or a 503 page.

export type AwsService = 'DYNAMODB' | 'SESV2' | 'SFN' | 'S3' | 'KMS' | 'SECRETS_MANAGER';

/**
 * The endpoint value that selects a service's in-memory adapter (`simulate` runs every handler in one process);
 * everything else talks to AWS or to an embedded server over the wire.
 */
export const MEMORY_ENDPOINT = 'memory:';

export interface ClientOptions {
  /** Overrides AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint?: string;
  region?: string;
  /** Credentials to use when the endpoint is local (default: dummies). */
  localCredentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Attempts per SDK call, the first included (the SDK's standard mode defaults to 3). */
export const SDK_MAX_ATTEMPTS = 4;

export function isLoopback(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
}

export function endpointOf(service: AwsService, options: ClientOptions = {}): string | undefined {
  return options.endpoint ?? process.env[`AWS_ENDPOINT_URL_${service}`];
}

export function clientConfig(service: AwsService, options: ClientOptions = {}) {
  const endpoint = endpointOf(service, options);
  return {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: SDK_MAX_ATTEMPTS,
    retryMode: 'standard' as const,
    ...(isLoopback(endpoint) && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: options.localCredentials ?? { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  };
}
