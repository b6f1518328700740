// The IdentityProvider port with openid-client (v6, on oauth4webapi and jose): discovery, the authorization
// request (PKCE S256, state, nonce), the code grant with the client secret (client_secret_basic), the ID token's
// checks (issuer, audience, expiry, nonce) and its signature against the provider's JWKS (non-repudiation checks
// on: the signature is verified even though the token came straight from the token endpoint). The discovered
// configuration (with its cached JWKS) is kept per module and re-read after an hour, or at once after a failure,
// so a rotated client secret or signing key is picked up. Plain HTTP only to a loopback issuer (the embedded
// provider); anything else must be HTTPS.
import * as oidc from 'openid-client';
import { SignInFailedError, UnavailableError } from '../../core/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { IdentityProvider, SignInStart } from '../../ports/identity-provider.js';

export interface OpenIdSettings {
  issuer: string;
  clientId: string;
  /** Read when the configuration is (re)built. */
  clientSecret: () => Promise<string>;
  clock: Clock;
  /** How long a discovered configuration is used (default one hour). */
  maxAgeMs?: number;
  /** Seconds for each request to the provider (default 10). */
  timeoutSeconds?: number;
  scope?: string;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/** A network failure or timeout reaching the provider: unavailable (503), not a failed sign-in. */
function isUnreachable(error: unknown): boolean {
  const e = error as { name?: string; cause?: unknown };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** What went wrong, in words a person can act on, with the protocol's code (never a token). */
function describe(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError)
    return `the identity provider refused the sign-in (${error.error})`;
  if (error instanceof oidc.ResponseBodyError)
    return `the identity provider did not accept the sign-in code (${error.error})`;
  const code = (error as { code?: string }).code;
  return `the identity provider's answer did not check out${code ? ` (${code})` : ''}`;
}

export function openIdConnect(settings: OpenIdSettings): IdentityProvider {
  const maxAgeMs = settings.maxAgeMs ?? 3_600_000;
  let cached: { config: Promise<oidc.Configuration>; at: number } | undefined;

  const configuration = (): Promise<oidc.Configuration> => {
    const now = settings.clock.now().getTime();
    if (cached && now - cached.at < maxAgeMs) return cached.config;
    const config = (async () => {
      const secret = await settings.clientSecret();
      return oidc.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        oidc.ClientSecretBasic(secret),
        {
          timeout: settings.timeoutSeconds ?? 10,
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(LOOPBACK.test(settings.issuer) ? [oidc.allowInsecureRequests] : []),
          ],
        },
      );
    })();
    const entry = { config, at: now };
    cached = entry;
    config.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return config;
  };

  const reachable = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SignInFailedError) throw error;
      if (isUnreachable(error))
        throw new UnavailableError(`identity provider: ${what}: ${(error as Error).message}`, {
          cause: error,
        });
      throw error;
    }
  };

  return {
    async begin({ redirectUri, prompt }): Promise<SignInStart> {
      const config = await reachable('discovery', configuration);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scope ?? 'openid email profile',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(prompt ? { prompt } : {}),
      });
      return { url: url.href, state, nonce, codeVerifier };
    },

    async finish(callbackUrl, expected) {
      const config = await reachable('discovery', configuration);
      const current = new URL(expected.redirectUri);
      current.search = callbackUrl.search;
      return reachable('token', async () => {
        try {
          const tokens = await oidc.authorizationCodeGrant(config, current, {
            expectedState: expected.state,
            expectedNonce: expected.nonce,
            pkceCodeVerifier: expected.codeVerifier,
            idTokenExpected: true,
          });
          const claims = tokens.claims();
          if (!claims) throw new SignInFailedError('the identity provider sent no ID token');
          return { ...claims };
        } catch (error) {
          if (error instanceof SignInFailedError || isUnreachable(error)) throw error;
          // A refused client (a rotated secret): build the configuration afresh next time.
          if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_client') cached = undefined;
          throw new SignInFailedError(describe(error), { cause: error });
        }
      });
    },
  };
}
