// The local staff session: a cookie signed with HMAC-SHA-256 under a secret made fresh for each run (a restart
// signs everyone out). It stands in for the identity provider + JWT authorizer that front the staff routes on AWS.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'bk_session';
const SESSION_HOURS = 12;

export interface Session {
  email: string;
  name: string;
  /** Epoch ms. */
  expires: number;
}

export class SessionSigner {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }

  issue(email: string, name: string, now = Date.now()): string {
    const payload = Buffer.from(
      JSON.stringify({ email, name, expires: now + SESSION_HOURS * 3_600_000 }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  verify(value: string | undefined, now = Date.now()): Session | undefined {
    if (!value) return undefined;
    const [payload, mac, extra] = value.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = this.mac(payload);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
      if (typeof session.email !== 'string' || typeof session.expires !== 'number' || session.expires <= now)
        return undefined;
      return session;
    } catch {
      return undefined;
    }
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
