// Bundled in place of @aws-sdk/credential-provider-node (esbuild alias, infra/bundling.ts), for Lambda only: the
// execution role's credentials are always in the function's environment, so the SDK's default chain never gets
// past its first link there, while the other links (SSO, profiles, web identity, instance metadata) add their
// own STS/SSO clients, about 110 KB, to every bundle. Local runs use the SDK's own chain (no bundling).

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function defaultProvider(): () => Promise<Credentials> {
  return async (): Promise<Credentials> => {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION } =
      process.env;
    if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
      throw new Error(
        'credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (not on Lambda?)',
      );
    }
    return {
      accessKeyId: AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS_SECRET_ACCESS_KEY,
      ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
      ...(AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
  };
}
