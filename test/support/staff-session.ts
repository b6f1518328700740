// A live staff session for tests and benches that call the handler routes directly: stored as the sign-in
// handler stores one (only the cookie's hash is the key), and the cookie header the browser would send.
import { memorySessions } from '../../functions/adapters/memory/sessions.js';
import type { StaffRole } from '../../functions/core/roles.js';
import { newCookieSecret, storeKeyOf } from '../../functions/edge/session.js';
import type { HttpEvent } from '../../functions/edge/http.js';
import type { SessionStore } from '../../functions/ports/sessions.js';

export async function signedInSession(
  email: string,
  roles: StaffRole[],
  name = email.split('@')[0]!,
): Promise<{ sessions: SessionStore; cookie: string }> {
  const sessions = memorySessions(`session-${Math.random()}`);
  const secret = newCookieSecret();
  await sessions.saveSession(storeKeyOf(secret)!, {
    member: { email, name, roles },
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2999-01-01T00:00:00.000Z',
  });
  return { sessions, cookie: `__Host-bk_session=${secret}` };
}

/** A staff page's GET as API Gateway v2 hands it to the function, with the session's cookie. */
export function staffGet(cookie: string, path: string, query: Record<string, string> = {}): HttpEvent {
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { host: 'bk.bank.example', cookie },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: { http: { method: 'GET' }, domainName: 'bk.bank.example' },
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}
