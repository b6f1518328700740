// The bank's OpenID Connect provider (Entra ID, Okta, Cognito; locally the embedded provider): an authorization
// code flow with PKCE, state and nonce. The adapter (functions/adapters/oidc/) does the protocol with a maintained
// library; the handlers keep the attempt and decide who the person is.

export interface SignInStart {
  /** Where to send the browser. */
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface IdentityProvider {
  /** A new authorization request; `prompt: 'login'` asks the provider to sign the person in afresh. */
  begin(input: { redirectUri: string; prompt?: 'login' }): Promise<SignInStart>;
  /**
   * Redeems the code in `callbackUrl` (state, PKCE and nonce checked; the ID token's signature, issuer, audience
   * and expiry verified) and returns the ID token's claims. Throws SignInFailedError when anything does not check.
   */
  finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string; redirectUri: string },
  ): Promise<Record<string, unknown>>;
}
