// One DynamoDB client per module. Locally only the endpoint changes (explicit, or the SDK's standard
// AWS_ENDPOINT_URL_DYNAMODB); retries are ours (retry.ts), so the SDK's own are switched off.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  endpoint?: string;
  region?: string;
}

function isLocal(endpoint: string | undefined): boolean {
  return endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
}

export function createDynamoClient(options: ClientOptions = {}): DynamoDBClient {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const local = isLocal(endpoint);
  return new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 1,
    // The embedded server accepts any signature: dummies, so that no real credentials are looked up or sent.
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
