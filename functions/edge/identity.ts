// The bank's OpenID provider for the sign-in function: openid-client against the configured issuer, with the
// client secret read from Secrets Manager when the configuration is first built (and re-read when it is rebuilt).
import { openIdConnect } from '../adapters/oidc/openid-client.js';
import { createSecretsClient, readSecret } from '../adapters/secrets-manager/secret.js';
import type { IdentityProvider } from '../ports/identity-provider.js';
import type { OidcSettings } from './config.js';
import { clock } from './runtime.js';

export function openIdentityProvider(settings: OidcSettings): IdentityProvider {
  const secrets = createSecretsClient();
  return openIdConnect({
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: () => readSecret(secrets, settings.clientSecretArn),
    clock,
  });
}
