// A browser's part of an OpenID sign-in, without a browser: follows the identity provider's redirects with its
// cookies, submits the embedded provider's login form as the given person, and stops at the redirect back to
// Bridgekeeper's callback (the URL with the code and state), which the caller then delivers.

/** Cookies per origin, as a browser keeps them (name=value only; enough for these flows). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.byOrigin.set(origin, jar);
  }

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

/** The `name=value` of the first Set-Cookie named `name`, or undefined. */
export function setCookieNamed(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/** Signs `email` in at the provider, from the authorization URL to the callback URL it redirects back to. */
export async function loginAtProvider(
  authorizationUrl: string,
  email: string,
  jar = new CookieJar(),
): Promise<URL> {
  const provider = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(jar.header(url) ? { cookie: jar.header(url) } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: provider } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    jar.store(url, response);
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== provider) return next;
      url = next.href;
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`the provider answered ${response.status} at ${url}: ${page.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    form = new URLSearchParams({ email });
  }
  throw new Error('the sign-in did not come back from the provider');
}
