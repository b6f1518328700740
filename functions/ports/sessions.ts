// Staff sessions and sign-ins under way, kept on the server (the DynamoDB table on AWS and locally): the browser
// holds only a random value, and the store only that value's SHA-256, so neither a copy of the table nor a log
// can be replayed as a cookie. Every item expires (DynamoDB TTL removes it later; readers check the time now).
import type { StaffMember } from '../core/roles.js';

export interface StaffSession {
  member: StaffMember;
  /** ISO instants. */
  createdAt: string;
  expiresAt: string;
}

/** What the callback must find to accept the identity provider's answer, bound to the browser that left. */
export interface SignInAttempt {
  state: string;
  nonce: string;
  /** The PKCE code verifier (its S256 challenge went with the authorization request). */
  codeVerifier: string;
  /** The path to return to after signing in. */
  next: string;
  /** ISO instant. */
  expiresAt: string;
}

export interface SessionStore {
  /** `key` is the SHA-256 (hex) of the cookie's value, here and below. */
  saveSession(key: string, session: StaffSession): Promise<void>;
  findSession(key: string): Promise<StaffSession | undefined>;
  /** Sign-out: the session is gone for every later request. */
  endSession(key: string): Promise<void>;
  saveAttempt(key: string, attempt: SignInAttempt): Promise<void>;
  /** Removes the attempt and returns it: a second call (a replayed callback) finds nothing. */
  takeAttempt(key: string): Promise<SignInAttempt | undefined>;
}
