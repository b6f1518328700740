// One secret's value from Secrets Manager (the OpenID client secret): GetSecretValue on exactly that secret, the
// only Secrets Manager call Bridgekeeper makes. Locally and in the deployed suite the embedded Secrets Manager
// answers it (AWS_ENDPOINT_URL_SECRETS_MANAGER).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { UnavailableError } from '../../core/errors.js';
import { clientConfig, type ClientOptions } from '../aws.js';

const TRANSIENT = new Set(['ThrottlingException', 'InternalServiceError', 'TimeoutError', 'ECONNREFUSED']);

function isTransient(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return TRANSIENT.has((error as Error).name) || (status !== undefined && status >= 500);
}

export function createSecretsClient(options: ClientOptions = {}): SecretsManagerClient {
  return new SecretsManagerClient(clientConfig('SECRETS_MANAGER', options));
}

export async function readSecret(client: SecretsManagerClient, secretId: string): Promise<string> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`the secret ${secretId} has no SecretString`);
    return SecretString;
  } catch (error) {
    if (isTransient(error))
      throw new UnavailableError(`Secrets Manager unavailable (${(error as Error).name})`, { cause: error });
    throw error;
  }
}
